# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re
from urllib.parse import quote

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_list

from ..compat import PARTNER_NUMBER_FIELDS, partner_number


class ResPartner(models.Model):
    _inherit = "res.partner"

    paylink_ids = fields.One2many(
        string="Payment Links",
        comodel_name="paylink.link",
        inverse_name="partner_id",
        groups="account.group_account_invoice",
    )
    paylink_url = fields.Char(
        string="Payment Link",
        compute="_compute_paylink_url",
        groups="account.group_account_invoice",
        help="The customer's payment link in the current company. Anyone holding it"
        " can see the customer's balance and recent charges without logging in.",
    )
    paylink_balance = fields.Monetary(
        string="Payment Link Balance",
        compute="_compute_paylink_balance",
        currency_field="currency_id",
        groups="account.group_account_invoice",
        help="What the customer's payment link shows as their balance in the current"
        " company, live from the journal: positive when they owe money.",
    )
    paylink_due_now = fields.Monetary(
        string="Payment Link Amount Due Now",
        compute="_compute_paylink_due_now",
        currency_field="currency_id",
        groups="account.group_account_invoice",
        help="What the customer must pay now in the current company: the balance, less"
        " the early-payment discounts still open and the instalments due later.",
    )
    # The figures of the shipped messages (data/mail_template_data.xml), one amount per
    # currency: the balance and what is due now in each currency the customer owes in.
    paylink_balance_text = fields.Char(
        string="Payment Link Balances",
        compute="_compute_paylink_amount_texts",
        groups="account.group_account_invoice",
        help="The customer's balance in each of their currencies in the current"
        " company, as the messages give it.",
    )
    paylink_due_now_text = fields.Char(
        string="Payment Link Amounts Due Now",
        compute="_compute_paylink_amount_texts",
        groups="account.group_account_invoice",
        help="What the customer must pay now in each of their currencies in the"
        " current company, as the reminders give it.",
    )
    # The QR code as a data URI, shown by the `image_url` widget. An image field would
    # be shown from /web/image, cached under the customer's write date, which
    # regenerating the link does not change: the form would keep the old code.
    paylink_qr_code = fields.Char(
        string="QR Code",
        compute="_compute_paylink_qr_code",
        groups="account.group_account_invoice",
        help="The customer's payment link as a QR code, to scan with a phone.",
    )

    paylink_sms_consent_ids = fields.One2many(
        string="SMS Consent History",
        comodel_name="paylink.sms.consent",
        inverse_name="partner_id",
        groups="account.group_account_invoice",
    )
    paylink_sms_consent_state = fields.Selection(
        string="SMS Reminders",
        selection=[
            ("none", "No consent"),
            ("given", "Consent given"),
            ("withdrawn", "Withdrawn"),
        ],
        compute="_compute_paylink_sms_consent_state",
        store=True,
        groups="account.group_account_invoice",
        help="Consent to automated payment reminders by text, for the customer's "
        "current number.",
    )
    paylink_autopay_ids = fields.One2many(
        string="Automatic Payments",
        comodel_name="paylink.autopay",
        inverse_name="partner_id",
        groups="account.group_account_invoice",
    )
    paylink_tip_count = fields.Integer(
        string="Tips",
        compute="_compute_paylink_tip_count",
        groups="account.group_account_invoice",
    )
    paylink_last_opened = fields.Datetime(
        string="Link Last Opened",
        compute="_compute_paylink_open_stats",
        groups="account.group_account_invoice",
    )
    paylink_open_count = fields.Integer(
        string="Link Opened (30 Days)",
        compute="_compute_paylink_open_stats",
        groups="account.group_account_invoice",
        help="How many times the customer's payment link in this company was opened in"
        " the last 30 days.",
    )
    paylink_rating_count = fields.Integer(
        string="Payment Link Ratings",
        compute="_compute_paylink_rating_count",
        groups="account.group_account_invoice",
    )
    paylink_payment_count = fields.Integer(
        string="Link Payments",
        compute="_compute_paylink_payment_count",
        groups="account.group_account_invoice",
    )

    # === COMPUTE METHODS === #

    # Stored, so that the payment page reads it with the customer instead of querying
    # the history. Consents are recorded on the commercial entity, whose number they are
    # for.
    @api.depends(
        "commercial_partner_id.paylink_sms_consent_ids",
        "commercial_partner_id.country_id",
        *(f"commercial_partner_id.{field}" for field in PARTNER_NUMBER_FIELDS),
    )
    def _compute_paylink_sms_consent_state(self):
        commercial_partners = self.commercial_partner_id
        current = self.env["paylink.sms.consent"]._get_current_by_partner(
            commercial_partners
        )
        for partner in self:
            consent = current[partner.commercial_partner_id]
            partner.paylink_sms_consent_state = consent.state or "none"

    def _compute_paylink_tip_count(self):
        counts = self._get_paylink_counts(
            "payment.transaction", self._get_paylink_tips_domain()
        )
        for partner in self:
            partner.paylink_tip_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_paylink_open_stats(self):
        links = self.env["paylink.link"]._get_for_partners(self, self.env.company)
        stats = self.env["paylink.link.open"]._get_stats(links)
        link_by_partner = {link.partner_id: link for link in links}
        for partner in self:
            link = link_by_partner.get(partner.commercial_partner_id)
            partner.paylink_last_opened = link and stats[link]["last"]
            partner.paylink_open_count = link and stats[link]["count"]

    def _compute_paylink_rating_count(self):
        counts = self._get_paylink_counts(
            "rating.rating", self._get_paylink_ratings_domain()
        )
        for partner in self:
            partner.paylink_rating_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_paylink_payment_count(self):
        counts = self._get_paylink_counts(
            "payment.transaction", self._get_paylink_payments_domain()
        )
        for partner in self:
            partner.paylink_payment_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    @api.depends("commercial_partner_id.paylink_ids.token")
    def _compute_paylink_url(self):
        links = self.env["paylink.link"]._get_for_partners(self, self.env.company)
        url_by_partner = {link.partner_id: link.url for link in links}
        for partner in self:
            partner.paylink_url = url_by_partner.get(
                partner.commercial_partner_id, False
            )

    @api.depends_context("company")
    def _compute_paylink_balance(self):
        Ledger = self.env["paylink.ledger"]
        company = self.env.company
        balances = {
            commercial_partner: company.currency_id.round(
                Ledger._get_balance(commercial_partner, company)
            )
            for commercial_partner in self.commercial_partner_id
        }
        for partner in self:
            partner.paylink_balance = balances.get(partner.commercial_partner_id, 0.0)

    @api.depends_context("company")
    def _compute_paylink_due_now(self):
        Ledger = self.env["paylink.ledger"]
        company = self.env.company
        amounts = {
            commercial_partner: Ledger._get_due_now(commercial_partner, company)
            for commercial_partner in self.commercial_partner_id
        }
        for partner in self:
            partner.paylink_due_now = amounts.get(partner.commercial_partner_id, 0.0)

    @api.depends_context("company", "lang")
    def _compute_paylink_amount_texts(self):
        """The balance and what is due now, each currency's amount in its currency,
        formatted as the templates' `format_amount` formats them (in the language they
        render in: the customer's) and listed as the language lists them ("$100.00 and
        €50.00"). A customer with one currency gets the one amount, as
        `format_amount(object.paylink_balance, ...)` gave it; one with none, zero in
        the company currency."""
        Ledger = self.env["paylink.ledger"]
        company = self.env.company
        texts = {}
        for commercial_partner in self.commercial_partner_id:
            balances = Ledger._get_currency_balances(commercial_partner, company)
            texts[commercial_partner] = (
                self._format_paylink_amounts(
                    [
                        (entry["currency"], entry["balance"])
                        for entry in balances
                        if not entry["currency"].is_zero(entry["balance"])
                    ]
                ),
                self._format_paylink_amounts(
                    Ledger._get_due_now_by_currency(
                        commercial_partner, company, balances=balances
                    )
                ),
            )
        for partner in self:
            partner.paylink_balance_text, partner.paylink_due_now_text = texts.get(
                partner.commercial_partner_id, (False, False)
            )

    @api.depends("paylink_url")
    @api.depends_context("company")
    def _compute_paylink_qr_code(self):
        links = self.env["paylink.link"]._get_for_partners(self, self.env.company)
        link_by_partner = {link.partner_id: link for link in links}
        for partner in self:
            link = link_by_partner.get(partner.commercial_partner_id)
            partner.paylink_qr_code = link and link._get_qr_code()

    # === ACTION METHODS === #

    def action_paylink_generate(self):
        """Generate the payment link of the customer's commercial entity in the current
        company, or replace it when there is one: the previous link then stops working
        at once.
        """
        Link = self.env["paylink.link"]
        # Only billing users may create or replace links, whatever their rights on
        # partners.
        Link.check_access("create")
        Link._generate_for(self, self.env.company)
        return True

    def action_paylink_withdraw_sms_consent(self):
        """Record that the customer withdrew consent to SMS reminders, as told to
        staff."""
        self.env["paylink.sms.consent"].check_access("create")
        for partner in self.commercial_partner_id:
            self.env["paylink.sms.consent"]._record(
                partner,
                "withdrawn",
                "staff",
                user_id=self.env.uid,
            )
            partner._message_log(body=_("Consent to SMS payment reminders withdrawn."))
        return True

    def action_paylink_send_email(self):
        """Open the email composer with the payment link template."""
        self.ensure_one()
        partner = self._get_paylink_partner_with_link()
        return self._get_paylink_composer_action(
            _("Send Payment Link"),
            "mail.compose.message",
            {
                "default_model": "res.partner",
                "default_res_ids": partner.ids,
                "default_template_id": self.env.ref(
                    "paylink_portal.mail_template_paylink"
                ).id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": "mail.mail_notification_light",
            },
        )

    def action_paylink_send_sms(self):
        """Open the SMS composer with the payment link template."""
        self.ensure_one()
        partner = self._get_paylink_partner_with_link()
        return self._get_paylink_composer_action(
            _("Send Payment Link by SMS"),
            "sms.composer",
            {
                "default_res_model": "res.partner",
                "default_res_id": partner.id,
                "default_template_id": self.env.ref(
                    "paylink_portal.sms_template_paylink"
                ).id,
                "default_composition_mode": "comment",
            },
        )

    def action_paylink_copy_message(self):
        """Put the ready message (`_get_paylink_share_message`) on the clipboard, once
        the customer has a link: it is generated first when there is none."""
        self.ensure_one()
        self._ensure_paylink()
        return {
            "type": "ir.actions.client",
            "tag": "paylink_portal.copy_message",
            "params": {"message": self._get_paylink_share_message()},
        }

    def action_paylink_compose_sms(self):
        """Open the ready message in the text messages app of the staff member's phone,
        to the customer's number (an `sms:` URI, RFC 5724), once the customer has a
        link: it is generated first when there is none.

        A client action rather than an `ir.actions.act_url`: the web client makes every
        URL that starts neither with "http" nor with "/" a path of the server.

        :raise UserError: When neither the customer nor their company has a mobile or a
            phone number.
        """
        self.ensure_one()
        number = (
            self._get_paylink_sms_number()
            or self.commercial_partner_id._get_paylink_sms_number()
        )
        if not number:
            raise UserError(
                _(
                    "%(customer)s has no mobile or phone number to text.",
                    customer=self.display_name,
                )
            )
        self._ensure_paylink()
        message = self._get_paylink_share_message()
        return {
            "type": "ir.actions.client",
            "tag": "paylink_portal.compose_sms",
            "params": {
                "url": f"sms:{quote(number, safe='+')}?body={quote(message, safe='')}",
            },
        }

    def action_view_paylink_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "paylink_portal.action_paylink_payments"
        )
        action["domain"] = self._get_paylink_payments_domain()
        return action

    def action_view_paylink_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "paylink_portal.action_paylink_ratings"
        )
        action["domain"] = self._get_paylink_ratings_domain()
        return action

    def action_view_paylink_tips(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "paylink_portal.action_paylink_tips"
        )
        action["domain"] = self._get_paylink_tips_domain()
        return action

    # === BUSINESS METHODS === #

    @staticmethod
    def _get_paylink_composer_action(name, res_model, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": res_model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def _get_paylink_partner_with_link(self):
        """Return the commercial entity, which holds the link that is about to be
        shared.
        """
        partner = self.commercial_partner_id
        if not partner.paylink_url:
            raise UserError(_("Generate the payment link first."))
        return partner

    def _ensure_paylink(self):
        """Generate the customer's link in the current company unless there is one."""
        self.ensure_one()
        if not self.commercial_partner_id.paylink_url:
            self.action_paylink_generate()

    def _get_paylink_share_message(self):
        """Return the ready message to this customer: their first name, the company,
        their balance and their link, from the company's template
        (`res.company._get_paylink_share_template`), in the customer's language.

        :rtype: str
        """
        self.ensure_one()
        # Only billing users may read links, whatever their rights on partners: the
        # template reads the link without checking.
        self.env["paylink.link"].check_access("read")
        # The balance as it is now: no dependency clears it when entries are posted
        # (the ledger reads the journal in SQL).
        self.invalidate_recordset(["paylink_balance", "paylink_balance_text"])
        template = self.env.company._get_paylink_share_template()
        message = template._render_field("body", self.ids, compute_lang=True)[self.id]
        # The amount's no-break spaces made plain (and the zero-width one after a minus
        # dropped): a text message with one character outside the GSM alphabet is sent
        # 70 characters a part, not 160.
        return message.replace("\N{NO-BREAK SPACE}", " ").replace(
            "\N{ZERO WIDTH NO-BREAK SPACE}", ""
        )

    def _format_paylink_amounts(self, amounts):
        """Return `amounts`, `(currency, amount)` pairs, as text: each amount formatted
        in its currency, listed in the current language ("$100.00, €50.00 and
        £20.00"); zero in the company currency when there is none.

        :rtype: str
        """
        amounts = amounts or [(self.env.company.currency_id, 0.0)]
        return format_list(
            self.env,
            [format_amount(self.env, amount, currency) for currency, amount in amounts],
        )

    def _get_paylink_sms_number(self):
        """The number SMS reminders go to (the mobile, else the phone, on 18.0; the
        phone on 19.0: `compat.partner_number`), in E.164 when valid.
        """
        self.ensure_one()
        number = partner_number(self)
        return number and (self._phone_format(number=number) or number)

    def _get_paylink_sms_number_hint(self):
        """The last digits of the SMS number: enough for the customer to recognize it,
        too few to be of use to anyone else. Read from the number as typed, like E.164
        would end.
        """
        self.ensure_one()
        digits = re.sub(r"\D", "", partner_number(self) or "")
        return digits[-4:] or False

    def _get_paylink_counts(self, model, domain):
        """Return how many `model` records of `domain` each commercial entity has,
        counting those of its contacts (`partner_id`), for the smart buttons.

        :rtype: dict
        """
        counts = {}
        for partner, count in self.env[model]._read_group(
            domain, ["partner_id"], ["__count"]
        ):
            commercial_partner = partner.commercial_partner_id
            counts[commercial_partner] = counts.get(commercial_partner, 0) + count
        return counts

    def _get_paylink_ratings_domain(self):
        """The ratings customers gave on their payment link (see `paylink.link`)."""
        return [
            ("partner_id", "in", self.commercial_partner_id.ids),
            ("res_model", "in", ("account.move", "res.partner")),
            ("consumed", "=", True),
        ]

    def _get_paylink_payments_domain(self):
        return [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("paylink_id", "!=", False),
            ("state", "=", "done"),
        ]

    def _get_paylink_tips_domain(self):
        return [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("paylink_tip_amount", ">", 0),
            ("state", "=", "done"),
        ]
