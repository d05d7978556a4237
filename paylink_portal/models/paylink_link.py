# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import hashlib
import json
import re
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq, format_amount, format_date
from odoo.tools.sql import create_index

# 32 random bytes: 256 bits, URL-safe base64 without padding.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# The first characters of a token select the row through an index; the whole token is
# then compared in constant time, so response times never depend on how much of a
# guess was right.
LOOKUP_KEY_LENGTH = 16
RECENT_LINES_LIMIT = 20
TIP_PERCENTAGES = (0, 18, 20, 25)
# A payment younger than this that may still charge the customer blocks another one.
IN_PROGRESS_WINDOW = timedelta(minutes=10)


class PaylinkLink(models.Model):
    _name = "paylink.link"
    _description = "Customer Payment Link"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        string="Customer",
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    token = fields.Char(
        required=True,
        copy=False,
        groups="account.group_account_invoice",
        default=lambda self: self._generate_token(),
    )
    lookup_key = fields.Char(
        compute="_compute_lookup_key",
        store=True,
        index=True,
        copy=False,
        groups="account.group_account_invoice",
    )
    url = fields.Char(
        string="Payment Link",
        compute="_compute_url",
        groups="account.group_account_invoice",
    )
    reminder_count = fields.Integer(
        string="SMS Reminders Sent",
        readonly=True,
        copy=False,
        help="Reminders sent since the balance was last settled.",
    )
    last_reminder_date = fields.Datetime(
        string="Last SMS Reminder", readonly=True, copy=False
    )

    _sql_constraints = [
        ("token_unique", "UNIQUE(token)", "A payment link token must be unique."),
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one payment link per company.",
        ),
    ]

    def init(self):
        # The page's two reads of a customer's journal items, indexed so that their cost
        # does not grow with the history: the open receivable items (the balance) and
        # the latest posted invoice lines.
        create_index(
            self.env.cr,
            "paylink_aml_partner_open_idx",
            "account_move_line",
            ["partner_id"],
            where="reconciled IS NOT TRUE AND parent_state = 'posted'",
        )
        create_index(
            self.env.cr,
            "paylink_aml_partner_invoice_date_idx",
            "account_move_line",
            ["partner_id", "invoice_date DESC", "move_id DESC"],
            where="display_type = 'product' AND parent_state = 'posted'",
        )

    # === COMPUTE METHODS === #

    @api.depends("token")
    def _compute_lookup_key(self):
        for link in self:
            link.lookup_key = link.token and link.token[:LOOKUP_KEY_LENGTH]

    @api.depends("token")
    def _compute_url(self):
        for link in self:
            link.url = link.token and f"{link.get_base_url()}/pay/{link.token}"

    # === BUSINESS METHODS === #

    @api.model
    def _generate_token(self):
        return secrets.token_urlsafe(TOKEN_BYTES)

    def _regenerate_token(self):
        """Replace the token: the previous URL stops working as soon as this commits."""
        for link in self:
            link.token = self._generate_token()

    @api.model
    def _get_link_sudo(self, token):
        """Return the live link proven by `token`, in sudo mode, or an empty recordset.

        A link is live while its customer and company are active, the customer is
        still its own commercial entity (a contact moved under a company must not keep
        showing its own, now empty, account) and is not restricted to another company.

        :param str token: The token taken from the URL.
        :return: The `paylink.link` record, in sudo mode, or an empty recordset.
        :rtype: recordset of `paylink.link`
        """
        empty_sudo = self.sudo().browse()
        if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
            return empty_sudo
        # In sudo mode as the caller is anonymous: the token is the only credential.
        candidates_sudo = self.sudo().search_fetch(
            [("lookup_key", "=", token[:LOOKUP_KEY_LENGTH])],
            ["token", "partner_id", "company_id"],
        )
        link_sudo = next(
            (link for link in candidates_sudo if consteq(link.token, token)), empty_sudo
        )
        partner_sudo = link_sudo.partner_id
        if (
            not link_sudo
            or not partner_sudo.active
            or partner_sudo.commercial_partner_id != partner_sudo
            or not link_sudo.company_id.active
            # Restricted to another company, a customer is no longer one of this one's.
            or (
                partner_sudo.company_id
                and partner_sudo.company_id not in link_sudo.company_id.parent_ids
            )
        ):
            return empty_sudo
        return link_sudo

    # === PAGE DATA === #

    def _get_balance(self):
        """Return the customer's receivable balance in the link's company currency.

        This is the figure Odoo shows as the partner's Total Receivable (`credit`): the
        residual of posted, unreconciled receivable items of the link's company and its
        branches. Positive means the customer owes money, negative that they have
        credit.
        """
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        # `credit` declares no dependencies: drop any value computed earlier on.
        partner.invalidate_recordset(["credit", "debit"])
        return partner.credit

    def _get_recent_lines(self, limit=RECENT_LINES_LIMIT):
        """Return the latest billing line items: product lines of posted customer
        invoices and credit notes of the link's company, newest first."""
        self.ensure_one()
        lines = self.env["account.move.line"].search_fetch(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "child_of", self.company_id.root_id.id),
                ("display_type", "=", "product"),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ],
            [
                "invoice_date",
                "name",
                "price_subtotal",
                "price_total",
                "currency_id",
                "move_id",
                "move_name",
                "product_id",
            ],
            order="invoice_date desc, move_id desc, sequence, id",
            limit=limit,
        )
        lines.move_id.fetch(["move_type"])  # One query for all the lines' documents.
        return lines

    def _get_page_values(self):
        """Return everything the payment page displays, formatted for the customer.

        The page, its JSON refresh and the payment route all read these values, so that
        each amount is computed once, on the server, in the currency's rounding.

        :return: The page values, including a `fingerprint` of what is displayed.
        :rtype: dict
        """
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        lang_code = self.env.context.get("lang")
        balance = currency.round(self._get_balance())
        if currency.is_zero(balance):
            state = "all_set"
        elif balance < 0:
            state = "credit"
        else:
            state = "outstanding"

        def fmt(amount, amount_currency=currency):
            return format_amount(self.env, amount, amount_currency, lang_code=lang_code)

        lines = []
        for line in self._get_recent_lines():
            sign = -1 if line.move_id.move_type == "out_refund" else 1
            lines.append(
                {
                    "date": format_date(
                        self.env, line.invoice_date, lang_code=lang_code
                    ),
                    "description": line.name or line.product_id.display_name or "",
                    "reference": line.move_name,
                    "amount": fmt(sign * line.price_subtotal, line.currency_id),
                    "tax": fmt(
                        sign * (line.price_total - line.price_subtotal),
                        line.currency_id,
                    ),
                    "total": fmt(sign * line.price_total, line.currency_id),
                }
            )
        tips = []
        if state == "outstanding":
            for percent in TIP_PERCENTAGES:
                tip = self._compute_tip(balance, percent)
                tips.append(
                    {
                        "percent": percent,
                        "tip": fmt(tip),
                        "total": fmt(balance + tip),
                    }
                )
        values = {
            "state": state,
            "balance": balance,
            "balance_display": fmt(abs(balance)),
            "currency_id": currency.id,
            "lines": lines,
            "tips": tips,
        }
        values["fingerprint"] = hashlib.sha256(
            json.dumps(values, sort_keys=True, default=str).encode()
        ).hexdigest()[:32]
        return values

    def _compute_tip(self, balance, percent):
        """Return the tip for `percent` of `balance`, rounded in the company currency.

        :param float balance: The outstanding balance.
        :param int percent: One of `TIP_PERCENTAGES`.
        :return: The tip amount.
        :rtype: float
        """
        self.ensure_one()
        if percent not in TIP_PERCENTAGES:
            raise ValueError(f"Unsupported tip percentage: {percent!r}")
        return self.company_id.currency_id.round(balance * percent / 100)

    # === PAYMENT === #

    def _get_open_invoices(self):
        """Return the customer's posted invoices with something left to pay, oldest due
        first: the documents a payment through the link settles."""
        self.ensure_one()
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("company_id", "child_of", self.company_id.root_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, invoice_date, id",
        )

    def _get_transactions_in_progress(self):
        """Return this link's payments that may still charge the customer, newest first:
        a new payment must reuse or wait for them, so that one balance is charged once.

        For `IN_PROGRESS_WINDOW`, a transaction counts while it is draft, pending or
        authorized, or done at the provider but not yet post-processed (the balance does
        not show it yet).
        """
        self.ensure_one()
        return (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("paylink_id", "=", self.id),
                    "|",
                    ("state", "in", ("draft", "pending", "authorized")),
                    "&",
                    ("state", "=", "done"),
                    ("is_post_processed", "=", False),
                    ("create_date", ">=", fields.Datetime.now() - IN_PROGRESS_WINDOW),
                ],
                order="id desc",
            )
        )  # In sudo mode: the transactions of this link only, for its customer.

    def _get_payment_amounts(self, tip_percent):
        """Return what a payment with `tip_percent` must charge now, from current data.

        :param int tip_percent: One of `TIP_PERCENTAGES`.
        :return: The page values (with their `fingerprint`), `tip` and `amount`
                 (balance + tip).
        :rtype: dict
        """
        self.ensure_one()
        values = self._get_page_values()
        tip = self._compute_tip(values["balance"], tip_percent)
        return {**values, "tip": tip, "amount": values["balance"] + tip}

    # === SMS REMINDERS === #

    @api.model
    def _cron_send_sms_reminders(self):
        """Text a payment reminder with the link to each customer who owes more than the
        company's minimum, consented to reminders for their current, valid and
        non-blacklisted number, and was not reminded within the interval nor more often
        than the maximum."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search(
            [("paylink_reminder_enabled", "=", True)]
        ):
            template = company._get_paylink_reminder_template()
            links = self.with_company(company).search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id.active", "=", True),
                ]
            )
            consents = self.env["paylink.sms.consent"]._get_current_by_partner(
                links.partner_id
            )
            for link in links:
                phone = link._get_reminder_number(consents[link.partner_id], now)
                if phone:
                    link._send_sms_reminder(template, phone, now)

    def _get_reminder_number(self, consent, now):
        """Return the number to remind this link's customer at, or False when they
        must not be reminded.

        :param recordset consent: The customer's current `paylink.sms.consent`
                                  (maybe empty).
        :param datetime now: The time of the run.
        :rtype: str or bool
        """
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        balance = self._get_balance()
        if currency.compare_amounts(balance, 0) <= 0:
            if self.reminder_count:
                self.reminder_count = 0  # Settled: a later debt starts a new series.
            return False
        if (
            currency.compare_amounts(balance, company.paylink_reminder_min_amount) <= 0
            or self.reminder_count >= company.paylink_reminder_max_count
            or (
                self.last_reminder_date
                and self.last_reminder_date
                > now - timedelta(days=company.paylink_reminder_interval)
            )
            or consent.state != "given"
        ):
            return False
        phone = self.partner_id._get_paylink_sms_number()
        sanitized = self.partner_id._phone_format(number=phone)
        if not sanitized or phone != consent.phone:
            return False  # Invalid, or not the number the customer consented for.
        if (
            self.env["phone.blacklist"]
            .sudo()
            .search_count(
                [("number", "=", sanitized)],
                limit=1,
            )
        ):  # In sudo mode to read the blacklist, which billing users cannot.
            return False
        return sanitized

    def _send_sms_reminder(self, template, phone, now):
        """Post the reminder in the customer's chatter, which logs it. The SMS is queued
        and leaves with Odoo's SMS queue after this transaction commits, so that a run
        that fails half-way sends nothing twice."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        partner._message_sms_with_template(
            template=template,
            partner_ids=partner.ids,
            sms_pid_to_number={partner.id: phone},
            put_in_queue=True,
        )
        self.write(
            {"reminder_count": self.reminder_count + 1, "last_reminder_date": now}
        )

    # === DEMO DATA === #

    @api.model
    def _create_demo_data(self):
        """Post the demo customers' invoices, credit notes and payments; give each one
        a link.

        Called from `demo/paylink_demo.xml`; done in Python because the entries need the
        chart of accounts the company got at installation, whatever its country.
        """
        company = self.env.company
        if not self.env["account.journal"].search_count(
            [("company_id", "=", company.id), ("type", "=", "sale")],
            limit=1,
        ):
            return  # No chart of accounts: nothing can be invoiced.
        today = fields.Date.context_today(self)
        ref = self.env.ref
        all_set = ref("paylink_portal.partner_all_set_demo")
        credit = ref("paylink_portal.partner_credit_demo")
        outstanding = ref("paylink_portal.partner_outstanding_demo")
        services = [
            ("Monthly service plan", 49.0),
            ("On-site visit", 85.0),
            ("Replacement filter", 12.5),
            ("Emergency call-out", 120.0),
            ("Parts and materials", 37.25),
            ("Labor (1 hour)", 65.0),
            ("Annual inspection", 99.0),
        ]

        def post_move(partner, days_ago, lines, move_type="out_invoice"):
            move = self.env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.subtract(today, days=days_ago),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {"name": name, "quantity": 1, "price_unit": price}
                        )
                        for name, price in lines
                    ],
                }
            )
            move.action_post()
            return move

        def pay(invoice, amount):
            self.env["account.payment.register"].with_context(
                active_model="account.move",
                active_ids=invoice.ids,
            ).create({"amount": amount})._create_payments()

        # All set: one invoice, paid in full.
        invoice = post_move(all_set, 20, services[:2])
        pay(invoice, invoice.amount_total)
        # Credit: a credit note larger than the only invoice.
        post_move(credit, 30, services[2:3])
        post_move(
            credit,
            10,
            [("Refund: cancelled annual plan", 150.0)],
            move_type="out_refund",
        )
        # Outstanding: four months of charges (28 line items), the oldest one part-paid.
        invoices = [
            post_move(outstanding, 30 * month + 5, services)
            for month in range(3, -1, -1)
        ]
        pay(invoices[0], 100.0)
        for partner in (all_set, credit, outstanding):
            partner.action_paylink_generate()
