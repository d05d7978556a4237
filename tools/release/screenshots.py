"""Take the Apps-menu screenshots of paylink_portal from a real Odoo, in Odoo's own
headless Chromium.

On a database with the demo data (`make screenshots` builds a throw-away one with
`make demo-db` and drops it after), serves Odoo on 127.0.0.1 (running_odoo, in
tools/lib/odoo_server.py), photographs the three demo customers' payment pages at a
phone size and the staff side (a customer's Invoicing tab) at a desktop size in Odoo's
ChromeBrowser (tools/lib/chrome.py), then stops Odoo. To take them again on a database
kept from `make demo-db`, with the virtualenv's python:

    ~/.cache/paylink_portal/venv-odoo18/bin/python tools/release/screenshots.py \\
        --database=paylink_demo

The browser reaches 127.0.0.1 only.
"""

import argparse
import base64
import io
import json
import math
import os
import sys
import threading
import time
from pathlib import Path

import requests
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
# The modules the tools share are in tools/lib.
sys.path.insert(0, str(REPO / "tools/lib"))
from chrome import Browser, BrowserError, Network  # noqa: E402
from odoo_server import run_script, running_odoo  # noqa: E402

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
MAX_PNG_BYTES = 400 * 1024
# Seconds: the first page of each kind compiles its asset bundles.
FIRST_LOAD_TIMEOUT = 120
CUSTOMERS = ("all_set", "credit", "outstanding")

# Run by click-odoo on the demo database: the links show the address the shots are
# taken at, and the demo customers' tokens and ids are printed.
INFO_SCRIPT = r"""
import json
base_url = 'http://127.0.0.1:%(port)d'
params = env['ir.config_parameter'].sudo()  # noqa: F821
params.set_param('web.base.url', base_url)
params.set_param('web.base.url.freeze', 'True')
info = {}
for key in %(customers)r:
    partner = env.ref(f'paylink_portal.partner_{key}_demo')  # noqa: F821
    link = partner.paylink_ids[:1]
    info[key] = {
        'partner_id': partner.id, 'name': partner.name, 'token': link.token or None,
    }
env.cr.commit()  # noqa: F821
print('PAYLINK_SHOTS_JSON ' + json.dumps(info))
"""


class Failure(Exception):
    """A step failed: the message says which and why."""


def log(message):
    print(f"[screenshots {time.strftime('%H:%M:%S')}] {message}", flush=True)


# === ODOO =========================================================================== #


def read_customers(args):
    """Point the database's links at the address of the shots; return the demo
    customers' tokens and ids."""
    output = run_script(
        args.addons_path,
        args.database,
        None,
        source=INFO_SCRIPT % {"port": args.port, "customers": CUSTOMERS},
    )
    for line in output.splitlines():
        if line.startswith("PAYLINK_SHOTS_JSON "):
            info = json.loads(line.split(" ", 1)[1])
            break
    else:
        raise Failure(f"The click-odoo script printed no customer data:\n{output}")
    missing = [key for key in CUSTOMERS if not info[key]["token"]]
    if missing:
        raise Failure(
            f"No payment link on the demo customers {missing}: was the chart of"
            " accounts installed with the demo data?"
        )
    return info


def staff_session_id(base_url, database):
    response = requests.post(
        f"{base_url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": database, "login": "admin", "password": "admin"},
        },
        timeout=60,
    )
    response.raise_for_status()
    body = response.json()
    if body.get("error") or not body.get("result", {}).get("uid"):
        raise Failure(f"Cannot log in as admin/admin: {body.get('error')}")
    session_id = response.cookies.get("session_id")
    if not session_id:
        raise Failure("Logging in as admin returned no session_id cookie.")
    return session_id


# === THE PAGE ======================================================================= #


class Page:
    """Odoo's ChromeBrowser and what a capture waits for: the page loaded, no request
    in flight, fonts and transitions done."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.network = Network(browser)
        self.document_status = None
        self.loaded = threading.Event()
        self.viewport = None
        # ChromeBrowser's receiving thread calls these.
        browser.on("Network.responseReceived", self._response)
        browser.on("Page.loadEventFired", lambda **_params: self.loaded.set())
        browser.call("Emulation.setScrollbarsHidden", {"hidden": True})
        # Bootstrap then skips its transitions: no capture catches a button half-way.
        browser.call(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
        )

    def _response(self, type=None, response=None, **_params):
        if type == "Document":
            self.document_status = response["status"]

    def javascript_error(self):
        """The page's last JavaScript error, as ChromeBrowser kept it, or None."""
        result = self.browser._result
        if result.done() and not result.cancelled():
            return result.exception()
        return None

    def set_viewport(self, metrics):
        self.viewport = dict(metrics)
        self.browser.call("Emulation.setDeviceMetricsOverride", self.viewport)

    def navigate(self, url, timeout=FIRST_LOAD_TIMEOUT):
        if not url.startswith(self.base_url + "/"):
            raise Failure(f"Refusing to load {url}: only {self.base_url} is allowed.")
        self.loaded.clear()
        self.document_status = None
        result = self.browser.call("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise Failure(f"Loading {url} failed: {result['errorText']}")
        if not self.loaded.wait(timeout):
            raise Failure(f"{url} did not finish loading within {timeout} s.")
        if self.document_status and self.document_status >= 400:
            raise Failure(f"{url} answered HTTP {self.document_status}.")

    def evaluate(self, expression, await_promise=False):
        return self.browser.evaluate(expression, await_promise=await_promise)

    def wait_for(self, expression, what, timeout=FIRST_LOAD_TIMEOUT):
        """Wait until the JavaScript `expression` is truthy in the page."""
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"!!({expression})"):
            if time.monotonic() > deadline:
                location = self.evaluate("location.href")
                raise Failure(
                    f"Timed out after {timeout} s waiting for {what} on {location} "
                    f"(JavaScript error: {self.javascript_error() or 'none'})."
                )
            time.sleep(0.25)

    def wait_idle(self, quiet=0.5, timeout=30):
        """Wait until the network is idle (no request in flight for `quiet` seconds),
        then for fonts, running transitions and two animation frames, so that what is
        captured is what a person sees."""
        if not self.network.wait_idle(quiet, timeout):
            log(f"warning: not idle after {timeout} s, capturing all the same")
        self.evaluate(
            "document.fonts.ready"
            ".then(() => Promise.all(document.getAnimations()"
            ".filter(a => isFinite(a.effect?.getComputedTiming().endTime))"
            ".map(a => a.finished.catch(() => null))))"
            ".then(() => new Promise(r => requestAnimationFrame("
            "() => requestAnimationFrame(r))))",
            await_promise=True,
        )

    def click(self, selector, what):
        found = self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " if (!el) return false;"
            ' el.scrollIntoView({block: "center"}); el.click();'
            " return true; })()"
        )
        if not found:
            raise Failure(f"Cannot click {what}: nothing matches {selector}.")

    def screenshot(self, path, full_page=False):
        """Capture the viewport, or the whole page by growing the viewport to the page's
        height (which also works when an inner element, not the document, scrolls)."""
        if full_page:
            self.evaluate("window.scrollTo(0, 0)")
            height = self.viewport["height"]
            for _attempt in range(4):
                content = math.ceil(
                    self.evaluate(
                        "Math.max(document.documentElement.scrollHeight,"
                        " document.body.scrollHeight,"
                        " ...[...document.querySelectorAll("
                        '"#wrapwrap, main, .o_content")]'
                        ".map(el => el.scrollHeight))"
                    )
                )
                if content <= height:
                    break
                height = content
                self.browser.call(
                    "Emulation.setDeviceMetricsOverride",
                    {**self.viewport, "height": height},
                )
                self.wait_idle(quiet=0.3)
        data = self.browser.call(
            "Page.captureScreenshot", {"format": "png", "fromSurface": True}
        )
        if full_page:
            self.browser.call("Emulation.setDeviceMetricsOverride", self.viewport)
        save_png(base64.b64decode(data["data"]), path)


def save_png(raw, path):
    """Save a compact PNG. Screenshots of a user interface are flat colors and
    anti-aliased text: reduced to a 256-color palette without dithering, they look the
    same at a third of the size."""
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    if image.getextrema() in (((0, 0),) * 3, ((255, 255),) * 3):
        raise Failure(f"The capture for {path.name} is a blank page.")
    encoded = []
    for candidate in (
        image.quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        ),
        image,
    ):
        buffer = io.BytesIO()
        candidate.save(buffer, "PNG", optimize=True)
        encoded.append(buffer.getvalue())
    data = min(encoded, key=len)
    path.write_bytes(data)
    size = f"{len(data) // 1024} KB"
    if len(data) > MAX_PNG_BYTES:
        size += f", over the {MAX_PNG_BYTES // 1024} KB budget"
    log(f"wrote {path} ({image.width}x{image.height}, {size})")


# === SHOTS ========================================================================== #


def shoot_pay_pages(page, info, out):
    page.set_viewport(PHONE)
    for key in CUSTOMERS:
        customer = info[key]
        page.navigate(f"{page.base_url}/pay/{customer['token']}")
        page.wait_for(
            f"document.querySelector({json.dumps(f'.o_paylink_summary[data-state={key}]')})",
            f"the {key} payment page",
        )
        page.wait_idle()
        if key != "outstanding":
            page.screenshot(out / f"pay_{key}.png", full_page=True)
            continue
        # The customer picks a 20 % tip: the totals shown follow (by the style sheet).
        page.click('label[for="o_paylink_tip_20"]', "the 20% tip")
        page.wait_for(
            'document.querySelector("#o_paylink_tip_20").checked && '
            '[...document.querySelectorAll(".o_paylink_total_amount")]'
            ".filter(el => el.getClientRects().length)"
            ".every(el => el.textContent"
            ' === document.querySelector("#o_paylink_tip_20").dataset.paylinkTotal)',
            "the total with a 20% tip",
            timeout=30,
        )
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        page.wait_idle()
        page.screenshot(out / "pay_outstanding_tip.png")
        # Then opens the recent charges.
        page.click("details.o_paylink_recent_charges > summary", "View recent charges")
        page.wait_for(
            'document.querySelector("details.o_paylink_recent_charges").open',
            "the recent charges to open",
            timeout=10,
        )
        page.evaluate("document.activeElement.blur()")
        page.wait_idle()
        page.screenshot(out / "pay_outstanding.png", full_page=True)


def shoot_partner_form(page, database, info, out):
    page.set_viewport(DESKTOP)
    page.browser.set_cookie(
        "session_id", staff_session_id(page.base_url, database), "/", "127.0.0.1"
    )
    partner_id = info["outstanding"]["partner_id"]
    # Invoicing > Customers: the Contacts app (/odoo/contacts) is no dependency of the
    # addon.
    page.navigate(f"{page.base_url}/odoo/customers/{partner_id}")
    if "/web/login" in page.evaluate("location.pathname"):
        raise Failure(
            "The staff page redirected to the login page: the session was refused."
        )
    page.wait_for(
        "document.querySelector(\".o_form_view a[name='accounting']\")",
        "the customer form's Invoicing tab",
    )
    page.wait_idle()
    page.click('.o_form_view a[name="accounting"]', "the Invoicing tab")
    page.wait_for(
        "(() => { const el = document.querySelector("
        "\".o_paylink_partner [name='paylink_url']\");"
        ' return el && el.offsetParent && el.textContent.includes("/pay/"); })()',
        "the Payment Link block",
        timeout=30,
    )
    # Bring the tab's headings near the top, under the breadcrumb naming the customer.
    page.evaluate(
        '(() => { const notebook = document.querySelector(".o_form_view .o_notebook");'
        ' const scroller = document.querySelector(".o_content");'
        " scroller.scrollTop += notebook.getBoundingClientRect().top"
        " - scroller.getBoundingClientRect().top - 16;"
        " document.activeElement.blur(); })()"
    )
    page.wait_idle()
    page.screenshot(out / "partner_form.png")


# === MAIN =========================================================================== #


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo-path", default="/opt/odoo-18.0")
    parser.add_argument(
        "--addons-path", help="default: ODOO_PATH's addons and this repository"
    )
    parser.add_argument(
        "--database", required=True, help="with the demo data (make demo-db)"
    )
    parser.add_argument("--port", type=int, default=8075)
    parser.add_argument(
        "--out", default=str(REPO / "paylink_portal/static/description")
    )
    parser.add_argument("--log-file", default="screenshots-odoo.log")
    args = parser.parse_args()
    if not args.addons_path:
        odoo_path = Path(args.odoo_path)
        core = odoo_path / "odoo/addons"
        if not (core / "account/__manifest__.py").exists():
            core = f"{odoo_path / 'addons'},{core}"
        args.addons_path = f"{core},{REPO}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    try:
        info = read_customers(args)
        log(f"starting Odoo on 127.0.0.1:{args.port} (log: {args.log_file})")
        # Threaded, as `make demo` serves it: the web client's websocket on the same
        # port.
        with running_odoo(
            args.odoo_path,
            args.addons_path,
            args.database,
            args.port,
            workers=0,
            log_file=os.path.abspath(args.log_file),
        ) as base_url:
            with Browser(database=args.database) as browser:
                page = Page(browser, base_url)
                shoot_pay_pages(page, info, out)
                shoot_partner_form(page, args.database, info, out)
    except (
        Failure,
        BrowserError,
        RuntimeError,
        OSError,
        requests.RequestException,
    ) as error:
        print(f"screenshots: FAILED: {error}", file=sys.stderr)
        return 1
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
