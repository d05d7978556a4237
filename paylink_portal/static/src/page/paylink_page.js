// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// The payment page's only script, loaded deferred and in no Odoo bundle: the page is complete
// without it (tips show their totals with CSS alone, "Pay" is a plain form). It keeps the
// figures live while the page is visible and saves the SMS reminder preference on its own.
(function () {
    "use strict";

    // Often enough that a payment recorded by the office shows while the customer looks at
    // the page, rarely enough to cost nothing: only visible pages poll.
    const REFRESH_INTERVAL_MS = 15000;

    const pageEl = document.querySelector(".o_paylink_page[data-token]");
    if (!pageEl) {
        return;
    }
    const summaryEl = pageEl.querySelector(".o_paylink_summary");
    const baseUrl = `/pay/${encodeURIComponent(pageEl.dataset.token)}`;
    let timer = null;

    /**
     * Call one of the page's JSON-RPC routes; reject with the server's message, if any.
     *
     * @param {String} route
     * @param {Object} params
     * @returns {Promise<Object>}
     */
    async function rpc(route, params) {
        const response = await fetch(baseUrl + route, {
            method: "POST",
            headers: {"Content-Type": "application/json"},
            body: JSON.stringify({jsonrpc: "2.0", method: "call", params}),
            credentials: "same-origin",
        });
        const body = await response.json();
        if (body.error) {
            const error = new Error(body.error.message);
            error.data = body.error.data;
            throw error;
        }
        return body.result;
    }

    /**
     * One of the script's messages, rendered in the customer's language by the page.
     *
     * @param {String} selector
     * @returns {String}
     */
    function text(selector) {
        return pageEl.querySelector(selector).textContent;
    }

    /** Show what only works with this script. */
    function showScriptedControls() {
        for (const el of pageEl.querySelectorAll(".o_paylink_sms_save")) {
            el.hidden = false;
        }
    }

    // #=== LIVE REFRESH ===#

    function schedule() {
        clearTimeout(timer);
        timer = setTimeout(refresh, REFRESH_INTERVAL_MS);
    }

    /** What the customer chose or opened, to keep across a refresh. */
    function getChoices() {
        const inputs = [
            ...summaryEl.querySelectorAll("input[type=radio], input[type=checkbox]"),
        ];
        return {
            checked: Object.fromEntries(
                inputs.map((input) => [input.id, input.checked])
            ),
            chargesOpen: !!summaryEl.querySelector("details[open]"),
            focusedId:
                summaryEl.contains(document.activeElement) && document.activeElement.id,
        };
    }

    function restoreChoices({checked, chargesOpen, focusedId}) {
        for (const [id, isChecked] of Object.entries(checked)) {
            const input = id && document.getElementById(id);
            if (input && !input.disabled) {
                input.checked = isChecked;
            }
        }
        const details = summaryEl.querySelector("details");
        if (details) {
            details.open = chargesOpen;
        }
        if (focusedId) {
            document.getElementById(focusedId)?.focus();
        }
    }

    /**
     * Fetch the figures; when the server says they changed, swap them in while keeping what
     * the customer selected (tip, check boxes, open charges).
     */
    async function refresh() {
        if (document.visibilityState !== "visible") {
            return schedule();
        }
        try {
            const {currency} = summaryEl.dataset;
            const result = await rpc("/summary", {
                fingerprint: summaryEl.dataset.fingerprint,
                ...(currency ? {currency} : {}),
            });
            if (result.html) {
                const choices = getChoices();
                // Rendered by the server's QWeb, which escaped every value.
                summaryEl.innerHTML = result.html;
                summaryEl.dataset.fingerprint = result.fingerprint;
                summaryEl.dataset.state = result.state;
                restoreChoices(choices);
                showScriptedControls();
            }
        } catch {
            // A revoked link or a network hiccup: keep what is displayed, try again later.
        }
        schedule();
    }

    // #=== THE PAYMENT STEP, FETCHED AHEAD ===#

    // Still on the page after this long: reading it, and the page's own requests are done.
    const FETCH_AHEAD_DELAY_MS = 5000;
    let fetchedAhead = false;

    /** Fetch the payment step's scripts (versioned, long cached) once; not on Save-Data. */
    function fetchAhead() {
        const urls = (pageEl.dataset.payStepAssets || "").split(" ").filter(Boolean);
        if (fetchedAhead || !urls.length || navigator.connection?.saveData) {
            return;
        }
        fetchedAhead = true;
        for (const url of urls) {
            const link = document.createElement("link");
            link.rel = "prefetch";
            link.href = url;
            document.head.appendChild(link);
        }
    }

    function fetchAheadWhenIdle() {
        setTimeout(() => {
            if (window.requestIdleCallback) {
                window.requestIdleCallback(fetchAhead, {timeout: FETCH_AHEAD_DELAY_MS});
            } else {
                fetchAhead();
            }
        }, FETCH_AHEAD_DELAY_MS);
    }

    // #=== HANDLERS ===#

    async function onSmsSave() {
        const statusEl = pageEl.querySelector(".o_paylink_sms_status");
        const consent = pageEl.querySelector('input[name="sms_consent"]').checked;
        try {
            await rpc("/sms_consent", {consent, csrf_token: pageEl.dataset.csrfToken});
            statusEl.textContent = text(
                consent ? ".o_paylink_text_saved_on" : ".o_paylink_text_saved_off"
            );
        } catch (error) {
            statusEl.textContent =
                error.data?.message || text(".o_paylink_text_save_error");
        }
    }

    pageEl.addEventListener("click", (ev) => {
        if (ev.target.closest(".o_paylink_sms_save")) {
            onSmsSave();
        }
    });
    // A tip or a check box touched: the customer is about to pay.
    pageEl.addEventListener("pointerdown", (ev) => {
        if (ev.target.closest(".o_paylink_form")) {
            fetchAhead();
        }
    });
    pageEl.addEventListener("focusin", (ev) => {
        if (ev.target.closest(".o_paylink_form")) {
            fetchAhead();
        }
    });
    pageEl.addEventListener("submit", (ev) => {
        // One tap is enough: a second one while the payment step loads does nothing.
        const button = ev.target.querySelector(".o_paylink_pay_button");
        if (button?.getAttribute("aria-busy") === "true") {
            ev.preventDefault();
        }
        button?.setAttribute("aria-busy", "true");
    });
    // Back from the payment step, a page restored from the browser's cache is usable again.
    window.addEventListener("pageshow", () => {
        pageEl.querySelector(".o_paylink_pay_button")?.removeAttribute("aria-busy");
    });
    document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") {
            refresh();
        }
    });
    showScriptedControls();
    schedule();
    if (document.readyState === "complete") {
        fetchAheadWhenIdle();
    } else {
        window.addEventListener("load", fetchAheadWhenIdle, {once: true});
    }
    // Tell the office the page was opened: a route of its own, which writes, so that the
    // page itself stays read-only. (Without the script, the page's <noscript> image does.)
    navigator.sendBeacon?.(baseUrl + "/opened");
})();
