# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The payment page in a real browser, clicked as a customer does: the tips with and
without JavaScript, the live refresh, and a payment through the payment step."""

import json
import unittest

from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import (
    PAGE_READY,
    PUBLIC_ROOT_READY,
    VISIBLE_TOTALS,
    PaylinkBrowserMixin,
    PaylinkPaymentHttpCommon,
    normalize,
)


@tagged("post_install", "-at_install")
class TestPayBrowser(PaylinkBrowserMixin, PaylinkPaymentHttpCommon):
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
        # The Demo provider instead of the dummy one: its form is the one a test can
        # fill in the browser.
        cls.provider.state = "disabled"
        cls.provider = cls._prepare_provider(
            "demo", company=cls.company, update_values={"is_published": True}
        )

    def _choose_tip(self, browser, percent, expected_total):
        self._click(browser, f"label[for='o_paylink_tip_{percent}']")
        # Two totals show, the tips' one and the "Pay" button's, both the chosen tip's.
        self._wait_for(
            browser,
            f"JSON.stringify({VISIBLE_TOTALS}) === "
            f"{json.dumps(json.dumps([expected_total] * 2, separators=(',', ':')))}",
            f"The {percent}% tip should show the total {expected_total} alone.",
            timeout=5,
        )

    def test_10_tips_show_their_totals_without_javascript(self):
        customer = self._create_customer("No Script Customer")
        self._post_move(customer, [100.0], taxes=self.tax_10)  # 110.00 due.
        link = self._generate_link(customer)
        totals = self._tip_totals_of_110(link)
        with self._browser() as browser:
            browser._websocket_request(
                "Emulation.setScriptExecutionDisabled", params={"value": True}
            )
            self._navigate(browser, f"/pay/{link.token}")
            self.assertEqual(
                self._evaluate(browser, VISIBLE_TOTALS), [totals[0], totals[0]]
            )
            for percent in (18, 20, 25, 0, 20):
                self._choose_tip(browser, percent, totals[percent])
            # "Pay" submits the choice to the payment step, script or not.
            self._click(browser, ".o_paylink_pay_button")
            self._wait_for(
                browser,
                "location.pathname.endsWith('/checkout')"
                " && new URLSearchParams(location.search).get('tip_percent') === '20'"
                " && !!document.querySelector('.o_paylink_checkout')",
                "Pay should open the payment step with the 20% tip.",
            )
            checkout_total = self._evaluate(
                browser,
                "document.querySelector('.o_paylink_checkout"
                " .o_paylink_total_amount').textContent",
            )
            self.assertEqual(normalize(checkout_total), totals[20])

    def test_11_the_live_refresh_keeps_the_chosen_tip(self):
        customer = self._create_customer("Live Customer", number="+32 456 00 11 22")
        self._post_move(customer, [100.0])
        link = self._generate_link(customer)
        with self._browser() as browser:
            self._navigate(browser, f"/pay/{link.token}")
            self._choose_tip(browser, 20, self._format(120.0))
            self._click(browser, "#o_paylink_save_card")
            self._click(browser, "details.o_paylink_recent_charges > summary")
            # The office invoices more while the customer looks at the page.
            self._post_move(customer, [50.0], names=["Late charge"])
            self.env.flush_all()
            self.cr.flush()
            # What the page does when it becomes visible again (and every 15 s).
            self._evaluate(
                browser, "document.dispatchEvent(new Event('visibilitychange'))"
            )
            self._wait_for(
                browser,
                "document.querySelector('.o_paylink_balance_amount')"
                ".textContent.replace(/\\s+/g, ' ').includes('150.00')",
                "The page should show the new balance.",
            )
            state = self._evaluate(
                browser,
                f"""({{
                    tip: document.querySelector("[name=tip_percent]:checked").value,
                    totals: {VISIBLE_TOTALS},
                    saveCard: document.querySelector("#o_paylink_save_card").checked,
                    chargesOpen: !!document.querySelector("details[open]"),
                    lines: document.querySelectorAll(".o_paylink_line").length,
                }})""",
            )
            self.assertEqual(
                state,
                {
                    "tip": "20",
                    "totals": [self._format(180.0)] * 2,
                    "saveCard": True,
                    "chargesOpen": True,
                    "lines": 2,
                },
            )

    def test_20_pay_with_a_tip_through_the_payment_step(self):
        customer = self._create_customer("Browser Payer")
        self._post_move(customer, [100.0], names=["Browser consulting"])
        link = self._generate_link(customer)
        with self._browser() as browser:
            self._navigate(browser, f"/pay/{link.token}")
            self._choose_tip(browser, 20, self._format(120.0))
            self._click(browser, ".o_paylink_pay_button")
            self._wait_for(
                browser,
                f"location.pathname.endsWith('/checkout') && {PUBLIC_ROOT_READY}"
                " && !!document.querySelector('input[name=customer_input]')",
                "The payment step should show the demo provider's form.",
            )
            self._click(browser, "input[name=customer_input]")
            browser._websocket_request("Input.insertText", params={"text": "4242"})
            self._click(browser, "button[name=o_payment_submit_button]")
            self._wait_for(
                browser,
                "location.pathname === "
                f"{json.dumps(f'/pay/{link.token}')}"
                " && !!document.querySelector('.o_paylink_confirmation_done')"
                f" && {PAGE_READY}",
                "The customer should land back on the page with the confirmation.",
                timeout=40,
            )
            confirmation = self._evaluate(
                browser,
                """[".o_paylink_confirmation_amount", ".o_paylink_confirmation_tip"]
                .map((s) => document.querySelector(s).textContent.trim())""",
            )
            self.assertEqual(
                [normalize(text) for text in confirmation],
                [self._format(120.0), self._format(20.0)],
            )
            self.assertTrue(
                self._evaluate(
                    browser, "!!document.querySelector('.o_paylink_all_set')"
                )
            )
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.state, "done")
        self.assertAlmostEqual(tx.amount, 120.0)
        self.assertAlmostEqual(tx.paylink_tip_amount, 20.0)
        self.assertEqual(customer.credit, 0.0)

    def test_30_pay_part_of_the_balance_with_a_tip(self):
        customer = self._create_customer("Browser Part Payer")
        invoice = self._post_move(customer, [100.0], names=["Browser repairs"])
        link = self._generate_link(customer)
        # Read before paying: the ORM must not read from the test cursor while the
        # browser's payment request uses it.
        page_path = f"/pay/{link.token}"
        with self._browser() as browser:
            self._navigate(browser, page_path)
            self._click(browser, ".o_paylink_part > summary")
            self._click(browser, "#o_paylink_part_amount_input")
            browser._websocket_request("Input.insertText", params={"text": "60"})
            self._click(browser, "label[for='o_paylink_part_amount_tip_18']")
            self._click(browser, ".o_paylink_part_amount .o_paylink_part_button")
            self._wait_for(
                browser,
                f"location.pathname.endsWith('/checkout') && {PUBLIC_ROOT_READY}"
                " && !!document.querySelector('input[name=customer_input]')",
                "The payment step should show the demo provider's form.",
            )
            figures = self._evaluate(
                browser,
                """[".o_paylink_allocation", ".o_paylink_checkout_tip",
                    ".o_paylink_total_amount"]
                .map((s) => document.querySelector(s).textContent.trim())""",
            )
            self.assertEqual(
                [normalize(text) for text in figures],
                [
                    f"Pays {self._format(60.0)} of {invoice.name}.",
                    self._format(10.8),
                    self._format(70.8),
                ],
            )
            self._click(browser, "input[name=customer_input]")
            browser._websocket_request("Input.insertText", params={"text": "4242"})
            self._click(browser, "button[name=o_payment_submit_button]")
            self._wait_for(
                browser,
                "location.pathname === "
                f"{json.dumps(page_path)}"
                " && !!document.querySelector('.o_paylink_confirmation_done')"
                f" && {PAGE_READY}",
                "The customer should land back on the page with the confirmation.",
                timeout=40,
            )
            balance = self._evaluate(
                browser,
                "document.querySelector('.o_paylink_balance_amount').textContent",
            )
            self.assertEqual(normalize(balance), self._format(40.0))
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.state, "done")
        self.assertAlmostEqual(tx.amount, 70.8)
        self.assertAlmostEqual(invoice.amount_residual, 40.0)
