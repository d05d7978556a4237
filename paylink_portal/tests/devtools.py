# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What Odoo's browser tests cannot do, done over the DevTools protocol during a
`browser_js` run: real touch taps, key presses and typed text, a page with JavaScript
disabled, and a test that goes on in the next page.

Odoo's `HttpCase.browser_js` starts its headless Chromium, opens the page, runs the
test's JavaScript, and fails on any error the page logs or throws; `start_tour` runs a
tour, but only on pages that load Odoo's test bundle, which the payment page (a light
layout, no Odoo bundle) does not. A script's synthetic events move no focus and
trigger no `:focus-visible`: a keyboard test needs the browser's own key presses, and a
phone test its own taps.

So a test arms its next `browser_js` run with `devtools()`. This module then opens a
DevTools connection of its own to the tab of that run, adds the page side of these
tests (`static/tests/page/`) to every page the tab loads, and does what the page's
test asks through the binding `paylinkDevtools`: tap, press, type, pause, run a step of
the Python test (`step`), or go on in the next pages. Odoo's own connection, its error
checks and its success signal are untouched.
"""

import itertools
import json
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import requests
import websocket

from odoo.tests.common import HOST
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

BINDING = "paylinkDevtools"
# The page side: the helpers every page test uses, then the tests themselves.
PAGE_SCRIPTS = (
    "paylink_portal/static/tests/page/devtools.js",
    "paylink_portal/static/tests/page/page_tests.js",
)
# The `ready` of a run on the payment page (see pageReady in devtools.js).
PAGE_READY = "paylinkTest.pageReady()"

# Key definitions for Input.dispatchKeyEvent, as a US keyboard sends them.
KEYS = {
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
    "Space": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "text": " "},
    "ArrowLeft": {"key": "ArrowLeft", "code": "ArrowLeft", "windowsVirtualKeyCode": 37},
    "ArrowUp": {"key": "ArrowUp", "code": "ArrowUp", "windowsVirtualKeyCode": 38},
    "ArrowRight": {
        "key": "ArrowRight",
        "code": "ArrowRight",
        "windowsVirtualKeyCode": 39,
    },
    "ArrowDown": {"key": "ArrowDown", "code": "ArrowDown", "windowsVirtualKeyCode": 40},
    "Shift": {
        "key": "Shift",
        "code": "ShiftLeft",
        "windowsVirtualKeyCode": 16,
        "location": 1,
    },
}
SHIFT_MODIFIER = 8


def page_test(name, **data):
    """The `code` of a `browser_js` run of the page test `name` (see
    static/tests/page/page_tests.js), given `data`."""
    return f"paylinkTest.run({json.dumps(name)}, {json.dumps(data)})"


class DevToolsError(Exception):
    """The browser refused a DevTools command, or the connection is gone."""


class DevTools:
    """A DevTools connection of its own to the tab of a running `ChromeBrowser`.

    :param test_case: The running `HttpCase`.
    :param browser: Its `ChromeBrowser`, before it loads the page.
    :param bool javascript: False to disable the pages' scripts (the page test still
        runs: DevTools' scripts are not the page's).
    :param scripts: Sources added to every page before the page side of the tests
        (axe-core).
    :param dict steps: The steps of the Python test the page may ask for by name: each
        is called with an environment on a test cursor of its own, then the page's
        arguments.
    """

    def __init__(self, test_case, browser, javascript=True, scripts=(), steps=None):
        self.test_case = test_case
        self.steps = steps or {}
        self._ids = itertools.count(1)
        self._pending = {}
        targets = requests.get(
            f"http://{HOST}:{browser.devtools_port}/json/list", timeout=10
        ).json()
        [tab] = [target for target in targets if target["type"] == "page"]
        self._ws = websocket.create_connection(
            tab["webSocketDebuggerUrl"], enable_multithread=True, suppress_origin=True
        )
        # One page test at a time: its requests are answered in order.
        self._requests = ThreadPoolExecutor(1, thread_name_prefix="paylink_devtools")
        self._receiver = threading.Thread(
            target=self._receive, name="paylink_devtools_events", daemon=True
        )
        self._receiver.start()
        self.send("Runtime.enable")
        self.send("Page.enable")
        self.send("Runtime.addBinding", name=BINDING)
        page_sources = []
        for path in PAGE_SCRIPTS:
            with file_open(path) as page_script:
                page_sources.append(page_script.read())
        for source in (*scripts, *page_sources):
            self.send("Page.addScriptToEvaluateOnNewDocument", source=source)
        if not javascript:
            self.send("Emulation.setScriptExecutionDisabled", value=True)

    def close(self):
        # No closing handshake: the browser has usually gone with the run already.
        self._ws.shutdown()
        self._requests.shutdown(cancel_futures=True)
        self._receiver.join(5)

    def send(self, method, timeout=10, **params):
        """Send the DevTools command `method` and return its result."""
        if not self._receiver.is_alive():
            raise DevToolsError(f"{method}: the connection is closed.")
        request_id = next(self._ids)
        future = self._pending[request_id] = Future()
        try:
            self._ws.send(
                json.dumps({"id": request_id, "method": method, "params": params})
            )
        except websocket.WebSocketException as error:
            raise DevToolsError(f"{method}: {error}") from error
        return future.result(timeout)

    def _receive(self):
        while True:
            try:
                message = json.loads(self._ws.recv())
            except (websocket.WebSocketException, OSError, ValueError):
                break  # Closed: by us, or by the browser at the end of the run.
            if "id" in message:
                future = self._pending.pop(message["id"], None)
                if future and "error" in message:
                    future.set_exception(DevToolsError(message["error"]["message"]))
                elif future:
                    future.set_result(message.get("result"))
            elif (
                message.get("method") == "Runtime.bindingCalled"
                and message["params"]["name"] == BINDING
            ):
                self._requests.submit(self._answer, **message["params"])
        for future in list(self._pending.values()):
            future.set_exception(DevToolsError("The connection is closed."))

    def _answer(self, name, payload, executionContextId):  # noqa: N803 (DevTools' name)
        """Do what the page asks, then settle its promise with the outcome."""
        request = json.loads(payload)
        try:
            handler = getattr(self, f"_do_{request['command']}")
            outcome = {"value": handler(**request["args"])}
        except Exception as error:  # pylint: disable=broad-except
            # Told to the page, whose test fails with it.
            _logger.warning("DevTools request %s failed", request, exc_info=True)
            outcome = {"error": f"{request['command']}: {error!r}"}
        settle = f"paylinkTest._settle({request['id']}, {json.dumps(outcome)})"
        try:
            self.send(
                "Runtime.evaluate", expression=settle, contextId=executionContextId
            )
        except (DevToolsError, TimeoutError) as error:
            # The page has gone (it navigated away): nothing waits any more.
            _logger.debug("No page to answer %s: %s", request, error)

    # --- what a page may ask ---

    def _do_tap(self, x, y):
        """A finger's tap at (x, y): touch start, then touch end."""
        for event_type, points in (
            ("touchStart", [{"x": x, "y": y}]),
            ("touchEnd", []),
        ):
            self.send("Input.dispatchTouchEvent", type=event_type, touchPoints=points)

    def _do_press(self, key, shift=False):
        """Press and release `key` (held with Shift), as a keyboard does."""
        modifiers = SHIFT_MODIFIER if shift else 0
        if shift:
            self.send(
                "Input.dispatchKeyEvent",
                type="rawKeyDown",
                modifiers=modifiers,
                **KEYS["Shift"],
            )
        definition = dict(KEYS[key])
        text = definition.pop("text", None)
        definition["nativeVirtualKeyCode"] = definition["windowsVirtualKeyCode"]
        down = {"type": "keyDown" if text else "rawKeyDown", **definition}
        if text:
            down.update(text=text, unmodifiedText=text)
        self.send("Input.dispatchKeyEvent", modifiers=modifiers, **down)
        self.send(
            "Input.dispatchKeyEvent", type="keyUp", modifiers=modifiers, **definition
        )
        if shift:
            self.send(
                "Input.dispatchKeyEvent", type="keyUp", modifiers=0, **KEYS["Shift"]
            )

    def _do_type(self, text):
        """Type `text` into the focused field."""
        self.send("Input.insertText", text=text)

    def _do_pause(self, ms):
        """Wait `ms` milliseconds: the page's own timers do not run without
        JavaScript."""
        time.sleep(ms / 1000)

    def _do_step(self, step, args):
        """Run the Python test's `step` with `args`, on a test cursor of its own, as a
        request would."""
        with self.test_case.registry.cursor() as cr:
            self.steps[step](self.test_case.env(cr=cr), *args)

    def _do_next_pages(self, name, data):
        """Run the page test `name` again in each page the tab loads from now on."""
        self.send(
            "Page.addScriptToEvaluateOnNewDocument",
            source=f"paylinkTest._resume({json.dumps(name)}, {json.dumps(data)});",
        )


class PaylinkDevToolsMixin:
    """For `HttpCase` tests: `with self.devtools(...)` around a `browser_js` run."""

    _paylink_devtools_options = None
    _paylink_devtools = None

    @contextmanager
    def devtools(self, javascript=True, scripts=(), steps=None):
        """Arm the `browser_js` run inside this block with a `DevTools` connection to
        its tab (see `DevTools` for the parameters)."""
        self._paylink_devtools_options = {
            "javascript": javascript,
            "scripts": scripts,
            "steps": steps,
        }
        try:
            yield
            self.assertTrue(
                self._paylink_devtools, "devtools() is for a browser_js run."
            )
        finally:
            self._paylink_devtools_options = None
            if self._paylink_devtools:
                self._paylink_devtools.close()
                self._paylink_devtools = None

    # --- Where Odoo's series matter: how a test reaches the browser of its run ---
    # The same on 18.0 and 19.0, checked on both trees: `HttpCase.browser_js` creates
    # its `ChromeBrowser`, then hands it to `authenticate` (a public method of HttpCase,
    # with the same signature) for the session cookie, before it loads the page (18.0:
    # odoo/tests/common.py 2156, 2159 and 2195; 19.0: 2429, 2449 and 2480); the
    # browser's `devtools_port` is the port of its DevTools endpoint (18.0: 1117; 19.0:
    # 1303). A `step` opens a test cursor from this module's thread, as a request does:
    # on 18.0 it waits on the registry's own lock, free between requests
    # (odoo/modules/registry.py 968 and 995); on 19.0 on the global test lock, which
    # browser_js releases for its run (odoo/tests/common.py 832 and 2430). A series
    # that changes any of this is handled here.
    def authenticate(self, user, password, browser=None):
        session = super().authenticate(user, password, browser=browser)
        if browser is not None and self._paylink_devtools_options is not None:
            self.assertFalse(
                self._paylink_devtools, "One browser_js run per devtools()."
            )
            self._paylink_devtools = DevTools(
                self, browser, **self._paylink_devtools_options
            )
        return session
