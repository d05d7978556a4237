# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..compat import sql_constraint


class ResCompany(models.Model):
    _inherit = "res.company"

    paylink_tip_product_id = fields.Many2one(
        string="Tip Product",
        comodel_name="product.product",
        domain="[('type', '=', 'service'), ('company_id', 'in', (False, id))]",
        help="The product of the invoice that records a tip paid through a payment"
        " link. Without one, the 'Tip' product of this module is used.",
    )
    paylink_allow_saved_cards = fields.Boolean(
        string="Offer Saved Cards on Payment Links",
        help="Offer the customer's saved payment methods on their payment link. Anyone"
        " holding the link could then pay with them: leave off unless links only reach"
        " card holders.",
    )
    paylink_partial_min_amount = fields.Monetary(
        string="Minimum Partial Payment",
        currency_field="currency_id",
        default=1.0,
        help="The least a customer may pay at a time through their payment link, when"
        " paying less than the whole balance.",
    )

    paylink_rating_enabled = fields.Boolean(
        string="Ask for a Rating on Payment Links",
        help="Customers who owe a balance are asked 'How did we do?' (1 to 5 stars and"
        " a comment) above the tips. Everyone may skip it and sees the same page"
        " whatever the stars.",
    )
    paylink_review_url = fields.Char(
        string="Public Review Page",
        help="Offered to every customer after they rate, whatever the stars.",
    )

    paylink_autopay_enabled = fields.Boolean(
        string="Allow Autopay on Payment Links",
        help="A customer who saves a card while paying may agree to be charged"
        " automatically, by a daily scheduled action, when their balance reaches the"
        " threshold.",
    )
    paylink_autopay_threshold = fields.Monetary(
        string="Autopay Threshold",
        currency_field="currency_id",
        default=100.0,
    )

    paylink_qr_on_invoices = fields.Boolean(
        string="QR Code of the Payment Link on Invoices",
        default=True,
        help="Print 'Scan to view and pay your account' and the QR code of the"
        " customer's payment link on their invoices, when they have a live link in the"
        " invoice's company.",
    )
    paylink_share_sms_template_id = fields.Many2one(
        string="Ready Message Template",
        comodel_name="sms.template",
        domain="[('model', '=', 'res.partner')]",
        help="The message staff copy or text from the customer form, with the"
        " customer's first name, balance and link. Without one, the 'Payment Link:"
        " Ready Message' template of this module is used.",
    )

    paylink_reminder_enabled = fields.Boolean(string="Automated SMS Payment Reminders")
    paylink_reminder_interval = fields.Integer(
        string="Days Between Reminders",
        default=7,
    )
    paylink_reminder_min_amount = fields.Monetary(
        string="Minimum Balance",
        currency_field="currency_id",
        help="Only customers owing more than this are reminded.",
    )
    paylink_reminder_max_count = fields.Integer(
        string="Maximum Reminders",
        default=3,
        help="Reminders stop after this many, until the balance is paid.",
    )
    paylink_reminder_sms_template_id = fields.Many2one(
        string="Reminder Template",
        comodel_name="sms.template",
        domain="[('model', '=', 'res.partner')]",
    )

    _paylink_autopay_threshold_positive = sql_constraint(
        "CHECK(paylink_autopay_threshold > 0)",
        "The autopay threshold must be more than zero.",
    )
    _paylink_partial_min_amount_positive = sql_constraint(
        "CHECK(paylink_partial_min_amount > 0)",
        "The minimum partial payment must be more than zero.",
    )
    _paylink_reminder_interval_positive = sql_constraint(
        "CHECK(paylink_reminder_interval >= 1)",
        "Payment reminders need at least one day between them.",
    )
    _paylink_reminder_max_count_positive = sql_constraint(
        "CHECK(paylink_reminder_max_count >= 0)",
        "The maximum number of payment reminders cannot be negative.",
    )

    def _get_paylink_reminder_template(self):
        self.ensure_one()
        return self.paylink_reminder_sms_template_id or self.env.ref(
            "paylink_portal.sms_template_paylink_reminder"
        )

    def _get_paylink_share_template(self):
        self.ensure_one()
        return self.paylink_share_sms_template_id or self.env.ref(
            "paylink_portal.sms_template_paylink_share"
        )

    def _get_paylink_tip_product(self):
        self.ensure_one()
        return self.paylink_tip_product_id or self.env.ref("paylink_portal.product_tip")
