/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import publicWidget from "@web/legacy/js/public/public_widget";
import {rpc} from "@web/core/network/rpc";
import {_t} from "@web/core/l10n/translation";

// Often enough that a payment recorded by the office shows while the customer looks at the
// page, rarely enough to cost nothing: only visible pages poll.
const REFRESH_INTERVAL_MS = 15000;

publicWidget.registry.PaylinkPage = publicWidget.Widget.extend({
    selector: ".o_paylink_page",
    events: {
        'change input[name="tip_percent"]': "_onTipChange",
        "click .o_paylink_sms_save": "_onSmsSave",
    },

    /**
     * @override
     */
    start() {
        this.summaryEl = this.el.querySelector(".o_paylink_summary");
        this.formEl = this.el.querySelector(".o_paylink_form");
        // The payment form asks for fresh figures when the server refused stale ones.
        this._onRefreshRequest = () => this.refresh();
        this.el.addEventListener("paylink:refresh", this._onRefreshRequest);
        this._onVisibilityChange = this._onVisibilityChange.bind(this);
        document.addEventListener("visibilitychange", this._onVisibilityChange);
        this._schedule();
        this._loadPaymentForm();
        return this._super(...arguments);
    },

    /**
     * @override
     */
    destroy() {
        clearTimeout(this.timer);
        document.removeEventListener("visibilitychange", this._onVisibilityChange);
        this.el.removeEventListener("paylink:refresh", this._onRefreshRequest);
        this._super(...arguments);
    },

    // #=== HANDLERS ===#

    _onTipChange() {
        this._showTotal();
    },

    async _onSmsSave() {
        const statusEl = this.el.querySelector(".o_paylink_sms_status");
        const consent = this.el.querySelector('input[name="sms_consent"]').checked;
        try {
            await rpc(`/pay/${encodeURIComponent(this.el.dataset.token)}/sms_consent`, {
                consent,
                csrf_token: odoo.csrf_token,
            });
            statusEl.textContent = consent
                ? _t("Saved: you will receive payment reminders by text.")
                : _t("Saved: you will not receive payment reminders by text.");
        } catch (error) {
            statusEl.textContent =
                error.data?.message || _t("Could not save. Please try again.");
        }
    },

    _onVisibilityChange() {
        if (document.visibilityState === "visible") {
            this.refresh();
        }
    },

    // #=== PAYMENT FORM ===#

    /**
     * Fetch the payment form and start its widgets: the page is shown without it, because
     * finding the payment methods costs more than everything else on the page.
     */
    async _loadPaymentForm() {
        const slotEl = this.el.querySelector(".o_paylink_payment_form");
        if (!slotEl) {
            return;
        }
        try {
            const {html} = await rpc(
                `/pay/${encodeURIComponent(this.el.dataset.token)}/payment_form`,
                {}
            );
            // Rendered by the server's QWeb, which escaped every value.
            slotEl.innerHTML = html || "";
            await new Promise((resolve, reject) => {
                this.trigger_up("widgets_start_request", {
                    $target: $(slotEl),
                    onSuccess: resolve,
                    onFailure: reject,
                });
            });
        } catch (error) {
            slotEl.textContent =
                error.data?.message ||
                _t(
                    "The payment options could not be loaded. Reload the page to try again."
                );
        }
        slotEl.removeAttribute("aria-busy");
    },

    // #=== LIVE REFRESH ===#

    _schedule() {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.refresh(), REFRESH_INTERVAL_MS);
    },

    /**
     * Fetch the figures; when the server says they changed, swap them in while keeping what the
     * customer selected (tip, check boxes, open charges).
     */
    async refresh() {
        if (document.visibilityState !== "visible") {
            return this._schedule();
        }
        try {
            const result = await rpc(
                `/pay/${encodeURIComponent(this.el.dataset.token)}/summary`,
                {
                    fingerprint: this.summaryEl.dataset.fingerprint,
                }
            );
            if (result.html) {
                const choices = this._getChoices();
                this.summaryEl.innerHTML = result.html;
                this.summaryEl.dataset.fingerprint = result.fingerprint;
                this.summaryEl.dataset.state = result.state;
                this._restoreChoices(choices);
                // Once settled, nothing is left to pay: the form goes until the next charge.
                this.formEl?.classList.toggle("d-none", result.state !== "outstanding");
            }
        } catch {
            // A revoked link or a network hiccup: keep what is displayed, try again later.
        }
        this._schedule();
    },

    _getChoices() {
        const checked = [...this.summaryEl.querySelectorAll("input:checked")].map(
            (input) => [input.name, input.value]
        );
        const chargesOpen = !!this.summaryEl.querySelector("details[open]");
        return {checked, chargesOpen};
    },

    _restoreChoices({checked, chargesOpen}) {
        for (const [name, value] of checked) {
            const input = this.summaryEl.querySelector(
                `input[name="${name}"][value="${CSS.escape(value)}"]`
            );
            if (input) {
                input.checked = true;
            }
        }
        const details = this.summaryEl.querySelector("details");
        if (details) {
            details.open = chargesOpen;
        }
        this._showTotal();
    },

    // #=== DISPLAY ===#

    /**
     * Display the total of the selected tip option; every total is computed by the server.
     */
    _showTotal() {
        const selected = this.summaryEl.querySelector(
            'input[name="tip_percent"]:checked'
        );
        if (!selected) {
            return;
        }
        for (const totalEl of this.el.querySelectorAll(".o_paylink_total_amount")) {
            totalEl.textContent = selected.dataset.paylinkTotal;
        }
    },
});

export default publicWidget.registry.PaylinkPage;
