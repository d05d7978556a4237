# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Payment terms counted as Odoo counts them: an early-payment discount offered until
its last day and booked as Register Payment books it, and instalments, with what is due
now payable on its own. Each payment is read back from the books."""

from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_date, mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkPaymentHttpCommon, normalize


@tagged("post_install", "-at_install")
class TestPayTerms(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        # "2/10 net 30": 2% off if paid within 10 days, the taxes left as invoiced.
        cls.epd_term = cls._create_term(
            "2/10 Net 30", [(100.0, 30)], early_pay_discount_computation="excluded"
        )
        # The same, the taxes reduced with the discount when it is taken.
        cls.epd_term_taxed = cls._create_term(
            "2/10 Net 30, taxes reduced",
            [(100.0, 30)],
            early_pay_discount_computation="included",
        )
        # "30% now, 70% in 60 days".
        cls.split_term = cls._create_term(
            "30% now, 70% in 60 days", [(30, 0), (70, 60)]
        )
        cls.discount_account = (
            cls.company.account_journal_early_pay_discount_loss_account_id
        )

    def _epd_customer(self, amounts=(100.0,), invoice_date=None, term=None, **kwargs):
        customer = self._create_customer("Early Payer")
        invoice = self._post_move(
            customer,
            list(amounts),
            invoice_date=invoice_date or self.today,
            payment_term=term or self.epd_term,
            **kwargs,
        )
        return customer, invoice, self._generate_link(customer)

    def _discount_lines(self, tx):
        """The lines the payment booked on the early-payment discount account."""
        return tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id == self.discount_account
        )

    def _date(self, date):
        return normalize(format_date(self.env, date))

    # === EARLY-PAYMENT DISCOUNTS === #

    def test_10_the_discount_is_offered_until_its_date(self):
        _customer, invoice, link = self._epd_customer()
        last_day = self.today + timedelta(days=10)
        tree = self._get_page_tree(link)
        # The account's balance stays what the books say; what settles it is offered.
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(100.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_discount"),
            [
                f"{self._format(98.0)} if paid by {self._date(last_day)}"
                f" (early-payment discount of {self._format(2.0)})"
            ],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_document_discount"),
            [f"{self._format(98.0)} if paid by {self._date(last_day)}"],
        )
        # The tips are on what is paid, and so are the totals.
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount")[:4],
            [self._format(total) for total in (98.0, 115.64, 117.6, 122.5)],
        )
        self.assertIn(
            self._format(98.0),
            self._texts_by_class(tree, "o_paylink_part_invoices", True)[0],
        )
        checkout = self._get_checkout_tree(link, tip_percent=20)
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_checkout_discount"),
            [self._format(-2.0)],
        )
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_checkout_tip"),
            [self._format(19.6)],
        )
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_total_amount"),
            [self._format(117.6)],
        )
        self.assertEqual(invoice.amount_residual, 100.0)

    def test_11_paying_settles_in_full_with_the_discount_booked(self):
        _customer, invoice, link = self._epd_customer()
        reference = self._start_payment(link, tip_percent=20)
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.amount, 117.6)
        self.assertAlmostEqual(tx.paylink_tip_amount, 19.6)
        self.assertEqual(tx.paylink_discounts, [[invoice.id, 2.0]])
        self.assertEqual(tx.currency_id, self.currency)
        self._simulate(reference)
        self.env.invalidate_all()
        self.assertEqual(tx.state, "done")
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(tx.paylink_tip_invoice_id.amount_residual, 0.0)
        # Booked as Register Payment books it: 2.00 on the discount account, once.
        self.assertRecordValues(
            self._discount_lines(tx),
            [{"balance": 2.0, "partner_id": invoice.partner_id.id}],
        )
        receivable = tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertAlmostEqual(sum(receivable.mapped("balance")), -119.6)
        self.assertEqual(link._get_account_summary()["state"], "all_set")

    def test_12_the_taxes_are_reduced_where_the_term_says_so(self):
        _customer, invoice, link = self._epd_customer(
            term=self.epd_term_taxed, taxes=self.tax_10
        )
        self.assertEqual(invoice.amount_total, 110.0)
        summary = link._get_account_summary()
        self.assertEqual(
            (summary["discount"], summary["amount_to_settle"]), (2.2, 107.8)
        )
        reference = self._start_payment(link)
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.amount, 107.8)
        self._simulate(reference)
        self.env.invalidate_all()
        self.assertEqual(invoice.amount_residual, 0.0)
        lines = tx.payment_id.move_id.line_ids
        self.assertAlmostEqual(sum(self._discount_lines(tx).mapped("balance")), 2.0)
        self.assertAlmostEqual(
            sum(
                lines.filtered(lambda line: line.tax_line_id == self.tax_10).mapped(
                    "balance"
                )
            ),
            0.2,
        )
        self.assertEqual(link._get_account_summary()["state"], "all_set")

    def test_13_after_its_date_the_full_amount(self):
        _customer, invoice, link = self._epd_customer(
            invoice_date=self.today - timedelta(days=11)
        )
        tree = self._get_page_tree(link)
        self.assertFalse(self._texts_by_class(tree, "o_paylink_discount"))
        self.assertFalse(self._texts_by_class(tree, "o_paylink_document_discount"))
        checkout = self._get_checkout_tree(link)
        self.assertFalse(self._texts_by_class(checkout, "o_paylink_checkout_discount"))
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_total_amount"),
            [self._format(100.0)],
        )
        reference = self._start_payment(link)
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.amount, 100.0)
        self.assertFalse(tx.paylink_discounts)
        self._simulate(reference)
        self.env.invalidate_all()
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertFalse(self._discount_lines(tx))

    def test_14_a_part_payment_takes_the_discount_only_in_full(self):
        # Oldest due first: a plain invoice of 50.00, then the discounted one.
        customer, invoice, link = self._epd_customer()
        plain = self._post_move(
            customer,
            [50.0],
            invoice_date=self.today - timedelta(days=20),
            due_date=self.today - timedelta(days=5),
        )
        tree = self._get_checkout_tree(link, amount="120")
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_allocation"),
            [f"Pays {plain.name} in full and {self._format(70.0)} of {invoice.name}."],
        )
        # 148.00 settles the account: the balance, with the discount.
        tree = self._get_checkout_tree(link, amount="148")
        self.assertFalse(self._texts_by_class(tree, "o_paylink_allocation"))
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_checkout_discount"),
            [self._format(-2.0)],
        )
        # 120.00: the invoice is not paid in full, no discount.
        self._simulate(self._start_payment(link, part_amount="120"))
        tx = self._paylink_transactions(link)
        self.assertFalse(tx.paylink_discounts)
        self.env.invalidate_all()
        self.assertEqual((plain.amount_residual, invoice.amount_residual), (0.0, 30.0))
        self.assertFalse(self._discount_lines(tx))
        # Paid in part, it has no discount left (as in Odoo).
        summary = link._get_account_summary()
        self.assertEqual(
            (summary["discount"], summary["amount_to_settle"]), (0.0, 30.0)
        )

    def test_15_chosen_invoices_take_their_discount(self):
        customer, invoice, link = self._epd_customer()
        plain = self._post_move(
            customer, [50.0], due_date=self.today - timedelta(days=5)
        )
        tree = self._get_checkout_tree(link, invoice_ids=invoice.id)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_allocation"),
            [
                f"Pays {invoice.name} in full, less its {self._format(2.0)}"
                " early-payment discount."
            ],
        )
        reference = self._start_payment(link, part_invoice_ids=[invoice.id])
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.amount, 98.0)
        self.assertEqual(tx.paylink_allocation, [[invoice.id, 98.0]])
        self.assertEqual(tx.paylink_discounts, [[invoice.id, 2.0]])
        self._simulate(reference)
        self.env.invalidate_all()
        self.assertEqual((plain.amount_residual, invoice.amount_residual), (50.0, 0.0))
        self.assertRecordValues(self._discount_lines(tx), [{"balance": 2.0}])
        self.assertEqual(link._get_account_summary()["balance"], 50.0)

    def test_16_an_amount_settling_the_invoice_takes_its_discount(self):
        customer, invoice, link = self._epd_customer()
        plain = self._post_move(
            customer, [50.0], due_date=self.today - timedelta(days=5)
        )
        self._simulate(self._start_payment(link, part_amount="148", tip_percent=18))
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.paylink_tip_amount, 26.64)
        self.env.invalidate_all()
        self.assertEqual((plain.amount_residual, invoice.amount_residual), (0.0, 0.0))
        self.assertRecordValues(self._discount_lines(tx), [{"balance": 2.0}])
        self.assertEqual(link._get_account_summary()["state"], "all_set")

    @mute_logger("odoo.http")
    def test_17_a_forged_discount_is_refused(self):
        _customer, invoice, link = self._epd_customer()
        csrf_token, fingerprint = self._open_page(link)
        for overrides, status, message in (
            ({"paylink_discounts": [[invoice.id, 100.0]]}, 400, ""),
            ({"discount": 50.0}, 400, ""),
            ({"part_due_now": "yes"}, 400, "Invalid choice"),
            ({"part_due_now": True, "part_amount": "10"}, 400, "not both"),
            ({"fingerprint": "0" * 32}, 409, "Your balance has changed"),
        ):
            with self.subTest(overrides=overrides):
                response = self._jsonrpc(
                    f"/pay/{link.token}/transaction",
                    self._transaction_params(csrf_token, fingerprint, **overrides),
                )
                self._assert_refused(response, status, message)
        self.assertFalse(self._paylink_transactions(link))
        # Whatever the browser sends as the amount, the discounted amount is charged.
        self._start_payment(link, amount=1.0)
        self.assertAlmostEqual(self._paylink_transactions(link).amount, 98.0)

    def test_18_credits_larger_than_what_is_left_take_no_discount(self):
        customer, invoice, link = self._epd_customer()
        self._post_move(customer, [99.0], move_type="out_refund")
        summary = link._get_account_summary()
        self.assertEqual(
            (summary["balance"], summary["discount"], summary["amount_to_settle"]),
            (1.0, 0.0, 1.0),
        )
        [document] = [d for d in summary["documents"] if d["id"] == invoice.id]
        self.assertEqual(document["amount_to_settle"], 100.0)
        self._simulate(self._start_payment(link))
        self.env.invalidate_all()
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(link._get_account_summary()["state"], "all_set")

    # === INSTALMENTS === #

    def _split_customer(self):
        customer = self._create_customer("Instalment Payer")
        invoice = self._post_move(
            customer, [1000.0], invoice_date=self.today, payment_term=self.split_term
        )
        return customer, invoice, self._generate_link(customer)

    def test_20_what_is_due_now_and_the_balance(self):
        _customer, invoice, link = self._split_customer()
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_due_now_amount"),
            [self._format(300.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(1000.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_document_installment"),
            [f"Instalment 1 of 2: {self._format(300.0)} due {self._date(self.today)}"],
        )
        [button] = tree.xpath("//button[@name='due_now']")
        self.assertEqual(button.get("value"), "1")
        self.assertIn(self._format(300.0), normalize(button.text_content()))
        # The whole balance is still one tap.
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount")[0],
            self._format(1000.0),
        )
        checkout = self._get_checkout_tree(link, due_now="1", tip_percent=20)
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_checkout_part"),
            [self._format(300.0)],
        )
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_total_amount"),
            [self._format(360.0)],
        )
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_allocation"),
            [f"Pays {self._format(300.0)} of {invoice.name}."],
        )
        [step] = checkout.xpath(f"//*[{self._css('o_paylink_checkout')}]")
        self.assertEqual(step.get("data-part-due-now"), "1")

    def test_21_paying_what_is_due_now_settles_the_instalment(self):
        _customer, invoice, link = self._split_customer()
        reference = self._start_payment(link, part_due_now=True)
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.amount, 300.0)
        self.assertEqual(tx.paylink_allocation, [[invoice.id, 300.0]])
        self._simulate(reference)
        self.env.invalidate_all()
        self.assertEqual(invoice.amount_residual, 700.0)
        first, second = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).sorted("date_maturity")
        self.assertEqual((first.reconciled, second.reconciled), (True, False))
        self.assertEqual(second.amount_residual, 700.0)
        # The next instalment is now the one to pay: the balance, in one tap.
        summary = link._get_account_summary()
        self.assertEqual((summary["due_now"], summary["balance"]), (700.0, 700.0))
        tree = self._get_page_tree(link)
        self.assertFalse(tree.xpath("//button[@name='due_now']"))
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_document_installment"),
            [
                f"Instalment 2 of 2: {self._format(700.0)} due"
                f" {self._date(self.today + timedelta(days=60))}"
            ],
        )

    def test_22_an_overdue_instalment_is_what_is_due_now(self):
        customer = self._create_customer("Late Payer")
        invoice = self._post_move(
            customer,
            [1000.0],
            invoice_date=self.today - timedelta(days=5),
            payment_term=self._create_term("Thirds", [(34, 0), (33, 30), (33, 60)]),
        )
        link = self._generate_link(customer)
        summary = link._get_account_summary()
        # The first third is overdue: it is what is due now, as Register Payment
        # proposes (the next one is not added until the overdue one is paid).
        self.assertEqual(
            (summary["due_now"], summary["amount_to_settle"]), (340.0, 1000.0)
        )
        self.assertEqual(summary["documents"][0]["installment"]["number"], 1)
        # Its last instalment is far off, its first overdue: it is overdue.
        self.assertTrue(summary["documents"][0]["overdue"])
        # Paying the whole balance still settles everything.
        self._simulate(self._start_payment(link))
        self.env.invalidate_all()
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_23_without_instalments_nothing_changes(self):
        customer = self._create_customer("Plain Payer")
        self._post_move(customer, [100.0], taxes=self.tax_10)
        link = self._generate_link(customer)
        tree = self._get_page_tree(link)
        self.assertFalse(tree.xpath("//button[@name='due_now']"))
        self.assertFalse(self._texts_by_class(tree, "o_paylink_due_now_amount"))
        self.assertFalse(self._texts_by_class(tree, "o_paylink_document_installment"))
        summary = link._get_account_summary()
        self.assertEqual(
            (summary["balance"], summary["amount_to_settle"], summary["due_now"]),
            (110.0, 110.0, 110.0),
        )
        # Asked for what is due now, the balance is paid.
        tree = self._get_checkout_tree(link, due_now="1")
        self.assertFalse(self._texts_by_class(tree, "o_paylink_allocation"))
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount"),
            [self._format(110.0)],
        )

    def test_24_reminders_and_statement_speak_of_what_is_due_now(self):
        customer, _invoice, _link = self._split_customer()
        body = self.env.ref(
            "paylink_portal.sms_template_paylink_reminder"
        )._render_field("body", customer.ids)[customer.id]
        self.assertIn(
            f"{self._format(300.0)} is due now on your account", normalize(body)
        )
        plain = self._create_customer("Plain Payer")
        self._post_move(plain, [100.0])
        statements = {}
        for partner in (customer, plain):
            report_html, _type = self.env["ir.actions.report"]._render_qweb_html(
                "paylink_portal.action_report_paylink_statement",
                partner.ids,
                data={"company_id": self.company.id},
            )
            statements[partner] = html.fromstring(report_html)
        self.assertEqual(
            self._texts_by_class(statements[customer], "o_paylink_statement_due_now"),
            [f"Due now: {self._format(300.0)}"],
        )
        # Due now is the closing balance: nothing more is said.
        self.assertFalse(
            self._texts_by_class(statements[plain], "o_paylink_statement_due_now")
        )
