/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {browser} from "@web/core/browser/browser";
import {registry} from "@web/core/registry";

// The customer form's Copy Message on a customer without a link (see test_share.py):
// the link is generated, its message copied, and the form shows the link and its QR
// code; without a clipboard, the message is shown to copy by hand.
const MESSAGE =
    /^Hi Ada, here is your .+ account: balance .+\. View and pay: (http\S+\/pay\/[\w-]{43})$/;

/** Replace the browser's clipboard with one that records what is written to it. */
function useClipboard(clipboard) {
    Object.defineProperty(browser.navigator, "clipboard", {
        configurable: true,
        value: clipboard,
    });
}

registry.category("web_tour.tours").add("paylink_portal_share", {
    steps: () => [
        {
            content: "Open the Invoicing tab",
            trigger: ".o_notebook a.nav-link[name='accounting']",
            run: "click",
        },
        {
            content: "The customer has no link yet",
            trigger: "button[name='action_paylink_generate']:contains(Generate Link)",
        },
        {
            content: "Copy the ready message",
            trigger: "button[name='action_paylink_copy_message']",
            async run(actions) {
                // Headless Chrome grants no clipboard: one that remembers.
                const copied = (window.paylinkCopied = []);
                useClipboard({writeText: async (text) => copied.push(text)});
                await actions.click();
            },
        },
        {
            content: "Staff are told it is copied",
            trigger: ".o_notification:contains(Message copied to the clipboard.)",
        },
        {
            content: "The form shows the new link's QR code",
            trigger:
                ".o_field_widget[name='paylink_qr_code'] img[src^='data:image/png;base64,']",
        },
        {
            content: "The message copied is the ready message with the link shown",
            trigger: ".o_field_widget[name='paylink_url']:contains(/pay/)",
            run() {
                const copied = window.paylinkCopied;
                const match = copied.length === 1 && MESSAGE.exec(copied[0]);
                const shown = this.anchor.textContent.trim();
                if (!match || match[1] !== shown) {
                    throw new Error(
                        `Copied ${JSON.stringify(copied)}, the form shows ${shown}`
                    );
                }
            },
        },
        {
            content: "Copy again, without a clipboard (plain HTTP)",
            trigger: "button[name='action_paylink_copy_message']",
            async run(actions) {
                useClipboard(undefined);
                await actions.click();
            },
        },
        {
            content: "The message is shown to copy by hand",
            trigger:
                ".o_notification:contains(Copy this message):contains(View and pay: http)",
        },
    ],
});
