// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// 19.0: Odoo's payment form is an Interaction (@payment/interactions/payment_form),
// extended with patch().

import {ConfirmationDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {PaymentForm} from "@payment/interactions/payment_form";
import {patch} from "@web/core/utils/patch";
import {isPaylinkCheckout, paylinkChoices} from "@paylink_portal/payment_form/choices";

patch(PaymentForm.prototype, {
    /**
     * Send the customer's choices and the figures they confirmed with the transaction request.
     *
     * @override
     */
    _prepareTransactionRouteParams() {
        const params = super._prepareTransactionRouteParams(...arguments);
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
            return super._displayErrorDialog(...arguments);
        }
        this.services.dialog.add(ConfirmationDialog, {
            title,
            body: errorMessage || "",
            confirm: () => window.location.reload(),
        });
    },
});
