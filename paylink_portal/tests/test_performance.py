# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from functools import partial

from odoo.fields import Command
from odoo.tests import tagged, warmup

from odoo.addons.paylink_portal.tests.common import PaylinkPaymentHttpCommon

# Every query of one render of the page, Odoo's own included: 1 is made by Odoo for any
# public route before it runs (the public user), 7 by the page (link and rate limit,
# customer, company, currency, balance, last lines, open invoices). A frontend route (a
# website's) costs Odoo 3 more, to match the URL and cookie languages: 11 in all.
PAGE_QUERIES = 8


@tagged("post_install", "-at_install")
class TestPerformance(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = cls._create_customer("Small History", number="+1 555 010 0199")
        cls._post_move(cls.small, [10.0] * 10)
        cls.big = cls._create_customer("Big History", number="+1 555 010 0299")
        for _invoice in range(15):
            cls._post_move(cls.big, [10.0] * 20, taxes=cls.tax_10)  # 300 charges.
        cls._post_move(cls.big, [25.0], move_type="out_refund")
        cls.small_link, cls.big_link = (
            cls._generate_link(cls.small),
            cls._generate_link(cls.big),
        )
        # As in a single-company database, the visitor (public user) belongs to the
        # link's company, which the page then renders as the current one. Where it does
        # not, Odoo reads the public user once more to find its own company: one more
        # query.
        cls.env.ref("base.public_user").sudo().company_ids = [
            Command.link(cls.company.id)
        ]

    def _count_queries(self, request):
        """The SQL queries of `request()`, once views and routing are warm."""
        request()
        self.env.flush_all()
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        request()
        return self.cr.sql_log_count - count0

    @warmup
    def test_10_page_render_has_a_fixed_small_cost(self):
        for link in (self.small_link, self.big_link):
            for provider_state in ("test", "disabled"):
                with self.subTest(
                    customer=link.partner_id.name, provider_state=provider_state
                ):
                    self.provider.state = provider_state
                    token = link.token
                    self._get_page(token)  # Views and routing compiled.
                    with self.assertQueryCount(PAGE_QUERIES):
                        self._get_page(token)

    @warmup
    def test_11_settled_and_credit_pages_cost_the_same(self):
        for move_type, amount in (
            ("out_refund", 100.0),
            ("out_refund", 50.0),
        ):  # All set, credit.
            self._post_move(self.small, [amount], move_type=move_type)
            token = self.small_link.token
            self._get_page(token)
            with self.assertQueryCount(PAGE_QUERIES):
                self._get_page(token)

    def test_12_costs_do_not_grow_with_history(self):
        """The page, its refresh and its payment step: the same queries for 10 charges
        as for 300, with a provider or without."""
        for provider_state in ("test", "disabled"):
            self.provider.state = provider_state
            for name, request in (
                ("page", lambda link: self._get_page(link.token)),
                ("summary", lambda link: self._get_summary(link.token)),
                ("payment step", self._get_checkout_tree),
            ):
                with self.subTest(request=name, provider_state=provider_state):
                    self.assertEqual(
                        self._count_queries(partial(request, self.big_link)),
                        self._count_queries(partial(request, self.small_link)),
                    )
