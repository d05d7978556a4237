// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// The payment step's scripts come in one deferred bundle (paylink_portal.assets_pay_step), not
// in Odoo's two (a minimal one, then the rest once the page and its images have loaded). Odoo's
// public root waits for that second one: tell it every script is there as soon as the document
// is parsed, rather than once the payment methods' images have come.

import lazyloader from "@web/legacy/js/public/lazyloader";
import {whenReady} from "@odoo/owl";

whenReady(() => lazyloader.loadScripts([], 0));
