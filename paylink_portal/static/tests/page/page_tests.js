// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

// The payment page's browser tests, run by tests/test_pay_browser.py and
// tests/test_accessibility.py with Odoo's browser_js and the helpers of devtools.js
// (`t`). Each gets its figures from the Python test (`data`), as the server computes
// and formats them. Added to every page the test opens: nothing here is global.
(() => {
    /** Tap the tip `percent`: two totals show, the tips' and the "Pay" button's, both
     * `total`. */
    async function chooseTip(t, percent, total) {
        await t.tap(`label[for='o_paylink_tip_${percent}']`);
        await t.waitFor(
            () => JSON.stringify(t.visibleTotals()) === JSON.stringify([total, total]),
            () =>
                `The ${percent}% tip should show the total ${total} alone; the page` +
                ` shows ${JSON.stringify(t.visibleTotals())}.`,
            5000
        );
    }

    /** Back on the page after a payment: wait for its confirmation. */
    function waitForConfirmation(t) {
        return t.waitFor(
            () =>
                document.querySelector(".o_paylink_confirmation_done") && t.pageReady(),
            "The customer should land back on the page with the confirmation."
        );
    }

    // === THE PAGE, TAPPED ON A PHONE (test_pay_browser.py) === //

    paylinkTest.define(
        "tips_without_javascript",
        async (t, {page, totals}) => {
            if (location.pathname === page) {
                t.assert(
                    document.querySelector("img.o_paylink_beacon"),
                    "JavaScript should be off: the beacon is then the <noscript> image."
                );
                t.assertEqual(
                    t.visibleTotals(),
                    [totals[0], totals[0]],
                    "The page opens on no tip."
                );
                for (const percent of [18, 20, 25, 0, 20]) {
                    await chooseTip(t, percent, totals[percent]);
                }
                // "Pay" submits the choice to the payment step, script or not.
                await t.tap(".o_paylink_pay_button");
                await t.leave("Pay should open the payment step.");
                return;
            }
            t.assertEqual(
                [
                    location.pathname,
                    new URLSearchParams(location.search).get("tip_percent"),
                ],
                [`${page}/checkout`, "20"],
                "Pay should open the payment step with the 20% tip."
            );
            await t.waitFor(
                () => document.querySelector(".o_paylink_checkout"),
                "The payment step should show."
            );
            t.assertEqual(
                t.text(".o_paylink_checkout .o_paylink_total_amount"),
                totals[20],
                "The payment step's total is the 20% tip's."
            );
            console.log("test successful");
        },
        {nextPages: true}
    );

    paylinkTest.define("live_refresh", async (t, {total, refreshed}) => {
        await chooseTip(t, 20, total);
        await t.tap("#o_paylink_save_card");
        await t.tap("details.o_paylink_recent_charges > summary");
        // The office invoices more while the customer looks at the page.
        await t.step("late_charge");
        // What the page does when it becomes visible again (and every 15 s).
        document.dispatchEvent(new Event("visibilitychange"));
        await t.waitFor(
            () => t.text(".o_paylink_balance_amount").includes("150.00"),
            () =>
                `The page should show the new balance; it shows ${t.text(
                    ".o_paylink_balance_amount"
                )}.`
        );
        t.assertEqual(
            {
                tip: document.querySelector("[name=tip_percent]:checked").value,
                totals: t.visibleTotals(),
                saveCard: document.querySelector("#o_paylink_save_card").checked,
                chargesOpen: Boolean(document.querySelector("details[open]")),
                lines: document.querySelectorAll(".o_paylink_line").length,
            },
            {
                tip: "20",
                totals: [refreshed, refreshed],
                saveCard: true,
                chargesOpen: true,
                lines: 2,
            },
            "The refresh shows the new figures and keeps the customer's choices."
        );
        console.log("test successful");
    });

    /** On the payment step: pay with the Demo provider's form, as a customer does. */
    async function payWithTheDemoForm(t) {
        await t.tap("input[name=customer_input]");
        await t.type("4242");
        await t.tap("button[name=o_payment_submit_button]");
        // The payment, then Odoo's payment status page, then back to the page.
        await t.leave("Paying should leave the payment step.", 30000);
    }

    function waitForTheDemoForm(t) {
        return t.waitFor(
            () =>
                t.publicRootReady() &&
                document.querySelector("input[name=customer_input]"),
            "The payment step should show the demo provider's form."
        );
    }

    paylinkTest.define(
        "pay_with_tip",
        async (t, {page, total, tip}) => {
            const params = new URLSearchParams(location.search);
            if (location.pathname === page && !params.has("confirmation")) {
                await chooseTip(t, 20, total);
                await t.tap(".o_paylink_pay_button");
                await t.leave("Pay should open the payment step.");
            } else if (location.pathname === `${page}/checkout`) {
                await waitForTheDemoForm(t);
                await payWithTheDemoForm(t);
            } else if (location.pathname === page) {
                await waitForConfirmation(t);
                t.assertEqual(
                    [
                        t.text(".o_paylink_confirmation_amount"),
                        t.text(".o_paylink_confirmation_tip"),
                    ],
                    [total, tip],
                    "The confirmation shows the amount paid and the tip."
                );
                t.assert(
                    document.querySelector(".o_paylink_all_set"),
                    "The page should then be all set."
                );
                console.log("test successful");
            }
            // Odoo's payment status page, on the way back: nothing to do.
        },
        {nextPages: true}
    );

    paylinkTest.define(
        "pay_part",
        async (t, {page, part, figures, balance}) => {
            const params = new URLSearchParams(location.search);
            if (location.pathname === page && !params.has("confirmation")) {
                await t.tap(".o_paylink_part > summary");
                await t.tap("#o_paylink_part_amount_input");
                await t.type(part);
                await t.tap("label[for='o_paylink_part_amount_tip_18']");
                await t.tap(".o_paylink_part_amount .o_paylink_part_button");
                await t.leave("Paying part should open the payment step.");
            } else if (location.pathname === `${page}/checkout`) {
                await waitForTheDemoForm(t);
                t.assertEqual(
                    [
                        ".o_paylink_allocation",
                        ".o_paylink_checkout_tip",
                        ".o_paylink_total_amount",
                    ].map((selector) => t.text(selector)),
                    figures,
                    "The payment step shows what is paid, the tip and the total."
                );
                await payWithTheDemoForm(t);
            } else if (location.pathname === page) {
                await waitForConfirmation(t);
                t.assertEqual(
                    t.text(".o_paylink_balance_amount"),
                    balance,
                    "The page shows what is left to pay."
                );
                console.log("test successful");
            }
        },
        {nextPages: true}
    );

    /** The payment step's scripts, as the page lists them to fetch ahead. */
    function payStepAssets() {
        const pageEl = document.querySelector(".o_paylink_page");
        return (pageEl?.dataset.payStepAssets || "").split(" ").filter(Boolean);
    }

    /** Whether the browser has fetched `url` in full (its resource timing). */
    function fetched(url) {
        const absolute = new URL(url, location.href).href;
        return performance
            .getEntriesByName(absolute)
            .some((entry) => entry.responseEnd > 0);
    }

    paylinkTest.define(
        "pay_step_fetched_ahead",
        async (t, {page, total}) => {
            const params = new URLSearchParams(location.search);
            if (location.pathname === page && !params.has("confirmation")) {
                const urls = payStepAssets();
                t.assert(urls.length, "The page lists the payment step's scripts.");
                // Touching a tip: the customer is about to pay.
                await chooseTip(t, 20, total);
                await t.waitFor(
                    () => urls.every(fetched),
                    "Touching a tip should fetch the payment step's scripts ahead."
                );
                sessionStorage.setItem("paylinkFetchedAhead", JSON.stringify(urls));
                await t.tap(".o_paylink_pay_button");
                await t.leave("Pay should open the payment step.");
            } else if (location.pathname === `${page}/checkout`) {
                await waitForTheDemoForm(t);
                const urls = JSON.parse(sessionStorage.getItem("paylinkFetchedAhead"));
                const scripts = [...document.querySelectorAll("script[src]")]
                    .map((script) => script.getAttribute("src"))
                    .filter((src) => src.startsWith("/web/assets/"));
                t.assertEqual(
                    scripts,
                    urls,
                    "The payment step loads the scripts the page fetched ahead."
                );
                for (const url of urls) {
                    const [entry] = performance.getEntriesByName(
                        new URL(url, location.href).href
                    );
                    t.assertEqual(
                        entry.transferSize,
                        0,
                        `${url} should come from the browser's cache, not the network.`
                    );
                }
                // The translations of Odoo's scripts, fetched once: by the preload
                // where the series allows it, which the scripts then use.
                t.assertEqual(
                    performance
                        .getEntriesByType("resource")
                        .filter((entry) => entry.name.includes("/translations")).length,
                    1,
                    "The translations should be fetched once."
                );
                t.assert(
                    document.querySelector(
                        "#o_payment_form input[name=o_payment_radio]:checked"
                    ) &&
                        !document.querySelector("button[name=o_payment_submit_button]")
                            .disabled,
                    "The payment form is usable: a method chosen, Pay enabled."
                );
                console.log("test successful");
            }
        },
        {nextPages: true}
    );

    paylinkTest.define("pay_step_starts", async (t, {modules}) => {
        await t.waitFor(
            () => t.publicRootReady() && document.querySelector("#o_payment_form"),
            "The payment step's scripts should start."
        );
        for (const name of modules) {
            t.assert(
                odoo.loader.modules.has(name),
                `The payment step should have started the module ${name}.`
            );
        }
        console.log("test successful");
    });

    // === THE KEYBOARD ALONE (test_accessibility.py) === //

    /**
     * What a keyboard user sees: the focused element, whether it shows a focus indicator,
     * and the page's choices. The indicator of a visually hidden radio button is drawn on
     * its label; it must differ from the look of the same kind of control without focus.
     */
    function keyboardState(t) {
        const look = (element) => {
            const style = getComputedStyle(element);
            const drawsOutline =
                style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
            const outline = drawsOutline
                ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`
                : "none";
            return {outline, boxShadow: style.boxShadow};
        };
        const drawn = (element) =>
            element.matches(".o_paylink_tip_input") ? element.labels[0] : element;
        const active = document.activeElement;
        // Another option of the same radio group, or another check box.
        const peer =
            active && active.matches("input")
                ? [
                      ...document.querySelectorAll(
                          active.type === "radio"
                              ? `input[name="${CSS.escape(active.name)}"]`
                              : `input[type="${active.type}"]`
                      ),
                  ].find((input) => input !== active && !input.disabled)
                : null;
        const focused = active && active !== document.body ? look(drawn(active)) : null;
        const unfocused = peer ? look(drawn(peer)) : null;
        const checked = (selector) => document.querySelector(selector)?.checked ?? null;
        return {
            active: active
                ? {
                      tag: active.tagName.toLowerCase(),
                      id: active.id,
                      name: active.getAttribute("name"),
                      value: active.value,
                      text: (active.textContent || "").trim().slice(0, 40),
                  }
                : null,
            focusVisible: Boolean(active) && active.matches(":focus-visible"),
            focused,
            unfocused,
            indicator:
                Boolean(focused) &&
                (focused.outline !== "none" || focused.boxShadow !== "none") &&
                (!unfocused || JSON.stringify(focused) !== JSON.stringify(unfocused)),
            tip:
                document.querySelector('input[name="tip_percent"]:checked')?.value ??
                null,
            totals: t.visibleTotals(),
            saveCard: checked("#o_paylink_save_card"),
            smsConsent: checked("#o_paylink_sms_consent"),
        };
    }

    paylinkTest.define("keyboard", async (t, {totals}) => {
        const state = () => keyboardState(t);
        const describe = (current) =>
            `\nPage state: ${JSON.stringify(current, null, 1)}`;
        /** The state once `check(state)` holds; fail with `message` after 5 s. */
        const waitState = (check, message) => {
            let current = null;
            return t.waitFor(
                () => check((current = state())) && current,
                () => `${message}${describe(current)}`,
                5000
            );
        };
        const isTip = (percent) => (current) =>
            current.tip === String(percent) &&
            current.active?.name === "tip_percent" &&
            current.active.value === String(percent) &&
            current.totals.length > 0 &&
            current.totals.every((total) => total === totals[percent]);
        const assertFocusVisible = (current, what) => {
            t.assert(
                current.focusVisible,
                `${what}: focus does not match :focus-visible.${describe(current)}`
            );
            t.assert(
                current.indicator,
                `${what}: no visible focus indicator.${describe(current)}`
            );
        };

        let current = state();
        t.assertEqual(
            [current.tip, current.saveCard, current.smsConsent],
            ["0", false, false],
            "The page opens on no tip, nothing ticked."
        );

        // Tab from the top of the page reaches the tip options, on the selected one.
        const visited = [];
        for (let presses = 0; presses < 40; presses++) {
            await t.press("Tab");
            current = state();
            visited.push(current.active);
            if (current.active?.name === "tip_percent") {
                break;
            }
        }
        t.assert(
            current.active?.name === "tip_percent",
            `Tab never reached the tip options; focus went to: ${JSON.stringify(visited)}`
        );
        t.assertEqual(current.active.value, "0", "Tab lands on the selected tip.");
        assertFocusVisible(current, "The tip options");

        // Arrow keys move the choice; the total follows at once.
        for (const [key, percent] of [
            ["ArrowRight", 18],
            ["ArrowRight", 20],
            ["ArrowDown", 25],
            ["ArrowLeft", 20],
        ]) {
            await t.press(key);
            current = await waitState(
                isTip(percent),
                `${key} should select the ${percent}% tip and show its total ${totals[percent]}.`
            );
            assertFocusVisible(current, `The ${percent}% tip`);
        }

        // Tab leaves the tip options for "Save card", then goes to the SMS consent: Space
        // ticks each.
        for (const [inputId, key] of [
            ["o_paylink_save_card", "saveCard"],
            ["o_paylink_sms_consent", "smsConsent"],
        ]) {
            await t.press("Tab");
            current = state();
            t.assertEqual(
                current.active?.id,
                inputId,
                `Tab should go to ${inputId}.${describe(current)}`
            );
            assertFocusVisible(current, inputId);
            await t.press("Space");
            await waitState((s) => s[key] === true, `Space should tick ${inputId}.`);
        }

        // Shift+Tab goes back: Space unticks "Save card"; the tip stays as chosen.
        await t.press("Tab", {shift: true});
        current = state();
        t.assertEqual(
            current.active?.id,
            "o_paylink_save_card",
            `Shift+Tab should return to Save card.${describe(current)}`
        );
        await t.press("Space");
        current = await waitState(
            (s) => s.saveCard === false,
            "Space should untick Save card."
        );
        t.assert(
            current.smsConsent,
            `The SMS consent stays ticked.${describe(current)}`
        );
        await t.press("Tab", {shift: true});
        await waitState(isTip(20), "Shift+Tab should return to the chosen tip.");
        console.log("test successful");
    });

    // === AXE-CORE (test_accessibility.py) === //

    function describeViolation(violation) {
        return [
            `- ${violation.id} (${violation.impact}): ${violation.help} <${violation.helpUrl}>`,
            ...violation.nodes.map(
                (node) =>
                    `    ${node.target.join(" ")}: ${paylinkTest.normalize(
                        node.failureSummary || ""
                    )}`
            ),
        ].join("\n");
    }

    /**
     * axe-core (added to every page by the Python test) on `pages`, one after the other
     * (the Python test's step `provider_state` sets the payment provider's state each
     * needs), on the whole document, every <details> opened first so that the charges it
     * folds are checked too: a serious or critical violation fails the test once every
     * page is checked, the others are logged.
     */
    paylinkTest.define(
        "axe",
        async (t, {pages, tags, failingImpacts}) => {
            const key = "paylink_axe";
            const {index, failing} = JSON.parse(
                sessionStorage.getItem(key) || '{"index": 0, "failing": []}'
            );
            const {where, marker, ready} = pages[index];
            await t.waitFor(() => t[ready](), `The ${where} never got ready.`);
            await t.waitFor(
                () => document.querySelector(marker),
                `The ${where} should show ${marker}.`
            );
            for (const details of document.querySelectorAll("details")) {
                details.open = true;
            }
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            const serious = [];
            for (const violation of results.violations) {
                if (failingImpacts.includes(violation.impact)) {
                    serious.push(describeViolation(violation));
                } else {
                    console.log(
                        `axe-core ${axe.version} on ${where}:\n${describeViolation(violation)}`
                    );
                }
            }
            if (serious.length) {
                failing.push(`axe-core ${axe.version} on ${where}:`, ...serious);
            }
            const next = pages[index + 1];
            if (next) {
                sessionStorage.setItem(
                    key,
                    JSON.stringify({index: index + 1, failing})
                );
                await t.step("provider_state", next.providerState);
                location.assign(next.path);
                await t.leave(`The ${next.where} should open.`);
            } else if (failing.length) {
                throw new Error(
                    `Serious or critical accessibility violations:\n${failing.join("\n")}`
                );
            } else {
                console.log("test successful");
            }
        },
        {nextPages: true}
    );
})();
