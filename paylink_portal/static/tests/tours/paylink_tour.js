/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

// Started by tests/test_pay_tour.py on a customer owing 100.00 with one charge, "Tour consulting".
function selectTip(label, expectedTotal) {
    return [
        {
            content: `Select the ${label} tip`,
            trigger: `.o_paylink_tips label:contains("${label}")`,
            run: "click",
        },
        {
            content: `The total to pay is ${expectedTotal}`,
            trigger: `.o_paylink_tips .o_paylink_total_amount:contains("${expectedTotal}")`,
        },
        {
            content: `The pay button shows ${expectedTotal}`,
            trigger: `.o_paylink_form button[type="submit"] .o_paylink_total_amount:contains("${expectedTotal}")`,
        },
    ];
}

registry.category("web_tour.tours").add("paylink_portal_tip_tour", {
    steps: () => [
        {
            content: "The outstanding balance is shown",
            trigger: '.o_paylink_balance_amount:contains("100.00")',
        },
        {
            content: "No tip is selected by default",
            trigger: "#o_paylink_tip_0:checked",
        },
        ...selectTip("18%", "118.00"),
        ...selectTip("20%", "120.00"),
        ...selectTip("25%", "125.00"),
        ...selectTip("No tip", "100.00"),
        {
            content: "The recent charges are collapsed",
            trigger: ".o_paylink_recent_charges:not([open]) > summary",
        },
        {
            content: "Expand the recent charges",
            trigger: ".o_paylink_recent_charges > summary",
            run: "click",
        },
        {
            content: "The charge is listed with its amount",
            trigger:
                '.o_paylink_recent_charges[open] .o_paylink_line:contains("Tour consulting"):contains("100.00"):visible',
        },
    ],
});
