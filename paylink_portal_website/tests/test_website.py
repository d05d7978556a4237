# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkHttpCommon, normalize


@tagged("post_install", "-at_install")
class TestPaylinkWebsite(PaylinkHttpCommon):
    def test_10_robots_txt_disallows_payment_links(self):
        robots = self.url_open("/robots.txt").text
        self.assertIn("Disallow: /pay/", robots.splitlines())

    def test_20_the_page_works_in_the_website_layout(self):
        self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        response = self._get_page(link.token)
        self.assertEqual(response.headers["X-Robots-Tag"], "noindex, nofollow")
        # A frontend route here: the website's layout marks <html> with the website.
        self.assertIn("data-website-id=", response.text)
        # The website's scripts, built on the HTML editor that the page's own leave out.
        self.assertIn("web.assets_frontend_lazy", response.text)
        self.assertNotIn("paylink_portal.assets_page_lazy", response.text)
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts(tree, f"//*[{self._css('o_paylink_balance_amount')}]"),
            [self._format(100.0)],
        )
        self.assertIn("Ada Customer", normalize(tree.text_content()))
        with mute_logger("odoo.http"):
            not_found = self._get_page("A" * 43, expected_status=404)
        self.assertIn("This payment link is not valid", not_found.text)
        self.assertIn("data-website-id=", not_found.text)
