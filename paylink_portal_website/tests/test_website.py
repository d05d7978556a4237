# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import (
    PaylinkHttpCommon,
    PaylinkPaymentHttpCommon,
    normalize,
)


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
        page = html.fromstring(response.content)
        self.assertFalse(page.xpath("//link[@rel='stylesheet']"))
        self.assertEqual(
            page.xpath("//script/@src"),
            ["/paylink_portal/static/src/page/paylink_page.js"],
        )
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
        with mute_logger("odoo.http"):
            not_found = self._get_page("A" * 43, expected_status=404)
        self.assertIn("This payment link is not valid", not_found.text)
        self.assertNotIn("/web/assets/", not_found.text)


@tagged("post_install", "-at_install")
class TestPaylinkWebsitePayment(PaylinkPaymentHttpCommon):
    def test_30_the_payment_step_stays_light_on_the_website(self):
        """The payment step keeps the light layout, with the website's bar, Odoo's
        payment form and the payment form's own scripts only."""
        self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        checkout = self._get_checkout_tree(link, tip_percent=20)
        self.assertTrue(checkout.xpath(f"//nav[{self._css('o_paylink_site_bar')}]"))
        self.assertTrue(checkout.xpath("//form[@id='o_payment_form']"))
        self.assertFalse(checkout.xpath("//link[@rel='stylesheet']"))
        self.assertEqual(
            [
                src.split("/")[-1]
                for src in checkout.xpath("//script/@src")
                if src.startswith("/web/assets/")
            ],
            ["paylink_portal.assets_pay_step.min.js"],
        )
