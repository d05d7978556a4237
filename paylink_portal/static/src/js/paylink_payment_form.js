/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import PaymentForm from "@payment/js/payment_form";

PaymentForm.include({
    /**
     * Send the customer's choices and the figures they confirmed with the transaction request.
     * The server recomputes the amount; the fingerprint only proves the customer saw it.
     *
     * @override
     */
    _prepareTransactionRouteParams() {
        const params = this._super(...arguments);
        const checkoutEl = this.el.closest(".o_paylink_checkout");
        if (!checkoutEl) {
            return params;
        }
        const checked = (selector) => !!checkoutEl.querySelector(selector)?.checked;
        const {partAmount, partInvoiceIds} = checkoutEl.dataset;
        return {
            ...params,
            tip_percent: parseInt(checkoutEl.dataset.tipPercent),
            fingerprint: checkoutEl.dataset.fingerprint,
            save_card: checked('input[name="save_card"]'),
            sms_consent: checked('input[name="sms_consent"]'),
            autopay: checked('input[name="autopay"]'),
            // A part of the balance, as the payment step showed it applied.
            ...(partAmount ? {part_amount: partAmount} : {}),
            ...(partInvoiceIds
                ? {part_invoice_ids: partInvoiceIds.split(",").map(Number)}
                : {}),
        };
    },

    /**
     * After a refusal (for instance a balance that changed), show the message, then the
     * payment step again with the current figures.
     *
     * @override
     */
    _displayErrorDialog(title, errorMessage = "") {
        if (!this.el.closest(".o_paylink_checkout")) {
            return this._super(...arguments);
        }
        this.call("dialog", "add", ConfirmationDialog, {
            title,
            body: errorMessage || "",
            confirm: () => window.location.reload(),
        });
    },
});
