# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The open invoices on the page and paying part of the balance: an amount applied
oldest due first, or chosen invoices, each reconciled exactly as shown."""

from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import (
    PaylinkPaymentHttpCommon,
    normalize,
)


@tagged("post_install", "-at_install")
class TestPayPart(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.debtor = cls._create_customer("Part Payer")
        # Due on their dates (no payment terms): 200.00 due in all.
        cls.inv_old = cls._post_move(
            cls.debtor,
            [100.0],
            invoice_date=today - timedelta(days=60),
            due_date=today - timedelta(days=30),
        )
        cls.inv_mid = cls._post_move(
            cls.debtor,
            [50.0],
            invoice_date=today - timedelta(days=20),
            due_date=today - timedelta(days=1),
        )
        cls._pay(cls.inv_mid, 20.0)  # 30.00 left.
        cls.refund = cls._post_move(
            cls.debtor,
            [10.0],
            move_type="out_refund",
            invoice_date=today - timedelta(days=5),
            due_date=today - timedelta(days=5),
        )
        cls.inv_new = cls._post_move(
            cls.debtor, [80.0], invoice_date=today, due_date=today
        )
        cls.link = cls._generate_link(cls.debtor)

    def _residuals(self):
        self.env.invalidate_all()
        return [
            move.amount_residual
            for move in (self.inv_old, self.inv_mid, self.refund, self.inv_new)
        ]

    def _page_tree(self):
        return self._get_page_tree(self.link)

    # === THE OPEN INVOICES === #

    def test_10_open_invoices_oldest_due_first(self):
        tree = self._page_tree()
        documents = tree.xpath(f"//li[{self._css('o_paylink_document')}]")
        self.assertEqual(
            [
                self._texts_by_class(doc, "o_paylink_document_name", True)
                for doc in documents
            ],
            [
                [self.inv_old.name],
                [f"Credit note {self.refund.name}"],
                [self.inv_mid.name],
                [self.inv_new.name],
            ],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_document_residual"),
            [
                self._format(100.0),
                self._format(-10.0),
                self._format(30.0),
                self._format(80.0),
            ],
        )
        # Overdue by the company's today: not the invoice due today, not a credit note.
        self.assertEqual(
            [
                bool(doc.xpath(f".//*[{self._css('o_paylink_overdue')}]"))
                for doc in documents
            ],
            [True, False, True, False],
        )
        # A partly paid invoice shows what is left of its total.
        self.assertIn(
            f"of {self._format(50.0)}", normalize(documents[2].text_content())
        )
        self.assertEqual(
            documents[0].xpath("./a")[0].get("href"),
            f"/pay/{self.link.token}/invoice/{self.inv_old.id}",
        )
        self.assertEqual(
            tree.xpath(f"//*[{self._css('o_paylink_statement')}]/a")[0].get("href"),
            f"/pay/{self.link.token}/statement",
        )
        # The invoices that can be chosen: not the credit note.
        self.assertEqual(
            [
                int(box.get("value"))
                for box in tree.xpath("//input[@name='invoice_ids']")
            ],
            [self.inv_old.id, self.inv_mid.id, self.inv_new.id],
        )

    def test_11_at_most_fifty_with_the_count_of_the_rest(self):
        customer = self._create_customer("Many Invoices")
        for _index in range(52):
            self._post_move(customer, [1.0])
        tree = self._get_page_tree(self._generate_link(customer))
        self.assertEqual(
            len(tree.xpath(f"//li[{self._css('o_paylink_document')}]")), 50
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_documents_more"),
            ["And 2 more open documents: see your statement."],
        )

    def test_12_paying_an_invoice_elsewhere_refreshes_the_list(self):
        _csrf, fingerprint = self._open_page(self.link)
        self._pay(self.inv_new, 80.0)
        refresh = self._get_summary(self.link.token, fingerprint)
        self.assertNotEqual(refresh["fingerprint"], fingerprint)
        summary = html.fromstring(f"<div>{refresh['html']}</div>")
        self.assertNotIn(
            self.inv_new.name,
            self._texts_by_class(summary, "o_paylink_document_name"),
        )

    # === THE PAYMENT STEP === #

    def test_20_an_amount_is_applied_oldest_due_first(self):
        tree = self._get_checkout_tree(self.link, amount="120", tip_percent=20)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_allocation"),
            [
                f"Pays {self.inv_old.name} in full and {self._format(20.0)} of"
                f" {self.inv_mid.name}."
            ],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_checkout_part"),
            [self._format(120.0)],
        )
        # The tip is on the amount paid.
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_checkout_tip"), [self._format(24.0)]
        )
        checkout = tree.xpath(f"//*[{self._css('o_paylink_checkout')}]")[0]
        self.assertEqual(checkout.get("data-part-amount"), "120.0")
        self.assertIsNone(checkout.get("data-part-invoice-ids"))

    def test_21_chosen_invoices_in_full_oldest_due_first(self):
        query = f"invoice_ids={self.inv_new.id}&invoice_ids={self.inv_old.id}"
        response = self.url_open(
            f"/pay/{self.link.token}/checkout?tip_percent=0&{query}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        tree = html.fromstring(response.content)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_allocation"),
            [f"Pays {self.inv_old.name} in full and {self.inv_new.name} in full."],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount"),
            [self._format(180.0)],
        )
        checkout = tree.xpath(f"//*[{self._css('o_paylink_checkout')}]")[0]
        self.assertEqual(
            checkout.get("data-part-invoice-ids"),
            f"{self.inv_old.id},{self.inv_new.id}",
        )

    def test_22_the_whole_balance_as_an_amount_is_the_balance(self):
        tree = self._get_checkout_tree(self.link, amount="200.00", tip_percent=0)
        self.assertFalse(self._texts_by_class(tree, "o_paylink_allocation"))
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount"),
            [self._format(200.0)],
        )

    def test_23_a_choice_that_cannot_be_paid_returns_to_the_page(self):
        other = self._create_customer("Someone Else")
        foreign = self._post_move(other, [10.0])
        paid = self._post_move(self.debtor, [5.0])
        self._pay(paid, 5.0)
        for query, status, message in (
            ("amount=0.50", 400, "Please enter an amount from"),
            ("amount=200.01", 400, "Please enter an amount from"),
            ("amount=abc", 400, "Please enter an amount from"),
            ("amount=-5", 400, "Please enter an amount from"),
            ("amount=nan", 400, "Please enter an amount from"),
            (f"amount=5&invoice_ids={self.inv_old.id}", 400, "not both"),
            (f"invoice_ids={foreign.id}", 409, "no longer open"),
            (f"invoice_ids={paid.id}", 409, "no longer open"),
            (f"invoice_ids={self.refund.id}", 409, "no longer open"),
            ("invoice_ids=x", 409, "no longer open"),
        ):
            with self.subTest(query=query):
                response = self.url_open(
                    f"/pay/{self.link.token}/checkout?tip_percent=18&{query}",
                    allow_redirects=False,
                )
                tree = html.fromstring(response.content)
                self.assertEqual(
                    response.status_code,
                    status,
                    self._texts_by_class(tree, "o_paylink_choice_error"),
                )
                [error] = self._texts_by_class(tree, "o_paylink_choice_error")
                self.assertIn(message, error)
                # The page again, the form open, with what was entered.
                self.assertTrue(tree.xpath("//details[@open]"))
        response = self.url_open(
            f"/pay/{self.link.token}/checkout?tip_percent=0&amount=250",
            allow_redirects=False,
        )
        tree = html.fromstring(response.content)
        self.assertEqual(tree.xpath("//input[@name='amount']")[0].get("value"), "250")
        self.assertIn(
            f"from {self._format(1.0)} to {self._format(200.0)}",
            self._texts_by_class(tree, "o_paylink_choice_error")[0],
        )
        self.assertFalse(self._paylink_transactions(self.link))

    def test_24_the_minimum_is_the_companys(self):
        self.company.paylink_partial_min_amount = 25.0
        self._get_checkout(self.link, amount="25", tip_percent=0)
        response = self._get_checkout(
            self.link, expected_status=400, amount="24.99", tip_percent=0
        )
        self.assertIn(self._format(25.0), response.text.replace("\xa0", " ") or "")

    # === PAYING === #

    def test_30_an_amount_is_reconciled_as_shown(self):
        reference = self._start_payment(self.link, part_amount="120", tip_percent=20)
        tx = self._paylink_transactions(self.link)
        self.assertAlmostEqual(tx.amount, 144.0)
        self.assertAlmostEqual(tx.paylink_tip_amount, 24.0)
        self.assertEqual(
            tx.paylink_allocation, [[self.inv_old.id, 100.0], [self.inv_mid.id, 20.0]]
        )
        self._simulate(reference)
        self.assertEqual(self._residuals(), [0.0, 10.0, 10.0, 80.0])
        self.env.invalidate_all()
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.inv_old.payment_state, "paid")
        self.assertEqual(self.inv_mid.payment_state, "partial")
        self.assertEqual(tx.paylink_tip_invoice_id.payment_state, "paid")
        # The payment went to the tip and the two invoices, for those amounts.
        payment_line = tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(
            sorted(
                (partial.debit_move_id.move_id.id, partial.amount)
                for partial in payment_line.matched_debit_ids
            ),
            sorted(
                [
                    (self.inv_old.id, 100.0),
                    (self.inv_mid.id, 20.0),
                    (tx.paylink_tip_invoice_id.id, 24.0),
                ]
            ),
        )
        self.assertAlmostEqual(self.link._get_account_summary()["balance"], 80.0)
        self.assertEqual(
            tx.invoice_ids - tx.paylink_tip_invoice_id, self.inv_old | self.inv_mid
        )

    def test_31_chosen_invoices_are_reconciled_in_full(self):
        reference = self._start_payment(
            self.link, part_invoice_ids=[self.inv_new.id], tip_percent=0
        )
        tx = self._paylink_transactions(self.link)
        self.assertAlmostEqual(tx.amount, 80.0)
        self._simulate(reference)
        self.assertEqual(self._residuals(), [100.0, 30.0, 10.0, 0.0])
        self.assertAlmostEqual(self.link._get_account_summary()["balance"], 120.0)

    @mute_logger("odoo.http")
    def test_32_refused_choices_create_nothing(self):
        other = self._create_customer("Someone Else")
        foreign = self._post_move(other, [10.0])
        csrf_token, fingerprint = self._open_page(self.link)
        for overrides, status, message in (
            ({"part_amount": "0.99"}, 400, "Please enter an amount from"),
            ({"part_amount": "500"}, 400, "Please enter an amount from"),
            ({"part_amount": True}, 400, "Please enter an amount from"),
            ({"part_amount": [1]}, 400, "Please enter an amount from"),
            ({"part_invoice_ids": [foreign.id]}, 409, "no longer open"),
            ({"part_invoice_ids": ["abc"]}, 409, "no longer open"),
            (
                {"part_invoice_ids": [self.inv_old.id, self.inv_old.id]},
                409,
                "no longer open",
            ),
            (
                {"part_amount": "10", "part_invoice_ids": [self.inv_old.id]},
                400,
                "not both",
            ),
        ):
            with self.subTest(overrides=overrides):
                response = self._jsonrpc(
                    f"/pay/{self.link.token}/transaction",
                    self._transaction_params(csrf_token, fingerprint, **overrides),
                )
                self._assert_refused(response, status, message)
        # An invoice paid meanwhile: the choice is stale, and so are the figures.
        self._pay(self.inv_new, 80.0)
        response = self._jsonrpc(
            f"/pay/{self.link.token}/transaction",
            self._transaction_params(
                csrf_token, fingerprint, part_invoice_ids=[self.inv_new.id]
            ),
        )
        self._assert_refused(response, 409, "no longer open")
        response = self._jsonrpc(
            f"/pay/{self.link.token}/transaction",
            self._transaction_params(csrf_token, fingerprint, part_amount="50"),
        )
        self._assert_refused(response, 409, "Your balance has changed")
        self.assertFalse(self._paylink_transactions(self.link))

    # === FOR THE OFFICE === #

    def test_40_openings_and_payments_on_the_customer_form(self):
        partner = self.debtor.with_company(self.company)
        self.assertEqual(partner.paylink_open_count, 0)
        self.assertFalse(partner.paylink_last_opened)
        self._get_page(self.link.token)  # The page alone writes nothing.
        for method in ("POST", "GET"):
            response = self.opener.request(
                method, f"{self.base_url()}/pay/{self.link.token}/opened", timeout=10
            )
            self.assertEqual(response.status_code, 204)
            self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertEqual(
            self.url_open("/pay/" + "x" * 43 + "/opened", data={}).status_code, 404
        )
        self.env.invalidate_all()
        self.assertEqual(partner.paylink_open_count, 2)
        self.assertTrue(partner.paylink_last_opened)
        # An opening over 30 days ago no longer counts.
        self.env["paylink.link.open"].sudo().search(
            [("link_id", "=", self.link.id)]
        ).day = fields.Date.today() - timedelta(days=30)
        self.env.invalidate_all()
        self.assertEqual(partner.paylink_open_count, 0)
        self.assertTrue(partner.paylink_last_opened)
        # The payments made through the link.
        self.assertEqual(partner.paylink_payment_count, 0)
        self._simulate(self._start_payment(self.link, part_amount="30"))
        self.env.invalidate_all()
        self.assertEqual(partner.paylink_payment_count, 1)
        action = partner.action_view_paylink_payments()
        self.assertEqual(
            self.env["payment.transaction"].search(action["domain"]),
            self._paylink_transactions(self.link),
        )

    def test_41_the_page_sends_its_beacon(self):
        tree = self._page_tree()
        self.assertEqual(
            tree.xpath("//noscript/img")[0].get("src"),
            f"/pay/{self.link.token}/opened",
        )
        script = self.url_open("/paylink_portal/static/src/page/paylink_page.js").text
        self.assertIn('sendBeacon?.(baseUrl + "/opened")', script)
