# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date

from odoo.tests import tagged
from odoo.tools import format_date

from ..controllers.common import _once
from .common import PaylinkHttpCommon, normalize


@tagged("post_install", "-at_install")
class TestFormatting(PaylinkHttpCommon):
    """The page writes every amount and date as Odoo's own `format_amount` and
    `format_date` do, in the customer's language: a language that groups digits as in
    India, French and Spanish; in the company's currency and in the lines' own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "es_ES"):
            cls.env["res.lang"]._activate_lang(code)
        # A language grouping as in India, beside the usual ones.
        cls.env.ref("base.lang_en").grouping = "[3,2,0]"
        cls.jpy = cls.setup_other_currency("JPY")
        cls._post_move(cls.customer, [1234567.891], invoice_date=date(2026, 1, 2))
        cls._post_move(
            cls.customer,
            [98765.4321],
            move_type="out_refund",
            invoice_date=date(2026, 3, 4),
        )
        cls._post_move(
            cls.customer, [7654321.5], invoice_date=date(2026, 12, 31), currency=cls.jpy
        )
        cls.link = cls._generate_link(cls.customer)

    def test_10_amounts_and_dates_as_odoo_writes_them(self):
        summary = self.link._get_account_summary()
        self.assertEqual(len(summary["lines"]), 3)
        tips = self.link._get_tip_options(summary["balance"])
        for code in ("en_US", "fr_FR", "es_ES"):
            with self.subTest(lang=code):
                self.customer.lang = code
                tree = self._get_page_tree(self.link)
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_balance_amount"),
                    [self._format(summary["balance"], lang=code)],
                )
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_line_amount"),
                    [
                        self._format(line["subtotal"], line["currency"], lang=code)
                        for line in summary["lines"]
                    ],
                )
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_line_date"),
                    [
                        normalize(format_date(self.env, line["date"], lang_code=code))
                        for line in summary["lines"]
                    ],
                )
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_total_amount")[:4],
                    [self._format(tip["total"], lang=code) for tip in tips],
                )

    def test_20_each_value_formatted_once_per_page(self):
        """The page formats an amount or a date once per rendering, each as Odoo
        formats it: -0.00 and 0.00 stay apart."""
        formatted = []

        def format_amount(amount, currency):
            formatted.append(amount)
            return self._format(amount, currency)

        format_once = _once(format_amount)
        texts = [
            format_once(amount, self.currency)
            for amount in (12.5, 12.5, -0.0, 0.0, 12.5, -0.0)
        ]
        self.assertEqual(formatted, [12.5, -0.0, 0.0])
        self.assertEqual(
            texts,
            [self._format(amount) for amount in (12.5, 12.5, -0.0, 0.0, 12.5, -0.0)],
        )
