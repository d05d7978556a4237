# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists

# The journal items each of the ledger's two partial indexes holds. PostgreSQL uses a
# partial index only for a query whose conditions imply the index's, so the index (in
# `init` below) and the queries of `paylink.ledger` that rely on it take their condition
# from here, never from two copies. Unqualified columns of `account_move_line`: the
# queries read no other table in FROM.
# The open items, whose residuals make the balance: it leaves out every invoice's
# product and tax lines. An item in another currency may keep a residual in its currency
# when none is left in the company's (or the reverse), until Odoo books the exchange
# difference.
OPEN_ITEMS_WHERE = (
    "reconciled IS NOT TRUE AND parent_state = 'posted'"
    " AND (amount_residual != 0 OR amount_residual_currency != 0)"
)
# The posted billing lines, of which the page shows the latest.
BILLING_LINES_WHERE = "display_type = 'product' AND parent_state = 'posted'"

OPEN_ITEMS_INDEX = "paylink_aml_partner_open_items_idx"
# The index of the open items before it held their currencies (1.1.1 and earlier).
OLD_OPEN_ITEMS_INDEXES = ("paylink_aml_partner_residual_idx",)
BILLING_LINES_INDEX = "paylink_aml_partner_recent_lines_idx"


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        """Index the ledger's two reads of a customer's journal items, so that their
        cost does not grow with the history.

        The balance (Odoo's `credit`) and the balance in each currency sum the open
        items: only items with a residual, which leaves out every invoice's product and
        tax lines and keeps the index a small fraction of the table. All the queries
        read is in the index, which PostgreSQL then scans alone. The latest posted
        invoice lines come in the order of the second index, which stops at 20: it
        holds the whole ORDER BY of
        `paylink.ledger._get_recent_lines_sql`, down to the line's sequence and id,
        since any column left out would need a sort of at least one whole invoice (an
        incremental sort), or of all the customer's lines.
        """
        res = super().init()
        for old_index in OLD_OPEN_ITEMS_INDEXES:
            self.env.cr.execute(
                SQL("DROP INDEX IF EXISTS %s", SQL.identifier(old_index))
            )
        # `create_index` cannot INCLUDE a column.
        if not index_exists(self.env.cr, OPEN_ITEMS_INDEX):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX %s ON account_move_line"
                    " (partner_id, account_id, company_id)"
                    " INCLUDE (currency_id, amount_residual, amount_residual_currency)"
                    " WHERE %s",
                    SQL.identifier(OPEN_ITEMS_INDEX),
                    SQL(OPEN_ITEMS_WHERE),
                )
            )
        create_index(
            self.env.cr,
            BILLING_LINES_INDEX,
            self._table,
            ["partner_id", "invoice_date DESC", "move_id DESC", "sequence", "id"],
            where=BILLING_LINES_WHERE,
        )
        return res
