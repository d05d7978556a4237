"""`make loadtest`: a bounded mixed load on a real 2-worker Odoo, checking that nothing
was lost.

Clients run in threads against 127.0.0.1 only. Each presents a client address in
X-Forwarded-For (Odoo runs in proxy mode), so that the guessers are rate-limited by
their own address and the customers by theirs; these addresses are header values,
never contacted.

Mix: valid page loads and live refreshes, invalid tokens, staff regenerating links
(two at once on the same customer too), staff posting invoices while pages render, and
customers paying through the demo provider. Afterwards, the books of every customer are
checked through RPC.
"""

import argparse
import collections
import html.parser
import json
import os
import random
import re
import sys
import threading
import time

import requests

# The modules the tools share are in tools/lib.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from odoo_server import check_log_for_tracebacks, percentile, running_odoo  # noqa: E402

PAGE_BALANCE = re.compile(r'class="[^"]*o_paylink_balance_amount[^"]*">([^<]*)<')
# Odoo's frontend layout prints the session's CSRF token in its script.
CSRF_TOKEN = re.compile(r'csrf_token: "([^"]+)"')
FINGERPRINT = re.compile(r"[0-9a-f]{32}")
TIP_PERCENTAGES = (0, 18, 20, 25)


class _CheckoutParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.checkout = None
        self.payment_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            self.checkout is None
            and "o_paylink_checkout" in (attrs.get("class") or "").split()
        ):
            self.checkout = attrs
        if tag == "form" and attrs.get("id") == "o_payment_form":
            self.payment_form = True


def parse_checkout(text):
    """What paying needs from the checkout page `text`: the fingerprint and tip of its
    `.o_paylink_checkout` element and the session's CSRF token, in a dict. Raise
    ValueError saying what is missing when the page is not a checkout page with
    Odoo's payment form."""
    parser = _CheckoutParser()
    parser.feed(text)
    parser.close()
    csrf = CSRF_TOKEN.search(text)
    if parser.checkout is None:
        raise ValueError("no .o_paylink_checkout element")
    if not parser.payment_form:
        raise ValueError("no payment form (form#o_payment_form)")
    if not csrf:
        raise ValueError("no CSRF token")
    fingerprint = parser.checkout.get("data-fingerprint") or ""
    if not FINGERPRINT.fullmatch(fingerprint):
        raise ValueError(f"data-fingerprint {fingerprint!r} is not 32 hex digits")
    tip_percent = parser.checkout.get("data-tip-percent") or ""
    if not tip_percent.isdigit():
        raise ValueError(f"data-tip-percent {tip_percent!r} is not a number")
    return {
        "fingerprint": fingerprint,
        "tip_percent": int(tip_percent),
        "csrf_token": csrf.group(1),
    }


class Load:
    def __init__(self, base_url, seed, database, duration, max_requests, clients):
        self.base_url = base_url
        self.seed = seed
        self.database = database
        self.deadline = time.time() + duration
        self.max_requests = max_requests
        self.clients = clients
        self.lock = threading.Lock()
        self.latencies = []
        self.statuses = collections.Counter()
        self.by_kind = collections.defaultdict(collections.Counter)
        self.wrong = []
        self.tokens = {c["id"]: c["token"] for c in seed["customers"]}
        # token -> time its regeneration had committed (None: under way)
        self.revoked = {}
        # customer id -> references paid
        self.payments_done = collections.defaultdict(set)
        # Payment flows by how far they went: started, with a balance to pay, checkout
        # page shown, transaction created (the paid ones are in payments_done).
        self.pay_counts = collections.Counter()
        self.staff = self._staff_session()

    # --- plumbing ---------------------------------------------------------

    def _staff_session(self):
        session = requests.Session()
        response = session.post(
            f"{self.base_url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "db": self.database,
                    "login": "admin",
                    "password": "admin",
                },
            },
            timeout=30,
        )
        response.raise_for_status()
        if "error" in response.json():
            raise RuntimeError(f"Cannot log in as admin: {response.json()['error']}")
        return session

    def rpc(self, model, method, args, kwargs=None, session=None):
        response = (session or self.staff).post(
            f"{self.base_url}/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            },
            timeout=60,
        )
        self.record("rpc", response, 0)
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"].get("message", body["error"]))
        return body["result"]

    def record(self, kind, response, elapsed):
        with self.lock:
            self.statuses[response.status_code] += 1
            self.by_kind[kind][response.status_code] += 1
            if elapsed:
                self.latencies.append(elapsed)
            if response.status_code >= 500:
                self.wrong.append(f"{kind}: {response.status_code} {response.url}")

    def done(self):
        return (
            time.time() > self.deadline
            or sum(self.statuses.values()) >= self.max_requests
        )

    def timed(self, kind, session, method, url, **kwargs):
        start = time.perf_counter()
        response = session.request(method, url, timeout=60, **kwargs)
        self.record(kind, response, time.perf_counter() - start)
        return response

    @staticmethod
    def client_headers(address):
        return {"X-Forwarded-For": address, "X-Forwarded-Host": "127.0.0.1"}

    def check_link_answer(self, what, response, token, started):
        """Record what is wrong with `response`, the answer to a GET of `what` for the
        link `token` sent at `started`: 200 while the link is valid, 404 once it is
        being revoked. Return whether it answered 200."""
        revoked_at = self.revoked.get(token)
        if response.status_code == 200:
            if revoked_at and revoked_at < started:
                self.wrong.append(
                    f"revoked link's {what} answered 200"
                    f" (revoked {started - revoked_at:.3f}s before)"
                )
            return True
        if response.status_code != 404:
            self.wrong.append(f"valid link's {what} answered {response.status_code}")
        elif token not in self.revoked:
            self.wrong.append(f"valid link's {what} answered 404")
        return False

    # --- operations -------------------------------------------------------

    def load_page(self, session, headers):
        customer_id = random.choice(list(self.tokens))
        token = self.tokens[customer_id]
        started = time.time()
        response = self.timed(
            "page", session, "GET", f"{self.base_url}/pay/{token}", headers=headers
        )
        if self.check_link_answer("page", response, token, started) and (
            random.random() < 0.3
        ):
            fingerprint = re.search(
                r'data-fingerprint="([0-9a-f]+)"', response.text
            ).group(1)
            refresh = self.timed(
                "refresh",
                session,
                "POST",
                f"{self.base_url}/pay/{token}/summary",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"fingerprint": fingerprint},
                },
                headers=headers,
            )
            if refresh.status_code not in (200, 404):
                self.wrong.append(f"refresh answered {refresh.status_code}")

    def guess(self, session, headers):
        token = "".join(
            random.choice(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            )
            for _ in range(43)
        )
        response = self.timed(
            "guess", session, "GET", f"{self.base_url}/pay/{token}", headers=headers
        )
        if response.status_code not in (404, 429):
            self.wrong.append(f"invalid token answered {response.status_code}")

    def regenerate(self, staff_at_once=1):
        """Staff regenerate a link; with `staff_at_once` = 2, two of them at once."""
        customer_id = random.choice(list(self.tokens))
        with self.lock:
            old_token = self.tokens[customer_id]
            self.revoked.setdefault(
                old_token, None
            )  # From now on, 404 is a right answer.
        threads = [
            threading.Thread(
                target=self.rpc,
                args=("res.partner", "action_paylink_generate", [[customer_id]]),
            )
            for _ in range(staff_at_once)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        url = self.rpc("res.partner", "read", [[customer_id], ["paylink_url"]])[0][
            "paylink_url"
        ]
        with self.lock:
            if self.revoked[old_token] is None:
                self.revoked[old_token] = time.time()
            self.tokens[customer_id] = url.rsplit("/", 1)[1]

    def post_invoice(self):
        customer_id = random.choice(list(self.tokens))
        move_id = self.rpc(
            "account.move",
            "create",
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer_id,
                    "invoice_line_ids": [
                        [
                            0,
                            0,
                            {
                                "name": "Load charge",
                                "quantity": 1,
                                "price_unit": 7.0,
                                "tax_ids": [],
                            },
                        ]
                    ],
                }
            ],
        )
        self.rpc("account.move", "action_post", [[move_id]])

    def pay(self, session, headers):
        """A customer pays the balance with a tip: opens the page, submits its choices
        to the checkout page, then pays with Odoo's payment form on it (the Demo
        provider)."""
        with self.lock:
            self.pay_counts["started"] += 1
        customer_id = random.choice(list(self.tokens))
        token = self.tokens[customer_id]
        started = time.time()
        page = self.timed(
            "pay", session, "GET", f"{self.base_url}/pay/{token}", headers=headers
        )
        if not self.check_link_answer("payment page", page, token, started):
            return
        if 'name="tip_percent"' not in page.text:
            return  # Nothing to pay: the tip options are offered with a balance only.
        with self.lock:
            self.pay_counts["balance to pay"] += 1
        tip_percent = random.choice(TIP_PERCENTAGES)
        save_card = random.random() < 0.5
        sms_consent = random.random() < 0.5
        params = {"tip_percent": tip_percent}
        # Like the page's form: a check box is sent only when checked.
        if save_card:
            params["save_card"] = 1
        if sms_consent:
            params["sms_consent"] = 1
        checkout = self.timed(
            "pay",
            session,
            "GET",
            f"{self.base_url}/pay/{token}/checkout",
            params=params,
            headers=headers,
        )
        if not self.check_link_answer("checkout page", checkout, token, started):
            return
        try:
            form = parse_checkout(checkout.text)
        except ValueError as error:
            self.wrong.append(f"checkout page {checkout.url}: {error}")
            return
        if form["tip_percent"] != tip_percent:
            self.wrong.append(
                f"checkout page for a {tip_percent}% tip shows {form['tip_percent']}%"
            )
            return
        with self.lock:
            self.pay_counts["checkout page"] += 1
        response = self.timed(
            "pay",
            session,
            "POST",
            f"{self.base_url}/pay/{token}/transaction",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                # What Odoo's payment form sends, with the page's own choices.
                "params": {
                    "provider_id": self.seed["provider_id"],
                    "payment_method_id": self.seed["payment_method_id"],
                    "token_id": None,
                    "amount": 1,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": "/",
                    "is_validation": False,
                    "access_token": None,
                    "csrf_token": form["csrf_token"],
                    "tip_percent": form["tip_percent"],
                    "fingerprint": form["fingerprint"],
                    "save_card": save_card,
                    "sms_consent": sms_consent,
                },
            },
            headers=headers,
        )
        if response.status_code in (404, 409):
            # Link regenerated, balance changed or payment in progress: refused, fine.
            return
        body = response.json()
        if response.status_code != 200 or "error" in body:
            self.wrong.append(
                f"payment start answered {response.status_code} {body.get('error')}"
            )
            return
        with self.lock:
            self.pay_counts["transaction"] += 1
        reference = body["result"]["reference"]
        simulate = self.timed(
            "pay",
            session,
            "POST",
            f"{self.base_url}/payment/demo/simulate_payment",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "reference": reference,
                    "payment_details": "4242",
                    "simulated_state": "done",
                },
            },
            headers=headers,
        )
        if simulate.status_code != 200 or "error" in simulate.json():
            self.wrong.append(
                "payment simulation answered"
                f" {simulate.status_code} {simulate.text[:200]}"
            )
            return
        # Like Odoo's status page: poll until post-processed; retry when asked to.
        for _attempt in range(10):
            poll = self.timed(
                "pay",
                session,
                "POST",
                f"{self.base_url}/payment/status/poll",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {},
                },
                headers=headers,
            )
            error = poll.json().get("error")
            if poll.status_code == 200 and not error:
                break
            if not (
                error
                and "retry" in json.dumps(error.get("data", {}).get("message", ""))
            ):
                self.wrong.append(
                    f"payment poll answered {poll.status_code} {poll.text[:200]}"
                )
                return
            time.sleep(0.5)
        else:
            self.wrong.append(
                f"payment {reference} still not post-processed after 10 polls"
            )
            return
        with self.lock:
            # Two tabs paying one balance continue one transaction: count references.
            self.payments_done[customer_id].add(reference)

    # --- the run ----------------------------------------------------------

    def client(self, number):
        session = requests.Session()
        customer_address = {
            "X-Forwarded-For": f"203.0.113.{number + 1}",
            "X-Forwarded-Host": "127.0.0.1",
        }
        guesser_address = {
            "X-Forwarded-For": f"198.51.100.{number + 1}",
            "X-Forwarded-Host": "127.0.0.1",
        }
        while not self.done():
            roll = random.random()
            try:
                if roll < 0.50:
                    self.load_page(session, customer_address)
                elif roll < 0.72:
                    self.guess(session, guesser_address)
                elif roll < 0.77:
                    self.regenerate()
                elif roll < 0.79:
                    self.regenerate(staff_at_once=2)
                elif roll < 0.89:
                    self.post_invoice()
                else:
                    self.pay(session, customer_address)
            except Exception as error:  # noqa: BLE001 - any failure of the load is reported
                self.wrong.append(f"client error: {error!r}")

    def run(self):
        started = time.time()
        threads = [
            threading.Thread(target=self.client, args=(n,)) for n in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.time() - started

    def check_books(self):
        """Every customer: invoiced - paid (by payments, tips included as invoices)
        = balance; one payment per successful flow; every revoked token answers 404,
        every current one 200."""
        failures = []
        ids = list(self.tokens)
        partners = self.rpc("res.partner", "read", [ids, ["credit"]])
        invoices = self.rpc(
            "account.move",
            "search_read",
            [
                [
                    ("partner_id", "in", ids),
                    ("state", "=", "posted"),
                    ("move_type", "=", "out_invoice"),
                ]
            ],
            {"fields": ["partner_id", "amount_total"]},
        )
        payments = self.rpc(
            "account.payment",
            "search_read",
            [
                [
                    ("partner_id", "in", ids),
                    ("state", "in", ("in_process", "paid")),
                ]
            ],
            {"fields": ["partner_id", "amount"]},
        )
        invoiced = collections.Counter()
        paid = collections.Counter()
        payment_count = collections.Counter()
        for invoice in invoices:
            invoiced[invoice["partner_id"][0]] += invoice["amount_total"]
        for payment in payments:
            paid[payment["partner_id"][0]] += payment["amount"]
            payment_count[payment["partner_id"][0]] += 1
        for partner in partners:
            pid = partner["id"]
            if abs(invoiced[pid] - paid[pid] - partner["credit"]) > 0.005:
                failures.append(
                    f"customer {pid}: invoiced {invoiced[pid]:.2f}"
                    f" - paid {paid[pid]:.2f} != balance {partner['credit']:.2f}"
                )
            if (
                partner["credit"] < -0.005
            ):  # No credit notes in this load: a credit is an overpayment.
                failures.append(
                    f"customer {pid} overpaid: balance {partner['credit']:.2f}"
                )
            if payment_count[pid] != len(self.payments_done[pid]):
                failures.append(
                    f"customer {pid}: {payment_count[pid]} payments"
                    f" for {len(self.payments_done[pid])} paid transactions"
                )
        session = requests.Session()
        for number, token in enumerate(
            random.sample(list(self.revoked), min(25, len(self.revoked)))
        ):
            # One address per check: the guessing limit must not hide the 404.
            status = session.get(
                f"{self.base_url}/pay/{token}",
                headers=self.client_headers(f"192.0.2.{number + 1}"),
            ).status_code
            if status != 404:
                failures.append(f"revoked token answered {status}")
        for customer_id, token in self.tokens.items():
            response = session.get(
                f"{self.base_url}/pay/{token}",
                headers=self.client_headers("203.0.113.251"),
            )
            if response.status_code != 200:
                failures.append(
                    f"current token of {customer_id} answered {response.status_code}"
                )
        return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--odoo-path", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--seed", required=True, help="JSON written by tools/bench/seed.py load"
    )
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds, at most")
    parser.add_argument("--max-requests", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--log-file", default="loadtest-odoo.log")
    args = parser.parse_args()
    random.seed(20261125)
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)
    with running_odoo(
        args.odoo_path,
        args.addons_path,
        args.database,
        args.port,
        log_file=args.log_file,
    ) as base_url:
        load = Load(
            base_url,
            seed,
            args.database,
            args.duration,
            args.max_requests,
            args.clients,
        )
        elapsed = load.run()
        failures = load.check_books()
    total = sum(load.statuses.values())
    print(
        f"\npaylink_portal load test: {args.clients} clients, 2 Odoo workers,"
        f" {elapsed:.1f} s"
    )
    print(f"requests: {total} ({total / elapsed:.1f}/s)")
    for kind, counter in sorted(load.by_kind.items()):
        print(
            f"  {kind:<8} "
            + ", ".join(
                f"{status}: {count}" for status, count in sorted(counter.items())
            )
        )
    print(
        "status:  "
        + ", ".join(
            f"{status}: {count}" for status, count in sorted(load.statuses.items())
        )
    )
    print(
        f"latency: p50 {percentile(load.latencies, 0.50) * 1000:.1f} ms,"
        f" p99 {percentile(load.latencies, 0.99) * 1000:.1f} ms"
    )
    paid = sum(map(len, load.payments_done.values()))
    print(
        f"regenerated links: {len(load.revoked)}, paid transactions: {paid}"
        f" (payment flows: {load.pay_counts['started']} started,"
        f" {load.pay_counts['balance to pay']} with a balance to pay,"
        f" {load.pay_counts['checkout page']} checkout pages,"
        f" {load.pay_counts['transaction']} transactions)"
    )
    server_errors = sum(
        count for status, count in load.statuses.items() if status >= 500
    )
    checks = {
        "no 5xx": server_errors == 0,
        "every valid request answered 200, every revoked link 404,"
        " every invalid one 404 or 429": not load.wrong,
        "books balance, nobody overpaid, one payment per paid transaction,"
        " tokens live or dead as they should": not failures,
        # A mix with payments that paid nothing has not tested paying.
        f"payments completed ({paid} for {load.pay_counts['started']} payment flows)": (
            paid or not load.pay_counts["started"]
        ),
        f"no traceback in the Odoo log ({args.log_file})": check_log_for_tracebacks(
            args.log_file
        ),
    }
    for name, ok in checks.items():
        print(f"check: {'PASS' if ok else 'FAIL'} {name}")
    for problem in (load.wrong + failures)[:20]:
        print(f"  - {problem}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
