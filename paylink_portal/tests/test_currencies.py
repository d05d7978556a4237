# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's account in several currencies, read as the accountant reads it: one
balance per currency, the sum of the open items' residuals in that currency, whatever
the rates do (issue 23, "Another currency"). Each figure is read back from the books."""

from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import (
    PaylinkCommon,
    PaylinkPaymentHttpCommon,
    normalize,
)


@tagged("post_install", "-at_install")
class TestCurrencyBalances(PaylinkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_moving_euro()
        cls.ledger = cls.env["paylink.ledger"]

    def _post_usd_and_eur(self, partner):
        """Post the issue's two invoices, last month: $100 and €50 (then $100)."""
        usd_invoice = self._post_move(partner, [100.0], invoice_date=self.last_month)
        eur_invoice = self._post_move(
            partner, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        return usd_invoice, eur_invoice

    def _balances(self, partner):
        return [
            (b["currency"], b["balance"], b["balance_company"])
            for b in self.ledger._get_currency_balances(partner, self.company)
        ]

    def test_10_one_balance_per_currency(self):
        customer = self._create_customer("Two Currencies")
        usd_invoice, eur_invoice = self._post_usd_and_eur(customer)
        # The books: the euro invoice is owed €50, worth $100 at its date.
        self.assertEqual(eur_invoice.currency_id, self.eur)
        self.assertEqual(eur_invoice.amount_residual, 50.0)
        self.assertEqual(eur_invoice.amount_residual_signed, 100.0)
        self.assertEqual(usd_invoice.amount_residual, 100.0)
        self.assertEqual(
            self._balances(customer),
            [(self.currency, 100.0, 100.0), (self.eur, 50.0, 100.0)],
        )
        # The company-currency balance is still Odoo's Total Receivable, the sum of
        # the balances' `balance_company`.
        self.assertEqual(self.ledger._get_balance(customer, self.company), 200.0)
        self.assertEqual(customer.credit, 200.0)

    def test_20_paid_in_its_currency_settles_whatever_the_rate(self):
        customer = self._create_customer("Pays In Euros")
        usd_invoice, eur_invoice = self._post_usd_and_eur(customer)
        payment = self._register_payment(eur_invoice, 50.0, self.eur)
        # Paid as Odoo's portal and Register Payment pay it: in euros, €50 now worth
        # $125; the exchange difference is Odoo's to book, and nothing is left.
        self.assertEqual(payment.currency_id, self.eur)
        self.assertEqual(payment.amount, 50.0)
        self.assertEqual(eur_invoice.amount_residual, 0.0)
        self.assertIn(eur_invoice.payment_state, ("paid", "in_payment"))
        receivable = eur_invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertTrue(receivable.reconciled)
        self.assertEqual(receivable.amount_residual_currency, 0.0)
        self.assertEqual(self._balances(customer), [(self.currency, 100.0, 100.0)])
        self.assertEqual(self.ledger._get_balance(customer, self.company), 100.0)

    def test_30_part_paid_in_its_currency(self):
        customer = self._create_customer("Pays Part In Euros")
        _usd_invoice, eur_invoice = self._post_usd_and_eur(customer)
        self._register_payment(eur_invoice, 20.0, self.eur)
        # €30 left, worth $60 at the invoice's rate (the residual in the company
        # currency keeps the invoice's rate).
        self.assertEqual(eur_invoice.amount_residual, 30.0)
        self.assertEqual(
            self._balances(customer),
            [(self.currency, 100.0, 100.0), (self.eur, 30.0, 60.0)],
        )

    def test_40_a_payment_in_euros_not_applied_is_a_credit_in_euros(self):
        customer = self._create_customer("Paid Ahead In Euros")
        self._post_move(customer, [100.0], invoice_date=self.last_month)
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": customer.id,
                "amount": 20.0,
                "currency_id": self.eur.id,
                "date": self.today,
            }
        )
        payment.action_post()
        # €20 today is worth $50.
        self.assertEqual(
            self._balances(customer),
            [(self.currency, 100.0, 100.0), (self.eur, -20.0, -50.0)],
        )

    def test_50_one_currency_one_balance(self):
        # The customer of every other test: one currency, one balance, the page's.
        customer = self._create_customer("One Currency")
        self._post_move(customer, [100.0, 20.0], invoice_date=self.last_month)
        self.assertEqual(self._balances(customer), [(self.currency, 120.0, 120.0)])
        # A customer with nothing open has no balance at all.
        self.assertEqual(self._balances(self._create_customer("Nothing Open")), [])
        # Even in another currency only, one balance in that currency.
        euro_customer = self._create_customer("Euros Only")
        self._post_move(
            euro_customer, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        self.assertEqual(self._balances(euro_customer), [(self.eur, 50.0, 100.0)])


@tagged("post_install", "-at_install")
class TestCurrencyPayments(PaylinkPaymentHttpCommon):
    """The issue's customer, company in USD, EUR at 0.5 (€1 = $2): a $100 and a €50
    invoice, each balance shown and paid in its own currency, over real HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.last_month = cls.today - timedelta(days=30)
        cls.eur = cls.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)])

    def _usd_and_eur_customer(self, eur_term=None):
        customer = self._create_customer("Two Currencies")
        usd_invoice = self._post_move(customer, [100.0], invoice_date=self.last_month)
        eur_invoice = self._post_move(
            customer,
            [50.0],
            invoice_date=self.last_month if not eur_term else self.today,
            currency=self.eur,
            names=["Euro job"],
            payment_term=eur_term,
        )
        return usd_invoice, eur_invoice, self._generate_link(customer)

    def _page_tree(self, link, currency=None, expected_status=200):
        query = f"?currency={currency}" if currency else ""
        response = self.url_open(f"/pay/{link.token}{query}", allow_redirects=False)
        self.assertEqual(response.status_code, expected_status, response.text[:500])
        return html.fromstring(response.content)

    def _open_currency_page(self, link, currency):
        """Load the page of `currency`; return the CSRF token and the fingerprint."""
        tree = self._page_tree(link, currency)
        page = tree.xpath(f"//*[{self._css('o_paylink_page')}]")[0]
        summary = tree.xpath(f"//*[{self._css('o_paylink_summary')}]")[0]
        self.assertEqual(summary.get("data-currency"), currency)
        return page.get("data-csrf-token"), summary.get("data-fingerprint")

    def _pay_in(self, link, currency, **overrides):
        """Pay from the page of `currency`, as its form does; return the response."""
        csrf_token, fingerprint = self._open_currency_page(link, currency)
        return self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(
                csrf_token, fingerprint, currency=currency, **overrides
            ),
        )

    def _receivable(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_10_each_balance_in_its_currency(self):
        usd_invoice, eur_invoice, link = self._usd_and_eur_customer()
        tree = self._page_tree(link)
        # Both balances, each in its currency: never "$200.00".
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_currency_balance"),
            [self._format(100.0), self._format(50.0, self.eur)],
        )
        self.assertNotIn(self._format(200.0), tree.text_content())
        # The page shows the dollars (the company currency first), and links to the
        # euros' page to pay them.
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(100.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_currency_current"), ["Shown below"]
        )
        [eur_link] = tree.xpath(f"//a[{self._css('o_paylink_currency_link')}]")
        self.assertEqual(eur_link.get("href"), f"/pay/{link.token}?currency=EUR")
        self.assertEqual(
            normalize(eur_link.text_content()), f"Pay {self._format(50.0, self.eur)}"
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_document_name"), [usd_invoice.name]
        )
        # Each charge in its own currency.
        self.assertEqual(
            sorted(self._texts_by_class(tree, "o_paylink_line_amount")),
            sorted([self._format(100.0), self._format(50.0, self.eur)]),
        )
        # Every form of the page pays the dollars.
        self.assertEqual(
            {i.get("value") for i in tree.xpath("//form//input[@name='currency']")},
            {"USD"},
        )

        tree = self._page_tree(link, "EUR")
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(50.0, self.eur)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_document_name"), [eur_invoice.name]
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount")[:4],
            [self._format(total, self.eur) for total in (50.0, 59.0, 60.0, 62.5)],
        )
        self.assertEqual(
            {i.get("value") for i in tree.xpath("//form//input[@name='currency']")},
            {"EUR"},
        )
        # The payment step, in euros.
        checkout = self._get_checkout_tree(link, tip_percent=20, currency="EUR")
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_checkout_balance"),
            [self._format(50.0, self.eur)],
        )
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_total_amount"),
            [self._format(60.0, self.eur)],
        )
        main = checkout.xpath(f"//*[{self._css('o_paylink_checkout')}]")[0]
        self.assertEqual(main.get("data-currency"), "EUR")
        # The live refresh reads the same euros.
        _csrf, fingerprint = self._open_currency_page(link, "EUR")
        refresh = self.make_jsonrpc_request(
            f"/pay/{link.token}/summary",
            {"fingerprint": fingerprint, "currency": "EUR"},
        )
        self.assertEqual(refresh["fingerprint"], fingerprint)
        self.assertFalse(refresh["html"])
        refresh = self.make_jsonrpc_request(
            f"/pay/{link.token}/summary", {"fingerprint": fingerprint}
        )
        self.assertNotEqual(refresh["fingerprint"], fingerprint)

    def test_20_paid_in_euros_settles_the_euro_invoice_only(self):
        usd_invoice, eur_invoice, link = self._usd_and_eur_customer()
        # The rate moves before the customer pays (€1 = $2.50): what is owed in euros
        # stays €50.
        self.env["res.currency.rate"].create(
            {"currency_id": self.eur.id, "name": self.today, "rate": 0.4}
        )
        response = self._pay_in(link, "EUR", tip_percent=20)
        self.assertEqual(response.status_code, 200, response.text)
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.currency_id, self.eur)
        self.assertAlmostEqual(tx.amount, 60.0)
        self.assertAlmostEqual(tx.paylink_tip_amount, 10.0)
        self.assertEqual(tx.invoice_ids, eur_invoice)
        self._simulate(response.json()["result"]["reference"])
        self.env.invalidate_all()
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.payment_id.currency_id, self.eur)
        self.assertAlmostEqual(tx.payment_id.amount, 60.0)
        # The euro invoice settled in euros, the exchange difference Odoo's to book;
        # the dollars untouched.
        self.assertEqual(eur_invoice.amount_residual, 0.0)
        self.assertIn(eur_invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(self._receivable(eur_invoice).reconciled)
        self.assertEqual(usd_invoice.amount_residual, 100.0)
        self.assertFalse(self._receivable(usd_invoice).reconciled)
        # The tip, invoiced in euros and paid.
        self.assertEqual(tx.paylink_tip_invoice_id.currency_id, self.eur)
        self.assertEqual(tx.paylink_tip_invoice_id.amount_total, 10.0)
        self.assertEqual(tx.paylink_tip_invoice_id.amount_residual, 0.0)
        balances = self.env["paylink.ledger"]._get_currency_balances(
            link.partner_id, self.company
        )
        self.assertEqual(
            [(b["currency"], b["balance"]) for b in balances], [(self.currency, 100.0)]
        )
        # The landing page gives the new balance of the euros paid.
        landing = html.fromstring(
            self.url_open(f"/pay/{link.token}?confirmation=1").content
        )
        self.assertEqual(
            self._texts_by_class(landing, "o_paylink_confirmation_balance"), ["All set"]
        )
        tree = self._page_tree(link)
        self.assertFalse(tree.xpath(f"//*[{self._css('o_paylink_currencies')}]"))

    def test_21_part_of_the_euros(self):
        usd_invoice, eur_invoice, link = self._usd_and_eur_customer()
        response = self._pay_in(link, "EUR", part_amount="20")
        self.assertEqual(response.status_code, 200, response.text)
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.currency_id, self.eur)
        self.assertEqual(tx.paylink_allocation, [[eur_invoice.id, 20.0]])
        self._simulate(response.json()["result"]["reference"])
        self.env.invalidate_all()
        self.assertEqual(eur_invoice.amount_residual, 30.0)
        self.assertEqual(usd_invoice.amount_residual, 100.0)
        # The dollars paid from their own page, in dollars.
        response = self._pay_in(link, "USD")
        self.assertEqual(response.status_code, 200, response.text)
        tx = self._paylink_transactions(link) - tx
        self.assertEqual((tx.currency_id, tx.amount), (self.currency, 100.0))
        self._simulate(response.json()["result"]["reference"])
        self.env.invalidate_all()
        self.assertEqual(usd_invoice.amount_residual, 0.0)
        self.assertEqual(eur_invoice.amount_residual, 30.0)

    def test_22_an_early_payment_discount_in_euros(self):
        # The computation left as Odoo sets it by default: the invoice has no tax.
        term = self._create_term("2/10 Net 30", [(100.0, 30)], discount_days=10)
        _usd_invoice, eur_invoice, link = self._usd_and_eur_customer(eur_term=term)
        # The same invoice of another customer, paid with Register Payment.
        twin = self._post_move(
            self._create_customer("Twin"),
            [50.0],
            invoice_date=self.today,
            currency=self.eur,
            payment_term=term,
        )
        # The rate moves the day they pay (€1 = $2.50).
        self.env["res.currency.rate"].create(
            {"currency_id": self.eur.id, "name": self.today, "rate": 0.4}
        )
        tree = self._page_tree(link, "EUR")
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_discount_amount"),
            [self._format(49.0, self.eur)],
        )
        response = self._pay_in(link, "EUR")
        self.assertEqual(response.status_code, 200, response.text)
        tx = self._paylink_transactions(link)
        self.assertEqual((tx.currency_id, tx.amount), (self.eur, 49.0))
        self.assertEqual(tx.paylink_discounts, [[eur_invoice.id, 1.0]])
        self._simulate(response.json()["result"]["reference"])
        self.env.invalidate_all()
        self.assertEqual(eur_invoice.amount_residual, 0.0)
        # Booked as Register Payment books the same invoice's: €1 on the discount
        # account, the same in dollars.
        discount_account = (
            self.company.account_journal_early_pay_discount_loss_account_id
        )
        discount_lines = tx.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id == discount_account
        )
        self.assertRecordValues(
            discount_lines, [{"amount_currency": 1.0, "currency_id": self.eur.id}]
        )
        register_payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=twin.ids)
            .create({"payment_date": self.today})
        )
        self.assertEqual(
            (register_payment.currency_id, register_payment.amount), (self.eur, 49.0)
        )
        register_payment = register_payment._create_payments()
        self.assertEqual(twin.amount_residual, 0.0)
        twin_lines = register_payment.move_id.line_ids.filtered(
            lambda line: line.account_id == discount_account
        )
        self.assertEqual(
            discount_lines.mapped(lambda line: (line.amount_currency, line.balance)),
            twin_lines.mapped(lambda line: (line.amount_currency, line.balance)),
        )

    @mute_logger("odoo.http")
    def test_30_a_forged_currency_is_refused(self):
        usd_invoice, eur_invoice, link = self._usd_and_eur_customer()
        # No balance in pounds: refused, whatever the page said.
        self._assert_refused(
            self._pay_in_forged(link, "GBP"), 400, "no balance to pay in this currency"
        )
        for forged in (7, ["EUR"], {"name": "EUR"}):
            self._assert_refused(
                self._pay_in_forged(link, forged), 400, "Invalid choice"
            )
        # The dollars' figures confirmed for a payment in euros: they changed.
        self._assert_refused(self._pay_in_forged(link, "EUR"), 409, "has changed")
        # A euro invoice paid in dollars: not one of the dollars' invoices.
        response = self._pay_in(link, "USD", part_invoice_ids=[eur_invoice.id])
        self.assertIn(response.status_code, (400, 404, 409), response.text)
        self.assertFalse(self._paylink_transactions(link))
        # The payment step too: a clear 400 on the page, never a 500.
        response = self._get_checkout(link, expected_status=400, currency="GBP")
        self.assertIn("no balance to pay in this currency", response.text)
        self.assertEqual(
            (usd_invoice.amount_residual, eur_invoice.amount_residual), (100.0, 50.0)
        )
        # An unknown currency on the page reads as none.
        tree = self._page_tree(link, "GBP")
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(100.0)],
        )

    def _pay_in_forged(self, link, currency):
        """Pay with the dollars' page's figures, sending `currency`."""
        csrf_token, fingerprint = self._open_page(link)
        return self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(csrf_token, fingerprint, currency=currency),
        )

    @mute_logger("odoo.http")
    def test_40_a_provider_that_does_not_take_the_currency(self):
        _usd_invoice, eur_invoice, link = self._usd_and_eur_customer()
        self.provider.available_currency_ids = self.currency
        checkout = self._get_checkout_tree(link, currency="EUR")
        self.assertFalse(checkout.xpath("//*[@name='o_payment_radio']"))
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_unavailable"),
            [
                "Online payment in EUR is not available. Please contact us to settle"
                " this balance."
            ],
        )
        self._assert_refused(self._pay_in(link, "EUR"), 400, "not available")
        self.assertFalse(self._paylink_transactions(link))
        # The dollars are still paid with it.
        self.assertTrue(
            self._get_checkout_tree(link).xpath("//*[@name='o_payment_radio']")
        )
        self.assertEqual(eur_invoice.amount_residual, 50.0)

    def test_50_one_currency_sees_what_it_saw(self):
        customer = self._create_customer("Dollars Only")
        self._post_move(customer, [100.0], invoice_date=self.last_month)
        link = self._generate_link(customer)
        tree = self._page_tree(link)
        self.assertFalse(tree.xpath(f"//*[{self._css('o_paylink_currencies')}]"))
        self.assertFalse(tree.xpath("//input[@name='currency']"))
        self.assertFalse(tree.xpath("//*[@data-currency]"))
        # Euros only: the page in euros, paid in euros, with no list of balances.
        customer = self._create_customer("Euros Only")
        eur_invoice = self._post_move(
            customer, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        link = self._generate_link(customer)
        tree = self._page_tree(link)
        self.assertFalse(tree.xpath(f"//*[{self._css('o_paylink_currencies')}]"))
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(50.0, self.eur)],
        )
        response = self._pay_in(link, "EUR")
        self.assertEqual(response.status_code, 200, response.text)
        self._simulate(response.json()["result"]["reference"])
        self.env.invalidate_all()
        self.assertEqual(eur_invoice.amount_residual, 0.0)
