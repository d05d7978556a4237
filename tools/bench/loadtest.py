"""`make loadtest`: a bounded mixed load on a real 2-worker Odoo, checking that nothing
was lost. A locustfile, run headless by the Makefile in its own virtualenv (Locust wants
a newer gevent than Odoo pins), while tools/lib/odoo_server.py keeps Odoo up.

Every user is one customer, one guesser and one member of staff, each with a client
address of their own in X-Forwarded-For (Odoo runs in proxy mode): these addresses are
header values, never contacted; every request goes to 127.0.0.1, and any other host is
refused. Mix: valid page loads and live refreshes, invalid tokens, staff regenerating
links (two at once on the same customer too), staff posting invoices while pages render,
and customers paying through Odoo's Demo provider (page, payment step, transaction,
simulated payment, status poll).

Bounded by Locust's --run-time and by --max-requests (the run stops once that many
requests were sent); each user then finishes what it was doing (--stop-timeout). Then,
while Odoo still runs, the books of every customer are read back through RPC and every
token is tried. Each wrong answer is a Locust failure that says what it got; the run
exits non-zero when a check fails.
"""

import collections
import html.parser
import itertools
import json
import random
import re
import time
import urllib.parse

import gevent
import requests
from gevent.lock import Semaphore
from locust import HttpUser, constant, events, task
from locust.clients import HttpSession

TIP_PERCENTAGES = (0, 18, 20, 25)
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# Odoo's frontend layout prints the session's CSRF token in its script.
CSRF_TOKEN = re.compile(r'csrf_token: "([^"]+)"')
FINGERPRINT = re.compile(r"[0-9a-f]{32}")
TIMEOUT = 60  # seconds, for any one request


class Run:
    """What the users did, shared by all of them (greenlets of one process): the
    current token of every customer, the revoked ones, the payments made."""

    def __init__(self, seed, max_requests):
        self.seed = seed
        self.max_requests = max_requests
        self.requests = 0
        self.statuses = collections.defaultdict(collections.Counter)
        self.tokens = {c["id"]: c["token"] for c in seed["customers"]}
        # token -> time its regeneration had committed (None: under way)
        self.revoked = {}
        # One regeneration of a customer's link at a time in this bookkeeping: another
        # one under way could revoke the token this one is about to call current.
        self.regenerating = collections.defaultdict(Semaphore)
        # customer id -> {reference: when it was post-processed (None: not yet)} for
        # every payment simulated
        self.settled = collections.defaultdict(dict)
        # customer id -> references paid
        self.paid = collections.defaultdict(set)
        # Payment flows by how far they went.
        self.flows = collections.Counter()
        self.failures = []
        self.outcome = {}
        self.environment = None
        self.staff_session = None


RUN = None
USER_NUMBERS = itertools.count(1)


@events.init_command_line_parser.add_listener
def _arguments(parser):
    parser.add_argument("--seed", help="JSON written by tools/bench/seed.py load")
    parser.add_argument("--max-requests", type=int, default=6000)
    parser.add_argument("--odoo-database", help="where staff log in as admin")


@events.init.add_listener
def _init(environment, **_kwargs):
    global RUN  # noqa: PLW0603 - the run's one shared state
    host = urllib.parse.urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"--host must be on 127.0.0.1, not {environment.host!r}")
    options = environment.parsed_options
    with open(options.seed) as seed_file:
        RUN = Run(json.load(seed_file), options.max_requests)
    RUN.environment = environment


@events.request.add_listener
def _count(name, response, **_kwargs):
    status = getattr(response, "status_code", 0) or "no answer"
    RUN.statuses[name][status] += 1
    RUN.requests += 1
    if RUN.requests == RUN.max_requests:
        # Each user finishes its task (--stop-timeout).
        gevent.spawn(RUN.environment.runner.quit)


# === THE CHECKOUT PAGE ============================================================== #


class _CheckoutParser(html.parser.HTMLParser):
    """The payment step's `.o_paylink_checkout` element, whether it holds Odoo's
    payment form, and what the page is otherwise (title, the page's state)."""

    def __init__(self):
        super().__init__()
        self.checkout = None
        self.payment_form = False
        self.state = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.checkout is None and "o_paylink_checkout" in classes:
            self.checkout = attrs
        if "o_paylink_summary" in classes:
            self.state = attrs.get("data-state")
        if tag == "form" and attrs.get("id") == "o_payment_form":
            self.payment_form = True
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data.strip()

    def handle_endtag(self, tag):
        self._in_title = False


def parse_checkout(text):
    """What paying needs from the checkout page `text`: the fingerprint and tip of its
    `.o_paylink_checkout` element and the session's CSRF token. ValueError saying what
    is missing, and what the page is instead, when it is not a checkout page with
    Odoo's payment form."""
    parser = _CheckoutParser()
    parser.feed(text)
    parser.close()
    csrf = CSRF_TOKEN.search(text)
    if parser.checkout is None:
        raise ValueError(
            f"no .o_paylink_checkout element: a page titled {parser.title!r}, page"
            f" state {parser.state!r}, {len(text):,} characters"
        )
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


def json_call(params):
    return {"jsonrpc": "2.0", "method": "call", "params": params}


# === THE USERS ====================================================================== #


class Client(HttpUser):
    """A customer, a guesser and a member of staff, as the mix picks, with no pause."""

    wait_time = constant(0)

    def on_start(self):
        number = next(USER_NUMBERS)
        self.customer = {
            "X-Forwarded-For": f"203.0.113.{number}",
            "X-Forwarded-Host": "127.0.0.1",
        }
        self.guesser = {
            "X-Forwarded-For": f"198.51.100.{number}",
            "X-Forwarded-Host": "127.0.0.1",
        }
        # Staff's session apart from the customer's: the customer is never logged in.
        self.staff = HttpSession(self.host, self.environment.events.request, self)
        self.staff.cookies.set("session_id", RUN.staff_session)

    # --- helpers ---------------------------------------------------------------- #

    def call(self, session, path, params, name, headers=None):
        """A JSON-RPC call; its result, or RuntimeError with Odoo's message."""
        with session.post(
            path,
            json=json_call(params),
            headers=headers,
            name=name,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            body = response.json() if response.status_code == 200 else {}
            if response.status_code != 200 or "error" in body:
                error = body.get("error", {}).get("data", {}).get("message")
                response.failure(f"answered {response.status_code}: {error}")
                raise RuntimeError(f"{name}: {error or response.status_code}")
            response.success()
            return body.get("result")

    def rpc(self, model, method, *args, **kwargs):
        return self.call(
            self.staff,
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
            f"staff: {model}.{method}",
        )

    def post(self, name, path, params):
        """The customer's JSON-RPC call of `path`, for the caller to judge."""
        return self.client.post(
            path,
            json=json_call(params),
            headers=self.customer,
            name=name,
            timeout=TIMEOUT,
            catch_response=True,
        )

    def get(self, name, path, headers, **kwargs):
        return self.client.get(
            path,
            headers=headers,
            name=name,
            timeout=TIMEOUT,
            catch_response=True,
            **kwargs,
        )

    @staticmethod
    def link_answer(response, token, started):
        """Judge `response`, the answer to a GET for the link `token` sent at
        `started`: 200 while the link is valid, 404 once it is being revoked. Return
        whether it answered 200."""
        revoked_at = RUN.revoked.get(token)
        status = response.status_code
        if status == 200 and revoked_at and revoked_at < started:
            response.failure(
                f"revoked link answered 200 (revoked {started - revoked_at:.3f}s"
                " before)"
            )
        elif status == 404 and token not in RUN.revoked:
            response.failure("valid link answered 404")
        elif status not in (200, 404):
            response.failure(f"valid link answered {status}")
        else:
            response.success()
        return status == 200

    # --- tasks ------------------------------------------------------------------- #

    @task(50)
    def load_page(self):
        token = random.choice(list(RUN.tokens.values()))
        started = time.time()
        with self.get("page", f"/pay/{token}", self.customer) as page:
            ok = self.link_answer(page, token, started)
        if not ok or random.random() >= 0.3:
            return
        fingerprint = re.search(r'data-fingerprint="([0-9a-f]+)"', page.text).group(1)
        with self.post(
            "refresh", f"/pay/{token}/summary", {"fingerprint": fingerprint}
        ) as refresh:
            if refresh.status_code in (200, 404):
                refresh.success()
            else:
                refresh.failure(f"refresh answered {refresh.status_code}")

    @task(22)
    def guess(self):
        token = "".join(random.choice(TOKEN_ALPHABET) for _ in range(43))
        with self.get("guess", f"/pay/{token}", self.guesser) as response:
            if response.status_code in (404, 429):
                response.success()
            else:
                response.failure(f"invalid token answered {response.status_code}")

    def _regenerate(self, staff_at_once):
        customer_id = random.choice(list(RUN.tokens))
        with RUN.regenerating[customer_id]:
            self._regenerate_link(customer_id, staff_at_once)

    def _regenerate_link(self, customer_id, staff_at_once):
        old_token = RUN.tokens[customer_id]
        RUN.revoked.setdefault(old_token, None)  # From now on, 404 is a right answer.
        calls = [
            gevent.spawn(
                self.rpc, "res.partner", "action_paylink_generate", [customer_id]
            )
            for _ in range(staff_at_once)
        ]
        gevent.joinall(calls, raise_error=True)
        [partner] = self.rpc("res.partner", "read", [customer_id], ["paylink_url"])
        if RUN.revoked[old_token] is None:
            RUN.revoked[old_token] = time.time()
        RUN.tokens[customer_id] = partner["paylink_url"].rsplit("/", 1)[1]

    @task(5)
    def regenerate(self):
        self._regenerate(1)

    @task(2)
    def regenerate_twice_at_once(self):
        self._regenerate(2)

    @task(10)
    def post_invoice(self):
        customer_id = random.choice(list(RUN.tokens))
        line = {"name": "Load charge", "quantity": 1, "price_unit": 7.0, "tax_ids": []}
        move_id = self.rpc(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": customer_id,
                "invoice_line_ids": [[0, 0, line]],
            },
        )
        self.rpc("account.move", "action_post", [move_id])

    @task(11)
    def pay(self):
        """A customer pays the balance with a tip: the page, then the payment step with
        the page's choices, then Odoo's payment form's calls (the Demo provider)."""
        RUN.flows["started"] += 1
        customer_id = random.choice(list(RUN.tokens))
        token = RUN.tokens[customer_id]
        started = time.time()
        with self.get("pay: page", f"/pay/{token}", self.customer) as page:
            if not self.link_answer(page, token, started):
                return
        if 'name="tip_percent"' not in page.text:
            return  # Nothing to pay: the tip options are offered with a balance only.
        RUN.flows["balance to pay"] += 1
        tip_percent = random.choice(TIP_PERCENTAGES)
        save_card = random.random() < 0.5
        sms_consent = random.random() < 0.5
        # Like the page's form: a check box is sent only when checked.
        params = {"tip_percent": tip_percent}
        params.update({"save_card": 1} if save_card else {})
        params.update({"sms_consent": 1} if sms_consent else {})
        with self.get(
            "pay: checkout",
            f"/pay/{token}/checkout",
            self.customer,
            params=params,
            allow_redirects=False,
        ) as checkout:
            form = self._checkout_answer(checkout, customer_id, token, started)
            if form and form["tip_percent"] != tip_percent:
                checkout.failure(
                    f"for a {tip_percent}% tip shows {form['tip_percent']}%"
                )
                return
        if not form:
            return
        RUN.flows["checkout page"] += 1
        # What Odoo's payment form sends, with the page's own choices.
        with self.post(
            "pay: transaction",
            f"/pay/{token}/transaction",
            {
                "provider_id": RUN.seed["provider_id"],
                "payment_method_id": RUN.seed["payment_method_id"],
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
        ) as response:
            if response.status_code in (404, 409):
                # Link regenerated, balance changed or payment in progress: refused.
                response.success()
                return
            body = response.json() if response.status_code == 200 else {}
            if "result" not in body:
                response.failure(
                    f"payment start answered {response.status_code} {body.get('error')}"
                )
                return
            response.success()
        RUN.flows["transaction"] += 1
        reference = body["result"]["reference"]
        RUN.settled[customer_id].setdefault(reference, None)
        self.call(
            self.client,
            "/payment/demo/simulate_payment",
            {
                "reference": reference,
                "payment_details": "4242",
                "simulated_state": "done",
            },
            "pay: simulate",
            headers=self.customer,
        )
        if self._poll(reference):
            RUN.settled[customer_id][reference] = time.time()
            # Two tabs paying one balance continue one transaction: count references.
            RUN.paid[customer_id].add(reference)

    def _checkout_answer(self, checkout, customer_id, token, started):
        """Judge the payment step's answer; return what paying needs from it, or None.

        200: the payment step. 303 to the link's page: nothing left to pay, right when
        another payment of this customer was made since this flow loaded the page (the
        page showed a balance). 404: the link was revoked meanwhile."""
        if checkout.status_code == 303:
            location = urllib.parse.urlsplit(checkout.headers.get("Location", ""))
            paid_meanwhile = any(
                done is None or done > started
                for done in RUN.settled[customer_id].values()
            )
            if location.path == f"/pay/{token}" and paid_meanwhile:
                RUN.flows["nothing left to pay"] += 1
                checkout.success()
            elif not paid_meanwhile:
                checkout.failure(
                    f"answered 303 to {location.path or 'nowhere'} with no payment of"
                    " this customer since its page showed a balance"
                )
            else:
                checkout.failure(f"answered 303 to {location.path or 'nowhere'}")
            return None
        if (
            not self.link_answer(checkout, token, started)
            or checkout.status_code != 200
        ):
            return None
        try:
            return parse_checkout(checkout.text)
        except ValueError as error:
            checkout.failure(f"answered 200 with {error}")
            return None

    def _poll(self, reference):
        """Like Odoo's status page: poll until the payment is post-processed, again
        when asked to retry. Whether it was."""
        for _attempt in range(10):
            with self.post("pay: poll", "/payment/status/poll", {}) as poll:
                body = poll.json() if poll.status_code == 200 else {}
                error = body.get("error")
                if poll.status_code == 200 and not error:
                    poll.success()
                    return True
                message = json.dumps((error or {}).get("data", {}).get("message", ""))
                if "retry" not in message:
                    poll.failure(f"answered {poll.status_code} {poll.text[:200]}")
                    return False
                poll.success()
            gevent.sleep(0.5)
        RUN.failures.append(f"payment {reference} not post-processed after 10 polls")
        return False


# === THE CHECKS ===================================================================== #


def check_books(base_url):
    """Every customer: invoiced - paid (tips are invoiced) = balance, no credit (no
    credit notes in this load: a credit is an overpayment), one payment per paid
    transaction; every revoked token answers 404, every current one 200."""
    failures = []
    staff = requests.Session()
    staff.cookies.set("session_id", RUN.staff_session)

    def rpc(model, method, *args, **kwargs):
        body = staff.post(
            f"{base_url}/web/dataset/call_kw",
            json=json_call(
                {"model": model, "method": method, "args": args, "kwargs": kwargs}
            ),
            timeout=TIMEOUT,
        ).json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"].get("message", body["error"]))
        return body["result"]

    ids = list(RUN.tokens)
    invoiced, paid, payments = (collections.Counter() for _ in range(3))
    for invoice in rpc(
        "account.move",
        "search_read",
        [
            ("partner_id", "in", ids),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
        ],
        fields=["partner_id", "amount_total"],
    ):
        invoiced[invoice["partner_id"][0]] += invoice["amount_total"]
    for payment in rpc(
        "account.payment",
        "search_read",
        [("partner_id", "in", ids), ("state", "in", ("in_process", "paid"))],
        fields=["partner_id", "amount"],
    ):
        paid[payment["partner_id"][0]] += payment["amount"]
        payments[payment["partner_id"][0]] += 1
    for partner in rpc("res.partner", "read", ids, ["credit"]):
        pid, balance = partner["id"], partner["credit"]
        if abs(invoiced[pid] - paid[pid] - balance) > 0.005:
            failures.append(
                f"customer {pid}: invoiced {invoiced[pid]:.2f} - paid {paid[pid]:.2f}"
                f" != balance {balance:.2f}"
            )
        if balance < -0.005:
            failures.append(f"customer {pid} overpaid: balance {balance:.2f}")
        if payments[pid] != len(RUN.paid[pid]):
            failures.append(
                f"customer {pid}: {payments[pid]} payments for"
                f" {len(RUN.paid[pid])} paid transactions"
            )
    revoked = random.sample(list(RUN.revoked), min(25, len(RUN.revoked)))
    current = [
        (f"current token of {pid}", token, 200) for pid, token in RUN.tokens.items()
    ]
    for number, (what, token, expected) in enumerate(
        [("revoked token", token, 404) for token in revoked] + current, start=1
    ):
        # One address per revoked token: the guessing limit must not hide the 404.
        address = f"192.0.2.{number}" if expected == 404 else "203.0.113.251"
        status = requests.get(
            f"{base_url}/pay/{token}",
            headers={"X-Forwarded-For": address, "X-Forwarded-Host": "127.0.0.1"},
            timeout=TIMEOUT,
        ).status_code
        if status != expected:
            failures.append(f"{what} answered {status}")
    return failures


@events.test_start.add_listener
def _log_in(environment, **_kwargs):
    """Staff's session, shared by every user: one login (a password hash Odoo makes
    slow on purpose) rather than one per user."""
    response = requests.post(
        f"{environment.host}/web/session/authenticate",
        json=json_call(
            {
                "db": environment.parsed_options.odoo_database,
                "login": "admin",
                "password": "admin",
            }
        ),
        timeout=TIMEOUT,
    )
    # Without it, every staff request fails, and says so.
    if "result" not in response.json():
        RUN.failures.append(f"staff cannot log in as admin: {response.text[:300]}")
    RUN.staff_session = response.cookies.get("session_id")


@events.test_stop.add_listener
def _check(environment, **_kwargs):
    """While Odoo still runs: the books and the tokens, then each check's outcome."""
    stats = environment.runner.stats
    try:
        RUN.failures += check_books(environment.host)
    except (requests.RequestException, RuntimeError, ValueError) as error:
        RUN.failures.append(f"could not check the books: {error!r}")
    server_errors = sum(
        count
        for counter in RUN.statuses.values()
        for status, count in counter.items()
        if isinstance(status, int) and status >= 500
    )
    wrong = stats.total.num_failures + len(environment.runner.exceptions)
    paid = sum(map(len, RUN.paid.values()))
    RUN.outcome = {
        "no 5xx": server_errors == 0,
        "every valid request answered 200, every revoked link 404, every invalid one"
        f" 404 or 429 ({wrong} failures and errors above)": not wrong,
        "books balance, nobody overpaid, one payment per paid transaction, tokens"
        " live or dead as they should": not RUN.failures,
        # A mix with payments that paid nothing has not tested paying.
        f"payments completed ({paid} for {RUN.flows['started']} payment flows)": bool(
            paid or not RUN.flows["started"]
        ),
    }
    if not all(RUN.outcome.values()):
        environment.process_exit_code = 1


@events.quit.add_listener
def _report(**_kwargs):
    """After Locust's tables: the answers by request, the flows and the checks."""
    print("\nanswers by request (status: count)")
    for name, counter in sorted(RUN.statuses.items()):
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(counter.items()))
        print(f"  {name:<44} {answers}")
    flows = RUN.flows
    print(
        f"regenerated links: {len(RUN.revoked)}; payment flows:"
        f" {flows['started']} started, {flows['balance to pay']} with a balance to pay,"
        f" {flows['checkout page']} payment steps, {flows['nothing left to pay']} sent"
        f" back to the page (paid meanwhile), {flows['transaction']} transactions,"
        f" {sum(map(len, RUN.paid.values()))} paid"
    )
    for name, ok in RUN.outcome.items():
        print(f"check: {'PASS' if ok else 'FAIL'} {name}")
    for failure in RUN.failures[:20]:
        print(f"  - {failure}")
