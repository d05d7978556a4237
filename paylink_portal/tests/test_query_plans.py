# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re
from datetime import date, timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.paylink_portal.models.account_move_line import (
    BILLING_LINES_INDEX,
    OPEN_ITEMS_INDEX,
)
from odoo.addons.paylink_portal.tests.common import PaylinkCommon

SEQ_SCAN = re.compile(r"Seq Scan on (account_move|account_move_line)\b")
# A Sort node, incremental or not (not its "Sort Key:" and "Sort Method:" lines).
SORT = re.compile(r"^\s*(?:->\s+)?(?:Incremental )?Sort\s+\(", re.MULTILINE)


@tagged("post_install", "-at_install")
class TestQueryPlans(PaylinkCommon):
    """The plans of the page's two queries on journal items, on data just written and
    never analyzed: the planner knows nothing of it, as on a database that autovacuum
    has not analyzed yet. Whatever the statistics, the balance must be read from its
    index and the last lines in the order of theirs, never by reading all the
    customer's lines and sorting them (`tools/bench/bench_explain.py` checks the same on
    the benchmark's databases)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = cls._create_customer("Big History")
        today = date.today()
        # Multi-line invoices, as they arrive, enough for the tables to hold more than
        # a few pages: on a table of a page or two any plan costs the same.
        for index in range(4):
            cls._post_move(
                cls.big,
                [10.0 + line for line in range(60)],
                invoice_date=today - timedelta(days=30 * index),
                taxes=cls.tax_10,
            )
        cls._post_move(cls.big, [25.0, 5.0], move_type="out_refund")
        # A vendor bill of the same partner: product lines the page must leave out.
        cls.init_invoice("in_invoice", partner=cls.big, amounts=[999.0], post=True)
        cls.link = cls._generate_link(cls.big)

    def _explain(self, query):
        self.env.flush_all()
        return "\n".join(
            row for (row,) in self.env.execute_query(SQL("EXPLAIN %s", query))
        )

    def _assert_plan_reads_index(self, plan, index_name):
        self.assertFalse(SEQ_SCAN.findall(plan), f"A sequential scan:\n{plan}")
        self.assertFalse(SORT.findall(plan), f"A sort:\n{plan}")
        self.assertIn(f" using {index_name} on account_move_line", plan, plan)

    def test_10_balance_reads_its_index_alone(self):
        plan = self._explain(
            self.env["paylink.ledger"]._get_balance_sql(self.big, self.link.company_id)
        )
        self._assert_plan_reads_index(plan, OPEN_ITEMS_INDEX)
        self.assertIn("Index Only Scan", plan, plan)

    def test_13_balances_by_currency_read_the_same_index_alone(self):
        plan = self._explain(
            self.env["paylink.ledger"]._get_currency_balances_sql(
                self.big, self.link.company_id
            )
        )
        # The open items alone, grouped by currency: PostgreSQL may sort them to group
        # them (a handful), never the customer's history.
        self.assertFalse(SEQ_SCAN.findall(plan), f"A sequential scan:\n{plan}")
        self.assertIn(
            f"Index Only Scan using {OPEN_ITEMS_INDEX} on account_move_line", plan, plan
        )

    def test_11_last_lines_come_in_index_order(self):
        plan = self._explain(
            self.env["paylink.ledger"]._get_recent_lines_sql(
                self.big, self.link.company_id
            )
        )
        self._assert_plan_reads_index(plan, BILLING_LINES_INDEX)

    def test_12_last_lines_are_the_orms(self):
        """The query reads the same lines, in the same order, as the ORM's search."""
        billing_lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.big.id),
                ("display_type", "=", "product"),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        # Sorted here: the ORM orders a many2one by its model's order, not its id.
        expected = billing_lines.sorted(
            lambda line: (
                -line.invoice_date.toordinal(),
                -line.move_id.id,
                line.sequence,
                line.id,
            )
        )[:20]
        lines = self.env["paylink.ledger"]._get_recent_lines(
            self.big, self.link.company_id
        )
        self.assertEqual(
            [
                (line["id"], line["name"], line["price_subtotal"], line["is_refund"])
                for line in lines
            ],
            [
                (
                    line.id,
                    line.name,
                    line.price_subtotal,
                    line.move_type == "out_refund",
                )
                for line in expected
            ],
        )
        self.assertTrue(lines[0]["is_refund"])  # The credit note is the latest.
