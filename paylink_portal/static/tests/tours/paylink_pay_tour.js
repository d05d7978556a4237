/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {registry} from "@web/core/registry";

// Started by tests/test_pay_payment.py on a customer owing 100.00, with the demo provider on.
registry.category("web_tour.tours").add("paylink_portal_pay_tour", {
    steps: () => [
        {
            content: "Select the 20% tip",
            trigger: '.o_paylink_tips label:contains("20%")',
            run: "click",
        },
        {
            content: "The total to pay includes the tip",
            trigger: '.o_paylink_tips .o_paylink_total_amount:contains("120.00")',
        },
        {
            content: "The demo payment method is selected",
            trigger:
                'input[name="o_payment_radio"][data-payment-method-code="demo"]:checked',
        },
        {
            content: "Enter the card number",
            trigger: 'input[name="customer_input"]',
            run: "edit 4242",
        },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]:enabled',
            run: "click",
        },
        {
            content: "Back on the link, the payment is confirmed with its tip",
            trigger:
                '.o_paylink_confirmation_done .o_paylink_confirmation_amount:contains("120.00")',
            timeout: 30000,
        },
        {
            content: "The tip is shown",
            trigger:
                '.o_paylink_confirmation_done .o_paylink_confirmation_tip:contains("20.00")',
        },
        {
            content: "Nothing is left to pay",
            trigger: ".o_paylink_all_set",
        },
    ],
});
