# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import date, timedelta

from lxml import html

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkHttpCommon, normalize

# A 1x1 pixel PNG, for a company logo.
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPayPage(PaylinkHttpCommon):
    # === BALANCE STATES === #

    def test_10_zero_balance_is_all_set(self):
        invoice = self._post_move(self.customer, [120.0])
        self._pay(invoice, 120.0)
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance"),
            ["You're all set! You have no outstanding balance."],
        )
        self.assertFalse(tree.xpath("//input[@name='tip_percent']"))
        self.assertFalse(tree.xpath(f"//*[{self._css('o_paylink_form')}]"))
        # The customer and the company are named on the page.
        page_text = normalize(tree.text_content())
        self.assertIn("Ada Customer", page_text)
        self.assertIn(self.company.name, page_text)

    def test_11_negative_balance_is_account_credit(self):
        self._post_move(self.customer, [40.0])
        self._post_move(self.customer, [65.5], move_type="out_refund")
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        balance_text = self._texts_by_class(tree, "o_paylink_balance")[0]
        self.assertIn(f"Account credit: {self._format(25.5)}", balance_text)
        self.assertIn("25.50", balance_text)
        self.assertFalse(tree.xpath("//input[@name='tip_percent']"))

    def test_12_positive_balance_is_outstanding_with_tips_and_form(self):
        self._post_move(self.customer, [100.0, 50.0], taxes=self.tax_10)
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        amount = self._texts_by_class(tree, "o_paylink_balance_amount")
        self.assertEqual(amount, [self._format(165.0)])
        tips = tree.xpath(
            f"//form[{self._css('o_paylink_form')}]//input[@name='tip_percent']"
        )
        self.assertEqual([tip.get("value") for tip in tips], ["0", "18", "20", "25"])
        self.assertEqual(
            ["checked" in tip.attrib for tip in tips],
            [True, False, False, False],
            "No tip is the default.",
        )
        expected_totals = [
            self._format(total) for total in (165.0, 194.7, 198.0, 206.25)
        ]
        self.assertEqual(
            [normalize(tip.get("data-paylink-total")) for tip in tips],
            expected_totals,
        )
        # Every tip's total is in the HTML, in the tips and on the "Pay" button, each
        # marked with its tip for the style sheet to show the checked one's.
        for container in ("o_paylink_tips", "o_paylink_pay_button"):
            totals = tree.xpath(
                f"//*[{self._css(container)}]//*[{self._css('o_paylink_total_amount')}]"
            )
            self.assertEqual(
                [
                    (total.get("data-tip"), normalize(total.text_content()))
                    for total in totals
                ],
                list(zip(["0", "18", "20", "25"], expected_totals, strict=True)),
            )
        form = tree.xpath(f"//form[{self._css('o_paylink_form')}]")[0]
        labels = self._texts(form, ".//label")
        self.assertIn("Save card for future payments", labels)
        self.assertIn(
            "SMS consent: I agree to receive automated payment reminders via text",
            labels,
        )
        # A plain form to the payment step: it works without any script.
        self.assertEqual(form.get("method"), "get")
        self.assertEqual(form.get("action"), f"/pay/{link.token}/checkout")
        self.assertEqual(
            [
                (field.get("name"), field.get("type"))
                for field in form.xpath(".//input")
            ],
            [("tip_percent", "radio")] * 4
            + [("save_card", "checkbox"), ("sms_consent", "checkbox")],
        )
        self.assertEqual(
            self._texts(form, ".//button[@type='submit']"),
            [f"Pay {''.join(expected_totals)}"],
        )

    def test_13_the_page_needs_no_odoo_bundle(self):
        """Everything the page shows is in its HTML, styled by its inlined stylesheet;
        its one script is small, deferred, and needed for nothing but live figures."""
        self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        response = self._get_page(link.token)
        tree = html.fromstring(response.content)
        # The payment step's scripts are only listed, for the page's script to fetch
        # ahead (tests/test_pay_step.py).
        self.assertNotIn(
            "/web/assets/", html.tostring(tree.xpath("//head")[0]).decode()
        )
        self.assertFalse(tree.xpath("//link[@rel='stylesheet']"))
        self.assertEqual(
            [
                (script.get("src"), "defer" in script.attrib)
                for script in tree.xpath("//script")
            ],
            [("/paylink_portal/static/src/page/paylink_page.js", True)],
        )
        [style] = tree.xpath("//head/style")
        self.assertIn(".o_paylink_tip_input:nth-of-type(4):checked", style.text)
        self.assertNotIn("/*", style.text, "Inlined without its comments.")
        # The radio buttons precede everything the style sheet reveals for them.
        form = tree.xpath(f"//form[{self._css('o_paylink_form')}]")[0]
        self.assertEqual([child.get("name") for child in form][:4], ["tip_percent"] * 4)
        script = self.url_open("/paylink_portal/static/src/page/paylink_page.js")
        self.assertEqual(script.status_code, 200)
        self.assertLess(len(script.content), 8000)

    def test_14_balance_is_the_total_receivable(self):
        """Invoices, credit notes, partial payments and manual entries all count."""
        invoice_1 = self._post_move(self.customer, [300.0], taxes=self.tax_10)
        self._post_move(
            self.customer, [80.0], invoice_date=date.today() - timedelta(days=3)
        )
        self._post_move(self.customer, [30.0], move_type="out_refund")
        self._pay(invoice_1, 130.0)
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": self.company_data[
                                "default_account_receivable"
                            ].id,
                            "partner_id": self.customer.id,
                            "debit": 12.34,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "account_id": self.company_data[
                                "default_account_revenue"
                            ].id,
                            "credit": 12.34,
                        },
                    ),
                ],
            }
        )
        entry.action_post()
        # A draft invoice does not count.
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Draft", "price_unit": 999.0, "tax_ids": []})
                ],
            }
        )
        expected = 330.0 + 80.0 - 30.0 - 130.0 + 12.34
        self.customer.invalidate_recordset(["credit"])
        self.assertAlmostEqual(self.customer.credit, expected)
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(expected)],
        )

    # === BILLING LINE ITEMS === #

    def test_20_last_twenty_lines_newest_first(self):
        today = date.today()
        for days_ago in range(
            25, 0, -1
        ):  # Posted oldest first: order must come from dates.
            self._post_move(
                self.customer,
                [float(days_ago)],
                invoice_date=today - timedelta(days=days_ago),
                names=[f"Charge {days_ago} days ago"],
            )
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        descriptions = self._texts_by_class(tree, "o_paylink_line_description")
        self.assertEqual(
            descriptions, [f"Charge {days} days ago" for days in range(1, 21)]
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_amount"),
            [self._format(float(days)) for days in range(1, 21)],
        )
        dates = self._texts_by_class(tree, "o_paylink_line_date")
        self.assertEqual(len(dates), 20)
        self.assertIn(str((today - timedelta(days=1)).day), dates[0])
        # The charges sit in a <details> element: they expand without JavaScript.
        self.assertEqual(
            self._texts(
                tree, f"//details[{self._css('o_paylink_recent_charges')}]/summary"
            ),
            ["View recent charges"],
        )

    def test_21_lines_show_amount_and_tax(self):
        self._post_move(self.customer, [200.0], taxes=self.tax_10, names=["Consulting"])
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        line = tree.xpath(f"//li[{self._css('o_paylink_line')}]")
        self.assertEqual(len(line), 1)
        self.assertEqual(
            self._texts_by_class(line[0], "o_paylink_line_description", relative=True),
            ["Consulting"],
        )
        self.assertEqual(
            self._texts_by_class(line[0], "o_paylink_line_amount", relative=True),
            [self._format(200.0)],
        )
        self.assertEqual(
            self._texts_by_class(line[0], "o_paylink_line_tax", relative=True),
            [self._format(20.0)],
        )

    def test_22_credit_note_lines_are_negative(self):
        self._post_move(
            self.customer, [500.0], invoice_date=date.today() - timedelta(days=2)
        )
        self._post_move(
            self.customer,
            [75.0],
            move_type="out_refund",
            taxes=self.tax_10,
            names=["Refund"],
        )
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_description"),
            ["Refund", "Line 1"],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_amount"),
            [self._format(-75.0), self._format(500.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_tax"),
            [self._format(-7.5), self._format(0.0)],
        )

    def test_23_only_invoice_product_lines_are_listed(self):
        invoice = self._post_move(
            self.customer, [60.0], taxes=self.tax_10, names=["Only me"]
        )
        self._pay(invoice, 66.0)
        self.init_invoice(
            "in_invoice", partner=self.customer, amounts=[999.0], post=True
        )
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_description"),
            ["Only me"],
        )

    # === REAL TIME === #

    def test_30_page_and_refresh_read_live_data(self):
        self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        fingerprint = tree.xpath(f"//*[{self._css('o_paylink_summary')}]")[0].get(
            "data-fingerprint"
        )
        self.assertTrue(fingerprint)

        unchanged = self._get_summary(link.token, fingerprint)
        self.assertEqual(
            unchanged,
            {"fingerprint": fingerprint, "state": "outstanding", "html": False},
        )

        self._post_move(self.customer, [23.45], names=["Late fee"])
        changed = self._get_summary(link.token, fingerprint)
        self.assertNotEqual(changed["fingerprint"], fingerprint)
        summary = html.fromstring(f"<div>{changed['html']}</div>")
        self.assertEqual(
            self._texts_by_class(summary, "o_paylink_balance_amount"),
            [self._format(123.45)],
        )
        self.assertIn(
            "Late fee",
            self._texts_by_class(summary, "o_paylink_line_description"),
        )

        # A reload shows the same figures as the refresh.
        tree = self._get_page_tree(link)
        self.assertEqual(
            tree.xpath(f"//*[{self._css('o_paylink_summary')}]")[0].get(
                "data-fingerprint"
            ),
            changed["fingerprint"],
        )

    # === LINK LIFECYCLE AND ISOLATION === #

    def test_40_regenerating_kills_the_old_link_at_once(self):
        link = self._generate_link(self.customer)
        old_token = link.token
        self._get_page(old_token)
        self._generate_link(self.customer)
        with mute_logger("odoo.http"):
            self._get_page(old_token, expected_status=404)
            with self.assertRaises(Exception) as error:
                self._get_summary(old_token)
        self.assertIn("404", str(error.exception))
        self._get_page(link.token)

    def test_41_multi_company_isolation(self):
        company_2 = self.setup_other_company(name="Second Company Inc")["company"]
        self.env.user.company_ids |= company_2
        self._post_move(self.customer, [100.0], names=["Company one charge"])
        self._post_move(
            self.customer, [7777.0], company=company_2, names=["Company two charge"]
        )
        link_1 = self._generate_link(self.customer)
        link_2 = self._generate_link(self.customer, company=company_2)
        (self.company | company_2).sudo().logo = PNG_1PX

        tree_1 = self._get_page_tree(link_1)
        text_1 = normalize(tree_1.text_content())
        self.assertEqual(
            self._texts_by_class(tree_1, "o_paylink_balance_amount"),
            [self._format(100.0)],
        )
        self.assertIn("Company one charge", text_1)
        self.assertNotIn("Company two charge", text_1)
        self.assertNotIn("Second Company Inc", text_1)
        self.assertIn(
            f"/logo.png?company={self.company.id}", self._get_page(link_1.token).text
        )

        tree_2 = self._get_page_tree(link_2)
        text_2 = normalize(tree_2.text_content())
        self.assertEqual(
            self._texts_by_class(tree_2, "o_paylink_balance_amount"),
            [self._format(7777.0, company_2.currency_id)],
        )
        self.assertIn("Company two charge", text_2)
        self.assertNotIn("Company one charge", text_2)
        self.assertIn("Second Company Inc", text_2)
        page_2 = self._get_page(link_2.token).text
        self.assertIn(f"/logo.png?company={company_2.id}", page_2)
        self.assertNotIn(f"/logo.png?company={self.company.id}", page_2)
        # Without a logo of its own, Odoo's placeholder ("Your logo") is not shown.
        company_2.sudo().logo = False
        self.assertNotIn("/logo.png", self._get_page(link_2.token).text)

    def test_42_branches_share_one_account(self):
        """A company and its branches bill one account, as Odoo's Total Receivable has
        it: the link of either shows the items of both."""
        branch = self._create_company(name="Branch Office", parent_id=self.company.id)
        self.env.user.company_ids |= branch
        self._post_move(self.customer, [100.0], names=["Head office charge"])
        self._post_move(self.customer, [50.0], company=branch, names=["Branch charge"])
        for company in (self.company, branch):
            with self.subTest(company=company.name):
                self.customer.invalidate_recordset(["credit"])
                self.assertAlmostEqual(
                    self.customer.with_company(company).credit, 150.0
                )
                link = self._generate_link(self.customer, company=company)
                tree = self._get_page_tree(link)
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_balance_amount"),
                    [self._format(150.0)],
                )
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_line_description"),
                    ["Branch charge", "Head office charge"],
                )

    def test_43_contact_link_shows_the_company_account(self):
        contact = self.env["res.partner"].create(
            {"name": "Bob Contact", "parent_id": self.customer.id}
        )
        self._post_move(contact, [88.0])
        contact.action_paylink_generate()
        link = self.env["paylink.link"].search([("partner_id", "=", self.customer.id)])
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(88.0)],
        )

    @mute_logger("odoo.http")
    def test_50_every_bad_link_gets_the_same_404(self):
        link = self._generate_link(self.customer)
        revoked_token = link.token
        link = self._generate_link(self.customer)
        archived = self._create_customer("Archived Customer")
        archived_token = self._generate_link(archived).token
        archived.action_archive()
        bad_tokens = {
            "unknown": "A" * 43,
            "malformed": "not-a-token!",
            "over-long": link.token + "x" * 5000,
            "truncated": link.token[:-1],
            "prefix only": link.token[:16] + "A" * 27,
            "unicode": "é" * 43,
            "revoked": revoked_token,
            "archived customer": archived_token,
        }
        first_body = None
        for case, token in bad_tokens.items():
            with self.subTest(case=case):
                response = self._get_page(token, expected_status=404)
                self.assertNotIn("Ada Customer", response.text)
                self.assertNotIn("Archived Customer", response.text)
                body = response.text
                first_body = first_body or body
                self.assertEqual(
                    body, first_body, "Every bad link must get the very same 404 page."
                )
        self._get_page(link.token)
