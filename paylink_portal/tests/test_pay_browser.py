# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The payment page in a real browser, tapped as a customer does on a phone: the tips
with and without JavaScript, the live refresh, and payments through the payment step
with Odoo's Demo provider.

Each test runs in Odoo's headless Chromium with `browser_js`; its page side is in
static/tests/page/page_tests.js, and tests/devtools.py gives it real taps and typing."""

import unittest

from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import (
    PaylinkHttpCommon,
    PaylinkPaymentHttpCommon,
)
from odoo.addons.paylink_portal.tests.compat import (
    PAYMENT_FORM_MODULES,
    STRIPE_PAYMENT_FORM_MODULE,
)
from odoo.addons.paylink_portal.tests.devtools import (
    PAGE_READY,
    PaylinkDevToolsMixin,
    page_test,
)


@tagged("post_install", "-at_install")
class TestPayBrowser(PaylinkDevToolsMixin, PaylinkHttpCommon):
    browser_size = "375x667"
    touch_enabled = True

    def test_10_tips_show_their_totals_without_javascript(self):
        customer = self._create_customer("No Script Customer")
        self._post_move(customer, [100.0], taxes=self.tax_10)  # 110.00 due.
        page = f"/pay/{self._generate_link(customer).token}"
        with self.devtools(javascript=False):
            self.browser_js(
                page,
                page_test(
                    "tips_without_javascript",
                    page=page,
                    totals=self._tip_totals_of_110(),
                ),
                ready=PAGE_READY,
            )

    def test_12_tips_of_a_page_of_balances_in_two_currencies(self):
        # The page's forms then carry the currency: the tips still show their totals.
        customer = self._create_customer("Two Currencies Customer")
        self._post_move(customer, [100.0], taxes=self.tax_10)  # 110.00 due.
        self._post_move(
            customer,
            [50.0],
            currency=self.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)]),
        )
        page = f"/pay/{self._generate_link(customer).token}"
        with self.devtools(javascript=False):
            self.browser_js(
                page,
                page_test(
                    "tips_without_javascript",
                    page=page,
                    totals=self._tip_totals_of_110(),
                ),
                ready=PAGE_READY,
            )

    def test_11_the_live_refresh_keeps_the_chosen_tip(self):
        customer = self._create_customer("Live Customer", number="+32 456 00 11 22")
        self._post_move(customer, [100.0])
        link = self._generate_link(customer)

        def late_charge(env):
            """The office invoices more while the customer looks at the page."""
            self._post_move(customer.with_env(env), [50.0], names=["Late charge"])

        with self.devtools(steps={"late_charge": late_charge}):
            self.browser_js(
                f"/pay/{link.token}",
                page_test(
                    "live_refresh",
                    total=self._format(120.0),
                    refreshed=self._format(180.0),
                ),
                ready=PAGE_READY,
            )


@tagged("post_install", "-at_install")
class TestPayBrowserDemo(PaylinkDevToolsMixin, PaylinkPaymentHttpCommon):
    """Payments through the payment step's form, with Odoo's Demo provider: its form is
    the one a test can fill in the browser."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.env["ir.module.module"]._get("payment_demo").state != "installed":
            raise unittest.SkipTest(
                "The browser payments pay with Odoo's Demo provider: install the module"
                " payment_demo in the test database (`-i paylink_portal,payment_demo`)."
            )
        # The Demo provider instead of the dummy one.
        cls.provider.state = "disabled"
        cls.provider = cls._prepare_provider(
            "demo", company=cls.company, update_values={"is_published": True}
        )

    def test_20_pay_with_a_tip_through_the_payment_step(self):
        customer = self._create_customer("Browser Payer")
        self._post_move(customer, [100.0], names=["Browser consulting"])
        link = self._generate_link(customer)
        page = f"/pay/{link.token}"
        with self.devtools():
            self.browser_js(
                page,
                page_test(
                    "pay_with_tip",
                    page=page,
                    total=self._format(120.0),
                    tip=self._format(20.0),
                ),
                ready=PAGE_READY,
            )
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.state, "done")
        self.assertAlmostEqual(tx.amount, 120.0)
        self.assertAlmostEqual(tx.paylink_tip_amount, 20.0)
        self.assertEqual(customer.credit, 0.0)

    def test_21_pay_the_euros_of_balances_in_two_currencies(self):
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)])
        customer = self._create_customer("Browser Euro Payer")
        usd_invoice = self._post_move(customer, [100.0], names=["Browser consulting"])
        eur_invoice = self._post_move(
            customer, [100.0], names=["Browser translation"], currency=eur
        )
        link = self._generate_link(customer)
        page = f"/pay/{link.token}"
        with self.devtools():
            self.browser_js(
                f"{page}?currency=EUR",
                page_test(
                    "pay_with_tip",
                    page=page,
                    total=self._format(120.0, eur),
                    tip=self._format(20.0, eur),
                ),
                ready=PAGE_READY,
            )
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.state, "done")
        self.assertEqual((tx.currency_id, tx.amount), (eur, 120.0))
        self.assertEqual(eur_invoice.amount_residual, 0.0)
        self.assertEqual(usd_invoice.amount_residual, 100.0)

    def test_30_pay_part_of_the_balance_with_a_tip(self):
        customer = self._create_customer("Browser Part Payer")
        invoice = self._post_move(customer, [100.0], names=["Browser repairs"])
        link = self._generate_link(customer)
        page = f"/pay/{link.token}"
        with self.devtools():
            self.browser_js(
                page,
                page_test(
                    "pay_part",
                    page=page,
                    part="60",
                    figures=[
                        f"Pays {self._format(60.0)} of {invoice.name}.",
                        self._format(10.8),
                        self._format(70.8),
                    ],
                    balance=self._format(40.0),
                ),
                ready=PAGE_READY,
            )
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.state, "done")
        self.assertAlmostEqual(tx.amount, 70.8)
        self.assertAlmostEqual(invoice.amount_residual, 40.0)

    def test_40_the_page_fetches_the_payment_step_ahead(self):
        """Touching a tip fetches the payment step's scripts ahead: the payment step
        then takes them from the browser's cache, and its form is usable."""
        customer = self._create_customer("Browser Early Payer")
        self._post_move(customer, [100.0])
        page = f"/pay/{self._generate_link(customer).token}"
        with self.devtools():
            self.browser_js(
                page,
                page_test(
                    "pay_step_fetched_ahead", page=page, total=self._format(120.0)
                ),
                ready=PAGE_READY,
            )

    def test_50_the_payment_step_starts_every_provider_script(self):
        """With Stripe enabled beside the Demo provider (no credentials, its SDK out of
        reach), the payment step starts the payment form's modules and Stripe's with
        no script error: Odoo's module loader reports any module missing from the
        bundle in the console, which fails the test."""
        if self.env["ir.module.module"]._get("payment_stripe").state != "installed":
            raise unittest.SkipTest(
                "Install payment_stripe in the test database (`make test-db`)."
            )
        demo = self.provider
        self._prepare_provider(
            "stripe",
            company=self.company,
            update_values={
                "stripe_publishable_key": "pk_test_paylink",
                "stripe_secret_key": "sk_test_paylink",
                "is_published": True,
            },
        )
        # Disabled by _prepare_provider: two providers, so no method chosen ahead.
        demo.state = "test"
        customer = self._create_customer("Browser Stripe Payer")
        self._post_move(customer, [100.0])
        link = self._generate_link(customer)
        tree = self._get_checkout_tree(link)
        self.assertTrue(
            tree.xpath("//input[@name='o_payment_radio'][@data-provider-code='stripe']")
        )
        with self.devtools():
            self.browser_js(
                f"/pay/{link.token}/checkout?tip_percent=0",
                page_test(
                    "pay_step_starts",
                    modules=[*PAYMENT_FORM_MODULES, STRIPE_PAYMENT_FORM_MODULE],
                ),
                ready=PAGE_READY,
            )
