"""Take the Apps-menu screenshots of paylink_portal from a real Odoo and Chromium.

Builds a throw-away database with demo data, serves it on 127.0.0.1, photographs the
three demo customers' payment pages at a phone size and the staff side (a customer's
Invoicing tab) at a desktop size, then stops Odoo and drops the database. Run it with
the virtualenv's python:

    ~/.cache/paylink_portal/venv-odoo18/bin/python tools/release/screenshots.py

Chromium is driven over the DevTools protocol (websocket-client) and can only reach
127.0.0.1: every other host fails to resolve and goes through a closed proxy port.
"""

import argparse
import base64
import collections
import io
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
DB_TOOLS = REPO / "tools/db"
DB_PREFIX = "paylink_shots"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
MAX_PNG_BYTES = 400 * 1024
# Seconds: the first page of each kind compiles its asset bundles.
FIRST_LOAD_TIMEOUT = 120
CUSTOMERS = ("all_set", "credit", "outstanding")

# Printed by a click-odoo run, after tools/db/quiet_database.py and
# tools/db/enable_demo_provider.py: the demo customers' tokens and ids.
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


class Odoo:
    def __init__(self, args):
        self.args = args
        self.odoo_bin = str(Path(args.odoo_path) / "odoo-bin")
        self.process = None

    def _run(self, what, command, stdin=None, program=None):
        result = subprocess.run(
            [sys.executable, *(program or [self.odoo_bin]), *command],
            input=stdin,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-30:])
            raise Failure(f"{what} failed (exit {result.returncode}):\n{tail}")
        return result.stdout

    def drop_database(self):
        """Drop the database and its filestore, if there is one."""
        result = subprocess.run(
            [
                sys.executable,
                self.odoo_bin,
                "db",
                f"--addons-path={self.args.addons_path}",
                "drop",
                self.args.database,
            ],
            capture_output=True,
            text=True,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 and "does not exist" not in output:
            raise Failure(
                f"Dropping database {self.args.database} failed:\n{output.strip()}"
            )

    def create_database(self):
        self._run(
            "Installing paylink_portal with demo data",
            [
                f"--addons-path={self.args.addons_path}",
                "-d",
                self.args.database,
                "-i",
                "paylink_portal,payment_demo",
                "--stop-after-init",
                "--log-level=warn",
                "--max-cron-threads=0",
                "--no-http",
            ],
        )

    def shell(self, what, script):
        """Run `script` against the database with click-odoo, which reads it from
        stdin."""
        return self._run(
            what,
            [
                f"--addons-path={self.args.addons_path}",
                "--log-level=warn",
                "-d",
                self.args.database,
            ],
            stdin=script,
            program=["-m", "click_odoo"],
        )

    def prepare_and_read_customers(self):
        """Quiet the database, enable the demo provider; return the customers' data."""
        script = "\n".join(
            [
                (DB_TOOLS / "quiet_database.py").read_text(),
                (DB_TOOLS / "enable_demo_provider.py").read_text(),
                INFO_SCRIPT % {"port": self.args.port, "customers": CUSTOMERS},
            ]
        )
        output = self.shell("Preparing the database (click-odoo)", script)
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

    def check_port(self):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.args.port)) == 0:
                raise Failure(
                    f"Port {self.args.port} is already in use:"
                    " choose another one with --port."
                )

    def start(self, log_path):
        self.check_port()
        port = self.args.port
        database = self.args.database
        self.log_file = open(log_path, "w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                self.odoo_bin,
                f"--addons-path={self.args.addons_path}",
                "-d",
                database,
                f"--db-filter=^{database}$",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                "--max-cron-threads=0",
                "--no-database-list",
                "--log-level=info",
            ],
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise Failure(
                    f"Odoo exited with {self.process.returncode}; see {log_path}"
                )
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise Failure(
                    f"Odoo did not answer /web/health within 120 s; see {log_path}"
                )
            time.sleep(0.5)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.args.port}"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process:
            self.log_file.close()
        self.process = None

    def staff_session_id(self):
        response = requests.post(
            f"{self.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "db": self.args.database,
                    "login": "admin",
                    "password": "admin",
                },
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


# === CHROMIUM ======================================================================= #


class Chromium:
    """A headless Chromium and one page, driven over the DevTools protocol."""

    def __init__(self, binary, allowed_origin):
        self.allowed_origin = allowed_origin
        self.profile = tempfile.mkdtemp(prefix="paylink_shots_chromium_")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--hide-scrollbars",
                "--force-color-profile=srgb",
                "--lang=en-US",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                # Only loopback: any host name fails to resolve and any other address
                # meets a closed proxy port (Chromium reaches loopback directly anyway).
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--proxy-server=http://127.0.0.1:9",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.ws = None
        self.next_id = 0
        self.events = collections.deque()
        self.inflight = {}
        self.last_activity = time.monotonic()
        self.document_status = None
        self.js_errors = []
        try:
            self._connect()
        except Exception:
            self.close()
            raise

    def _connect(self):
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None:
                raise Failure(
                    f"Chromium exited at start with {self.process.returncode}."
                )
            if time.monotonic() > deadline:
                raise Failure("Chromium did not open its DevTools port within 30 s.")
            time.sleep(0.2)
        port = int(port_file.read_text().split()[0])
        deadline = time.monotonic() + 10
        while True:
            targets = requests.get(
                f"http://127.0.0.1:{port}/json/list", timeout=5
            ).json()
            pages = [target for target in targets if target["type"] == "page"]
            if pages:
                break
            if time.monotonic() > deadline:
                raise Failure("Chromium opened no page.")
            time.sleep(0.2)
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"],
            timeout=30,
            suppress_origin=True,
        )
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setScrollbarsHidden", {"hidden": True})
        # Bootstrap then skips its transitions: no capture catches a button half-way.
        self.call(
            "Emulation.setEmulatedMedia",
            {
                "features": [{"name": "prefers-reduced-motion", "value": "reduce"}],
            },
        )

    def close(self):
        if self.ws:
            try:
                self.ws.close()
            except Exception:  # noqa: BLE001 - closing anyway
                pass
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    # --- protocol ------------------------------------------------------------------- #

    def _receive(self, timeout):
        self.ws.settimeout(max(timeout, 0.01))
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        if "method" in message:
            self._on_event(message["method"], message.get("params", {}))
        return message

    def _on_event(self, method, params):
        if method == "Network.requestWillBeSent":
            # The bus's SharedWorker fetches its script itself: the page never sees
            # that request finish.
            if "/bus/websocket_worker_bundle" not in params["request"]["url"]:
                self.inflight[params["requestId"]] = params["request"]["url"]
            self.last_activity = time.monotonic()
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self.inflight.pop(params["requestId"], None)
            self.last_activity = time.monotonic()
        elif method == "Network.responseReceived" and params.get("type") == "Document":
            self.document_status = params["response"]["status"]
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            exception = details.get("exception", {})
            self.js_errors.append(exception.get("description") or details["text"])
        elif method.startswith("Page."):
            self.events.append(method)

    def call(self, method, params=None, timeout=60):
        self.next_id += 1
        call_id = self.next_id
        self.ws.send(
            json.dumps({"id": call_id, "method": method, "params": params or {}})
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline - time.monotonic())
            if message and message.get("id") == call_id:
                if "error" in message:
                    raise Failure(f"DevTools {method} failed: {message['error']}")
                return message["result"]
        raise Failure(f"DevTools {method} got no answer within {timeout} s.")

    def pump(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._receive(deadline - time.monotonic())

    def evaluate(self, expression, await_promise=False):
        result = self.call(
            "Runtime.evaluate",
            {
                "expression": expression,
                "returnByValue": True,
                "awaitPromise": await_promise,
            },
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            message = details.get("exception", {}).get("description") or details.get(
                "text"
            )
            raise Failure(f"Script failed in the page: {message} ({expression[:100]})")
        return result["result"].get("value")

    # --- page ----------------------------------------------------------------------- #

    def set_viewport(self, metrics):
        self.viewport = dict(metrics)
        self.call("Emulation.setDeviceMetricsOverride", self.viewport)

    def navigate(self, url, timeout=FIRST_LOAD_TIMEOUT):
        if not url.startswith(self.allowed_origin + "/"):
            raise Failure(
                f"Refusing to load {url}: only {self.allowed_origin} is allowed."
            )
        self.events.clear()
        self.document_status = None
        self.js_errors = []
        result = self.call("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise Failure(f"Loading {url} failed: {result['errorText']}")
        deadline = time.monotonic() + timeout
        while "Page.loadEventFired" not in self.events:
            if time.monotonic() > deadline:
                raise Failure(f"{url} did not finish loading within {timeout} s.")
            self._receive(deadline - time.monotonic())
        if self.document_status and self.document_status >= 400:
            raise Failure(f"{url} answered HTTP {self.document_status}.")

    def wait_for(self, expression, what, timeout=FIRST_LOAD_TIMEOUT):
        """Wait until the JavaScript `expression` is truthy in the page."""
        deadline = time.monotonic() + timeout
        while True:
            if self.evaluate(f"!!({expression})"):
                return
            if time.monotonic() > deadline:
                errors = "; ".join(self.js_errors[-3:]) or "none"
                location = self.evaluate("location.href")
                raise Failure(
                    f"Timed out after {timeout} s waiting for {what} on {location} "
                    f"(JavaScript errors: {errors})."
                )
            self.pump(0.25)

    def wait_idle(self, quiet=0.5, timeout=30):
        """Wait until no request has been in flight for `quiet` seconds, then for
        fonts, running transitions and two animation frames, so that what is captured
        is what a person sees."""
        deadline = time.monotonic() + timeout
        while self.inflight or time.monotonic() - self.last_activity < quiet:
            if time.monotonic() > deadline:
                log(
                    "warning: requests still in flight:"
                    f" {list(self.inflight.values())[:3]}"
                )
                break
            self.pump(0.1)
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
            f' el.scrollIntoView({{block: "center"}}); el.click();'
            f" return true; }})()"
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
                self.call(
                    "Emulation.setDeviceMetricsOverride",
                    {**self.viewport, "height": height},
                )
                self.wait_idle(quiet=0.3)
        data = self.call(
            "Page.captureScreenshot", {"format": "png", "fromSurface": True}
        )
        if full_page:
            self.call("Emulation.setDeviceMetricsOverride", self.viewport)
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


def shoot_pay_pages(browser, base_url, info, out):
    browser.set_viewport(PHONE)
    for key in CUSTOMERS:
        customer = info[key]
        browser.navigate(f"{base_url}/pay/{customer['token']}")
        browser.wait_for(
            f"document.querySelector({json.dumps(f'.o_paylink_summary[data-state={key}]')})",
            f"the {key} payment page",
        )
        browser.wait_idle()
        if key != "outstanding":
            browser.screenshot(out / f"pay_{key}.png", full_page=True)
            continue
        # The customer picks a 20 % tip: the totals shown follow (by the style sheet).
        browser.click('label[for="o_paylink_tip_20"]', "the 20% tip")
        browser.wait_for(
            'document.querySelector("#o_paylink_tip_20").checked && '
            '[...document.querySelectorAll(".o_paylink_total_amount")]'
            ".filter(el => el.getClientRects().length)"
            ".every(el => el.textContent"
            ' === document.querySelector("#o_paylink_tip_20").dataset.paylinkTotal)',
            "the total with a 20% tip",
            timeout=30,
        )
        browser.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        browser.wait_idle()
        browser.screenshot(out / "pay_outstanding_tip.png")
        # Then opens the recent charges.
        browser.click(
            "details.o_paylink_recent_charges > summary", "View recent charges"
        )
        browser.wait_for(
            'document.querySelector("details.o_paylink_recent_charges").open',
            "the recent charges to open",
            timeout=10,
        )
        browser.evaluate("document.activeElement.blur()")
        browser.wait_idle()
        browser.screenshot(out / "pay_outstanding.png", full_page=True)


def shoot_partner_form(browser, odoo, info, out):
    browser.set_viewport(DESKTOP)
    browser.call(
        "Network.setCookie",
        {
            "name": "session_id",
            "value": odoo.staff_session_id(),
            "url": odoo.url + "/",
            "httpOnly": True,
        },
    )
    partner_id = info["outstanding"]["partner_id"]
    # Invoicing > Customers: the Contacts app (/odoo/contacts) is no dependency of the
    # addon.
    browser.navigate(f"{odoo.url}/odoo/customers/{partner_id}")
    if "/web/login" in browser.evaluate("location.pathname"):
        raise Failure(
            "The staff page redirected to the login page: the session was refused."
        )
    browser.wait_for(
        "document.querySelector(\".o_form_view a[name='accounting']\")",
        "the customer form's Invoicing tab",
    )
    browser.wait_idle()
    browser.click('.o_form_view a[name="accounting"]', "the Invoicing tab")
    browser.wait_for(
        "(() => { const el = document.querySelector("
        "\".o_paylink_partner [name='paylink_url']\");"
        ' return el && el.offsetParent && el.textContent.includes("/pay/"); })()',
        "the Payment Link block",
        timeout=30,
    )
    # Bring the tab's headings near the top, under the breadcrumb naming the customer.
    browser.evaluate(
        '(() => { const notebook = document.querySelector(".o_form_view .o_notebook");'
        ' const scroller = document.querySelector(".o_content");'
        " scroller.scrollTop += notebook.getBoundingClientRect().top"
        " - scroller.getBoundingClientRect().top - 16;"
        " document.activeElement.blur(); })()"
    )
    browser.wait_idle()
    browser.screenshot(out / "partner_form.png")


# === MAIN =========================================================================== #


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo-path", default="/opt/odoo-18.0")
    parser.add_argument(
        "--addons-path", help="default: ODOO_PATH's addons and this repository"
    )
    parser.add_argument(
        "--database",
        default=DB_PREFIX,
        help=f"dropped and recreated: must start with {DB_PREFIX!r}",
    )
    parser.add_argument("--port", type=int, default=8075)
    parser.add_argument(
        "--out", default=str(REPO / "paylink_portal/static/description")
    )
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium"
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="use the database left by --keep-database instead of rebuilding it",
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="do not drop the database at the end (to iterate on the shots)",
    )
    args = parser.parse_args()
    if not args.database.startswith(DB_PREFIX):
        parser.error(f"--database must start with {DB_PREFIX!r}: the script drops it.")
    if not args.addons_path:
        odoo_path = Path(args.odoo_path)
        core = odoo_path / "odoo/addons"
        if not (core / "account/__manifest__.py").exists():
            core = f"{odoo_path / 'addons'},{core}"
        args.addons_path = f"{core},{REPO}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    odoo = Odoo(args)
    browser = None
    log_path = Path(tempfile.gettempdir()) / f"{args.database}-odoo.log"
    try:
        odoo.check_port()
        if not args.reuse_database:
            log(f"building database {args.database} with demo data (a few minutes)")
            odoo.drop_database()
            odoo.create_database()
        info = odoo.prepare_and_read_customers()
        log(f"starting Odoo on {odoo.url} (log: {log_path})")
        odoo.start(log_path)
        browser = Chromium(args.chromium, odoo.url)
        shoot_pay_pages(browser, odoo.url, info, out)
        shoot_partner_form(browser, odoo, info, out)
    except (
        Failure,
        OSError,
        requests.RequestException,
        websocket.WebSocketException,
    ) as error:
        print(f"screenshots: FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if browser:
            browser.close()
        odoo.stop()
        if not args.keep_database:
            try:
                odoo.drop_database()
            except Failure as error:
                print(
                    f"screenshots: could not drop {args.database}: {error}",
                    file=sys.stderr,
                )
    log_path.unlink(missing_ok=True)
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
