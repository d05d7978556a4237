# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import hashlib
import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .account_move import OPEN_DOCUMENTS_WHERE
from .account_move_line import BILLING_LINES_WHERE, OPEN_ITEMS_WHERE

RECENT_LINES_LIMIT = 20
# Whether an open document's payment terms may make what is due differ from its
# residual (an early-payment discount, or several instalments): only those are read
# through the ORM (`PaylinkLedger._set_payment_terms`). Per document of the page, on
# indexes (the term's id, the lines' move).
HAS_TERMS_SQL = """(
    COALESCE((SELECT term.early_discount FROM account_payment_term term
               WHERE term.id = move.invoice_payment_term_id), FALSE)
    OR (SELECT COUNT(*) FROM account_move_line term_line
         WHERE term_line.move_id = move.id
           AND term_line.display_type = 'payment_term') > 1
)"""
OPEN_DOCUMENTS_LIMIT = 50
# The longest period a statement covers by default.
STATEMENT_DEFAULT_MONTHS = 12
# The ageing buckets of a statement: days past due, from (inclusive) and to (inclusive,
# None for no end). "Current" is not due yet (or due today).
AGEING_BUCKETS = (
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)


class PaylinkLedger(models.AbstractModel):
    """A customer's account with a company, read from the journal: the one place the
    payment page, its refresh, the payment routes, the statement and the reminders read
    the balance, the billing lines and the open invoices from.

    A customer's account with a company holds the items of the company's root and all
    its branches, as Odoo's Total Receivable (`res.partner.credit`) does. Every method
    reads as the caller's environment allows: the public routes call it with the link
    their token proved, in sudo mode.
    """

    _name = "paylink.ledger"
    _description = "Customer Payment Link Ledger"

    @api.model
    def _get_summary(self, partner, company, currency_name=None, currency=None):
        """Return the customer's account with the company as figures (amounts, ids,
        dates, currencies; no text made for display): the one reading of the account
        that the payment page, its refresh, the payment step, the payment and the
        automatic charges share, so that each amount is computed once, in the
        currency's rounding.

        The account is read in one currency at a time, as Odoo's portal and Register
        Payment pay an invoice in its own currency: the balance and the open
        documents are those of the currency `currency_name` names, when the customer
        has a balance in it; else of the first currency the customer owes in (the
        company currency first), else of the first balance, else the company
        currency. A customer with one currency is read in that currency. The
        balances in every currency are in `currencies`.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param str currency_name: The ISO code of the currency to read the account in,
            as the customer asked.
        :param recordset currency: The currency to read the account in even without
            a balance in it (that of a payment just made), as the caller knows it.
        :return: `currency`, `balance` (in that currency, positive when the customer
            owes money), `state` ('all_set', 'credit' or 'outstanding'), `discount`
            (the early-payment discounts open today) and `discount_date` (the first of
            their last days), `amount_to_settle` (what settles the account today: the
            balance less the discounts), `due_now` (what is due now:
            `amount_to_settle` less the instalments due later; 0.0 unless
            outstanding), `currencies` (the balance in each currency,
            `_get_currency_balances`, each with its `state`), `lines` (the latest
            billing lines, in every currency, `_get_summary_lines`), `documents` (the
            open invoices and credit notes in the currency, `_get_open_documents`,
            each with `is_refund` and what its payment terms make of it,
            `_set_payment_terms`), `documents_more` (how many more are open) and
            `fingerprint` (`_get_fingerprint`).
        :rtype: dict
        """
        currencies = self._get_currency_balances(partner, company)
        for entry in currencies:
            entry["state"] = self._get_state(entry["currency"], entry["balance"])
        selected = self._select_currency(
            currencies, currency.name if currency else currency_name
        )
        if currency and (not selected or selected["currency"] != currency):
            selected = {"currency": currency, "balance": 0.0}
        currency = selected["currency"] if selected else company.currency_id
        balance = selected["balance"] if selected else 0.0
        state = self._get_state(currency, balance)
        lines = self._get_summary_lines(partner, company)
        documents, documents_count = self._get_open_documents(
            partner, company, currency=currency
        )
        return {
            "currency": currency,
            "balance": balance,
            "state": state,
            **self._get_amounts_due(balance, documents, company, currency),
            "currencies": currencies,
            "lines": lines,
            "documents": documents,
            "documents_more": documents_count - len(documents),
            "fingerprint": self._get_fingerprint(
                state, balance, currency, lines, documents
            ),
        }

    @api.model
    def _get_state(self, currency, balance):
        """Return the state of a balance: 'all_set', 'credit' or 'outstanding'."""
        if currency.is_zero(balance):
            return "all_set"
        return "credit" if balance < 0 else "outstanding"

    @api.model
    def _select_currency(self, currencies, currency_name=None):
        """Return the entry of `currencies` (`_get_currency_balances`, with their
        `state`) the account is read in (see `_get_summary`); None when there is
        none."""
        return (
            next((c for c in currencies if c["currency"].name == currency_name), None)
            or next((c for c in currencies if c["state"] == "outstanding"), None)
            or next(iter(currencies), None)
        )

    @api.model
    def _get_due_now(self, partner, company, balance=None, currency=None):
        """Return what the customer must pay now in `currency` (`_get_summary`'s
        `due_now`), without the rest of the summary: what the reminders speak of.

        :param float balance: The balance in `currency`, when the caller just read it
            (`_get_currency_balances()`).
        :param recordset currency: The currency; the company currency by default.
        :rtype: float
        """
        currency = currency or company.currency_id
        if balance is None:
            balance = next(
                (
                    entry["balance"]
                    for entry in self._get_currency_balances(partner, company)
                    if entry["currency"] == currency
                ),
                0.0,
            )
        balance = currency.round(balance)
        documents, _count = self._get_open_documents(
            partner, company, currency=currency
        )
        return self._get_amounts_due(balance, documents, company, currency)["due_now"]

    @api.model
    def _get_due_now_by_currency(self, partner, company, balances=None):
        """Return what the customer must pay now in each currency they owe in
        (`_get_due_now` of each balance): what the reminders ask for.

        :param list balances: `_get_currency_balances()`, when the caller just read
            them.
        :return: `(currency, due_now)` pairs, with something due now, in the order of
            the balances (the company currency first).
        :rtype: list
        """
        if balances is None:
            balances = self._get_currency_balances(partner, company)
        due = []
        for entry in balances:
            currency = entry["currency"]
            if currency.compare_amounts(entry["balance"], 0) <= 0:
                continue  # Nothing owed in it: nothing due (see `_get_amounts_due`).
            due_now = self._get_due_now(
                partner, company, balance=entry["balance"], currency=currency
            )
            if currency.compare_amounts(due_now, 0) > 0:
                due.append((currency, due_now))
        return due

    @api.model
    def _to_company_currency(self, amount, currency, company):
        """Return `amount` in `currency` converted to the company currency at today's
        rate (`res.currency._convert`): what it is worth to the company now, to compare
        with the company's thresholds (the reminders' minimum, autopay's threshold).
        An amount in the company currency is returned as it is.

        :rtype: float
        """
        company_currency = company.currency_id
        if currency == company_currency:
            return amount
        return currency._convert(
            amount, company_currency, company, self._get_today(company)
        )

    @api.model
    def _get_amounts_due(self, balance, documents, company, currency):
        """Return what the payment terms of the open `documents` make of `balance`
        today, in `currency` (`_set_payment_terms`, which completes `documents`):
        `discount`, `discount_date`, `amount_to_settle` and `due_now` (see
        `_get_summary`).

        :rtype: dict
        """
        later = self._set_payment_terms(documents, company, currency)
        discount = currency.round(sum(document["discount"] for document in documents))
        owes = currency.compare_amounts(balance, 0) > 0
        if owes and currency.compare_amounts(balance - discount, 0) <= 0:
            # Credits that are not applied (an unmatched payment, a credit note)
            # leave less to pay than the discounts: no payment can take them, the
            # balance settles the account.
            discount = 0.0
            for document in documents:
                if document["discount"]:
                    document.update(
                        {
                            "discount": 0.0,
                            "discount_date": None,
                            "amount_to_settle": document["amount_residual"],
                            "due_now": document["amount_residual"],
                        }
                    )
        amount_to_settle = currency.round(balance - discount)
        due_now = currency.round(amount_to_settle - later)
        if not owes or due_now < 0:
            due_now = 0.0
        return {
            "discount": discount,
            "discount_date": min(
                (d["discount_date"] for d in documents if d["discount_date"]),
                default=None,
            ),
            "amount_to_settle": amount_to_settle,
            "due_now": due_now,
        }

    @api.model
    def _set_payment_terms(self, documents, company, currency):
        """Add to each open document what its payment terms make of it today, as
        Odoo's own portal and Register Payment count it
        (`account.move.line._get_installments_data`, paid in its own currency,
        `currency`):

        - `discount`: the early-payment discount still open (0.0 when none), and
          `discount_date`, its last day (None);
        - `amount_to_settle`: what settles the document in full today (its residual
          less the discount);
        - `due_now`: what is due now: the discounted amount; for an invoice in
          several instalments, the overdue ones, or when none is, the next one (what
          Register Payment proposes and Odoo's portal offers); else the residual;
        - `installment`: for an invoice in several instalments, the next one to pay,
          a dict of `number`, `count`, `date` and `amount` (None otherwise).

        Only the invoices whose term has a discount or several instalments (flagged by
        `_get_open_documents`) are read through the ORM: the others cost nothing more.
        Their instalments and discount are read in the document's currency (the
        `*_currency` amounts of `_get_installments_data`; the others are in the
        company currency).

        :param list documents: `_get_open_documents()` in `currency`, completed in
            place.
        :param recordset company: The link's company.
        :param recordset currency: The documents' currency.
        :return: What the instalments not yet due (after the current one) come to.
        :rtype: float
        """
        today = None  # Read for the first document that needs it.
        later = 0.0
        for document in documents:
            flagged = document.pop("has_terms")
            document.update(
                {
                    "discount": 0.0,
                    "discount_date": None,
                    "amount_to_settle": document["amount_residual"],
                    "due_now": document["amount_residual"],
                    "installment": None,
                }
            )
            if not flagged or document["move_type"] != "out_invoice":
                continue
            today = today or self._get_today(company)
            move = self.env["account.move"].browse(document["id"])
            term_lines = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            )
            installments = term_lines._get_installments_data(
                payment_currency=currency, payment_date=today
            )
            open_installments = [i for i in installments if not i["reconciled"]]
            epd = next(
                (i for i in open_installments if i["type"] == "early_payment_discount"),
                None,
            )
            if epd:
                discount = currency.round(
                    -move.direction_sign * epd["discount_amount_currency"]
                )
                document.update(
                    {
                        "discount": discount,
                        "discount_date": epd["line"].discount_date,
                        "amount_to_settle": currency.round(
                            document["amount_residual"] - discount
                        ),
                        "due_now": currency.round(
                            document["amount_residual"] - discount
                        ),
                    }
                )
            elif len(installments) > 1 and open_installments:
                # As Register Payment proposes by default (its `amount_by_default`)
                # and Odoo's portal offers: the overdue instalments, else the next.
                overdue = [i for i in open_installments if i["type"] == "overdue"]
                due = overdue or [open_installments[0]]
                not_due = currency.round(
                    document["amount_residual"]
                    - sum(i["amount_residual_currency_unsigned"] for i in due)
                )
                later += not_due
                following = open_installments[0]
                document.update(
                    {
                        # Its due date is its last instalment's: an earlier one may
                        # be overdue.
                        "overdue": document["overdue"] or bool(overdue),
                        "due_now": currency.round(
                            document["amount_residual"] - not_due
                        ),
                        "installment": {
                            "number": following["number"],
                            "count": len(installments),
                            "date": following["date_maturity"],
                            "amount": currency.round(
                                following["amount_residual_currency_unsigned"]
                            ),
                        },
                    }
                )
        return currency.round(later)

    @api.model
    def _get_summary_lines(self, partner, company):
        """Return the latest billing lines (`_get_recent_lines`) as the summary holds
        them: dicts of `id`, `date`, `description` (the line's label, or its product's
        name as on the invoice), `reference`, `currency`, `subtotal` and `tax`, signed
        as on the account (a credit note's lower it).

        :rtype: list
        """
        recent_lines = self._get_recent_lines(partner, company)
        currencies = self.env["res.currency"].browse(
            {line["currency_id"] for line in recent_lines}
        )
        currency_by_id = {currency.id: currency for currency in currencies}
        products = self.env["product.product"].browse(
            {line["product_id"] for line in recent_lines if not line["name"]} - {None}
        )
        product_by_id = {product.id: product for product in products}
        lines = []
        for line in recent_lines:
            sign = -1 if line["is_refund"] else 1
            product = product_by_id.get(line["product_id"])
            lines.append(
                {
                    "id": line["id"],
                    "date": line["invoice_date"],
                    "description": line["name"]
                    or (product and product.display_name)
                    or "",
                    "reference": line["move_name"],
                    "currency": currency_by_id[line["currency_id"]],
                    "subtotal": sign * line["price_subtotal"],
                    "tax": sign * (line["price_total"] - line["price_subtotal"]),
                }
            )
        return lines

    @api.model
    def _get_fingerprint(self, state, balance, currency, lines, documents):
        """Return a digest of the figures a customer confirms by paying: the balance,
        its currency, the ids and amounts of the lines shown and of the open documents
        a payment is applied to. A payment is refused when they changed since the
        customer saw them; the page refreshes when they do.

        :rtype: str
        """
        figures = [
            state,
            currency.id,
            balance,
            [
                [line["id"], line["currency"].id, line["subtotal"], line["tax"]]
                for line in lines
            ],
            [
                [
                    document["id"],
                    document["amount_residual"],
                    document["amount_to_settle"],
                    document["due_now"],
                ]
                for document in documents
            ],
        ]
        return hashlib.sha256(json.dumps(figures).encode()).hexdigest()[:32]

    @api.model
    def _get_balance(self, partner, company):
        """Return the customer's receivable balance in the company currency.

        This is the figure Odoo shows as the partner's Total Receivable (`credit`,
        computed by `res.partner._credit_debit_get`): the residual of posted,
        unreconciled receivable items of the company and its branches. Positive means
        the customer owes money, negative means the customer has credit. The same
        query, for one customer (`_get_balance_sql`): computing `credit` through the ORM
        costs more than the rest of the page's data.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :rtype: float
        """
        self.env["account.move.line"].flush_model(
            [
                "account_id",
                "amount_residual",
                "amount_residual_currency",
                "company_id",
                "parent_state",
                "partner_id",
                "reconciled",
            ]
        )
        self.env["account.account"].flush_model(["account_type"])
        [(balance,)] = self.env.execute_query(self._get_balance_sql(partner, company))
        return balance

    @api.model
    def _get_currency_balances(self, partner, company):
        """Return the customer's balance in each currency of their open receivable
        items, as the accountant reads it: per currency, the sum of the items'
        residuals in that currency (`amount_residual_currency`, which Odoo keeps equal
        to `amount_residual` for an item in the company currency). An invoice in
        another currency is owed, and paid, in its own currency, as Odoo's portal and
        Register Payment pay it.

        The items are those of the balance (`_get_balance`) and of the statement
        (`_get_receivable_items_where`), open (`OPEN_ITEMS_WHERE`), read from the
        balance's index alone (`_get_currency_balances_sql`).

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :return: dicts of `currency` (a `res.currency` record), `balance` (in that
            currency, positive when the customer owes money) and `balance_company`
            (the same items' residual in the company currency: the balances'
            `balance_company` add up to `_get_balance`), the company currency first,
            then by currency name; a currency whose items net to zero in both is left
            out.
        :rtype: list
        """
        self.env["account.move.line"].flush_model(
            [
                "account_id",
                "amount_residual",
                "amount_residual_currency",
                "company_id",
                "currency_id",
                "parent_state",
                "partner_id",
                "reconciled",
            ]
        )
        self.env["account.account"].flush_model(["account_type"])
        rows = self.env.execute_query(self._get_currency_balances_sql(partner, company))
        company_currency = company.currency_id
        balances = []
        for currency_id, balance, balance_company in rows:
            currency = self.env["res.currency"].browse(currency_id)
            balance = currency.round(balance)
            balance_company = company_currency.round(balance_company)
            if currency.is_zero(balance) and company_currency.is_zero(balance_company):
                continue
            balances.append(
                {
                    "currency": currency,
                    "balance": balance,
                    "balance_company": balance_company,
                }
            )
        return sorted(
            balances,
            key=lambda b: (b["currency"] != company_currency, b["currency"].name),
        )

    @api.model
    def _get_currency_balances_sql(self, partner, company):
        """Return the query of `_get_currency_balances`, without flushing: an
        index-only scan of the open items' index, as for the balance
        (`_get_balance_sql`), which holds the items' currencies and residuals.

        :rtype: odoo.tools.SQL
        """
        return SQL(
            """
            SELECT line.currency_id, SUM(line.amount_residual_currency),
                   SUM(line.amount_residual)
              FROM account_move_line line
             WHERE %(items)s
               AND %(open_items)s
          GROUP BY line.currency_id
            """,
            items=self._get_receivable_items_where(partner, company),
            open_items=SQL(OPEN_ITEMS_WHERE),
        )

    @api.model
    def _get_balance_sql(self, partner, company):
        """Return the query of `_get_balance`, without flushing: an index-only scan of
        the open items' index (`account_move_line.OPEN_ITEMS_INDEX`), with or without
        the planner's statistics, as it reads one table and the index holds all it
        reads. The plan tests and `make bench` EXPLAIN this very query.

        :rtype: odoo.tools.SQL
        """
        # The accounts and companies as arrays, which PostgreSQL reads first: the scan
        # of the index then has all three of its columns to search on (joined, it
        # searches on the partner alone). The index's condition selects its items (its
        # `amount_residual != 0` adds nothing to the sum).
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
            partner=partner.id,
            companies=self._get_branches_sql(company),
            open_items=SQL(OPEN_ITEMS_WHERE),
        )

    @api.model
    def _get_branches_sql(self, company):
        """Return an SQL array of the companies whose items make a customer's account
        with `company`: its root company and all the root's branches.
        """
        self.env["res.company"].flush_model(["parent_path"])
        # The root is the first of the parent path: computing `root_id` would browse
        # every parent.
        root_path = company.parent_path.split("/", 1)[0]
        return SQL(
            "ARRAY(SELECT id FROM res_company WHERE parent_path LIKE %s)",
            f"{root_path}/%",
        )

    @api.model
    def _get_recent_lines(self, partner, company, limit=RECENT_LINES_LIMIT):
        """Return the latest billing line items: product lines of posted customer
        invoices and credit notes of the company, newest first, as dicts of `id`,
        `invoice_date`, `name`, `move_name`, `product_id` and `currency_id` (ids),
        `price_subtotal`, `price_total` and `is_refund`.

        In SQL (`_get_recent_lines_sql`): through the ORM's search and records the same
        lines took half as long again.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param int limit: How many lines, at most.
        :rtype: list
        """
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
        return self.env.execute_query_dict(
            self._get_recent_lines_sql(partner, company, limit)
        )

    @api.model
    def _get_recent_lines_sql(self, partner, company, limit=RECENT_LINES_LIMIT):
        """Return the query of `_get_recent_lines`, without flushing. The plan tests and
        `make bench` EXPLAIN this very query.

        It reads the customer's lines in the order of the billing lines' index
        (`account_move_line.BILLING_LINES_INDEX`), whose columns are its whole ORDER BY,
        and stops after `limit` lines: no sort, whatever the history. The document
        type is read from the line's move by a scalar subquery, once per line read,
        rather than by a join: PostgreSQL cannot turn a scalar subquery into a join, so
        it cannot choose to read all the customer's lines first and sort them. Joined,
        that is what it chose on a database built through the ORM and never analyzed
        (it believed the moves a table of a few rows), for every line of the customer.

        :rtype: odoo.tools.SQL
        """
        move_type = SQL(
            "(SELECT move.move_type FROM account_move move"
            " WHERE move.id = line.move_id)"
        )
        return SQL(
            """
            SELECT line.id, line.invoice_date, line.name, line.move_name,
                   line.product_id, line.currency_id, line.price_subtotal,
                   line.price_total, %(move_type)s = 'out_refund' AS is_refund
              FROM account_move_line line
             WHERE line.partner_id = %(partner)s
               AND %(billing_lines)s
               AND %(move_type)s IN ('out_invoice', 'out_refund')
               AND line.company_id = ANY(%(companies)s)
          ORDER BY line.invoice_date DESC, line.move_id DESC, line.sequence, line.id
             LIMIT %(limit)s
            """,
            move_type=move_type,
            partner=partner.id,
            billing_lines=SQL(BILLING_LINES_WHERE),
            companies=self._get_branches_sql(company),
            limit=limit,
        )

    @api.model
    def _get_open_documents(
        self, partner, company, limit=OPEN_DOCUMENTS_LIMIT, currency=None
    ):
        """Return the customer's open invoices and credit notes of the company in
        `currency`, oldest due first, and how many there are in all.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param int limit: How many documents, at most.
        :param recordset currency: The documents' currency; the company's by default.
        :return: `(documents, count)`: dicts of `id`, `name`, `move_type`,
            `invoice_date`, `invoice_date_due`, `amount_total` and `amount_residual`
            (in `currency`, negative for a credit note), and the count of all
            the open documents. Each also has `is_refund`, `overdue` (an invoice due
            before today where the company is, its address's time zone, with something
            left to pay) and `has_terms` (`HAS_TERMS_SQL`).
        :rtype: tuple
        """
        self.env["account.move"].flush_model(
            [
                "amount_residual",
                "amount_total",
                "commercial_partner_id",
                "company_id",
                "currency_id",
                "invoice_date",
                "invoice_date_due",
                "invoice_payment_term_id",
                "move_type",
                "name",
                "payment_state",
                "state",
            ]
        )
        self.env["account.move.line"].flush_model(["display_type", "move_id"])
        self.env["account.payment.term"].flush_model(["early_discount"])
        rows = self.env.execute_query_dict(
            self._get_open_documents_sql(partner, company, limit, currency)
        )
        count = rows[0]["full_count"] if rows else 0
        for row in rows:
            del row["full_count"]
            row["is_refund"] = row["move_type"] == "out_refund"
        return rows, count

    @api.model
    def _get_open_documents_sql(
        self, partner, company, limit=OPEN_DOCUMENTS_LIMIT, currency=None
    ):
        """Return the query of `_get_open_documents`, without flushing: a scan of the
        open documents' index (`account_move.OPEN_DOCUMENTS_INDEX`) in its order.

        :rtype: odoo.tools.SQL
        """
        # In the document's currency (`amount_residual`), signed as on the account.
        sign = SQL("CASE WHEN move.move_type = 'out_refund' THEN -1 ELSE 1 END")
        return SQL(
            """
            SELECT move.id, move.name, move.move_type, move.invoice_date,
                   move.invoice_date_due,
                   %(sign)s * move.amount_total AS amount_total,
                   %(sign)s * move.amount_residual AS amount_residual,
                   move.move_type = 'out_invoice'
                       AND move.invoice_date_due < %(today)s AS overdue,
                   %(has_terms)s AS has_terms,
                   COUNT(*) OVER () AS full_count
              FROM account_move move
             WHERE move.commercial_partner_id = %(partner)s
               AND %(open_documents)s
               AND move.company_id = ANY(%(companies)s)
               AND move.currency_id = %(currency)s
          ORDER BY move.invoice_date_due, move.invoice_date, move.id
             LIMIT %(limit)s
            """,
            sign=sign,
            partner=partner.id,
            currency=(currency or company.currency_id).id,
            # Today where the company is, in the query: reading the time zone of the
            # company's address would cost one more.
            today=SQL(
                "(now() AT TIME ZONE COALESCE("
                "(SELECT tz FROM res_partner WHERE id = %s), 'UTC'))::date",
                company.partner_id.id,
            ),
            open_documents=SQL(OPEN_DOCUMENTS_WHERE),
            companies=self._get_branches_sql(company),
            limit=limit,
            has_terms=SQL(HAS_TERMS_SQL),
        )

    @api.model
    def _get_open_invoices(self, partner, company, currency=None):
        """Return the customer's posted invoices of the company in `currency` with
        something left to pay, oldest due first: the documents a payment through the
        link in that currency settles.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param recordset currency: The payment's currency; the company's by default.
        :rtype: recordset of `account.move`
        """
        return self.env["account.move"].search(
            self._get_documents_domain(partner, company, ("out_invoice",))
            + [
                ("payment_state", "in", ("not_paid", "partial")),
                ("currency_id", "=", (currency or company.currency_id).id),
            ],
            order="invoice_date_due, invoice_date, id",
        )

    @api.model
    def _get_documents_domain(self, partner, company, move_types):
        """Return the domain of the customer's posted documents of `move_types` with the
        company and its branches: the documents a link may show, pay or rate.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param tuple move_types: `account.move` types, e.g. `("out_invoice",)`.
        :rtype: list
        """
        return [
            ("commercial_partner_id", "=", partner.id),
            ("company_id", "child_of", company.root_id.id),
            ("move_type", "in", move_types),
            ("state", "=", "posted"),
        ]

    @api.model
    def _get_today(self, company):
        """Return today's date where the company is (its address's time zone)."""
        return fields.Date.context_today(self.with_context(tz=company.partner_id.tz))

    @api.model
    def _get_statement(self, partner, company, date_from=None, date_to=None):
        """Return the customer's statement of account with the company: one section per
        currency, each with its opening balance, every invoice, credit note, payment
        and other entry of the period with its running balance, its closing balance
        and the ageing of what is open today, all in that currency.

        The entries are the posted receivable items of the company and its branches
        (those of the balance, `_get_balance`), one per journal entry and date, in
        the section of the items' currency and read in it (`amount_currency`): an
        invoice in another currency is owed and paid in its own currency, as the
        balances in each currency count it (`_get_currency_balances`). Up to today,
        each section's closing balance is that currency's balance (for a customer in
        the company currency alone, the page's balance): every residual is what its
        item's amount left after reconciliations, which pair items of the same
        account and, paid as Odoo's portal and Register Payment pay, of the same
        currency. (A payment in one currency matched with an invoice in another
        settles the invoice in its own currency: the two sections then show both
        items in full, and their closing balances differ from the balances.) An
        exchange difference changes only the company-currency value of an item in
        another currency: its entry, of no amount in that currency, is left out of
        the currency's section.

        There is a section for each currency with an opening balance, an entry in the
        period or something open today (its ageing), the company currency first,
        then by name; a customer with none of them has one section, in the company
        currency, of zeros.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param date date_from: The first day, of every section; by default the day
            after the account was last settled, or 12 months ago, whichever is later
            (`_get_statement_default_start`).
        :param date date_to: The last day; today (where the company is) by default.
        :return: `date_from`, `date_to`, `today` and `sections`, dicts of `currency`,
            `opening`, `entries` (dicts of `move_id`, `date`, `date_maturity`,
            `name`, `ref`, `kind` ('invoice', 'refund', 'payment' or 'other'),
            `amount` and `balance`, the running balance), `closing`, `ageing` (dicts
            of `key`, `amount`), `ageing_total` and `due_now` (what is due today in
            the currency, `_get_due_now`; None for a statement that ends before
            today). The first section's keys are the statement's own too, for the
            callers of one currency.
        :rtype: dict
        """
        company_currency = company.currency_id
        today = self._get_today(company)
        date_to = date_to or today
        if not date_from:
            date_from = self._get_statement_default_start(partner, company, date_to)
        self._flush_statement_models()
        items = self._get_receivable_items_where(partner, company)
        openings = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT line.currency_id, SUM(line.amount_currency)
                      FROM account_move_line line
                     WHERE %s AND line.date < %s
                  GROUP BY line.currency_id
                    """,
                    items,
                    date_from,
                )
            )
        )
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT line.currency_id, move.id AS move_id, line.date,
                       MIN(line.date_maturity) AS date_maturity,
                       move.name, move.ref, move.move_type,
                       move.origin_payment_id IS NOT NULL
                           OR move.statement_line_id IS NOT NULL AS is_payment,
                       SUM(line.amount_currency) AS amount
                  FROM account_move_line line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE %(items)s
                   AND line.date BETWEEN %(date_from)s AND %(date_to)s
              GROUP BY line.currency_id, move.id, line.date
              ORDER BY line.date, move.id
                """,
                items=items,
                date_from=date_from,
                date_to=date_to,
            )
        )
        ageings = self._get_ageing(partner, company, today)
        currencies = self.env["res.currency"].browse(
            {row["currency_id"] for row in rows}
            | set(openings)
            | {currency.id for currency in ageings}
        )
        currency_by_id = {currency.id: currency for currency in currencies}
        entries_by_currency = {}
        for row in rows:
            currency = currency_by_id[row["currency_id"]]
            amount = currency.round(row["amount"])
            if currency != company_currency and currency.is_zero(amount):
                continue  # An exchange difference (see above).
            if row["move_type"] == "out_invoice":
                kind = "invoice"
            elif row["move_type"] == "out_refund":
                kind = "refund"
            elif row["is_payment"]:
                kind = "payment"
            else:
                kind = "other"
            entries_by_currency.setdefault(currency, []).append(
                {
                    "move_id": row["move_id"],
                    "date": row["date"],
                    "date_maturity": row["date_maturity"],
                    "name": row["name"],
                    "ref": row["ref"] or "",
                    "kind": kind,
                    "amount": amount,
                }
            )
        currencies = currencies.filtered(
            lambda currency: (
                currency in entries_by_currency
                or currency in ageings
                or not currency.is_zero(openings.get(currency.id, 0.0))
            )
        )
        currencies = sorted(
            currencies or company_currency,
            key=lambda currency: (currency != company_currency, currency.name),
        )
        # What is due now needs each currency's balance: read once for all.
        balances = (
            {
                entry["currency"]: entry["balance"]
                for entry in self._get_currency_balances(partner, company)
            }
            if date_to >= today
            else {}
        )
        sections = []
        for currency in currencies:
            opening = currency.round(openings.get(currency.id, 0.0))
            running = opening
            entries = entries_by_currency.get(currency, [])
            for entry in entries:
                running = currency.round(running + entry["amount"])
                entry["balance"] = running
            ageing = ageings.get(currency) or [
                {"key": key, "amount": 0.0} for key, _low, _high in AGEING_BUCKETS
            ]
            sections.append(
                {
                    "currency": currency,
                    "opening": opening,
                    "entries": entries,
                    "closing": running,
                    "ageing": ageing,
                    "ageing_total": currency.round(sum(b["amount"] for b in ageing)),
                    "due_now": self._get_due_now(
                        partner,
                        company,
                        balance=balances.get(currency, 0.0),
                        currency=currency,
                    )
                    if date_to >= today
                    else None,
                }
            )
        return {
            "date_from": date_from,
            "date_to": date_to,
            "today": today,
            **sections[0],
            "sections": sections,
        }

    @api.model
    def _get_statement_default_start(self, partner, company, date_to):
        """Return the first day of a statement by default: the day after the balance
        was last zero before its last movement (so that a settled account shows the
        movements that settled it), or 12 months before `date_to`, whichever is later.

        The balance is the account's, every currency's items at their value in the
        company currency (`balance`, exchange differences included): it is zero when
        every currency is settled (and, rarely, when the currencies' values happen to
        offset), so that one period serves every section of the statement
        (`_get_statement`). A customer in one currency starts where that currency was
        last settled.

        :rtype: date
        """
        self._flush_statement_models()
        decimal_places = company.currency_id.decimal_places
        [(first_date, last_zero)] = self.env.execute_query(
            SQL(
                """
                WITH daily AS (
                    SELECT line.date, SUM(line.balance) AS amount
                      FROM account_move_line line
                     WHERE %(items)s AND line.date <= %(date_to)s
                  GROUP BY line.date
                ), running AS (
                    SELECT date, SUM(amount) OVER (ORDER BY date) AS balance,
                           MAX(date) OVER () AS last_date
                      FROM daily
                )
                SELECT MIN(date),
                       MAX(date) FILTER (
                           WHERE ROUND(balance, %(decimals)s) = 0 AND date < last_date
                       )
                  FROM running
                """,
                items=self._get_receivable_items_where(partner, company),
                date_to=date_to,
                decimals=decimal_places,
            )
        )
        start = last_zero + timedelta(days=1) if last_zero else first_date or date_to
        return max(start, date_to - relativedelta(months=STATEMENT_DEFAULT_MONTHS))

    @api.model
    def _get_ageing(self, partner, company, today):
        """Return the customer's open receivable amounts in each currency by days past
        due at `today` (`AGEING_BUCKETS`): each item, in its currency
        (`amount_residual_currency`), by its due date (its date if it has none), an
        unapplied payment or credit in the bucket of its date. The items are those of
        the balances in each currency (`_get_currency_balances`), whose balance each
        currency's buckets add up to.

        :return: By currency (a `res.currency` record), dicts of `key` and `amount`
            in the order of `AGEING_BUCKETS`; a currency whose buckets are all zero
            is left out.
        :rtype: dict
        """
        self._flush_statement_models()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.currency_id,
                       %(today)s - COALESCE(line.date_maturity, line.date) AS days,
                       SUM(line.amount_residual_currency)
                  FROM account_move_line line
                 WHERE %(items)s AND line.reconciled IS NOT TRUE
              GROUP BY line.currency_id, days
                """,
                today=today,
                items=self._get_receivable_items_where(partner, company),
            )
        )
        amounts_by_currency = {}
        for currency_id, days, amount in rows:
            amounts = amounts_by_currency.setdefault(
                currency_id,
                dict.fromkeys((key for key, _low, _high in AGEING_BUCKETS), 0.0),
            )
            for key, low, high in AGEING_BUCKETS:
                if (low is None or days >= low) and (high is None or days <= high):
                    amounts[key] += amount
                    break
        ageings = {}
        for currency_id, amounts in amounts_by_currency.items():
            currency = self.env["res.currency"].browse(currency_id)
            ageing = [
                {"key": key, "amount": currency.round(amount)}
                for key, amount in amounts.items()
            ]
            if any(not currency.is_zero(bucket["amount"]) for bucket in ageing):
                ageings[currency] = ageing
        return ageings

    @api.model
    def _get_receivable_items_where(self, partner, company):
        """Return the condition on `account_move_line line` of the customer's posted
        receivable items with the company and its branches: the account's items.

        :rtype: odoo.tools.SQL
        """
        return SQL(
            """line.partner_id = %(partner)s
               AND line.parent_state = 'posted'
               AND line.account_id = ANY(ARRAY(
                   SELECT id FROM account_account
                    WHERE account_type = 'asset_receivable'
               ))
               AND line.company_id = ANY(%(companies)s)""",
            partner=partner.id,
            companies=self._get_branches_sql(company),
        )

    def _flush_statement_models(self):
        self.env["account.move.line"].flush_model(
            [
                "account_id",
                "amount_currency",
                "amount_residual",
                "amount_residual_currency",
                "balance",
                "company_id",
                "currency_id",
                "date",
                "date_maturity",
                "move_id",
                "parent_state",
                "partner_id",
                "reconciled",
            ]
        )
        self.env["account.move"].flush_model(
            ["move_type", "name", "origin_payment_id", "ref", "statement_line_id"]
        )
        self.env["account.account"].flush_model(["account_type"])
