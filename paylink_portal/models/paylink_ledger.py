# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models
from odoo.tools import SQL

from .account_move import OPEN_DOCUMENTS_WHERE
from .account_move_line import BILLING_LINES_WHERE, OPEN_ITEMS_WHERE

RECENT_LINES_LIMIT = 20
OPEN_DOCUMENTS_LIMIT = 50


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
    def _get_open_documents(self, partner, company, limit=OPEN_DOCUMENTS_LIMIT):
        """Return the customer's open invoices and credit notes of the company, oldest
        due first, and how many there are in all.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :param int limit: How many documents, at most.
        :return: `(documents, count)`: dicts of `id`, `name`, `move_type`,
            `invoice_date`, `invoice_date_due`, `amount_total` and `amount_residual`
            (in the company currency, negative for a credit note), and the count of all
            the open documents. Each also has `overdue`: an invoice due before today
            where the company is (its address's time zone), with something left to pay.
        :rtype: tuple
        """
        self.env["account.move"].flush_model(
            [
                "amount_residual_signed",
                "amount_total_signed",
                "commercial_partner_id",
                "company_id",
                "invoice_date",
                "invoice_date_due",
                "move_type",
                "name",
                "payment_state",
                "state",
            ]
        )
        rows = self.env.execute_query_dict(
            self._get_open_documents_sql(partner, company, limit)
        )
        count = rows[0]["full_count"] if rows else 0
        for row in rows:
            del row["full_count"]
        return rows, count

    @api.model
    def _get_open_documents_sql(self, partner, company, limit=OPEN_DOCUMENTS_LIMIT):
        """Return the query of `_get_open_documents`, without flushing: a scan of the
        open documents' index (`account_move.OPEN_DOCUMENTS_INDEX`) in its order.

        :rtype: odoo.tools.SQL
        """
        return SQL(
            """
            SELECT move.id, move.name, move.move_type, move.invoice_date,
                   move.invoice_date_due,
                   move.amount_total_signed AS amount_total,
                   move.amount_residual_signed AS amount_residual,
                   move.move_type = 'out_invoice'
                       AND move.invoice_date_due < %(today)s AS overdue,
                   COUNT(*) OVER () AS full_count
              FROM account_move move
             WHERE move.commercial_partner_id = %(partner)s
               AND %(open_documents)s
               AND move.company_id = ANY(%(companies)s)
          ORDER BY move.invoice_date_due, move.invoice_date, move.id
             LIMIT %(limit)s
            """,
            partner=partner.id,
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
        )

    @api.model
    def _get_open_invoices(self, partner, company):
        """Return the customer's posted invoices of the company with something left to
        pay, oldest due first: the documents a payment through the link settles.

        :param recordset partner: The customer, a `res.partner` record.
        :param recordset company: The link's company.
        :rtype: recordset of `account.move`
        """
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "child_of", company.root_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, invoice_date, id",
        )
