// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

// The payment page's browser tests, run by tests/test_pay_browser.py with Odoo's
// browser_js and the helpers of devtools.js (`t`). Each gets its figures from the Python test (`data`), as the server computes
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
})();
