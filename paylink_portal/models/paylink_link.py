# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import ast
import hashlib
import json
import re
import secrets
from datetime import timedelta

import babel.dates

from odoo import api, fields, models
from odoo.tools import (
    SQL,
    babel_locale_parse,
    consteq,
    float_round,
    get_lang,
    posix_to_ldml,
)
from odoo.tools.sql import create_index, index_exists

from odoo.addons.base.models.res_lang import intersperse

# 32 random bytes: 256 bits, URL-safe base64 without padding.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# The first characters of a token select the row through an index; the whole token is
# then compared in constant time, so response times never depend on how much of a guess
# was right.
LOOKUP_KEY_LENGTH = 16
RECENT_LINES_LIMIT = 20
# The journal items each of the page's two partial indexes holds (see `init`).
# PostgreSQL uses a partial index only for a query whose conditions imply the index's,
# so the index and the query that relies on it take their condition from here, never
# from two copies. Unqualified columns of `account_move_line`: the queries read no other
# table in FROM.
# The open items, whose residuals make the balance: it leaves out every invoice's
# product and tax lines.
OPEN_ITEMS_WHERE = (
    "reconciled IS NOT TRUE AND parent_state = 'posted' AND amount_residual != 0"
)
# The posted billing lines, of which the page shows the latest.
BILLING_LINES_WHERE = "display_type = 'product' AND parent_state = 'posted'"
TIP_PERCENTAGES = (0, 18, 20, 25)
# A payment younger than this that may still charge the customer blocks another one.
IN_PROGRESS_WINDOW = timedelta(minutes=10)
# The fields of the customer and company that the link lookup checks and the page
# displays.
PAGE_PARTNER_FIELDS = [
    "active",
    "commercial_partner_id",
    "company_id",
    "lang",
    "mobile",
    "name",
    "paylink_sms_consent_state",
    "phone",
]
PAGE_COMPANY_FIELDS = [
    "active",
    "currency_id",
    "name",
    "parent_path",
    "primary_color",
    "uses_default_logo",
]


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
        # does not grow with the history. The balance (Odoo's `credit`) sums the open
        # items: only items with a residual, which leaves out every invoice's product
        # and tax lines and keeps the index a small fraction of the table. All the query
        # reads is in the index, which PostgreSQL then scans alone. The latest posted
        # invoice lines come in the order of the second index, which stops at 20: it
        # holds the whole ORDER BY of `_get_recent_lines_sql`, down to the line's
        # sequence and id, since any column left out would need a sort of at least one
        # whole invoice (an incremental sort), or of all the customer's lines.
        for obsolete in (
            "paylink_aml_partner_open_idx",
            "paylink_aml_partner_balance_idx",
            # Without the sequence and id: its order stopped at the invoice.
            "paylink_aml_partner_invoice_date_idx",
        ):
            self.env.cr.execute(
                SQL("DROP INDEX IF EXISTS %s", SQL.identifier(obsolete))
            )
        if not index_exists(self.env.cr, "paylink_aml_partner_residual_idx"):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX paylink_aml_partner_residual_idx ON account_move_line"
                    " (partner_id, account_id, company_id) INCLUDE (amount_residual)"
                    " WHERE %s",
                    SQL(OPEN_ITEMS_WHERE),
                )
            )
        create_index(
            self.env.cr,
            "paylink_aml_partner_recent_lines_idx",
            "account_move_line",
            ["partner_id", "invoice_date DESC", "move_id DESC", "sequence", "id"],
            where=BILLING_LINES_WHERE,
        )

    # === COMPUTE METHODS === #

    @api.depends("token")
    def _compute_lookup_key(self):
        for link in self:
            link.lookup_key = link.token and link.token[:LOOKUP_KEY_LENGTH]

    @api.depends("token")
    def _compute_url(self):
        for link in self:
            link.url = link.token and link.get_base_url() + link._get_paylink_path()

    # === BUSINESS METHODS === #

    @api.model
    def _generate_token(self):
        return secrets.token_urlsafe(TOKEN_BYTES)

    def _get_paylink_path(self, suffix=""):
        """Return the path of the link's page, or of one of its routes: every `/pay/...`
        URL is built here.

        :param str suffix: What follows the token: a route (`/checkout`) or a query.
        :rtype: str
        """
        self.ensure_one()
        return f"/pay/{self.token}{suffix}"

    def _regenerate_token(self):
        """Replace the token: the previous URL stops working as soon as this commits."""
        for link in self:
            link.token = self._generate_token()

    @api.model
    def _get_link_sudo(self, token):
        """Return the live link proven by `token`, in sudo mode, or an empty recordset.

        A link is live while its customer and company are active, the customer is still
        its own commercial entity (a contact moved under a company must not keep showing
        its own, now empty, account) and the customer is not restricted to another
        company.

        :param str token: The token taken from the URL.
        :return: The `paylink.link` record, in sudo mode, or an empty recordset.
        :rtype: recordset of `paylink.link`
        """
        empty_sudo = self.sudo().browse()
        if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
            return empty_sudo
        candidates_sudo = self.sudo().search_fetch(
            [("lookup_key", "=", token[:LOOKUP_KEY_LENGTH])],
            ["token", "partner_id", "company_id"],
        )
        # In sudo mode because the caller is anonymous: the token is the only
        # credential.
        link_sudo = next(
            (link for link in candidates_sudo if consteq(link.token, token)), empty_sudo
        )
        # Only the fields the page reads, one query each: reading a field would fetch
        # every column of these wide tables, a good part of the page's cost.
        partner_sudo = link_sudo.partner_id
        partner_sudo.fetch(PAGE_PARTNER_FIELDS)
        company_sudo = link_sudo.company_id
        company_sudo.fetch(PAGE_COMPANY_FIELDS)
        if (
            not link_sudo
            or not partner_sudo.active
            or partner_sudo.commercial_partner_id.id != partner_sudo.id
            or not company_sudo.active
            # A customer restricted to another company is no longer one of this
            # company's: theirs must be this one or one of its parents (read from the
            # parent path: `parent_ids` would be computed).
            or (
                partner_sudo.company_id
                and str(partner_sudo.company_id.id)
                not in company_sudo.parent_path.split("/")
            )
        ):
            return empty_sudo
        return link_sudo

    # === PAGE DATA === #

    def _get_balance(self):
        """Return the customer's receivable balance in the link's company currency.

        This is the figure Odoo shows as the partner's Total Receivable (`credit`,
        computed by `res.partner._credit_debit_get`): the residual of posted,
        unreconciled receivable items of the link's company and its branches. Positive
        means the customer owes money, negative means the customer has credit. The same
        query, for one customer (`_get_balance_sql`): computing `credit` through the ORM
        costs more than the rest of the page's data.
        """
        self.ensure_one()
        self.env["account.move.line"].flush_model(
            [
                "account_id",
                "amount_residual",
                "company_id",
                "parent_state",
                "partner_id",
                "reconciled",
            ]
        )
        self.env["account.account"].flush_model(["account_type"])
        [(balance,)] = self.env.execute_query(self._get_balance_sql())
        return balance

    def _get_balance_sql(self):
        """Return the query of `_get_balance`, without flushing: an index-only scan of
        `paylink_aml_partner_residual_idx`, with or without the planner's statistics,
        as it reads one table and the index holds all it reads. The plan tests and
        `tools/bench_explain.py` EXPLAIN this very query.

        :rtype: odoo.tools.SQL
        """
        self.ensure_one()
        # The accounts and companies as arrays, which PostgreSQL reads first: the scan
        # of the index then has all three of its columns to search on. Joined instead,
        # the query took 1.15 ms against 0.72 ms for 10,000 open items. The index's
        # condition selects its items (its `amount_residual != 0` adds nothing to the
        # sum).
        return SQL(
            """
            SELECT COALESCE(SUM(line.amount_residual), 0)
              FROM account_move_line line
             WHERE line.partner_id = %(partner)s
               AND line.account_id = ANY(ARRAY(
                   SELECT id
                     FROM account_account
                    WHERE account_type = 'asset_receivable'
               ))
               AND line.company_id = ANY(%(companies)s)
               AND %(open_items)s
            """,
            partner=self.partner_id.id,
            companies=self._get_branches_sql(),
            open_items=SQL(OPEN_ITEMS_WHERE),
        )

    def _get_branches_sql(self):
        """Return an SQL array of the companies whose items make the customer's account
        with the link's company: its root company and all the root's branches.
        """
        self.env["res.company"].flush_model(["parent_path"])
        # The root is the first of the parent path: computing `root_id` would browse
        # every parent.
        root_path = self.company_id.parent_path.split("/", 1)[0]
        return SQL(
            "ARRAY(SELECT id FROM res_company WHERE parent_path LIKE %s)",
            f"{root_path}/%",
        )

    def _get_recent_lines(self, limit=RECENT_LINES_LIMIT):
        """Return the latest billing line items: product lines of posted customer
        invoices and credit notes of the link's company, newest first, as dicts of
        `invoice_date`, `name`, `move_name`, `product_id` and `currency_id` (ids),
        `price_subtotal`, `price_total` and `is_refund`.

        In SQL (`_get_recent_lines_sql`): through the ORM's search and records the same
        lines took half as long again.
        """
        self.ensure_one()
        self.env["account.move.line"].flush_model(
            [
                "company_id",
                "currency_id",
                "display_type",
                "invoice_date",
                "move_id",
                "move_name",
                "name",
                "parent_state",
                "partner_id",
                "price_subtotal",
                "price_total",
                "product_id",
                "sequence",
            ]
        )
        self.env["account.move"].flush_model(["move_type"])
        return self.env.execute_query_dict(self._get_recent_lines_sql(limit))

    def _get_recent_lines_sql(self, limit=RECENT_LINES_LIMIT):
        """Return the query of `_get_recent_lines`, without flushing. The plan tests and
        `tools/bench_explain.py` EXPLAIN this very query.

        It reads the customer's lines in the order of
        `paylink_aml_partner_recent_lines_idx`, whose columns are its whole ORDER BY,
        and stops after `limit` lines: no sort, whatever the history. The document
        type is read from the line's move by a scalar subquery, once per line read,
        rather than by a join: PostgreSQL cannot turn a scalar subquery into a join, so
        it cannot choose to read all the customer's lines first and sort them. Joined,
        that is what it chose on a database built through the ORM and never analyzed
        (it believed the moves a table of a few rows), for every line of the customer.

        :param int limit: How many lines, at most.
        :rtype: odoo.tools.SQL
        """
        self.ensure_one()
        move_type = SQL(
            "(SELECT move.move_type FROM account_move move"
            " WHERE move.id = line.move_id)"
        )
        return SQL(
            """
            SELECT line.invoice_date, line.name, line.move_name, line.product_id,
                   line.currency_id, line.price_subtotal, line.price_total,
                   %(move_type)s = 'out_refund' AS is_refund
              FROM account_move_line line
             WHERE line.partner_id = %(partner)s
               AND %(billing_lines)s
               AND %(move_type)s IN ('out_invoice', 'out_refund')
               AND line.company_id = ANY(%(companies)s)
          ORDER BY line.invoice_date DESC, line.move_id DESC, line.sequence, line.id
             LIMIT %(limit)s
            """,
            move_type=move_type,
            partner=self.partner_id.id,
            billing_lines=SQL(BILLING_LINES_WHERE),
            companies=self._get_branches_sql(),
            limit=limit,
        )

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

        format_amount = self._get_amount_formatter(lang_code)
        # Odoo's format_date, with the language's date format converted once for all the
        # lines.
        lang = get_lang(self.env, lang_code)
        locale = babel_locale_parse(lang.code)
        date_format = posix_to_ldml(lang.date_format, locale=locale)

        def format_date(value):
            return babel.dates.format_date(value, format=date_format, locale=locale)

        def fmt(amount, amount_currency=currency):
            return format_amount(amount, amount_currency)

        lines = []
        recent_lines = self._get_recent_lines()
        currencies = self.env["res.currency"].browse(
            {line["currency_id"] for line in recent_lines}
        )
        currency_by_id = {
            line_currency.id: line_currency for line_currency in currencies
        }
        # Lines without a label show their product's name, as on the invoice.
        products = self.env["product.product"].browse(
            {line["product_id"] for line in recent_lines if not line["name"]} - {None}
        )
        product_by_id = {product.id: product for product in products}
        for line in recent_lines:
            line_currency = currency_by_id[line["currency_id"]]
            sign = -1 if line["is_refund"] else 1
            subtotal = sign * line["price_subtotal"]
            tax = sign * (line["price_total"] - line["price_subtotal"])
            product = product_by_id.get(line["product_id"])
            lines.append(
                {
                    "date": line["invoice_date"] and format_date(line["invoice_date"]),
                    "description": line["name"]
                    or (product and product.display_name)
                    or "",
                    "reference": line["move_name"],
                    "amount": fmt(subtotal, line_currency),
                    "tax": fmt(tax, line_currency),
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

    @api.model
    def _get_amount_formatter(self, lang_code):
        """Return a function formatting an amount in a currency exactly like Odoo's
        `format_amount` in `lang_code`. That one looks the language up and parses its
        digit grouping at every call: for the ~50 amounts of a page, a third of the
        render. Here the language is read once.

        :param str lang_code: The language to format for.
        :return: A function `(amount, currency) -> str`.
        """
        lang = get_lang(self.env, lang_code)
        grouping = ast.literal_eval(lang.grouping)
        thousands_sep, decimal_point = lang.thousands_sep or "", lang.decimal_point
        # Each currency's settings, read once: a page formats ~50 amounts, mostly in one
        # currency, and each read of a record's field goes through the ORM.
        settings_by_currency = {}

        def format_amount(amount, currency):
            settings = settings_by_currency.get(currency.id)
            if settings is None:
                settings = settings_by_currency[currency.id] = (
                    currency.decimal_places,
                    currency.rounding,
                    currency.symbol or "",
                    currency.position,
                )
            decimal_places, rounding, symbol, position = settings
            rounded = float_round(amount, precision_rounding=rounding)
            digits = f"%.{decimal_places}f" % rounded
            parts = digits.split(".")
            parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
            number = (
                decimal_point.join(parts)
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            if position == "before":
                return f"{symbol}\N{NO-BREAK SPACE}{number}"
            return f"{number}\N{NO-BREAK SPACE}{symbol}"

        return format_amount

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
        first:
        the documents a payment through the link settles."""
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

    def _lock_for_payment(self):
        """Serialize the payments of this link, until the transaction ends.

        Writing the row (not just locking it) matters under Odoo's repeatable-read
        transactions: a concurrent submit waits here, then fails to serialize and is
        retried by Odoo with a fresh snapshot, which sees the transaction the first one
        created (reused or refused) instead of charging the balance again.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE paylink_link SET write_date = (now() AT TIME ZONE 'UTC') "
                "WHERE id = %s",
                self.id,
            )
        )

    def _get_transactions_in_progress(self):
        """Return this link's payments that may still charge the customer, newest first:
        a new payment must reuse or wait for them, so that one balance is charged once.

        A transaction counts while it is draft, pending or authorized, or done at the
        provider but not yet post-processed (the balance does not show it yet), for
        `IN_PROGRESS_WINDOW`.
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

    def _get_payment_amounts(self, tip_percent, page_values=None):
        """Return what a payment with `tip_percent` must charge now, from current data.

        :param int tip_percent: One of `TIP_PERCENTAGES`.
        :param dict page_values: `_get_page_values()`, when the caller just read them:
            the figures are then not read again.
        :return: The page values (with their `fingerprint`), `tip` and `amount` (balance
            + tip).
        :rtype: dict
        """
        self.ensure_one()
        values = page_values or self._get_page_values()
        tip = self._compute_tip(values["balance"], tip_percent)
        return {**values, "tip": tip, "amount": values["balance"] + tip}

    # === SMS REMINDERS === #

    @api.model
    def _cron_send_sms_reminders(self):
        """Text a payment reminder with the link to each customer who owes more than the
        company's minimum, consented to reminders for their current, valid,
        non-blacklisted
        number, and was not reminded within the interval nor more than the maximum."""
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
        """Return the number to remind this link's customer at, or False when they must
        not be.

        :param recordset consent: The customer's current `paylink.sms.consent`, maybe
            empty.
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
        that fails
        half-way sends nothing twice."""
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
        """Post the demo customers' invoices, credit notes and payments, and give each a
        link.

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
        # Outstanding: four months of charges (28 line items), the oldest invoice partly
        # paid.
        invoices = [
            post_move(outstanding, 30 * month + 5, services)
            for month in range(3, -1, -1)
        ]
        pay(invoices[0], 100.0)
        for partner in (all_set, credit, outstanding):
            partner.action_paylink_generate()
