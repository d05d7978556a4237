# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import re
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, consteq, format_amount
from odoo.tools.image import image_data_uri

from ..compat import PARTNER_NUMBER_FIELDS, QR_WITH_MARGIN, sql_constraint
from ..exceptions import PaylinkRequestError

# 32 random bytes: 256 bits, URL-safe base64 without padding.
TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# The first characters of a token select the row through an index; the whole token is
# then compared in constant time, so response times never depend on how much of a guess
# was right.
LOOKUP_KEY_LENGTH = 16
TIP_PERCENTAGES = (0, 18, 20, 25)
# The QR code of a link on the customer form, in pixels: scanned off a screen.
QR_CODE_SIZE = 300
# A payment younger than this that may still charge the customer blocks another one.
IN_PROGRESS_WINDOW = timedelta(minutes=10)
# The fields of the customer and company that the link lookup checks and the page
# displays.
PAGE_PARTNER_FIELDS = [
    "active",
    "commercial_partner_id",
    "company_id",
    "lang",
    "name",
    "paylink_sms_consent_state",
    *PARTNER_NUMBER_FIELDS,
]
PAGE_COMPANY_FIELDS = [
    "active",
    "currency_id",
    "name",
    "parent_path",
    "partner_id",
    "paylink_partial_min_amount",
    "paylink_rating_enabled",
    "paylink_autopay_enabled",
    "paylink_autopay_threshold",
    "paylink_review_url",
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

    _token_unique = sql_constraint(
        "UNIQUE(token)", "A payment link token must be unique."
    )
    _partner_company_unique = sql_constraint(
        "UNIQUE(partner_id, company_id)",
        "A customer has one payment link per company.",
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
    def _get_for_partners(self, partners, company):
        """Return the links of these customers in `company`: one per commercial entity,
        which holds the account and so the link.

        :param recordset partners: `res.partner` records, contacts or companies.
        :param recordset company: The company.
        :rtype: recordset of `paylink.link`
        """
        return self.search(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids),
                ("company_id", "=", company.id),
            ]
        )

    @api.model
    def _generate_for(self, partners, company):
        """Generate the payment link of each customer's commercial entity in `company`,
        or replace its token when it has one: the previous link then stops working at
        once. Each is noted in the customer's chatter.

        :param recordset partners: `res.partner` records.
        :param recordset company: The company.
        :return: The links.
        :rtype: recordset of `paylink.link`
        """
        links = self._get_for_partners(partners, company)
        link_by_partner = {link.partner_id: link for link in links}
        for commercial_partner in partners.commercial_partner_id:
            link = link_by_partner.get(commercial_partner)
            if link:
                link._regenerate_token()
                body = self.env._(
                    "Payment link regenerated for %(company)s. The previous link no"
                    " longer works.",
                    company=company.name,
                )
            else:
                links |= self.create(
                    {"partner_id": commercial_partner.id, "company_id": company.id}
                )
                body = self.env._(
                    "Payment link generated for %(company)s.", company=company.name
                )
            commercial_partner._message_log(body=body)
        return links

    def _get_qr_code(self):
        """Return the link as a QR code, for the customer form (`_make_qr_code`).

        :rtype: str
        """
        self.ensure_one()
        return self._make_qr_code(self.url)

    @api.model
    def _make_qr_code(self, url, size=QR_CODE_SIZE):
        """Return `url` as a QR code: a PNG image of `size` pixels, as a data URI, made
        by Odoo's barcode helper, with the white margin scanners need. The customer form
        and the printed documents (`paylink_qr_block`) show it.

        :rtype: str
        """
        return image_data_uri(
            base64.b64encode(
                self.env["ir.actions.report"].barcode(
                    "QR", url, width=size, height=size, **QR_WITH_MARGIN
                )
            )
        )

    @api.model
    def _get_link_sudo(self, token):
        """Return the live link proven by `token` (see `_is_live`), in sudo mode, or an
        empty recordset.

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
        if not link_sudo or not link_sudo._is_live():
            return empty_sudo
        return link_sudo

    def _is_live(self):
        """Return whether the link works: its customer and company are active, the
        customer is still its own commercial entity (a contact moved under a company
        must not keep showing its own, now empty, account) and the customer is not
        restricted to another company. The page's lookup and the QR code printed on
        invoices both ask here.

        :rtype: bool
        """
        self.ensure_one()
        partner = self.partner_id
        company = self.company_id
        return bool(
            partner.active
            and partner.commercial_partner_id.id == partner.id
            and company.active
            # A customer restricted to another company is no longer one of this
            # company's: theirs must be this one or one of its parents (read from the
            # parent path: `parent_ids` would be computed).
            and (
                not partner.company_id
                or str(partner.company_id.id) in company.parent_path.split("/")
            )
        )

    # === ACCOUNT === #

    def _get_account_summary(self, currency_name=None, currency=None):
        """Return the figures of the customer's account with the link's company
        (`paylink.ledger._get_summary`): what the page shows and a payment charges.

        :param str currency_name: The ISO code of the currency to read the account in
            (see `paylink.ledger._get_summary`).
        :param recordset currency: The currency to read it in even without a balance.
        :rtype: dict
        """
        self.ensure_one()
        return self.env["paylink.ledger"]._get_summary(
            self.partner_id,
            self.company_id,
            currency_name=currency_name,
            currency=currency,
        )

    def _get_tip_options(self, amount, currency=None):
        """Return the tip options of a payment of `amount`: dicts of `percent`, `tip`
        and `total`, in the order of `TIP_PERCENTAGES` (no tip first).

        :param float amount: What the payment settles, before the tip.
        :param recordset currency: The payment's currency; the company's by default.
        :rtype: list
        """
        self.ensure_one()
        return [
            {
                "percent": percent,
                "tip": (tip := self._compute_tip(amount, percent, currency)),
                "total": amount + tip,
            }
            for percent in TIP_PERCENTAGES
        ]

    def _compute_tip(self, amount, percent, currency=None):
        """Return the tip for `percent` of `amount`, rounded in the payment's currency.

        :param float amount: What the payment settles, before the tip.
        :param int percent: One of `TIP_PERCENTAGES`.
        :param recordset currency: The payment's currency; the company's by default.
        :return: The tip amount.
        :rtype: float
        """
        self.ensure_one()
        if percent not in TIP_PERCENTAGES:
            raise ValueError(f"Unsupported tip percentage: {percent!r}")
        return (currency or self.company_id.currency_id).round(amount * percent / 100)

    # === RATING === #

    def _get_rating_target(self):
        """Return what the customer's rating is of: their latest posted invoice of the
        link's company, or the customer when there is none. One rating per invoice."""
        self.ensure_one()
        invoice = self.env["account.move"].search(
            self.env["paylink.ledger"]._get_documents_domain(
                self.partner_id, self.company_id, ("out_invoice",)
            ),
            order="invoice_date desc, id desc",
            limit=1,
        )
        return invoice or self.partner_id

    def _get_rating(self, target=None):
        """Return the customer's rating of `target` (`_get_rating_target`), if any."""
        self.ensure_one()
        target = target or self._get_rating_target()
        return self.env["rating.rating"].search(
            [
                ("res_model", "=", target._name),
                ("res_id", "=", target.id),
                ("partner_id", "=", self.partner_id.id),
                ("consumed", "=", True),
            ],
            limit=1,
        )

    def _set_rating(self, value, feedback):
        """Record the customer's rating of their latest invoice, or change the one they
        gave it, as an Odoo rating on the customer.

        :param int value: From 1 to 5 stars.
        :param str feedback: The comment, maybe empty.
        :return: The `rating.rating` record.
        """
        self.ensure_one()
        if value not in range(1, 6):
            raise ValueError(f"Unsupported rating: {value!r}")
        target = self._get_rating_target()
        rating = self._get_rating(target)
        values = {"rating": value, "feedback": feedback or False, "consumed": True}
        if rating:
            rating.write(values)
            return rating
        return self.env["rating.rating"].create(
            {
                **values,
                "res_model_id": self.env["ir.model"]._get_id(target._name),
                "res_id": target.id,
                "partner_id": self.partner_id.id,
            }
        )

    # === DOCUMENTS === #

    @api.model
    def _get_printed_url(self, partner, company):
        """Return the URL to print as a QR code on the customer's documents of the
        company (invoices, statements), or False: the customer's live link in that
        company, when the company prints them (`paylink_qr_on_invoices`).

        :rtype: str or bool
        """
        if not company.paylink_qr_on_invoices:
            return False
        # In sudo mode to read the link's token: whoever may print the customer's
        # documents (the customer too, on the portal or the link) may see the link to
        # pay them.
        link_sudo = self.sudo()._get_for_partners(partner, company)
        return bool(link_sudo) and link_sudo._is_live() and link_sudo.url

    def _get_document(self, document_id):
        """Return the posted invoice or credit note `document_id` of the link's customer
        with the link's company (or one of its branches), or an empty recordset for any
        other id: a draft, another customer's or another company's document.

        :param int document_id: The `account.move` id, already cast.
        :rtype: recordset of `account.move`
        """
        self.ensure_one()
        if not document_id:
            return self.env["account.move"]
        return self.env["account.move"].search(
            [("id", "=", document_id)]
            + self.env["paylink.ledger"]._get_documents_domain(
                self.partner_id, self.company_id, ("out_invoice", "out_refund")
            ),
            limit=1,
        )

    def _get_receipt_payment(self, transaction_id):
        """Return the payment recorded for the link's transaction `transaction_id`, or
        an empty recordset for any other id: another link's transaction, or one that
        did not go through.

        :param int transaction_id: The `payment.transaction` id, already cast.
        :rtype: recordset of `account.payment`
        """
        self.ensure_one()
        if not transaction_id:
            return self.env["account.payment"]
        transaction = self.env["payment.transaction"].search(
            [
                ("id", "=", transaction_id),
                ("paylink_id", "=", self.id),
                ("state", "=", "done"),
                ("payment_id", "!=", False),
            ],
            limit=1,
        )
        return transaction.payment_id

    # === PAYMENT === #

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

    def _get_payment_amounts(
        self,
        tip_percent,
        summary=None,
        amount=None,
        invoice_ids=None,
        due_now=False,
        currency_name=None,
    ):
        """Return what a payment with `tip_percent` must charge now, from current data:
        what settles the whole balance, what is due now (`due_now`), or part of the
        balance (`amount`, applied to the open invoices oldest due first, or the
        invoices `invoice_ids` in full). An invoice paid in full within its
        early-payment discount's period is paid its discounted amount.

        :param int tip_percent: One of `TIP_PERCENTAGES`.
        :param dict summary: `_get_account_summary()`, when the caller just read it:
            the figures are then not read again.
        :param float amount: The part of the balance to pay, already parsed.
        :param list invoice_ids: The ids of the invoices to pay in full.
        :param bool due_now: Whether to pay what is due now (the overdue and current
            instalments, `summary['due_now']`) rather than the whole balance.
        :param str currency_name: The ISO code of the balance's currency, when the
            customer chose one: refused unless it is the summary's.
        :return: `summary` (with its `fingerprint`), `currency`, `mode` ('balance',
            'due', 'amount' or 'invoices'), `pay_amount` (what goes to the account),
            `allocation` (dicts of `id`, `name`, `amount`, `full` and `discount`, the
            invoices the payment settles, in order, empty for the whole balance),
            `unallocated` (what no listed invoice takes), `discounts` (the
            early-payment discounts the payment takes, as `[invoice id, discount]`
            pairs), `discount` (their sum), `tip` (on `pay_amount`) and `amount`
            (`pay_amount` + tip).
        :rtype: dict
        :raise PaylinkRequestError: When the part asked for cannot be paid.
        """
        self.ensure_one()
        summary = summary or self._get_account_summary(currency_name)
        currency = summary["currency"]
        if currency_name and currency.name != currency_name:
            raise PaylinkRequestError(
                self.env._("There is no balance to pay in this currency.")
            )
        if (
            summary["state"] != "outstanding"
            or currency.compare_amounts(summary["amount_to_settle"], 0) <= 0
        ):
            raise PaylinkRequestError(
                self.env._("There is nothing left to pay on this account."), status=409
            )
        if sum(bool(part) for part in (amount is not None, invoice_ids, due_now)) > 1:
            raise PaylinkRequestError(
                self.env._("Choose either an amount or invoices to pay, not both.")
            )
        if invoice_ids:
            mode = "invoices"
            pay_amount, chosen = self._get_invoices_part(summary, invoice_ids)
            cap = "amount_to_settle"
        elif amount is not None:
            pay_amount = self._get_amount_part(summary, amount)
            mode = (
                "balance"
                if currency.is_zero(pay_amount - summary["amount_to_settle"])
                else "amount"
            )
            chosen, cap = self._get_payable_invoices(summary), "amount_to_settle"
        elif due_now:
            pay_amount = summary["due_now"]
            if currency.compare_amounts(pay_amount, 0) <= 0:
                raise PaylinkRequestError(
                    self.env._("Nothing is due now on this account."), status=409
                )
            mode = (
                "balance"
                if currency.is_zero(pay_amount - summary["amount_to_settle"])
                else "due"
            )
            chosen, cap = self._get_payable_invoices(summary), "due_now"
        else:
            mode, pay_amount = "balance", summary["amount_to_settle"]
        if mode == "balance":
            # Settles the open items as Odoo would (see payment.transaction), each
            # open discount taken.
            allocation, unallocated = [], 0.0
            discounts = [
                [document["id"], document["discount"]]
                for document in self._get_payable_invoices(summary)
                if document["discount"]
            ]
        else:
            allocation, unallocated = self._allocate(currency, pay_amount, chosen, cap)
            discounts = [
                [part["id"], part["discount"]]
                for part in allocation
                if part["discount"]
            ]
        tip = self._compute_tip(pay_amount, tip_percent, currency)
        return {
            "summary": summary,
            "fingerprint": summary["fingerprint"],
            "currency": currency,
            "mode": mode,
            "pay_amount": pay_amount,
            "allocation": allocation,
            "unallocated": unallocated,
            "discounts": discounts,
            "discount": currency.round(sum(discount for _id, discount in discounts)),
            "tip": tip,
            "amount": pay_amount + tip,
        }

    @api.model
    def _get_payable_invoices(self, summary):
        """Return the open invoices of `summary` a payment can settle, oldest due
        first: not the credit notes."""
        return [
            document
            for document in summary["documents"]
            if not document["is_refund"] and document["amount_residual"] > 0
        ]

    def _get_invoices_part(self, summary, invoice_ids):
        """Return what paying the invoices `invoice_ids` in full comes to, and those
        invoices, oldest due first whatever order they were ticked in.

        :rtype: tuple
        :raise PaylinkRequestError: For an invoice that is not open (409: a foreign
            id reads as a stale one) or a choice above the balance.
        """
        by_id = {
            invoice["id"]: invoice for invoice in self._get_payable_invoices(summary)
        }
        if len(set(invoice_ids)) != len(invoice_ids) or not all(
            invoice_id in by_id for invoice_id in invoice_ids
        ):
            raise PaylinkRequestError(
                self.env._(
                    "One of the invoices you chose is no longer open. Please review"
                    " your account and choose again."
                ),
                status=409,
            )
        chosen = [invoice for invoice in by_id.values() if invoice["id"] in invoice_ids]
        currency = summary["currency"]
        pay_amount = currency.round(
            sum(invoice["amount_to_settle"] for invoice in chosen)
        )
        if currency.compare_amounts(pay_amount, summary["amount_to_settle"]) > 0:
            raise PaylinkRequestError(
                self.env._(
                    "The invoices you chose come to more than your balance, as your"
                    " account has credit. Please pay the balance or an amount instead."
                )
            )
        return pay_amount, chosen

    def _get_amount_part(self, summary, amount):
        """Return `amount` rounded, once checked against what the company accepts: from
        its minimum (or the balance, when lower) to the balance.

        :raise PaylinkRequestError: For an amount out of that range.
        """
        currency = summary["currency"]
        balance = summary["balance"]
        pay_amount = currency.round(amount)
        minimum = min(self._get_part_min_amount(currency), balance)
        if (
            currency.compare_amounts(pay_amount, minimum) < 0
            or currency.compare_amounts(pay_amount, balance) > 0
        ):
            raise PaylinkRequestError(
                self.env._(
                    "Please enter an amount from %(minimum)s to %(balance)s.",
                    minimum=format_amount(self.env, minimum, currency),
                    balance=format_amount(self.env, balance, currency),
                )
            )
        return pay_amount

    def _get_part_min_amount(self, currency):
        """Return the company's minimum part payment in `currency`: converted from
        the company currency at today's rate, for a balance in another currency."""
        self.ensure_one()
        company = self.company_id
        minimum = company.paylink_partial_min_amount
        if currency == company.currency_id:
            return minimum
        return company.currency_id._convert(
            minimum, currency, company, fields.Date.context_today(self)
        )

    @api.model
    def _allocate(self, currency, pay_amount, invoices, cap="amount_to_settle"):
        """Return how `pay_amount` settles `invoices`, in their order: dicts of `id`,
        `name`, `amount`, `full` and `discount`, and what no invoice takes.

        Each invoice takes up to its `cap`: what settles it (`amount_to_settle`, its
        residual less an open early-payment discount) or what is due now on it
        (`due_now`). Its discount is taken only when it is settled in full.

        :rtype: tuple
        """
        allocation = []
        unallocated = pay_amount
        for invoice in invoices:
            if currency.is_zero(unallocated):
                break
            if currency.compare_amounts(invoice[cap], 0) <= 0:
                continue
            applied = min(invoice[cap], unallocated)
            full = currency.is_zero(invoice["amount_to_settle"] - applied)
            allocation.append(
                {
                    "id": invoice["id"],
                    "name": invoice["name"],
                    "amount": applied,
                    "full": full,
                    "discount": invoice["discount"] if full else 0.0,
                }
            )
            unallocated = currency.round(unallocated - applied)
        return allocation, unallocated
