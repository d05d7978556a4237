// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// What the payment step adds to Odoo's payment form, whatever the series: the customer's
// choices sent with the transaction, and the step shown again after a refusal. Odoo's form
// is extended with these by payment_form_18.js (a publicWidget) or payment_form_19.js (an
// Interaction), one of which the series' assets load (data/ir_asset_data.xml).

/**
 * The customer's choices and the figures they confirmed, to send with the transaction, or
 * null outside the payment step. The server recomputes the amount; the fingerprint only
 * proves the customer saw it.
 *
 * @param {HTMLElement} formEl The payment form.
 * @returns {Object|null}
 */
export function paylinkChoices(formEl) {
    const checkoutEl = formEl.closest(".o_paylink_checkout");
    if (!checkoutEl) {
        return null;
    }
    const checked = (selector) => !!checkoutEl.querySelector(selector)?.checked;
    const {partAmount, partInvoiceIds, partDueNow, currency} = checkoutEl.dataset;
    return {
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
        ...(partDueNow ? {part_due_now: true} : {}),
        // The balance's currency, when the customer has several.
        ...(currency ? {currency} : {}),
    };
}

/**
 * Whether the payment form is the payment step's.
 *
 * @param {HTMLElement} formEl The payment form.
 * @returns {Boolean}
 */
export function isPaylinkCheckout(formEl) {
    return !!formEl.closest(".o_paylink_checkout");
}
