/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

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
        const pageEl = this.el.closest(".o_paylink_page");
        if (!pageEl) {
            return params;
        }
        const checked = (selector) => !!pageEl.querySelector(selector)?.checked;
        const tipInput = pageEl.querySelector('input[name="tip_percent"]:checked');
        return {
            ...params,
            tip_percent: tipInput ? parseInt(tipInput.value) : 0,
            fingerprint: pageEl.querySelector(".o_paylink_summary").dataset.fingerprint,
            save_card: checked('input[name="save_card"]'),
            sms_consent: checked('input[name="sms_consent"]'),
        };
    },

    /**
     * After a refusal (for instance a balance that changed), show the current figures.
     *
     * @override
     */
    _displayErrorDialog() {
        this.el
            .closest(".o_paylink_page")
            ?.dispatchEvent(new CustomEvent("paylink:refresh"));
        return this._super(...arguments);
    },
});
