# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's account in several currencies, read as the accountant reads it: one
balance per currency, the sum of the open items' residuals in that currency, whatever
the rates do (issue 23, "Another currency"). Each figure is read back from the books."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import PaylinkCommon


@tagged("post_install", "-at_install")
class TestCurrencyBalances(PaylinkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.last_month = cls.today - timedelta(days=30)
        # The situation: the company in USD, EUR at 0.5 (€1 = $2), until the
        # rate moves today (€1 = $2.50).
        cls.eur = cls.setup_other_currency(
            "EUR", rates=[("1900-01-01", 0.5), (cls.today, 0.4)]
        )
        cls.ledger = cls.env["paylink.ledger"]

    def _post_usd_and_eur(self, partner):
        """Post the issue's two invoices, last month: $100 and €50 (then $100)."""
        usd_invoice = self._post_move(partner, [100.0], invoice_date=self.last_month)
        eur_invoice = self._post_move(
            partner, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        return usd_invoice, eur_invoice

    def _register_payment(self, invoice, amount, currency):
        """Pay `invoice` with Odoo's Register Payment, `amount` in `currency`, today."""
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": currency.id,
                    "payment_date": self.today,
                }
            )
            ._create_payments()
        )

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
