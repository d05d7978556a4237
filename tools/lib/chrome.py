"""Odoo's own headless Chromium (`odoo.tests.common.ChromeBrowser`) for the tools that
drive one outside a test: the screenshots and the phone benchmark's taps.

ChromeBrowser is made for an HttpCase: it reads the test's logger, window size and
touch, and asks the test for the answer to every request that is not for 127.0.0.1
(`HttpCase.fetch_proxy`: a 404, so nothing leaves the machine). `Browser` gives it a
stand-in for that test, the switches a screenshot wants, and the few calls the tools
make over its DevTools websocket (`call`, `evaluate`, `on`); `Network` follows its
page's requests and tells when the page is idle. Run with the Odoo virtualenv's
Python.
"""

import contextlib
import logging
import shutil
import threading
import time
import unittest

from odoo.tools import config

# odoo.tests logs an error when it is imported outside a test run: this process drives
# a browser as a test does.
config["test_enable"] = True
from odoo.tests.common import ChromeBrowser, HttpCase  # noqa: E402

# Added to ChromeBrowser's own: the same colours and language on every machine, no
# scroll bar in a capture, and a second guard behind ChromeBrowser's own for a request
# it does not pause (host names fail to resolve, other addresses meet a closed proxy).
SWITCHES = (
    "--force-color-profile=srgb",
    "--lang=en-US",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
)


class BrowserError(Exception):
    """Chromium did not start, or a DevTools call failed: the message says which."""


class _Driver:
    """What ChromeBrowser reads of the HttpCase it is made for."""

    allow_end_on_form = False
    # HttpCase's own answers to a request for another host than 127.0.0.1.
    fetch_proxy = HttpCase.fetch_proxy
    make_fetch_proxy_response = HttpCase.make_fetch_proxy_response

    def __init__(self, size, touch):
        self._logger = logging.getLogger("paylink.tools.chrome")
        self.browser_size = size
        self.touch_enabled = touch


class Browser(ChromeBrowser):
    """Odoo's headless Chromium with one page, `size` ("WIDTHxHEIGHT") and touch events
    when `touch`; a context manager that stops it. A JavaScript error of the page is
    logged (and kept in `_result`) as ChromeBrowser does; it fails nothing here."""

    def __init__(self, size="1366x768", touch=False, database=None):
        # ChromeBrowser names its screenshots of failures after the database.
        config["db_name"] = database or config["db_name"] or "paylink_tools"
        try:
            super().__init__(_Driver(size, touch))
        except unittest.SkipTest as error:  # ChromeBrowser's word for "no Chromium".
            raise BrowserError(f"Chromium did not start: {error}") from error

    def _spawn_chrome(self, cmd):
        # The last argument is the page to open, about:blank.
        return super()._spawn_chrome([*cmd[:-1], *SWITCHES, cmd[-1]])

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        """ChromeBrowser's stop, and when one of its DevTools calls goes unanswered
        (Chromium gone or stuck), Chromium killed all the same: a tool starts many."""
        try:
            super().stop()
        except Exception as error:  # noqa: BLE001 - stopping anyway
            self._logger.warning("Chromium did not stop cleanly (%s): killed", error)
            with contextlib.suppress(Exception):
                self.ws.close()
            if self.chrome.poll() is None:
                self.chrome.kill()
                self.chrome.wait()
            shutil.rmtree(self.user_data_dir, ignore_errors=True)

    def call(self, method, params=None, timeout=60):
        """Send the DevTools command `method` and return its result."""
        try:
            return self._websocket_request(method, params=params, timeout=timeout)
        except Exception as error:  # noqa: BLE001 - ChromeBrowserException, TimeoutError
            raise BrowserError(f"DevTools {method} failed: {error}") from error

    def evaluate(self, expression, await_promise=False, timeout=60):
        """The value of the JavaScript `expression` in the page; BrowserError when it
        throws."""
        result = self.call(
            "Runtime.evaluate",
            {
                "expression": expression,
                "returnByValue": True,
                "awaitPromise": await_promise,
            },
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            message = details.get("exception", {}).get("description") or details.get(
                "text"
            )
            raise BrowserError(f"Script failed in the page: {message}")
        return result["result"].get("value")

    def on(self, method, handler):
        """Call `handler(**params)` on each DevTools event `method`, in ChromeBrowser's
        receiving thread."""
        self._handlers[method] = handler


class Network:
    """The requests of a Browser's page, from its Network events: what is in flight,
    the bytes on the wire (`encodedDataLength`, headers included, redirects counted)
    and the requests, per `phase` (a label the caller sets, e.g. "after the tap"), and
    when the page is idle (`wait_idle`). data: URLs and the bus's SharedWorker script
    (fetched by the worker itself: the page never sees it finish) are not counted."""

    IGNORED = ("data:", "/bus/websocket_worker_bundle")
    # A page that takes longer than this (seconds) to answer DevTools is running a
    # script, which may still start requests.
    BUSY = 0.1

    def __init__(self, browser):
        self.browser = browser
        self.lock = threading.Lock()
        self.requests = {}
        self.phase = None
        self.last_activity = time.monotonic()
        # ChromeBrowser's receiving thread calls these.
        browser.on("Network.requestWillBeSent", self._sent)
        browser.on("Network.loadingFinished", self._done)
        browser.on("Network.loadingFailed", self._done)
        browser.call("Network.enable")

    def _sent(self, requestId, request, redirectResponse=None, **_params):
        if any(part in request["url"] for part in self.IGNORED):
            return
        with self.lock:
            entry = self.requests.setdefault(
                requestId, {"phase": self.phase, "bytes": 0, "count": 0}
            )
            # A redirect reuses the request's id: its answer's bytes count, and the
            # request made again counts as another.
            if redirectResponse:
                entry["bytes"] += redirectResponse.get("encodedDataLength", 0)
            entry["count"] += 1
            entry["done"] = False
            self.last_activity = time.monotonic()

    def _done(self, requestId, encodedDataLength=0, **_params):
        with self.lock:
            entry = self.requests.get(requestId)
            if entry is not None:
                entry["bytes"] += encodedDataLength
                entry["done"] = True
                self.last_activity = time.monotonic()

    def _sum(self, key, phase):
        with self.lock:
            return sum(
                entry[key]
                for entry in self.requests.values()
                if phase in (None, entry["phase"])
            )

    def bytes(self, phase=None):
        """Bytes on the wire of the requests of `phase` (all with None)."""
        return self._sum("bytes", phase)

    def count(self, phase=None):
        """Requests of `phase` (all with None)."""
        return self._sum("count", phase)

    def in_flight(self):
        with self.lock:
            return [rid for rid, entry in self.requests.items() if not entry["done"]]

    def wait_idle(self, quiet=0.5, timeout=60):
        """Wait until the document is complete and no request has been in flight for
        `quiet` seconds, while the page's scripts were not busy either (with the CPU
        slowed down, a page can run its scripts for seconds once they have downloaded,
        then fetch more); return whether it got there within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        busy = 0.0
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if self.in_flight():
                continue
            asked = time.monotonic()
            try:
                complete = self.browser.evaluate("document.readyState") == "complete"
            except BrowserError:  # A navigation under way: no document to ask yet.
                continue
            answered = time.monotonic()
            if answered - asked > self.BUSY:
                busy = answered
            if (
                complete
                and answered - max(self.last_activity, busy) >= quiet
                and not self.in_flight()
            ):
                return True
        return False
