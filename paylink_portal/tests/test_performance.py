# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import PaylinkPaymentHttpCommon


@tagged("post_install", "-at_install")
class TestPerformance(PaylinkPaymentHttpCommon):
    def _count_page_queries(self, link):
        """The SQL queries of one render of the page, views and routing being warm."""
        self._get_page(link.token)
        self.env.flush_all()
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        self._get_page(link.token)
        return self.cr.sql_log_count - count0

    def test_10_page_cost_does_not_grow_with_history(self):
        small = self._create_customer("Small History")
        self._post_move(small, [10.0] * 10)
        big = self._create_customer("Big History")
        for _invoice in range(15):
            self._post_move(big, [10.0] * 20)  # 300 charges, 15 invoices.
        small_link, big_link = self._generate_link(small), self._generate_link(big)
        for provider_state in ("test", "disabled"):
            with self.subTest(provider_state=provider_state):
                self.provider.state = provider_state
                self.assertEqual(
                    self._count_page_queries(big_link),
                    self._count_page_queries(small_link),
                )
