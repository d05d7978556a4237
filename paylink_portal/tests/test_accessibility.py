# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accessibility of the public payment page, in Odoo's own headless Chromium.

axe-core checks each state of the page at a desktop and at a phone width; the keyboard
test operates the tips and the check boxes with real key presses sent through the
DevTools protocol.

axe-core is not part of Odoo: `make test` installs it from the npm registry (tools/a11y)
and gives its path in PAYLINK_AXE_JS. Without that variable, the axe tests are skipped.
"""

import json
import logging
import os
import time
import unittest

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import (
    PAGE_READY,
    PUBLIC_ROOT_READY,
    PaylinkBrowserMixin,
    PaylinkPaymentHttpCommon,
)

_logger = logging.getLogger(__name__)

AXE_JS_VARIABLE = "PAYLINK_AXE_JS"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")


# axe.run on the whole document; every <details> is opened first so that the charges it
# folds are checked too. Only what the report needs comes back to Python.
AXE_RUN = """(async () => {
    for (const details of document.querySelectorAll("details")) {
        details.open = true;
    }
    const results = await axe.run(document, {
        runOnly: { type: "tag", values: %s },
        resultTypes: ["violations"],
    });
    return {
        version: axe.version,
        violations: results.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            helpUrl: violation.helpUrl,
            nodes: violation.nodes.map((node) => ({
                target: node.target,
                impact: node.impact,
                summary: node.failureSummary,
            })),
        })),
    };
})()""" % json.dumps(AXE_TAGS)

# Key definitions for Input.dispatchKeyEvent, as a US keyboard sends them.
KEYS = {
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
    "Space": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "text": " "},
    "ArrowLeft": {"key": "ArrowLeft", "code": "ArrowLeft", "windowsVirtualKeyCode": 37},
    "ArrowUp": {"key": "ArrowUp", "code": "ArrowUp", "windowsVirtualKeyCode": 38},
    "ArrowRight": {
        "key": "ArrowRight",
        "code": "ArrowRight",
        "windowsVirtualKeyCode": 39,
    },
    "ArrowDown": {"key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40},
    "Shift": {
        "key": "Shift",
        "code": "ShiftLeft",
        "windowsVirtualKeyCode": 16,
        "location": 1,
    },
}
SHIFT_MODIFIER = 8

# What a keyboard user sees: the focused element, whether it shows a focus indicator,
# and the page's choices. The indicator of a visually hidden radio button is drawn on
# its label; it must differ from the look of the same kind of control without focus.
KEYBOARD_STATE = """(() => {
    const look = (el) => {
        if (!el) {
            return null;
        }
        const style = getComputedStyle(el);
        const drawsOutline =
            style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        const outline = drawsOutline
            ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`
            : "none";
        return { outline, boxShadow: style.boxShadow };
    };
    const drawn = (el) => (el.matches(".o_paylink_tip_input") ? el.labels[0] : el);
    const active = document.activeElement;
    // Another option of the same radio group, or another check box.
    const peer = active && active.matches("input")
        ? [...document.querySelectorAll(active.type === "radio"
            ? `input[name="${CSS.escape(active.name)}"]`
            : `input[type="${active.type}"]`)]
            .find((input) => input !== active && !input.disabled)
        : null;
    const focused = active && active !== document.body ? look(drawn(active)) : null;
    const unfocused = peer ? look(drawn(peer)) : null;
    const checked = (selector) => document.querySelector(selector)?.checked ?? null;
    return {
        active: active ? {
            tag: active.tagName.toLowerCase(),
            id: active.id,
            name: active.getAttribute("name"),
            value: active.value,
            text: (active.textContent || "").trim().slice(0, 40),
        } : null,
        focusVisible: !!active && active.matches(":focus-visible"),
        focused,
        unfocused,
        indicator: !!focused
            && (focused.outline !== "none" || focused.boxShadow !== "none")
            && (!unfocused || JSON.stringify(focused) !== JSON.stringify(unfocused)),
        tip: document.querySelector('input[name="tip_percent"]:checked')?.value ?? null,
        totals: [...document.querySelectorAll(".o_paylink_total_amount")]
            .filter((el) => el.getClientRects().length)
            .map((el) => el.textContent
                .replace(/\\uFEFF/g, "").replace(/\\s+/g, " ").trim()),
        saveCard: checked("#o_paylink_save_card"),
        smsConsent: checked("#o_paylink_sms_consent"),
    };
})()"""


class AccessibilityChecks:
    """The axe-core checks; run at each browser size by the test classes below."""

    def _serious_violations(self, browser, where):
        """Run axe-core on the page loaded in `browser`; log the violations less than
        serious and return the description of the others.

        :param str where: The page and browser size, for the messages.
        """
        self._evaluate(browser, self.axe_source)
        results = self._evaluate(browser, AXE_RUN, timeout=60)
        failing = []
        for violation in results["violations"]:
            description = self._describe(violation)
            if violation["impact"] in FAILING_IMPACTS:
                failing.append(description)
            else:
                _logger.info(
                    "axe-core %s on %s:\n%s", results["version"], where, description
                )
        if failing:
            failing.insert(0, f"axe-core {results['version']} on {where}:")
        return failing

    @staticmethod
    def _describe(violation):
        lines = [
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        ]
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        return "\n".join(lines)

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
        checkout_path = f"{owing_path}/checkout?tip_percent=20&save_card=1"
        # "How did we do?" above the tips of the outstanding page.
        self.company.paylink_rating_enabled = True
        # And the autopay consent beside "Save card".
        self.company.paylink_autopay_enabled = True
        pages = [
            # (page, payment provider state, path, an element only this state shows,
            # when the page is ready)
            (
                "all-set page",
                "test",
                f"/pay/{self._generate_link(settled).token}",
                ".o_paylink_all_set",
                PAGE_READY,
            ),
            (
                "account credit page",
                "test",
                f"/pay/{self._generate_link(credit).token}",
                ".o_paylink_credit",
                PAGE_READY,
            ),
            (
                "outstanding page",
                "test",
                owing_path,
                ".o_paylink_pay_button",
                PAGE_READY,
            ),
            (
                "payment step with the payment form",
                "test",
                checkout_path,
                "#o_payment_form",
                PUBLIC_ROOT_READY,
            ),
            (
                "outstanding page with a part payment refused",
                "test",
                f"{owing_path}/checkout?tip_percent=0&amount=9999",
                ".o_paylink_choice_error",
                PAGE_READY,
            ),
            (
                "payment step of a part payment",
                "test",
                f"{owing_path}/checkout?tip_percent=18&amount=50",
                ".o_paylink_allocation",
                PUBLIC_ROOT_READY,
            ),
            (
                "payment step without payment provider",
                "disabled",
                checkout_path,
                ".o_paylink_unavailable",
                PUBLIC_ROOT_READY,
            ),
            (
                "invoice breakdown",
                "test",
                f"{owing_path}/invoice/{owing_invoice.id}",
                ".o_paylink_invoice_residual",
                PAGE_READY,
            ),
            (
                "outstanding page with a statement period refused",
                "test",
                f"{owing_path}/statement?date_from=2026-02-30",
                ".o_paylink_statement_error",
                PAGE_READY,
            ),
            (
                "page of an unknown link",
                "disabled",
                "/pay/" + "A" * 43,
                ".o_paylink_not_found",
                PAGE_READY,
            ),
        ]
        size = self.browser_size.replace(",", "x")
        failing = []
        with self._browser() as browser:
            for page_name, provider_state, url_path, marker, ready in pages:
                self.provider.state = provider_state
                self._navigate(browser, url_path, ready=ready)
                self.assertTrue(
                    browser._wait_ready(
                        f"!!document.querySelector({json.dumps(marker)})", timeout=20
                    ),
                    f"The {page_name} should show {marker}.",
                )
                failing += self._serious_violations(
                    browser, f"the {page_name} ({size})"
                )
        if failing:
            self.fail(
                "Serious or critical accessibility violations:\n" + "\n".join(failing)
            )


class PaylinkAccessibilityHttpCommon(PaylinkBrowserMixin, PaylinkPaymentHttpCommon):
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
class TestKeyboard(PaylinkBrowserMixin, PaylinkPaymentHttpCommon):
    """The page operated with the keyboard alone: real key presses, no clicks."""

    browser_size = "1366x768"

    def _press(self, browser, key_name, shift=False):
        """Press and release a key through the DevTools protocol, as a keyboard does."""
        modifiers = SHIFT_MODIFIER if shift else 0
        if shift:
            browser._websocket_request(
                "Input.dispatchKeyEvent",
                params={
                    "type": "rawKeyDown",
                    "modifiers": modifiers,
                    **KEYS["Shift"],
                },
            )
        key = dict(KEYS[key_name])
        text = key.pop("text", None)
        key["nativeVirtualKeyCode"] = key["windowsVirtualKeyCode"]
        down = {
            "type": "keyDown" if text else "rawKeyDown",
            "modifiers": modifiers,
            **key,
        }
        if text:
            down.update(text=text, unmodifiedText=text)
        browser._websocket_request("Input.dispatchKeyEvent", params=down)
        browser._websocket_request(
            "Input.dispatchKeyEvent",
            params={
                "type": "keyUp",
                "modifiers": modifiers,
                **key,
            },
        )
        if shift:
            browser._websocket_request(
                "Input.dispatchKeyEvent",
                params={
                    "type": "keyUp",
                    "modifiers": 0,
                    **KEYS["Shift"],
                },
            )

    def _state(self, browser):
        return self._evaluate(browser, KEYBOARD_STATE)

    def _wait_state(self, browser, check, message, timeout=5):
        """The keyboard state once `check(state)` holds; fail with `message` after
        `timeout`.
        """
        deadline = time.time() + timeout
        while True:
            state = self._state(browser)
            if check(state):
                return state
            if time.time() > deadline:
                self.fail(f"{message}\nPage state: {json.dumps(state, indent=1)}")
            time.sleep(0.05)

    def _assert_focus_visible(self, state, what):
        self.assertTrue(
            state["focusVisible"],
            f"{what}: focus does not match :focus-visible. {state}",
        )
        self.assertTrue(
            state["indicator"], f"{what}: no visible focus indicator. {state}"
        )

    def test_10_tips_and_check_boxes_from_the_keyboard(self):
        customer = self._create_customer("Keyboard Customer", number="+32 456 00 11 22")
        self._post_move(customer, [100.0], taxes=self.tax_10)  # 110.00 due.
        link = self._generate_link(customer)
        expected_totals = self._tip_totals_of_110(link)

        def is_tip(percent):
            def check(state):
                return (
                    state["tip"] == str(percent)
                    and state["active"]
                    and state["active"]["name"] == "tip_percent"
                    and state["active"]["value"] == str(percent)
                    and state["totals"]
                    and all(
                        total == expected_totals[percent] for total in state["totals"]
                    )
                )

            return check

        with self._browser() as browser:
            self._navigate(browser, f"/pay/{link.token}")
            state = self._state(browser)
            self.assertEqual(
                (state["tip"], state["saveCard"], state["smsConsent"]),
                ("0", False, False),
            )

            # Tab from the top of the page reaches the tip options, on the selected one.
            visited = []
            for _press_count in range(40):
                self._press(browser, "Tab")
                state = self._state(browser)
                visited.append(state["active"])
                if state["active"] and state["active"]["name"] == "tip_percent":
                    break
            else:
                self.fail(
                    f"Tab never reached the tip options; focus went to: {visited}"
                )
            self.assertEqual(
                state["active"]["value"], "0", "Tab lands on the selected tip."
            )
            self._assert_focus_visible(state, "The tip options")

            # Arrow keys move the choice; the total follows at once.
            for key_name, percent in (
                ("ArrowRight", 18),
                ("ArrowRight", 20),
                ("ArrowDown", 25),
                ("ArrowLeft", 20),
            ):
                self._press(browser, key_name)
                state = self._wait_state(
                    browser,
                    is_tip(percent),
                    f"{key_name} should select the {percent}% tip and show its total "
                    f"{expected_totals[percent]}.",
                )
                self._assert_focus_visible(state, f"The {percent}% tip")

            # Tab leaves the tip options for "Save card", then goes to the SMS consent:
            # Space ticks each.
            for input_id, state_key in (
                ("o_paylink_save_card", "saveCard"),
                ("o_paylink_sms_consent", "smsConsent"),
            ):
                self._press(browser, "Tab")
                state = self._state(browser)
                self.assertEqual(state["active"]["id"], input_id, state)
                self._assert_focus_visible(state, input_id)
                self._press(browser, "Space")
                self._wait_state(
                    browser,
                    lambda s, state_key=state_key: s[state_key] is True,
                    f"Space should tick {input_id}.",
                )

            # Shift+Tab goes back: Space unticks "Save card"; the tip stays as chosen.
            self._press(browser, "Tab", shift=True)
            state = self._state(browser)
            self.assertEqual(state["active"]["id"], "o_paylink_save_card", state)
            self._press(browser, "Space")
            state = self._wait_state(
                browser,
                lambda s: s["saveCard"] is False,
                "Space should untick Save card.",
            )
            self.assertTrue(state["smsConsent"])
            self._press(browser, "Tab", shift=True)
            self._wait_state(
                browser, is_tip(20), "Shift+Tab should return to the chosen tip."
            )
