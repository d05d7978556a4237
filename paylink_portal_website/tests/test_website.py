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

    def test_20_the_page_belongs_to_the_website_and_stays_light(self):
        self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        response = self._get_page(link.token)
        self.assertEqual(response.headers["X-Robots-Tag"], "noindex, nofollow")
        # No website bundle on the first visit.
        self.assertNotIn("/web/assets/", response.text)
        tree = self._get_page_tree(link)
        website = self.env["website"].get_current_website()
        [home] = tree.xpath(f"//nav[{self._css('o_paylink_site_bar')}]//a")
        self.assertEqual(home.get("href"), "/")
        self.assertIn(
            website.name,
            [normalize(home.text_content()), *home.xpath(".//img/@alt")],
        )
        self.assertEqual(
            self._texts(tree, f"//*[{self._css('o_paylink_balance_amount')}]"),
            [self._format(100.0)],
        )
        self.assertIn("Ada Customer", normalize(tree.text_content()))
        # The payment step is a website page, with the website's full scripts.
        checkout = self._get_checkout(link, tip_percent=20)
        self.assertIn("data-website-id=", checkout.text)
        self.assertIn("web.assets_frontend_lazy", checkout.text)
        self.assertNotIn("paylink_portal.assets_page_lazy", checkout.text)
        with mute_logger("odoo.http"):
            not_found = self._get_page("A" * 43, expected_status=404)
        self.assertIn("This payment link is not valid", not_found.text)
        self.assertNotIn("/web/assets/", not_found.text)
