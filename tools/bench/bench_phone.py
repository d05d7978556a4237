"""`make bench-phone`: the payment page as a customer's phone loads it, against Odoo's.

A customer opens the link from a text message, on a phone, on a slow network. With
Odoo serving the seed's database on 127.0.0.1 (each page once first, unmeasured: Odoo
compiles its templates and asset bundles on their first request):

- **The pages, by Lighthouse** (npm `lighthouse`, pinned in tools/bench/lighthouse):
  `/pay/<token>`, Odoo's own `/payment/pay` for the same amount and the portal page of
  one of the customer's invoices `/my/invoices/<id>`, each loaded RUNS times, cold, in
  Debian's Chromium (CHROME_PATH), mobile form factor with devtools throttling
  (Lighthouse's mobile preset: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x
  slower, applied by DevTools at the request level as Lighthouse does: 562.5 ms per
  request, 1,474.6 and 675 kbit/s). Its figures: performance score, first contentful
  paint, largest contentful paint, total blocking time, time to interactive, bytes
  (`total-byte-weight`), requests, and when the last one ended. Its HTML reports are
  kept in --reports.
- **The taps, by this script**, in Odoo's ChromeBrowser (tools/lib/chrome.py) under
  the same throttling and screen (read from Lighthouse's own settings), each in a fresh
  browser (cold): the 20% tip tapped as soon as the page has painted, and the time
  until its total shows (once more with JavaScript disabled, where only CSS can show
  it); then the pay step: (a) "Pay" tapped as soon as the tip's total shows, (b) "Pay"
  tapped after reading the page for 10 s, (c) Odoo's `/payment/pay` opened: the time
  from the tap (or the navigation) until the payment form is usable, and the bytes from
  then until the network is idle again. "Usable" is read from the DOM alike on both
  pages and on every series: a payment method radio checked in #o_payment_form, and its
  submit button `button[name="o_payment_submit_button"]` (disabled in Odoo's HTML until
  its script has started) enabled.

Prints the medians, the ratios and the targets as PASS or FAIL lines (those of the pay
step are issue 22's). Exits 0 when everything was measured, whatever the targets; 2
when it could not measure (Odoo, Chromium or Lighthouse failed, a page did not load); 3
when Odoo logged a traceback. Nothing reaches beyond 127.0.0.1: both browsers resolve no
other host name and meet a closed proxy for any other address.
"""

import argparse
import functools
import json
import os
import signal
import statistics
import subprocess
import sys
import time

# The modules the tools share are in tools/lib.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from chrome import SWITCHES, Browser, BrowserError, Network  # noqa: E402
from odoo_server import check_log_for_tracebacks, running_odoo  # noqa: E402

NAMES = {"pay": "/pay", "payment_pay": "/payment/pay", "invoice": "/my/invoices"}
# What is tapped and waited for.
TIP_LABEL = 'label[for="o_paylink_tip_20"]'
TOTAL = ".o_paylink_total_amount"
PAY_BUTTON = ".o_paylink_pay_button"
PAYMENT_FORM = "#o_payment_form"
PAYMENT_SUBMIT = 'button[name="o_payment_submit_button"]'
READING = 10  # seconds the customer reads the page before tapping "Pay" in (b)
TIMEOUT = 90  # seconds a load, or a tap's outcome, may take
POLL = 0.01  # seconds between two looks at the page

# Targets: the page's own, then issue 22's for the pay step.
BYTES_TARGET = 0.1  # x /payment/pay's bytes, first visit
FCP_TARGET = 0.5  # x /payment/pay's FCP
TIP_TARGET_MS = 300
PAY_TARGET = 0.5  # tap on Pay -> usable, x /payment/pay's time to usable
PAY_AFTER_READING_TARGET_MS = 2000
PAY_BYTES_TARGET = 0.25  # bytes after the tap, x /payment/pay's

# Lighthouse's Chromium: headless, as root (no sandbox), with nothing to fetch for
# itself, and nowhere to go but 127.0.0.1.
LIGHTHOUSE_CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    *(
        # A value with spaces, quoted for chrome-launcher's split on spaces.
        f"{switch.split('=', 1)[0]}='{switch.split('=', 1)[1]}'"
        if " " in switch
        else switch
        for switch in SWITCHES
    ),
]
# Lighthouse's mobile preset, as its CLI applies it with --form-factor=mobile.
SETTINGS_JS = """
import("lighthouse/core/config/constants.js").then((c) => console.log(JSON.stringify({
    throttling: c.throttling.mobileSlow4G,
    screen: c.screenEmulationMetrics.mobile,
    userAgent: c.userAgents.mobile,
})));
"""
# The text of the visible elements TOTAL: whitespace normalized, byte order marks and
# no-break spaces dropped.
VISIBLE_TOTALS_JS = """
[...document.querySelectorAll(%s)].filter((el) => {
    const rect = el.getBoundingClientRect();
    return el.checkVisibility({opacityProperty: true, visibilityProperty: true})
        && rect.width > 0 && rect.height > 0;
}).map((el) => el.textContent.replace(/[\\uFEFF]/g, "")
    .replace(/[\\u00A0\\u202F\\s]+/g, " ").trim())
""" % json.dumps(TOTAL)
USABLE_JS = f"""(() => {{
    const form = document.querySelector({json.dumps(PAYMENT_FORM)});
    const submit = document.querySelector({json.dumps(PAYMENT_SUBMIT)});
    return !!form && !!form.querySelector('input[name="o_payment_radio"]:checked')
        && !!submit && !submit.disabled;
}})()"""
# The centre of the first element matching a selector once it has a size, scrolled
# into view, or null.
CENTRE_JS = """(() => {
    const el = document.querySelector(%s);
    if (!el) return null;
    el.scrollIntoView({block: "center", behavior: "instant"});
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height) return null;
    return {x: rect.x + rect.width / 2, y: rect.y + rect.height / 2,
            disabled: !!el.disabled};
})()"""


class Unmeasurable(Exception):
    """The benchmark itself could not measure: the message says what and why."""


class NotAvailable(Exception):
    """A figure the page does not allow (an element missing): the message says why."""


def progress(message):
    print(f"[bench-phone {time.strftime('%H:%M:%S')}] {message}", flush=True)


# === LIGHTHOUSE ===================================================================== #


def lighthouse_settings(lighthouse_dir):
    """Lighthouse's mobile preset: its throttling, screen and user agent."""
    result = subprocess.run(
        ["node", "--input-type=module", "-e", SETTINGS_JS],
        cwd=lighthouse_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise Unmeasurable(f"Lighthouse's settings unreadable: {result.stderr[-500:]}")
    return json.loads(result.stdout)


def run_lighthouse(lighthouse_dir, url, report):
    """Lighthouse's figures of one cold load of `url`; its reports written to
    `report`.report.html and .json."""
    command = [
        os.path.join(lighthouse_dir, "node_modules", ".bin", "lighthouse"),
        url,
        "--quiet",
        "--form-factor=mobile",
        "--throttling-method=devtools",
        "--only-categories=performance",
        "--no-enable-error-reporting",
        "--output=json",
        "--output=html",
        f"--output-path={report}",
        f"--chrome-flags={' '.join(LIGHTHOUSE_CHROME_FLAGS)}",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode:
        raise Unmeasurable(f"Lighthouse failed on {url}: {result.stderr[-1000:]}")
    with open(f"{report}.report.json") as report_file:
        lhr = json.load(report_file)
    if lhr.get("runtimeError"):
        raise Unmeasurable(f"Lighthouse on {url}: {lhr['runtimeError']['message']}")
    audits = lhr["audits"]
    requests = [
        item
        for item in audits["network-requests"]["details"]["items"]
        if not item["url"].startswith("data:")
    ]
    return {
        "score": lhr["categories"]["performance"]["score"],
        **{
            key: audits[audit]["numericValue"]
            for key, audit in (
                ("fcp", "first-contentful-paint"),
                ("lcp", "largest-contentful-paint"),
                ("tbt", "total-blocking-time"),
                ("tti", "interactive"),
                ("bytes", "total-byte-weight"),
            )
        },
        "requests": len(requests),
        "last_byte": max(item.get("networkEndTime", 0) for item in requests),
    }


# === THE TAPS ======================================================================= #


class Tab:
    """One page in a fresh Odoo ChromeBrowser (an empty profile: a first visit),
    emulating Lighthouse's phone: its screen, user agent, touch and throttling."""

    def __init__(self, database, base_url, settings, throttled=True, javascript=True):
        self.base_url = base_url
        self.painted = False
        screen = settings["screen"]
        try:
            self.browser = Browser(
                size=f"{screen['width']}x{screen['height']}", database=database
            )
        except BrowserError as error:
            raise Unmeasurable(str(error)) from error
        try:
            # No request paused on its way through this client (ChromeBrowser's guard
            # for other hosts; the switches of tools/lib/chrome.py keep them off).
            self.call("Fetch.disable")
            self.network = Network(self.browser)
            self.browser.on("Page.lifecycleEvent", self._lifecycle)
            self.call("Page.setLifecycleEventsEnabled", {"enabled": True})
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {
                    key: screen[key]
                    for key in ("width", "height", "deviceScaleFactor", "mobile")
                },
            )
            self.call(
                "Emulation.setUserAgentOverride", {"userAgent": settings["userAgent"]}
            )
            self.call("Emulation.setTouchEmulationEnabled", {"enabled": True})
            if throttled:
                throttling = settings["throttling"]
                self.call(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": throttling["requestLatencyMs"],
                        "downloadThroughput": throttling["downloadThroughputKbps"]
                        * 1024
                        / 8,
                        "uploadThroughput": throttling["uploadThroughputKbps"]
                        * 1024
                        / 8,
                    },
                )
                self.call(
                    "Emulation.setCPUThrottlingRate",
                    {"rate": throttling["cpuSlowdownMultiplier"]},
                )
            if not javascript:
                self.call("Emulation.setScriptExecutionDisabled", {"value": True})
        except BaseException:
            self.browser.stop()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.browser.stop()

    def _lifecycle(self, name, **_params):
        if name == "firstContentfulPaint":
            self.painted = True

    def call(self, method, params=None, timeout=30):
        try:
            return self.browser.call(method, params, timeout=timeout)
        except BrowserError as error:
            raise Unmeasurable(str(error)) from error

    def evaluate(self, expression):
        """The value of `expression` in the page, or None while a navigation has no
        document to evaluate it in yet."""
        try:
            return self.browser.evaluate(expression, timeout=30)
        except BrowserError as error:
            if "Script failed" in str(error):
                raise Unmeasurable(str(error)) from error
            return None

    def navigate(self, path):
        """Start loading `path`; return the time.monotonic() it started at."""
        started = time.monotonic()
        result = self.call("Page.navigate", {"url": self.base_url + path}, TIMEOUT)
        if result.get("errorText"):
            raise Unmeasurable(f"Loading {path} failed: {result['errorText']}")
        return started

    def wait_for(self, expression, timeout=TIMEOUT):
        """Poll `expression` until it is truthy; return the time.monotonic() it was
        seen so, or None after `timeout` seconds, or once the page has settled without
        it (loaded, no request for 2 s since the call)."""
        since = time.monotonic()
        while time.monotonic() < since + timeout:
            if self.evaluate(expression):
                return time.monotonic()
            if (
                not self.network.in_flight()
                and time.monotonic() - max(self.network.last_activity, since) > 2
                and self.evaluate("document.readyState") == "complete"
                and not self.evaluate(expression)
            ):
                return None
            time.sleep(POLL)
        return None

    def wait_painted(self):
        deadline = time.monotonic() + TIMEOUT
        while not self.painted:
            if time.monotonic() > deadline:
                raise Unmeasurable(f"No first contentful paint within {TIMEOUT} s.")
            time.sleep(POLL)

    def centre(self, selector):
        """The centre of `selector` once it is there and enabled; NotAvailable when the
        page has loaded without it."""
        expression = CENTRE_JS % json.dumps(selector)
        if not self.wait_for(f"({expression}) && !({expression}).disabled"):
            raise NotAvailable(f"no enabled {selector}")
        return self.evaluate(expression)

    def tap(self, point):
        """Touch `point` and lift the finger; return the time.monotonic() of the lift,
        which makes the click: the tap, as a person sees it."""
        touch = {"x": point["x"], "y": point["y"]}
        self.call(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [touch]}
        )
        lifted = time.monotonic()
        self.call("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        return lifted

    def until_usable(self, since, what):
        """The ms from `since` until the payment form is usable, and the bytes of the
        requests made from then on until the network is idle."""
        usable = self.wait_for(USABLE_JS)
        if usable is None:
            location = self.evaluate("location.pathname") or "?"
            raise NotAvailable(
                f"{what}: no usable {PAYMENT_FORM} (a checked method and an enabled"
                f" {PAYMENT_SUBMIT}) {(time.monotonic() - since) * 1000:,.0f} ms"
                f" later, on {location[:40]}"
            )
        self.network.wait_idle(timeout=TIMEOUT)
        return {
            "usable": (usable - since) * 1000,
            "bytes": self.network.bytes(phase="measured"),
        }


def tap_tip(tab, seed):
    """Tap the 20% tip as soon as the page has painted: ms until its total shows."""
    tab.wait_painted()
    point = tab.centre(TIP_LABEL)
    shown = (
        f"{VISIBLE_TOTALS_JS}.some((text) => text.replace(/\\D/g, '')"
        f" === '{seed['tip_total_digits']}')"
    )
    if tab.evaluate(shown):
        raise NotAvailable("the 20% total was shown before the tap")
    tapped = tab.tap(point)
    seen = tab.wait_for(shown, timeout=30)
    if seen is None:
        texts = tab.evaluate(VISIBLE_TOTALS_JS) or []
        raise NotAvailable(
            f"no visible {TOTAL} read {seed['tip_total']:.2f} after the tap"
            f" (visible: {', '.join(texts) or 'none'})"
        )
    return (seen - tapped) * 1000


def tap_pay(tab):
    point = tab.centre(PAY_BUTTON)
    tab.network.phase = "measured"
    return tab.until_usable(tab.tap(point), "after the tap on Pay")


def measure(function):
    """`function()`'s figures, or "n/a (why)" for each when the page did not allow."""
    try:
        return function()
    except NotAvailable as reason:
        return {"n/a": f"n/a ({reason})"}


def measure_taps(new_tab, seed):
    """One run of the taps: (a) the tip then Pay at once, (b) Pay after reading,
    (c) /payment/pay; each cold."""
    figures = {}
    with new_tab() as tab:
        tab.navigate(seed["pages"]["pay"])

        def at_once():
            figures["tip"] = measure(lambda: {"ms": tap_tip(tab, seed)})
            return tap_pay(tab)

        figures["at_once"] = measure(at_once)
    with new_tab() as tab:
        tab.navigate(seed["pages"]["pay"])

        def after_reading():
            tab.wait_painted()
            time.sleep(READING)
            return tap_pay(tab)

        figures["after_reading"] = measure(after_reading)
    with new_tab() as tab:
        tab.network.phase = "measured"
        started = tab.navigate(seed["pages"]["payment_pay"])
        figures["payment_pay"] = measure(
            lambda: tab.until_usable(started, "/payment/pay")
        )
    return figures


def warm_up(new_tab, seed):
    """Each page once, and the pay step, unthrottled and not measured."""
    for path in seed["pages"].values():
        with new_tab(throttled=False) as tab:
            tab.navigate(path)
            tab.network.wait_idle(timeout=180)
            if path == seed["pages"]["pay"]:
                with_step = measure(lambda tab=tab: tap_pay(tab))
                if "n/a" in with_step:
                    progress(f"warm-up: {with_step['n/a']}")


# === REPORT ========================================================================= #


def median(values):
    """The median of the figures, or the first reason one is missing."""
    missing = [value for value in values if isinstance(value, str)]
    if not missing:
        return statistics.median(values)
    if len(missing) < len(values):
        return missing[0].replace("n/a (", f"n/a ({len(missing)} of {len(values)}: ")
    return missing[0]


def figure(runs, *keys):
    """The median over `runs` of the figure at `keys`, each run's "n/a" kept."""

    def pick(run):
        value = run
        for key in keys:
            if "n/a" in value:
                return value["n/a"]
            value = value[key]
        return value

    return median([pick(run) for run in runs])


def show(value, unit="", digits=0):
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}{unit}"
    return "n/a" if value is None else value.split(" (")[0]


def ratio_check(label, value, reference, target, unit=""):
    """A PASS/FAIL line: `value` <= `target` x `reference`."""
    if not isinstance(value, int | float) or not isinstance(reference, int | float):
        return f"{label} ({show(value)} vs {show(reference)})", False
    ratio = value / reference
    return (
        f"{label} ({value:,.0f} vs {reference:,.0f}{unit}:"
        f" {ratio:.{2 if ratio >= 0.1 else 3}f}x)",
        ratio <= target,
    )


def report(seed, settings, pages, taps, tip_nojs, args):
    throttling, screen = settings["throttling"], settings["screen"]
    print(
        f"\nLighthouse, mobile, devtools throttling ({throttling['rttMs']:g} ms RTT:"
        f" {throttling['requestLatencyMs']:g} ms per request,"
        f" {throttling['downloadThroughputKbps']:,.1f} kbit/s down,"
        f" {throttling['uploadThroughputKbps']:,.0f} kbit/s up, CPU"
        f" x{throttling['cpuSlowdownMultiplier']:g}), {screen['width']}x"
        f"{screen['height']} @{screen['deviceScaleFactor']:g}, cold; medians of"
        f" {args.runs} loads; {seed['charges']} charges, balance"
        f" {seed['balance']:,.2f} {seed['currency']}; reports in {args.reports}\n"
    )
    print(
        f"{'page':<14}{'score':>6}{'FCP ms':>9}{'LCP ms':>9}{'TBT ms':>8}{'TTI ms':>9}"
        f"{'bytes':>12}{'requests':>10}{'last byte ms':>14}"
    )
    results = {
        key: {name: figure(runs, name) for name in runs[0]}
        for key, runs in pages.items()
    }
    for key, name in NAMES.items():
        page = results[key]
        print(
            f"{name:<14}{page['score']:>6.2f}{show(page['fcp']):>9}"
            f"{show(page['lcp']):>9}{show(page['tbt']):>8}{show(page['tti']):>9}"
            f"{show(page['bytes']):>12}{show(page['requests']):>10}"
            f"{show(page['last_byte']):>14}"
        )
    tip = figure(taps, "tip", "ms")
    print(
        "\nTaps in Odoo's ChromeBrowser under the same throttling, each cold; medians"
        f" of {args.runs}:\n\n"
        f"tip 20% on /pay at first paint: its total shown {show(tip, ' ms')} after the"
        f" tap; with JavaScript disabled: {show(tip_nojs, ' ms')}\n"
    )
    print(f"{'until the payment form is usable':<54}{'ms':>9}{'bytes':>12}")
    rows = {
        "at_once": "(a) /pay, tip 20% and Pay at once: from the tap",
        "after_reading": f"(b) /pay, read {READING} s, then Pay: from the tap",
        "payment_pay": "(c) /payment/pay: from the navigation",
    }
    step = {
        key: {name: figure(taps, key, name) for name in ("usable", "bytes")}
        for key in rows
    }
    for key, label in rows.items():
        print(
            f"{label:<54}{show(step[key]['usable']):>9}{show(step[key]['bytes']):>12}"
        )
    for value in [tip, tip_nojs] + [v for s in step.values() for v in s.values()]:
        if isinstance(value, str):
            print(f"  {value}")
    pay, reference = results["pay"], results["payment_pay"]
    print()
    for key in ("pay", "invoice"):
        print(
            f"{NAMES[key]:<14} x /payment/pay: bytes"
            f" {results[key]['bytes'] / reference['bytes']:.3f}x,"
            f" FCP {results[key]['fcp'] / reference['fcp']:.2f}x"
        )
    pay_bytes = [step["at_once"]["bytes"], step["after_reading"]["bytes"]]
    numbers = [value for value in pay_bytes if isinstance(value, int | float)]
    checks = [
        ratio_check(
            f"first visit bytes <= {BYTES_TARGET}x /payment/pay",
            pay["bytes"],
            reference["bytes"],
            BYTES_TARGET,
        ),
        ratio_check(
            f"FCP <= {FCP_TARGET}x /payment/pay",
            pay["fcp"],
            reference["fcp"],
            FCP_TARGET,
            " ms",
        ),
        (
            f"tip total right within {TIP_TARGET_MS} ms of the tap"
            f" ({show(tip, ' ms')})",
            isinstance(tip, int | float) and tip <= TIP_TARGET_MS,
        ),
        ratio_check(
            f"(a) tap on Pay -> usable <= {PAY_TARGET}x /payment/pay's time to usable",
            step["at_once"]["usable"],
            step["payment_pay"]["usable"],
            PAY_TARGET,
            " ms",
        ),
        (
            f"(b) after {READING} s on the page, tap on Pay -> usable <="
            f" {PAY_AFTER_READING_TARGET_MS:,} ms"
            f" ({show(step['after_reading']['usable'], ' ms')})",
            isinstance(step["after_reading"]["usable"], int | float)
            and step["after_reading"]["usable"] <= PAY_AFTER_READING_TARGET_MS,
        ),
        ratio_check(
            f"bytes after the tap on Pay <= {PAY_BYTES_TARGET}x /payment/pay's, the"
            f" larger of (a) {show(pay_bytes[0])} and (b) {show(pay_bytes[1])}",
            max(numbers) if len(numbers) == 2 else "n/a",
            step["payment_pay"]["bytes"],
            PAY_BYTES_TARGET,
        ),
    ]
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--odoo-path", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--seed", required=True, help="JSON of tools/bench/seed.py phone"
    )
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--runs", type=int, default=3, help="cold loads per figure")
    parser.add_argument("--lighthouse", required=True, help="tools/bench/lighthouse")
    parser.add_argument("--reports", required=True, help="where Lighthouse's go")
    parser.add_argument("--log-file", default="bench-phone-odoo.log")
    args = parser.parse_args()
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)
    os.makedirs(args.reports, exist_ok=True)

    # Stopped by a signal, the Chromiums and Odoo are stopped too.
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    started = time.monotonic()
    try:
        settings = lighthouse_settings(args.lighthouse)
        with running_odoo(
            args.odoo_path,
            args.addons_path,
            args.database,
            args.port,
            workers=2,
            log_file=args.log_file,
        ) as base_url:
            new_tab = functools.partial(Tab, args.database, base_url, settings)
            warm_up(new_tab, seed)
            pages = {key: [] for key in NAMES}
            taps = []
            # Interleaved, the pages share whatever else the machine does.
            for run in range(1, args.runs + 1):
                for key, name in NAMES.items():
                    report_base = os.path.join(args.reports, f"{key}-{run}")
                    load = run_lighthouse(
                        args.lighthouse, base_url + seed["pages"][key], report_base
                    )
                    pages[key].append(load)
                    progress(
                        f"run {run}/{args.runs} {name}: score {load['score']:.2f}, FCP"
                        f" {load['fcp']:,.0f} ms, {load['bytes']:,.0f} B,"
                        f" {load['requests']} requests ({report_base}.report.html)"
                    )
                taps.append(measure_taps(new_tab, seed))
                progress(f"run {run}/{args.runs} taps: {json.dumps(taps[-1])}")
            with new_tab(javascript=False) as tab:
                tab.navigate(seed["pages"]["pay"])
                tip_nojs = measure(lambda: {"ms": tap_tip(tab, seed)})
            tip_nojs = tip_nojs.get("ms", tip_nojs.get("n/a"))
    except (
        Unmeasurable,
        BrowserError,
        RuntimeError,
        OSError,
        subprocess.SubprocessError,
    ) as error:
        if os.path.exists(args.log_file):
            check_log_for_tracebacks(args.log_file)
        print(f"ERROR: could not measure: {error}", file=sys.stderr)
        return 2

    report(seed, settings, pages, taps, tip_nojs, args)
    clean = check_log_for_tracebacks(args.log_file)
    print(
        f"{'PASS' if clean else 'FAIL'}  no traceback in the Odoo log ({args.log_file})"
    )
    print(f"\nLighthouse's reports: {args.reports}/*.report.html")
    print(f"{time.monotonic() - started:,.0f} s in all")
    return 0 if clean else 3


if __name__ == "__main__":
    sys.exit(main())
