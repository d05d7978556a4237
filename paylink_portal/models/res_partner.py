# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    paylink_ids = fields.One2many(
        string="Payment Links", comodel_name='paylink.link', inverse_name='partner_id',
        groups='account.group_account_invoice',
    )
    paylink_url = fields.Char(
        string="Payment Link", compute='_compute_paylink_url',
        groups='account.group_account_invoice',
        help="The customer's payment link in the current company. Anyone holding it can see the"
             " customer's balance and recent charges without logging in.",
    )

    paylink_tip_count = fields.Integer(
        string="Tips", compute='_compute_paylink_tip_count', groups='account.group_account_invoice',
    )

    # === COMPUTE METHODS === #

    def _compute_paylink_tip_count(self):
        counts = dict(self.env['payment.transaction']._read_group(
            self._get_paylink_tips_domain(), ['partner_id'], ['__count'],
        ))
        for partner in self:
            partner.paylink_tip_count = sum(
                count for tx_partner, count in counts.items()
                if tx_partner.commercial_partner_id == partner.commercial_partner_id
            )

    @api.depends_context('company')
    @api.depends('commercial_partner_id.paylink_ids.token')
    def _compute_paylink_url(self):
        links = self.env['paylink.link'].search([
            ('partner_id', 'in', self.commercial_partner_id.ids),
            ('company_id', '=', self.env.company.id),
        ])
        url_by_partner = {link.partner_id: link.url for link in links}
        for partner in self:
            partner.paylink_url = url_by_partner.get(partner.commercial_partner_id, False)

    # === ACTION METHODS === #

    def action_paylink_generate(self):
        """ Generate the payment link of the customer's commercial entity in the current company,
        or replace it when there is one: the previous link then stops working at once. """
        Link = self.env['paylink.link']
        # Only billing users may create or replace links, whatever their rights on partners.
        Link.check_access('create')
        for commercial_partner in self.commercial_partner_id:
            link = Link.search([
                ('partner_id', '=', commercial_partner.id),
                ('company_id', '=', self.env.company.id),
            ])
            if link:
                link._regenerate_token()
                body = _(
                    "Payment link regenerated for %(company)s. The previous link no longer works.",
                    company=self.env.company.name,
                )
            else:
                Link.create({'partner_id': commercial_partner.id})
                body = _("Payment link generated for %(company)s.", company=self.env.company.name)
            commercial_partner._message_log(body=body)
        return True

    def action_view_paylink_tips(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('paylink_portal.action_paylink_tips')
        action['domain'] = self._get_paylink_tips_domain()
        return action

    # === BUSINESS METHODS === #

    def _get_paylink_tips_domain(self):
        return [
            ('partner_id', 'child_of', self.commercial_partner_id.ids),
            ('paylink_tip_amount', '>', 0),
            ('state', '=', 'done'),
        ]
