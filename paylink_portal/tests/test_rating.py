# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""'How did we do?' before the tips: Odoo ratings on the customer's latest invoice, the
same page whatever the stars."""

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkHttpCommon


@tagged("post_install", "-at_install")
class TestRating(PaylinkHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "paylink_rating_enabled": True,
                "paylink_review_url": "https://reviews.example.com/us",
            }
        )
        cls.rater = cls._create_customer("Rita Rater")
        cls._post_move(cls.rater, [40.0])
        cls.invoice = cls._post_move(cls.rater, [60.0])
        cls.link = cls._generate_link(cls.rater)

    def _rate(self, rating, feedback="", csrf=True, expected_status=303):
        tree = self._get_page_tree(self.link)
        data = {"rating": rating, "feedback": feedback}
        if csrf:
            data["csrf_token"] = tree.xpath(
                "//form[contains(@class, 'o_paylink_rating_form')]"
                "/input[@name='csrf_token']"
            )[0].get("value")
        response = self.url_open(
            f"/pay/{self.link.token}/rating", data=data, allow_redirects=False
        )
        self.assertEqual(response.status_code, expected_status, response.text[:300])
        return response

    def _ratings(self):
        return self.env["rating.rating"].search([("partner_id", "=", self.rater.id)])

    def _sections(self, tree):
        """The page's parts, in order, as a customer meets them."""
        return [
            node.get("class").split()[0]
            for node in tree.xpath(
                "//*[contains(@class, 'o_paylink_summary')]"
                "/*[contains(@class, 'o_paylink_')]"
            )
        ]

    def test_10_asked_before_the_tips_only_when_turned_on(self):
        tree = self._get_page_tree(self.link)
        sections = self._sections(tree)
        self.assertLess(
            sections.index("o_paylink_rating"), sections.index("o_paylink_form")
        )
        self.assertEqual(
            tree.xpath("//a[contains(@class, 'o_paylink_rating_skip')]")[0].get("href"),
            "#o_paylink_tips_title",
        )
        self.assertTrue(tree.xpath("//*[@id='o_paylink_tips_title']"))
        self.company.paylink_rating_enabled = False
        tree = self._get_page_tree(self.link)
        self.assertNotIn("o_paylink_rating", self._sections(tree))

    def test_20_one_star_and_five_stars_lead_to_the_same_page(self):
        pages = []
        for stars, feedback in ((1, "Slow to answer"), (5, "")):
            response = self._rate(str(stars), feedback)
            self.assertEqual(
                response.headers["Location"].split("/pay/", 1)[1],
                f"{self.link.token}?rated=1",
            )
            tree = html.fromstring(
                self.url_open(f"/pay/{self.link.token}?rated=1").content
            )
            # Thanks, the review page offered to everyone, the tips as before.
            self.assertEqual(
                self._texts_by_class(tree, "o_paylink_rating_thanks"),
                ["Thank you for your rating. Share it publicly"],
            )
            self.assertEqual(
                tree.xpath("//*[contains(@class, 'o_paylink_rating_thanks')]/a")[0].get(
                    "href"
                ),
                "https://reviews.example.com/us",
            )
            self.assertEqual(
                tree.xpath("//input[@name='rating'][@checked]")[0].get("value"),
                str(stars),
            )
            pages.append(self._sections(tree))
        self.assertEqual(pages[0], pages[1])
        # One rating of the latest invoice, changed by the second.
        rating = self._ratings()
        self.assertEqual(len(rating), 1)
        self.assertEqual(
            (rating.res_model, rating.res_id, rating.rating, rating.feedback),
            ("account.move", self.invoice.id, 5.0, False),
        )
        self.assertTrue(rating.consumed)
        # A new invoice gets a rating of its own.
        newer = self._post_move(self.rater, [10.0])
        self._rate("3", "Better")
        self.assertEqual(
            self._ratings().sorted("id").mapped(lambda r: (r.res_id, r.rating)),
            [(self.invoice.id, 5.0), (newer.id, 3.0)],
        )
        # The office sees them on the customer.
        partner = self.rater.with_company(self.company)
        self.env.invalidate_all()
        self.assertEqual(partner.paylink_rating_count, 2)
        action = partner.action_view_paylink_ratings()
        self.assertEqual(
            self.env["rating.rating"].search(action["domain"]), self._ratings()
        )

    @mute_logger("odoo.http")
    def test_30_bad_ratings_are_refused_and_record_nothing(self):
        for rating in ("0", "6", "x", ""):
            with self.subTest(rating=rating):
                response = self._rate(rating, expected_status=400)
                self.assertIn("Please choose from 1 to 5 stars", response.text)
        self._rate("4", "x" * 2001, expected_status=400)
        self._rate("4", csrf=False, expected_status=400)
        # A bad link, with the session's CSRF token: the same 404 as any bad link.
        csrf_token = (
            self._get_page_tree(self.link)
            .xpath("//input[@name='csrf_token']")[0]
            .get("value")
        )
        response = self.url_open(
            "/pay/" + "x" * 43 + "/rating",
            data={"rating": "5", "csrf_token": csrf_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertIn("This payment link is not valid", response.text)
        self.company.paylink_rating_enabled = False
        self._rate("4", csrf=False, expected_status=400)
        self.assertFalse(self._ratings())
