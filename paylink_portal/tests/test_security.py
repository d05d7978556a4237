# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
import logging
import threading
from types import SimpleNamespace
from unittest.mock import patch

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.controllers import common as controllers_common
from odoo.addons.paylink_portal.controllers import portal as controllers_portal
from odoo.addons.paylink_portal.tests.common import (
    TEXT_NUMBER,
    PaylinkPaymentHttpCommon,
)
from odoo.addons.paylink_portal.utils import SECURITY_HEADERS


@tagged("post_install", "-at_install")
class TestSecurity(PaylinkPaymentHttpCommon):
    def _assert_security_headers(self, response):
        for header, value in SECURITY_HEADERS.items():
            self.assertEqual(response.headers.get(header), value, header)

    # === LEAKS === #

    @mute_logger("odoo.http")
    def test_10_every_response_carries_the_protective_headers(self):
        self._post_move(self.customer, [50.0])
        link = self._generate_link(self.customer)
        self._assert_security_headers(self._get_page(link.token))
        self._assert_security_headers(self._get_page("A" * 43, expected_status=404))
        self._assert_security_headers(self._jsonrpc(f"/pay/{link.token}/summary"))
        self._assert_security_headers(self._jsonrpc(f"/pay/{'B' * 43}/summary"))
        self._assert_security_headers(
            self._jsonrpc(f"/pay/{link.token}/transaction", {"csrf_token": "x"})
        )
        # Other pages keep Odoo's defaults.
        self.assertNotIn("X-Robots-Tag", self.url_open("/web/login").headers)

    def test_11_the_page_loads_no_third_party_resource(self):
        self._post_move(self.customer, [50.0])
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        urls = tree.xpath("//script/@src | //link/@href | //img/@src | //iframe/@src")
        self.assertTrue(urls)
        for url in urls:
            self.assertFalse(url.startswith(("http:", "https:", "//")), url)

    def test_12_the_token_never_reaches_the_request_log(self):
        token = self._generate_link(self.customer).token
        # By number: Odoo names level 25 "INFO".
        with self.assertLogs("werkzeug", level=logging.INFO) as logs:
            self._get_page(token)
            self.url_open(f"/pay/{token}?confirmation=1")
        output = "\n".join(logs.output)
        self.assertIn('"GET /pay/*** HTTP/1.1" 200', output)
        self.assertIn('"GET /pay/***?confirmation=1 HTTP/1.1" 200', output)
        self.assertNotIn(token, output)
        self.assertNotIn(token[:8], output)

    # === GUESSING === #

    def _set_limit(self, limit):
        self.env["ir.config_parameter"].set_param(
            "paylink_portal.lookup_failure_limit", str(limit)
        )

    def test_20_failed_lookups_are_rate_limited_per_client(self):
        self._set_limit(5)
        self._post_move(self.customer, [50.0])
        link = self._generate_link(self.customer)
        with mute_logger("odoo.http"):
            for attempt in range(5):
                self._get_page(f"{attempt}" * 43, expected_status=404)
            response = self._get_page("Z" * 43, expected_status=429)
            self.assertEqual(response.headers["Retry-After"], "60")
            self._assert_security_headers(response)
            # The 429 says no more than the 404: the same page for every token.
            self.assertEqual(
                response.text, self._get_page("Y" * 43, expected_status=429).text
            )
            self.assertEqual(self._jsonrpc(f"/pay/{'Z' * 43}/summary").status_code, 429)
            checkout = self.url_open(f"/pay/{'Z' * 43}/checkout?tip_percent=0")
            self.assertEqual(checkout.status_code, 429)
        # A valid link is always served, to a blocked client too: the page, its refresh
        # and its payment step.
        self._get_page(link.token)
        self.assertEqual(self._jsonrpc(f"/pay/{link.token}/summary").status_code, 200)
        self._get_checkout(link, tip_percent=20)
        # While blocked, misses are answered but not counted: the block ends with the
        # window of the failures it counted.
        Failure = self.env["paylink.lookup.failure"].sudo()
        self.assertEqual(Failure.search_count([("ip_address", "=", "127.0.0.1")]), 5)
        Failure.search([]).write({"failed_at": "2000-01-01 00:00:00"})
        with mute_logger("odoo.http"):
            self._get_page("Z" * 43, expected_status=404)

    def test_21_failures_are_counted_even_though_the_answer_is_an_error(self):
        Failure = self.env["paylink.lookup.failure"].sudo()
        before = Failure.search_count([])
        with mute_logger("odoo.http"):
            self._get_page("C" * 43, expected_status=404)
            self.assertEqual(self._jsonrpc(f"/pay/{'D' * 43}/summary").status_code, 404)
        self.assertEqual(Failure.search_count([]) - before, 2)

    def test_22_other_clients_are_never_slowed_down(self):
        self._set_limit(5)
        self.env["paylink.lookup.failure"].sudo().create(
            [{"ip_address": "203.0.113.9"}] * 5
        )
        with mute_logger("odoo.http"):
            self._get_page("Q" * 43, expected_status=404)

    def test_23_a_link_regenerated_under_its_readers_is_served_to_them(self):
        """Three readers of a link that staff regenerated: their refreshes of the old
        link fail past the limit, then the new link is served to the same client."""
        self._set_limit(5)
        self._post_move(self.customer, [50.0])
        old_token = self._generate_link(self.customer).token
        link = self._generate_link(self.customer)
        statuses = []
        with mute_logger("odoo.http"):
            for _refresh in range(3):
                for _reader in range(3):
                    statuses.append(
                        self._jsonrpc(f"/pay/{old_token}/summary").status_code
                    )
        self.assertEqual(statuses, [404] * 5 + [429] * 4)
        self.assertIn("Ada Customer", self._get_page(link.token).text)
        self.assertEqual(self._jsonrpc(f"/pay/{link.token}/summary").status_code, 200)
        self._get_checkout(link, tip_percent=18)

    def test_24_the_page_routes_are_read_only(self):
        # The routing map as Odoo's requests use it (built for the thread's database).
        with patch.object(
            threading.current_thread(), "dbname", self.env.cr.dbname, create=True
        ):
            rules = list(self.env["ir.http"].routing_map().iter_rules())
        routing = {
            rule.rule: rule.endpoint.routing["readonly"]
            for rule in rules
            if rule.rule.startswith("/pay/<")
        }
        # The page only reads, but for the landing page after a payment, which must
        # see the payment just made.
        page_readonly = routing.pop("/pay/<string:token>")
        for args, expected in (({}, True), ({"confirmation": "1"}, False)):
            fake_request = SimpleNamespace(httprequest=SimpleNamespace(args=args))
            with patch.object(controllers_portal, "request", fake_request):
                # As each series calls it: 18.0 with the controller, 19.0 with the
                # controller, the rule and the route's arguments.
                self.assertEqual(page_readonly(None), expected, args)
                self.assertEqual(page_readonly(None, None, {}), expected, args)
        self.assertEqual(
            routing,
            {
                "/pay/<string:token>/summary": True,
                "/pay/<string:token>/checkout": True,
                "/pay/<string:token>/transaction": False,
                "/pay/<string:token>/sms_consent": False,
                # The openings' beacon writes: the page stays read-only.
                "/pay/<string:token>/opened": False,
                "/pay/<string:token>/rating": False,
                "/pay/<string:token>/autopay/stop": False,
                "/pay/<string:token>/invoice/<string:document_id>": True,
                # Printing may store the report's style sheets.
                "/pay/<string:token>/invoice/<string:document_id>/pdf": False,
                "/pay/<string:token>/statement": False,
                "/pay/<string:token>/receipt/<string:transaction_id>": False,
            },
        )
        # On a read-only cursor (as on a replica; the tests' cursors are read-only
        # there too), a bad link's failure is recorded on a cursor of its own.
        Failure = self.env["paylink.lookup.failure"].sudo()
        before = Failure.search_count([])
        with mute_logger("odoo.http"):
            self._get_page("R" * 43, expected_status=404)
            self.assertEqual(self._jsonrpc(f"/pay/{'S' * 43}/summary").status_code, 404)
            checkout = self.url_open(f"/pay/{'T' * 43}/checkout?tip_percent=0")
        self.assertEqual(checkout.status_code, 404)
        self.assertEqual(Failure.search_count([]) - before, 3)

    def test_25_a_proxy_without_proxy_mode_is_logged_once(self):
        controllers_common._warn_without_proxy_mode.cache_clear()
        self.addCleanup(controllers_common._warn_without_proxy_mode.cache_clear)
        link = self._generate_link(self.customer)
        headers = {"X-Forwarded-For": "198.51.100.7"}
        with self.assertLogs(controllers_common.__name__, "WARNING") as logs:
            for _request in range(3):
                self.url_open(f"/pay/{link.token}", headers=headers)
                with mute_logger("odoo.http"):
                    self.url_open(f"/pay/{'U' * 43}", headers=headers)
        self.assertEqual(len(logs.output), 1)
        self.assertIn("proxy mode", logs.output[0])

    # === DATA ACCESS BY RPC === #

    def test_30_no_rpc_reaches_tokens_or_other_customers(self):
        link = self._generate_link(self.customer)
        # A number to text: Compose SMS is refused for want of rights, not of a number.
        self.customer[TEXT_NUMBER] = "+32 456 00 11 22"
        self._simulate(self._start_payment_for_new_customer())
        new_test_user(
            self.env, "sec_internal", groups="base.group_user", password="sec_internal1"
        )
        portal = new_test_user(
            self.env, "sec_portal", groups="base.group_portal", password="sec_portal1"
        )
        calls = [
            ("paylink.link", "search_read", [[]], {"fields": ["token"]}),
            ("res.partner", "read", [self.customer.ids, ["paylink_url"]], {}),
            (
                "res.partner",
                "search_read",
                [[("paylink_ids.token", "=", link.token)]],
                {"fields": ["name"]},
            ),
            ("res.partner", "action_paylink_generate", [self.customer.ids], {}),
            (
                "res.partner",
                "read",
                [self.customer.ids, ["paylink_qr_code", "paylink_balance"]],
                {},
            ),
            ("res.partner", "action_paylink_copy_message", [self.customer.ids], {}),
            ("res.partner", "action_paylink_compose_sms", [self.customer.ids], {}),
            ("paylink.sms.consent", "search_read", [[]], {}),
            ("paylink.lookup.failure", "search_read", [[]], {}),
            (
                "payment.transaction",
                "search_read",
                [[("paylink_id", "!=", False)]],
                {"fields": ["paylink_tip_amount"]},
            ),
        ]
        for login in ("sec_internal", "sec_portal", None):
            with self.subTest(login=login):
                if login:
                    self.authenticate(login, f"{login}1")
                else:
                    self.authenticate(None, None)
                for model, method, args, kwargs in calls:
                    with mute_logger("odoo.http"):
                        response = self._jsonrpc(
                            "/web/dataset/call_kw",
                            {
                                "model": model,
                                "method": method,
                                "args": args,
                                "kwargs": kwargs,
                            },
                        ).json()
                    self.assertIn("error", response, f"{login} {model}.{method}")
                    self.assertNotIn(link.token, json.dumps(response))
        # A portal user's session opens no other link than the one whose token it holds.
        self.authenticate("sec_portal", "sec_portal1")
        self.assertNotEqual(portal.partner_id, self.customer)
        with mute_logger("odoo.http"):
            self._get_page(link.token[:-2] + "xx", expected_status=404)

    def _start_payment_for_new_customer(self):
        customer = self._create_customer("Payer For Rpc Test")
        self._post_move(customer, [10.0])
        return self._start_payment(self._generate_link(customer), tip_percent=18)

    # === LIFECYCLE === #

    def test_40_merging_customers_leaves_no_link_on_wrong_data(self):
        merged_away = self._create_customer("Duplicate Ada")
        self._post_move(merged_away, [40.0])
        self._post_move(self.customer, [60.0])
        old_link = self._generate_link(merged_away)
        old_token = old_link.token
        kept_link = self._generate_link(self.customer)
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {
                "partner_ids": [(6, 0, (merged_away | self.customer).ids)],
                "dst_partner_id": self.customer.id,
            }
        )
        wizard.action_merge()
        self.assertFalse(self.env["paylink.link"]._get_link_sudo(old_token))
        tree = self._get_page_tree(kept_link)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [self._format(100.0)],
        )

    def test_41_deleting_a_customer_deletes_its_link(self):
        customer = self._create_customer("Short Lived")
        token = self._generate_link(customer).token
        customer.unlink()
        with mute_logger("odoo.http"):
            self._get_page(token, expected_status=404)

    def test_42_a_customer_restricted_to_another_company_loses_the_link(self):
        company_2 = self.setup_other_company()["company"]
        token = self._generate_link(self.customer).token
        self._get_page(token)
        self.customer.company_id = company_2
        with mute_logger("odoo.http"):
            self._get_page(token, expected_status=404)

    def test_43_a_customer_restricted_to_the_link_company_or_its_parent_keeps_it(self):
        branch = self._create_company(name="Branch Office", parent_id=self.company.id)
        self.env.user.company_ids |= branch
        head_office_token = self._generate_link(self.customer).token
        branch_token = self._generate_link(self.customer, company=branch).token
        self.customer.company_id = self.company
        self._get_page(head_office_token)
        self._get_page(branch_token)
        # Restricted to the branch: no longer a customer of the head office alone.
        self.customer.company_id = branch
        self._get_page(branch_token)
        with mute_logger("odoo.http"):
            self._get_page(head_office_token, expected_status=404)

    def test_44_an_archived_company_link_is_dead(self):
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        token = self._generate_link(self.customer, company=company_2).token
        self._get_page(token)
        company_2.sudo().active = False
        with mute_logger("odoo.http"):
            self._get_page(token, expected_status=404)
