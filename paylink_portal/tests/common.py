# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
import re

from lxml import html

from odoo import Command, fields
from odoo.tools import format_amount

from odoo.addons.account.tests.common import (
    AccountTestInvoicingCommon,
    AccountTestInvoicingHttpCommon,
)


def normalize(text):
    """Collapse white space (including no-break spaces) the way a reader sees it."""
    return re.sub(
        r"\s+", " ", text.replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")
    ).strip()


class PaylinkTestMixin:
    """Customers, invoices and links shared by the model and the HTTP tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.tax_10 = cls.env["account.tax"].create(
            {
                "name": "Tax 10%",
                "amount": 10.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls._create_customer("Ada Customer")

    @classmethod
    def _create_customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, **values}
        )

    @classmethod
    def _post_move(
        cls,
        partner,
        amounts,
        move_type="out_invoice",
        invoice_date=None,
        taxes=None,
        company=None,
        names=None,
    ):
        """Post a customer invoice (or credit note) with one line per amount.

        :param list amounts: The untaxed unit prices of the lines.
        :param list taxes: The taxes of every line; none when not given.
        :param list names: The line descriptions; "Line N" when not given.
        """
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date or fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": names[index] if names else f"Line {index + 1}",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [
                                    Command.set((taxes or cls.env["account.tax"]).ids)
                                ],
                            }
                        )
                        for index, amount in enumerate(amounts)
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount):
        return (
            cls.env["account.payment.register"]
            .with_context(
                active_model="account.move",
                active_ids=invoice.ids,
            )
            .create({"amount": amount})
            ._create_payments()
        )

    @classmethod
    def _generate_link(cls, partner, company=None):
        """Generate (or regenerate) `partner`'s link the way staff do, and return it."""
        company = company or cls.company
        partner.with_company(company).action_paylink_generate()
        return cls.env["paylink.link"].search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
            ]
        )

    def _format(self, amount, currency=None):
        """The amount as the page shows it, in Odoo's formatting for the currency."""
        return normalize(format_amount(self.env, amount, currency or self.currency))


class PaylinkCommon(PaylinkTestMixin, AccountTestInvoicingCommon):
    pass


class PaylinkHttpCommon(PaylinkTestMixin, AccountTestInvoicingHttpCommon):
    """Helpers to open the payment page and its refresh over real HTTP."""

    def _get_page(self, token, expected_status=200):
        response = self.url_open(f"/pay/{token}", allow_redirects=False)
        self.assertEqual(response.status_code, expected_status, response.text[:500])
        return response

    def _get_page_tree(self, link):
        return html.fromstring(self._get_page(link.token).content)

    def _get_summary(self, token, fingerprint=None):
        return self.make_jsonrpc_request(
            f"/pay/{token}/summary", {"fingerprint": fingerprint}
        )

    def _get_payment_form_tree(self, link):
        """The payment form the page fetches once displayed, parsed; None if none is
        sent.
        """
        form_html = self.make_jsonrpc_request(f"/pay/{link.token}/payment_form", {})[
            "html"
        ]
        return form_html and html.fragment_fromstring(form_html, create_parent="div")

    @staticmethod
    def _texts(tree, xpath):
        """The normalized text of each node matching `xpath`."""
        return [normalize(node.text_content()) for node in tree.xpath(xpath)]

    @staticmethod
    def _css(class_name):
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')"


class PaylinkPaymentHttpCommon(PaylinkHttpCommon):
    """The demo provider enabled for the test company, and helpers to pay through a link
    the way the payment form does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo_provider = (
            cls.env["payment.provider"].sudo().search([("code", "=", "demo")], limit=1)
        )
        cls.provider = demo_provider.copy({"company_id": cls.company.id})
        cls.provider.write({"state": "test", "is_published": True})
        cls.payment_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.tip_product = cls.env.ref("paylink_portal.product_tip")

    def _open_page(self, link):
        """Load the page like a browser; return the CSRF token and the fingerprint."""
        page = self._get_page(link.token).text
        csrf_token = re.search(r'csrf_token: "([^"]+)"', page).group(1)
        tree = html.fromstring(page)
        fingerprint = tree.xpath(f"//*[{self._css('o_paylink_summary')}]")[0].get(
            "data-fingerprint"
        )
        return csrf_token, fingerprint

    def _transaction_request(self, token, **params):
        """POST to the link's transaction route; return the HTTP response."""
        response = self.url_open(
            f"/pay/{token}/transaction",
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        return response

    def _transaction_params(self, page_csrf_token, page_fingerprint, **overrides):
        """The parameters the payment form sends, with the page's own choices."""
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method.id,
            "token_id": None,
            "amount": 1.0,  # Whatever the browser says, the server computes the amount.
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/elsewhere",
            "is_validation": False,
            "access_token": None,
            "csrf_token": page_csrf_token,
            "tip_percent": 0,
            "fingerprint": page_fingerprint,
            "save_card": False,
            "sms_consent": False,
            **overrides,
        }

    def _start_payment(self, link, **overrides):
        """Open the page, submit the payment form; return the transaction reference."""
        csrf_token, fingerprint = self._open_page(link)
        response = self._transaction_request(
            link.token, **self._transaction_params(csrf_token, fingerprint, **overrides)
        )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertNotIn("error", body)
        return body["result"]["reference"]

    def _simulate(self, reference, simulated_state="done"):
        """What the demo provider's form does once the customer confirms, then the
        status page's poll, which post-processes the transaction."""
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": reference,
                "payment_details": "4242",
                "simulated_state": simulated_state,
            },
        )
        return self.make_jsonrpc_request("/payment/status/poll")

    def _paylink_transactions(self, link):
        return (
            self.env["payment.transaction"]
            .sudo()
            .search([("paylink_id", "=", link.id)])
        )

    def _assert_refused(self, response, status, message_part):
        self.assertEqual(response.status_code, status, response.text)
        self.assertIn(message_part, response.json()["error"]["message"])
