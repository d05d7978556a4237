# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date

from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount, format_date

from odoo.addons.paylink_portal.utils import PageFormatter, group_digits

AMOUNTS = (0.0, 0.004, -0.5, 7.25, 1234.5, -98765.4321, 1234567.891, 999999999.995)


@tagged("post_install", "-at_install")
class TestFormatting(TransactionCase):
    """The page's formatter writes every amount and date exactly as Odoo's own
    `format_amount` and `format_date` do, in every language and currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "es_ES"):
            cls.env["res.lang"]._activate_lang(code)
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        cls.jpy = cls.env.ref("base.JPY")
        cls.currencies = cls.usd | cls.eur | cls.jpy
        cls.currencies.active = True

    def test_10_groupings_as_odoo_splits_them(self):
        for grouping, expected in (
            ([3, 0], "1,234,567"),
            ([3, 2, 0], "12,34,567"),
            ([3, -1], "1234,567"),
            ([], "1234567"),
            ([2], "12345,67"),
            ([0], "1234567"),
        ):
            with self.subTest(grouping=grouping):
                self.assertEqual(group_digits("1234567", grouping, ","), expected)
                self.assertEqual(
                    group_digits("-1234567", grouping, ","), "-" + expected
                )
        self.assertEqual(group_digits("123", [3, 0], ","), "123")
        self.assertEqual(group_digits("1234567", [3, 0], ""), "1234567")

    def test_20_amounts_as_format_amount(self):
        # A language grouping as in India, beside the usual ones.
        self.env.ref("base.lang_en").grouping = "[3,2,0]"
        for code in ("en_US", "fr_FR", "es_ES"):
            formatter = PageFormatter(self.env, code)
            for currency in self.currencies:
                for amount in AMOUNTS:
                    with self.subTest(lang=code, currency=currency.name, amount=amount):
                        self.assertEqual(
                            formatter.amount(amount, currency),
                            format_amount(self.env, amount, currency, lang_code=code),
                        )

    def test_30_dates_as_format_date(self):
        for code in ("en_US", "fr_FR", "es_ES"):
            formatter = PageFormatter(self.env, code)
            for value in (date(2026, 1, 2), date(2026, 12, 31)):
                with self.subTest(lang=code, value=value):
                    self.assertEqual(
                        formatter.date(value),
                        format_date(self.env, value, lang_code=code),
                    )
        self.assertEqual(PageFormatter(self.env, "en_US").date(False), "")
