// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// 18.0: Odoo's payment form is a publicWidget (@payment/js/payment_form), extended with
// include().

import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import PaymentForm from "@payment/js/payment_form";
import {isPaylinkCheckout, paylinkChoices} from "@paylink_portal/payment_form/choices";

PaymentForm.include({
    /**
     * Send the customer's choices and the figures they confirmed with the transaction request.
     *
     * @override
     */
    _prepareTransactionRouteParams() {
        const params = this._super(...arguments);
        return {...params, ...paylinkChoices(this.el)};
    },

    /**
     * After a refusal (for instance a balance that changed), show the message, then the
     * payment step again with the current figures.
     *
     * @override
     */
    _displayErrorDialog(title, errorMessage = "") {
        if (!isPaylinkCheckout(this.el)) {
            return this._super(...arguments);
        }
        this.call("dialog", "add", ConfirmationDialog, {
            title,
            body: errorMessage || "",
            confirm: () => window.location.reload(),
        });
    },
});
