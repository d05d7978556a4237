# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A bounded, deterministic property-based pass over every parameter of every
public route: whatever a client sends, the route answers what its contract says (never
a 5xx) and a refused request writes nothing."""

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.models.paylink_link import TIP_PERCENTAGES
from odoo.addons.paylink_portal.tests.common import (
    TEXT_NUMBER,
    PaylinkPaymentHttpCommon,
)
from odoo.addons.payment.controllers.portal import PaymentPortal

FUZZ_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Malformed, oversized, unicode, negative and NaN values, and wrong types.
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet="\u202e\u0000\U0001f4b8é漢\n", min_size=1, max_size=20),
    st.just("x" * 20000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@tagged("post_install", "-at_install")
class TestFuzzRoutes(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "paylink_portal.lookup_failure_limit", "1000000"
        )
        cls.customer[TEXT_NUMBER] = "+32 456 00 11 22"
        cls._post_move(cls.customer, [100.0])
        cls.link = cls._generate_link(cls.customer)

    def _written(self):
        return (
            self.env["payment.transaction"]
            .sudo()
            .search_count([("paylink_id", "=", self.link.id)]),
            self.env["paylink.sms.consent"]
            .sudo()
            .search_count([("partner_id", "=", self.customer.id)]),
        )

    def _consent_state(self):
        Consent = self.env["paylink.sms.consent"].sudo()
        return (
            Consent._get_current_by_partner(self.customer)[self.customer].state
            or "none"
        )

    def _expected_transaction_status(self, field, value):
        """What the transaction route answers when only `field` is `value` and the rest
        is what the payment form sends: 200 (and a transaction), 400 for a value it
        refuses, 409 for figures the customer did not confirm."""
        if field == "fingerprint":
            return 409  # Not the fingerprint of the page the customer confirmed.
        as_int = PaymentPortal._cast_as_int(value)
        accepted = {
            # A whole number (or its digits) among the options: no float, no boolean.
            "tip_percent": isinstance(value, (int, str))
            and not isinstance(value, bool)
            and as_int in TIP_PERCENTAGES,
            "save_card": isinstance(value, bool),
            "sms_consent": isinstance(value, bool),
            # Only what is offered to the link's customer: the test's provider and its
            # method, no saved card (the company allows none), no token flow.
            "provider_id": as_int == self.provider.id,
            "payment_method_id": as_int == self.payment_method.id,
            "token_id": not as_int,
            "flow": value in ("direct", "redirect"),
            "is_validation": not value,  # A link can only be used to pay.
            # Computed by the server whatever the browser sends, or unused.
            "amount": True,
            "tokenization_requested": True,
            "landing_route": True,
            "access_token": True,
            # Never the page's CSRF token; not a whitelisted parameter.
            "csrf_token": False,
            "unexpected": False,
        }[field]
        return 200 if accepted else 400

    @FUZZ_SETTINGS
    @given(token=st.one_of(st.text(max_size=200), st.just("A" * 10000)))
    @mute_logger("odoo.http")
    def test_10_page_token(self, token):
        # Dot segments are resolved by the client: they never reach the route.
        assume(token not in (".", ".."))
        response = self.url_open(f"/pay/{quote(token, safe='')}", allow_redirects=False)
        # Only the real token opens the page; anything else is not a link.
        expected = 200 if token == self.link.token else 404
        self.assertEqual(response.status_code, expected, response.text[:300])

    @FUZZ_SETTINGS
    @given(
        params=st.dictionaries(
            st.sampled_from(
                ["confirmation", "tip", "tip_percent", "amount", "debug", "lang"]
            ),
            st.text(max_size=50),
            max_size=4,
        )
    )
    @mute_logger("odoo.http")
    def test_11_page_query_string(self, params):
        query = "&".join(
            f"{quote(key)}={quote(value, safe='')}" for key, value in params.items()
        )
        response = self.url_open(
            f"/pay/{self.link.token}?{query}", allow_redirects=False
        )
        # Tolerated, like the tracking parameters of messaging apps: the page is served.
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("Ada Customer", response.text)

    @FUZZ_SETTINGS
    @given(fingerprint=junk, extra=st.one_of(st.none(), junk))
    @mute_logger("odoo.http")
    def test_20_summary(self, fingerprint, extra):
        params = {"fingerprint": fingerprint}
        if extra is not None:
            params["extra"] = extra
        response = self._jsonrpc(f"/pay/{self.link.token}/summary", params)
        valid = isinstance(fingerprint, (str, type(None))) and extra is None
        self.assertEqual(
            response.status_code, 200 if valid else 400, response.text[:300]
        )

    @FUZZ_SETTINGS
    @given(tip_percent=junk, extra=st.one_of(st.none(), junk))
    @mute_logger("odoo.http")
    def test_25_payment_step(self, tip_percent, extra):
        params = {"tip_percent": tip_percent if isinstance(tip_percent, str) else ""}
        if isinstance(extra, str):
            params["extra"] = extra
        response = self.url_open(
            f"/pay/{self.link.token}/checkout?{urlencode(params)}",
            allow_redirects=False,
        )
        if params["tip_percent"].strip() in ("0", "18", "20", "25"):
            # Tolerated extra parameters, as on the page.
            self.assertEqual(response.status_code, 200, response.text[:300])
            self.assertIn('id="o_payment_form"', response.text)
        else:
            # Not one of the options: back to the page to choose again.
            self.assertEqual(response.status_code, 303, response.text[:300])
            self.assertTrue(
                response.headers["Location"].endswith(f"/pay/{self.link.token}")
            )

    @FUZZ_SETTINGS
    @given(
        field=st.sampled_from(
            [
                "tip_percent",
                "fingerprint",
                "save_card",
                "sms_consent",
                "provider_id",
                "payment_method_id",
                "token_id",
                "amount",
                "flow",
                "tokenization_requested",
                "landing_route",
                "is_validation",
                "access_token",
                "csrf_token",
                "unexpected",
            ]
        ),
        value=junk,
    )
    # Accepted values, and the answers random ones seldom reach.
    @example(field="tip_percent", value=20)
    @example(field="tip_percent", value="18")
    @example(field="sms_consent", value=True)
    @example(field="flow", value="redirect")
    @example(field="fingerprint", value="stale")
    @example(field="csrf_token", value="forged")
    @mute_logger("odoo.http")
    def test_30_transaction(self, field, value):
        csrf_token, fingerprint = self._open_page(self.link)
        before = self._written()
        params = self._transaction_params(csrf_token, fingerprint, **{field: value})
        response = self._jsonrpc(f"/pay/{self.link.token}/transaction", params)
        self.assertEqual(
            response.status_code,
            self._expected_transaction_status(field, value),
            response.text[:300],
        )
        if response.status_code == 200:
            self.assertTrue(response.json()["result"]["reference"])
            self.assertEqual(self._written()[0], before[0] + 1, "One transaction.")
        else:
            self.assertEqual(
                self._written(), before, "A refused request writes nothing."
            )
            self.assertIn("message", response.json()["error"])
        # Cancel what a valid request created, so that the next example starts afresh.
        self.env["payment.transaction"].sudo().search(
            [("paylink_id", "=", self.link.id)]
        )._set_canceled()

    @FUZZ_SETTINGS
    @given(consent=junk, extra=st.one_of(st.none(), junk))
    # Accepted requests, which random ones seldom are: a consent, again, withdrawn.
    @example(consent=True, extra=None)
    @example(consent=True, extra=None)
    @example(consent=False, extra=None)
    @mute_logger("odoo.http")
    def test_40_sms_consent(self, consent, extra):
        csrf_token, _fingerprint = self._open_page(self.link)
        before = self._written()
        state_before = self._consent_state()
        params = {"consent": consent, "csrf_token": csrf_token}
        if extra is not None:
            params["extra"] = extra
        response = self._jsonrpc(f"/pay/{self.link.token}/sms_consent", params)
        if not isinstance(consent, bool) or extra is not None:
            self.assertEqual(response.status_code, 400, response.text[:300])
            self.assertEqual(
                self._written(), before, "A refused request writes nothing."
            )
            return
        # Ticking records a consent, unticking a given one a withdrawal; else nothing.
        if consent:
            state = "given"
        else:
            state = "withdrawn" if state_before == "given" else state_before
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.json()["result"], {"state": state})
        self.assertEqual(
            self._written()[1],
            before[1] + (state != state_before),
            "One record each change.",
        )
