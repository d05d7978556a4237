# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accessibility of the public payment page, in Odoo's own headless Chromium.

axe-core checks each state of the page at a desktop and at a phone width; the keyboard
test operates the tips and the check boxes with real key presses sent through the
DevTools protocol (tests/devtools.py). The page side of both is in
static/tests/page/page_tests.js.

axe-core is not part of Odoo: `make test` installs it from the npm registry (tools/a11y)
and gives its path in PAYLINK_AXE_JS. Without that variable, the axe tests are skipped.
"""

import os
import unittest

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkPaymentHttpCommon
from odoo.addons.paylink_portal.tests.devtools import (
    PAGE_READY,
    PaylinkDevToolsMixin,
    page_test,
)

AXE_JS_VARIABLE = "PAYLINK_AXE_JS"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ["serious", "critical"]


class AccessibilityChecks:
    """The axe-core checks; run at each browser size by the test classes below."""

    @mute_logger("odoo.http")  # The unknown link's 404.
    def test_10_every_state_of_the_page(self):
        settled = self._create_customer("Settled Customer", number="+32 456 00 11 22")
        self._pay(self._post_move(settled, [120.0], names=["Monthly service"]), 120.0)
        # No mobile number: the SMS consent is shown disabled, with a notice.
        credit = self._create_customer("Credit Customer")
        self._post_move(credit, [40.0], names=["Monthly service"])
        self._post_move(credit, [65.5], move_type="out_refund", names=["Refund"])
        owing = self._create_customer("Owing Customer", number="+32 456 00 11 22")
        owing_invoice = self._post_move(
            owing, [100.0, 50.0], taxes=self.tax_10, names=["Consulting", "Hosting"]
        )
        owing_path = f"/pay/{self._generate_link(owing).token}"
        # Balances in dollars and euros: the list of balances, with a link to each.
        two_currencies = self._create_customer("Two Currencies Customer")
        self._post_move(two_currencies, [100.0], names=["Consulting"])
        self._post_move(
            two_currencies,
            [50.0],
            names=["Euro job"],
            currency=self.setup_other_currency("EUR", rates=[("1900-01-01", 0.5)]),
        )
        checkout_path = f"{owing_path}/checkout?tip_percent=20&save_card=1"
        # "How did we do?" above the tips of the outstanding page.
        self.company.paylink_rating_enabled = True
        # And the autopay consent beside "Save card".
        self.company.paylink_autopay_enabled = True
        pages = [
            # (page, payment provider state, path, an element only this state shows,
            # when the page is ready: a method of static/tests/page/devtools.js)
            (
                "all-set page",
                "test",
                f"/pay/{self._generate_link(settled).token}",
                ".o_paylink_all_set",
                "pageReady",
            ),
            (
                "account credit page",
                "test",
                f"/pay/{self._generate_link(credit).token}",
                ".o_paylink_credit",
                "pageReady",
            ),
            (
                "outstanding page",
                "test",
                owing_path,
                ".o_paylink_pay_button",
                "pageReady",
            ),
            (
                "page of the euros of balances in two currencies",
                "test",
                f"/pay/{self._generate_link(two_currencies).token}?currency=EUR",
                ".o_paylink_currencies",
                "pageReady",
            ),
            (
                "payment step with the payment form",
                "test",
                checkout_path,
                "#o_payment_form",
                "publicRootReady",
            ),
            (
                "outstanding page with a part payment refused",
                "test",
                f"{owing_path}/checkout?tip_percent=0&amount=9999",
                ".o_paylink_choice_error",
                "pageReady",
            ),
            (
                "payment step of a part payment",
                "test",
                f"{owing_path}/checkout?tip_percent=18&amount=50",
                ".o_paylink_allocation",
                "publicRootReady",
            ),
            (
                "payment step without payment provider",
                "disabled",
                checkout_path,
                ".o_paylink_unavailable",
                "publicRootReady",
            ),
            (
                "invoice breakdown",
                "test",
                f"{owing_path}/invoice/{owing_invoice.id}",
                ".o_paylink_invoice_residual",
                "pageReady",
            ),
            (
                "outstanding page with a statement period refused",
                "test",
                f"{owing_path}/statement?date_from=2026-02-30",
                ".o_paylink_statement_error",
                "pageReady",
            ),
            (
                "page of an unknown link",
                "disabled",
                "/pay/" + "A" * 43,
                ".o_paylink_not_found",
                "pageReady",
            ),
        ]
        size = self.browser_size.replace(",", "x")

        def provider_state(env, state):
            env["payment.provider"].browse(self.provider.id).state = state

        # The pages one after the other in one browser; a serious or critical violation
        # fails the test, with its page, rule, elements and help, once every page is
        # checked.
        self.provider.state = pages[0][1]
        with self.devtools(
            scripts=[self.axe_source], steps={"provider_state": provider_state}
        ):
            self.browser_js(
                pages[0][2],
                page_test(
                    "axe",
                    pages=[
                        {
                            "where": f"the {name} ({size})",
                            "providerState": state,
                            "path": path,
                            "marker": marker,
                            "ready": ready,
                        }
                        for name, state, path, marker, ready in pages
                    ],
                    tags=AXE_TAGS,
                    failingImpacts=FAILING_IMPACTS,
                ),
                ready=f"paylinkTest.{pages[0][4]}()",
                timeout=180,
            )


class PaylinkAccessibilityHttpCommon(PaylinkDevToolsMixin, PaylinkPaymentHttpCommon):
    """Skipped unless PAYLINK_AXE_JS names axe-core's axe.min.js; failed if it names
    nothing.
    """

    @classmethod
    def setUpClass(cls):
        cls.axe_path = os.environ.get(AXE_JS_VARIABLE)
        if not cls.axe_path:
            raise unittest.SkipTest(
                f"{AXE_JS_VARIABLE} is not set: axe-core is installed by the"
                " repository's `make test` (tools/a11y), which sets it to the path of"
                " axe.min.js."
            )
        super().setUpClass()

    def setUp(self):
        super().setUp()
        self.assertTrue(
            os.path.isfile(self.axe_path),
            f"{AXE_JS_VARIABLE}={self.axe_path} does not exist: run `make node-deps`.",
        )
        with open(self.axe_path, encoding="utf-8") as axe_file:
            self.axe_source = axe_file.read()


@tagged("post_install", "-at_install")
class TestAccessibilityDesktop(AccessibilityChecks, PaylinkAccessibilityHttpCommon):
    browser_size = "1366x768"


@tagged("post_install", "-at_install")
class TestAccessibilityPhone(AccessibilityChecks, PaylinkAccessibilityHttpCommon):
    browser_size = "375x667"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestKeyboard(PaylinkDevToolsMixin, PaylinkPaymentHttpCommon):
    """The page operated with the keyboard alone: real key presses, no clicks."""

    browser_size = "1366x768"

    def test_10_tips_and_check_boxes_from_the_keyboard(self):
        customer = self._create_customer("Keyboard Customer", number="+32 456 00 11 22")
        self._post_move(customer, [100.0], taxes=self.tax_10)  # 110.00 due.
        link = self._generate_link(customer)
        with self.devtools():
            self.browser_js(
                f"/pay/{link.token}",
                page_test("keyboard", totals=self._tip_totals_of_110()),
                ready=PAGE_READY,
            )
