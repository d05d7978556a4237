/** @odoo-module **/
// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import {_t} from "@web/core/l10n/translation";
import {browser} from "@web/core/browser/browser";
import {registry} from "@web/core/registry";

// The customer form's Copy Message and Compose SMS buttons (res.partner's
// action_paylink_copy_message and action_paylink_compose_sms). Each ends by closing
// the action, which reloads the form: the customer's link may be new.
const CLOSE = {type: "ir.actions.act_window_close"};

/**
 * Put `params.message` on the clipboard. Without a clipboard (a page served over plain
 * HTTP) or when the browser refuses (Safari, once the server answered), the message is
 * shown to copy by hand.
 */
async function copyMessage(env, action) {
    const {message} = action.params;
    try {
        await browser.navigator.clipboard.writeText(message);
    } catch {
        env.services.notification.add(message, {
            title: _t("Copy this message"),
            sticky: true,
            type: "warning",
        });
        return CLOSE;
    }
    env.services.notification.add(_t("Message copied to the clipboard."), {
        type: "success",
    });
    return CLOSE;
}

/** Open `params.url`, an `sms:` URI, in the device's text messages app. */
function composeSms(env, action) {
    browser.location.assign(action.params.url);
    return CLOSE;
}

registry.category("actions").add("paylink_portal.copy_message", copyMessage);
registry.category("actions").add("paylink_portal.compose_sms", composeSms);
