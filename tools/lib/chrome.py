"""Odoo's own headless Chromium (`odoo.tests.common.ChromeBrowser`) for the tools that
drive one outside a test: the screenshots and the phone benchmark.

ChromeBrowser is made for an HttpCase: it reads the test's logger, window size and
touch, and asks the test for the answer to every request that is not for 127.0.0.1
(`HttpCase.fetch_proxy`: a 404, so nothing leaves the machine). `Browser` gives it a
stand-in for that test, the switches a screenshot wants, and the few calls the tools
make over its DevTools websocket (`call`, `evaluate`, `on`). Run with the Odoo
virtualenv's Python.
"""

import contextlib
import logging
import shutil
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
