# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = 'res.company'

    paylink_tip_product_id = fields.Many2one(
        string="Tip Product", comodel_name='product.product',
        domain="[('type', '=', 'service'), ('company_id', 'in', (False, id))]",
        help="The product of the invoice that records a tip paid through a payment link."
             " Without one, the 'Tip' product of this module is used.",
    )
    paylink_allow_saved_cards = fields.Boolean(
        string="Offer Saved Cards on Payment Links",
        help="Offer the customer's saved payment methods on their payment link. Anyone holding"
             " the link could then pay with them: leave off unless links only reach card holders.",
    )

    def _get_paylink_tip_product(self):
        self.ensure_one()
        return self.paylink_tip_product_id or self.env.ref('paylink_portal.product_tip')
