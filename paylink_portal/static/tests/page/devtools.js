// Copyright 2026 paylink_portal
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

// The page side of tests/devtools.py, which adds this script to every page a browser
// test opens in Odoo's headless Chromium (not an Odoo asset: the payment page loads no
// bundle, and must be tested as it is). A test of page_tests.js runs with
// `paylinkTest.run(name, data)`, as a tour with `odoo.startTour`: it asks the Python
// side, through the DevTools binding `paylinkDevtools`, for what only the browser can
// do (a tap, a key press, typed text) and checks the page; it fails by throwing (its
// message is logged with console.error, which fails Odoo's browser_js run) and ends
// with console.log("test successful").
//
// Without JavaScript (`devtools(javascript=False)`), the page's own scripts, timers and
// event listeners do not run, but this script and the test do: they wait through the
// Python side (`pause`), never with setTimeout.
(() => {
    if (window.paylinkTest) {
        return;
    }
    const tests = new Map();
    const waiting = new Map();
    let lastRequest = 0;

    /** Ask the Python side for `command`; resolve with its value. */
    function ask(command, args = {}) {
        const id = ++lastRequest;
        return new Promise((resolve, reject) => {
            waiting.set(id, {resolve, reject});
            window.paylinkDevtools(JSON.stringify({id, command, args}));
        });
    }

    function fail(error) {
        console.error(
            `Page test failed on ${location.pathname}${location.search}: ${
                (error && error.stack) || error
            }`
        );
    }

    /** The text of `element` as a reader sees it: white space collapsed. */
    function normalize(text) {
        return text
            .replace(/\uFEFF/g, "")
            .replace(/\s+/g, " ")
            .trim();
    }

    const paylinkTest = {
        /**
         * Define the page test `name`. With `nextPages`, it runs again in each page
         * the tab loads next (with the same data), where it does what that page
         * needs: a payment goes through several pages.
         */
        define(name, test, {nextPages = false} = {}) {
            tests.set(name, {test, nextPages});
        },

        /** Run the page test `name` on this page; see browser_js's `code`. */
        run(name, data = {}) {
            (async () => {
                const entry = tests.get(name);
                if (!entry) {
                    throw new Error(`No page test named ${name}.`);
                }
                if (entry.nextPages) {
                    await ask("next_pages", {name, data});
                }
                await entry.test(paylinkTest, data);
            })().catch(fail);
        },

        _resume(name, data) {
            if (window !== window.top) {
                return;
            }
            (async () => {
                await paylinkTest.waitFor(
                    () => document.readyState === "complete",
                    "The page never finished loading."
                );
                await tests.get(name).test(paylinkTest, data);
            })().catch(fail);
        },

        _settle(id, outcome) {
            const promise = waiting.get(id);
            waiting.delete(id);
            if (outcome.error) {
                promise.reject(new Error(outcome.error));
            } else {
                promise.resolve(outcome.value);
            }
        },

        // --- What only the browser can do, asked of the Python side ---

        /** Tap the centre of the element matching `selector`, as a finger does. */
        async tap(selector) {
            const element = document.querySelector(selector);
            if (!element) {
                throw new Error(`Nothing to tap: ${selector} is not on the page.`);
            }
            element.scrollIntoView({block: "center"});
            const rect = element.getBoundingClientRect();
            await ask("tap", {
                x: rect.x + rect.width / 2,
                y: rect.y + rect.height / 2,
            });
        },

        /** Press and release `key` (see devtools.py's KEYS), with Shift if asked. */
        press(key, {shift = false} = {}) {
            return ask("press", {key, shift});
        },

        /** Type `text` into the focused field. */
        type(text) {
            return ask("type", {text});
        },

        /** Run the step `step` of the Python test (its `devtools(steps=...)`), with
         * `args`. */
        step(step, ...args) {
            return ask("step", {step, args});
        },

        pause(ms) {
            return ask("pause", {ms});
        },

        // --- Waiting and checking ---

        /**
         * Resolve with the first truthy value of `predicate`, tried every 50 ms; fail
         * with `message` (or what the function `message` returns then) after `timeout`
         * ms.
         */
        async waitFor(predicate, message, timeout = 20000) {
            const start = performance.now();
            let value = null;
            for (;;) {
                try {
                    value = await predicate();
                } catch {
                    value = null;
                }
                if (value) {
                    return value;
                }
                if (performance.now() - start > timeout) {
                    throw new Error(
                        typeof message === "function" ? message() : message
                    );
                }
                await paylinkTest.pause(50);
            }
        },

        /**
         * After an action that leaves the page: fail with `message` if the tab is
         * still on it after `timeout` ms (once it has left, nothing runs here).
         */
        async leave(message, timeout = 20000) {
            await paylinkTest.waitFor(() => false, message, timeout);
        },

        assertEqual(actual, expected, message) {
            const [shown, wanted] = [actual, expected].map((v) => JSON.stringify(v));
            if (shown !== wanted) {
                throw new Error(
                    `${message}\n  got:      ${shown}\n  expected: ${wanted}`
                );
            }
        },

        assert(value, message) {
            if (!value) {
                throw new Error(message);
            }
        },

        // --- The payment page ---

        /**
         * The payment page is ready once loaded (it needs no script to work) and its
         * openings' beacon has been answered: the test's own queries must not run
         * while a request uses the test cursor. Without the script, the beacon is an
         * image, which the load waits for.
         */
        pageReady() {
            return (
                document.readyState === "complete" &&
                (!document.querySelector(".o_paylink_page[data-token]") ||
                    Boolean(document.querySelector("img.o_paylink_beacon")) ||
                    performance
                        .getEntriesByType("resource")
                        .some((entry) => entry.name.endsWith("/opened")))
            );
        },

        /** Odoo's public widgets, among them the payment form, have started. */
        publicRootReady() {
            return document.readyState === "complete" && Boolean(odoo.__WOWL_DEBUG__);
        },

        normalize,

        /** The text of the element matching `selector`, or null. */
        text(selector) {
            const element = document.querySelector(selector);
            return element ? normalize(element.textContent) : null;
        },

        /** The text of every total the page shows (not the hidden ones of the other
         * tips). */
        visibleTotals() {
            return [...document.querySelectorAll(".o_paylink_total_amount")]
                .filter((element) => element.getClientRects().length)
                .map((element) => normalize(element.textContent));
        },
    };
    window.paylinkTest = paylinkTest;
})();
