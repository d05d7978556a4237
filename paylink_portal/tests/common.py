# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import base64
import io
import json
import re
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import urlencode

import zxingcpp
from lxml import html
from PIL import Image

from odoo import Command, fields
from odoo.tools import format_amount

from odoo.addons.account.tests.common import (
    AccountTestInvoicingCommon,
    AccountTestInvoicingHttpCommon,
)
from odoo.addons.account_payment.tests.common import AccountPaymentCommon
from odoo.addons.payment.models.payment_transaction import PaymentTransaction

from .compat import TEXT_NUMBER


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
    def _setup_moving_euro(cls):
        """The currency tests' situation (issue 23): the company in USD, EUR at 0.5
        (€1 = $2) until the rate moves today (€1 = $2.50); `today` and `last_month`,
        when the invoices are posted."""
        cls.today = fields.Date.today()
        cls.last_month = cls.today - timedelta(days=30)
        cls.eur = cls.setup_other_currency(
            "EUR", rates=[("1900-01-01", 0.5), (cls.today, 0.4)]
        )

    def _register_payment(self, invoice, amount, currency):
        """Pay `invoice` with Odoo's Register Payment, `amount` in `currency`, today."""
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": currency.id,
                    "payment_date": fields.Date.today(),
                }
            )
            ._create_payments()
        )

    @classmethod
    def _create_term(cls, name, lines=None, **discount):
        """A payment term of `lines` (percent, days after the invoice date; Odoo's
        default line when none); with `discount` (fields of the early-payment
        discount, such as its computation), 2% off within 10 days."""
        return cls.env["account.payment.term"].create(
            {
                "name": name,
                **(
                    {
                        "early_discount": True,
                        "discount_percentage": 2.0,
                        "discount_days": 10,
                        **discount,
                    }
                    if discount
                    else {}
                ),
                **(
                    {
                        "line_ids": [
                            Command.create(
                                {
                                    "value": "percent",
                                    "value_amount": percent,
                                    "delay_type": "days_after",
                                    "nb_days": days,
                                }
                            )
                            for percent, days in lines
                        ]
                    }
                    if lines
                    else {}
                ),
            }
        )

    @classmethod
    def _create_customer(cls, name, number=None, **values):
        """Create a customer (a company), with `number` as the number texts go to
        (`TEXT_NUMBER`) when given."""
        if number:
            values[TEXT_NUMBER] = number
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
        due_date=None,
        currency=None,
        payment_term=None,
    ):
        """Post a customer invoice (or credit note) with one line per amount, in the
        environment of `partner`.

        :param list amounts: The untaxed unit prices of the lines.
        :param date due_date: The due date; without one, Odoo makes it the day the
            move is created.
        :param list taxes: The taxes of every line; none when not given.
        :param list names: The line descriptions; "Line N" when not given.
        :param currency: The invoice's currency; the company's when not given.
        :param payment_term: The invoice's `account.payment.term`, which then makes
            its due dates (give no `due_date`).
        """
        company = company or cls.company
        move = (
            partner.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date or fields.Date.today(),
                    **({"invoice_date_due": due_date} if due_date else {}),
                    **({"currency_id": currency.id} if currency else {}),
                    **(
                        {"invoice_payment_term_id": payment_term.id}
                        if payment_term
                        else {}
                    ),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": names[index] if names else f"Line {index + 1}",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [
                                    Command.set(
                                        (taxes or partner.env["account.tax"]).ids
                                    )
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

    def _decode_qr(self, data_uri):
        """The texts of the QR codes in the PNG image `data_uri`, read by a scanner
        (zxing-cpp): what a phone would open."""
        prefix = "data:image/png;base64,"
        self.assertTrue(data_uri and data_uri.startswith(prefix), str(data_uri)[:40])
        image = Image.open(io.BytesIO(base64.b64decode(data_uri[len(prefix) :])))
        return [
            result.text
            for result in zxingcpp.read_barcodes(image, formats=zxingcpp.QRCode)
        ]

    def _decode_qr_blocks(self, document):
        """The texts of the payment link QR codes (`paylink_portal.paylink_qr_block`)
        of the HTML `document`, one per block: each block must hold one image of one
        readable code."""
        texts = []
        for block in html.fromstring(document).xpath(
            "//*[contains(concat(' ', normalize-space(@class), ' '), ' o_paylink_qr ')]"
        ):
            [src] = block.xpath(".//img/@src")
            [text] = self._decode_qr(src)
            texts.append(text)
        return texts

    def _format(self, amount, currency=None, lang=None):
        """The amount as the page shows it, in Odoo's formatting for the currency (and
        the language `lang`, when given)."""
        return normalize(
            format_amount(self.env, amount, currency or self.currency, lang_code=lang)
        )


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

    def _jsonrpc(self, url, params=None, **url_open_kwargs):
        """POST a JSON-RPC call to `url` the way the page's scripts do; return the raw
        HTTP response, error statuses included (unlike `make_jsonrpc_request`, which
        returns the result and fails on anything but a 200).

        :param dict params: The call's parameters; none when not given.
        :param url_open_kwargs: Passed to `url_open`; `headers` are added to the JSON
            content type.
        """
        headers = {
            "Content-Type": "application/json",
            **url_open_kwargs.pop("headers", {}),
        }
        return self.url_open(
            url,
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params or {}}
            ),
            headers=headers,
            **url_open_kwargs,
        )

    def _get_summary(self, token, fingerprint=None):
        return self.make_jsonrpc_request(
            f"/pay/{token}/summary", {"fingerprint": fingerprint}
        )

    def _open_page(self, link):
        """Load the page like a browser; return the CSRF token and the fingerprint."""
        tree = self._get_page_tree(link)
        page = tree.xpath(f"//*[{self._css('o_paylink_page')}]")[0]
        fingerprint = tree.xpath(f"//*[{self._css('o_paylink_summary')}]")[0].get(
            "data-fingerprint"
        )
        return page.get("data-csrf-token"), fingerprint

    def _get_checkout(self, link, expected_status=200, **params):
        """Open the payment step as the page's "Pay" button does (a GET form)."""
        query = urlencode({"tip_percent": 0, **params})
        response = self.url_open(
            f"/pay/{link.token}/checkout?{query}", allow_redirects=False
        )
        self.assertEqual(response.status_code, expected_status, response.text[:500])
        return response

    def _get_checkout_tree(self, link, **params):
        """The payment step, parsed."""
        return html.fromstring(self._get_checkout(link, **params).content)

    def _tip_totals_of_110(self):
        """The total the page shows for each tip (by percent) of a balance of 110.00."""
        return {
            percent: self._format(total)
            for percent, total in ((0, 110.0), (18, 129.8), (20, 132.0), (25, 137.5))
        }

    @staticmethod
    def _texts(tree, xpath):
        """The normalized text of each node matching `xpath`."""
        return [normalize(node.text_content()) for node in tree.xpath(xpath)]

    @classmethod
    def _texts_by_class(cls, tree, class_name, relative=False):
        """The normalized text of each node of the document with the class
        `class_name`; with `relative`, of each such descendant of `tree` only."""
        axis = ".//" if relative else "//"
        return cls._texts(tree, f"{axis}*[{cls._css(class_name)}]")

    @staticmethod
    def _css(class_name):
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')"


class PaylinkPaymentHttpCommon(PaylinkHttpCommon, AccountPaymentCommon):
    """Odoo's dummy payment provider (code 'none', `payment/tests/common.py`) with its
    journal (`account_payment/tests/common.py`), as Odoo's own payment tests have it,
    and helpers to pay through a link the way the payment form does.

    No payment module is needed: the tests answer for the provider (`_simulate`).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # PaymentCommon's `provider` and `payment_method`: the dummy provider, in test
        # mode and published, and its "unknown" payment method.
        cls.tip_product = cls.env.ref("paylink_portal.product_tip")

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
        response = self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(csrf_token, fingerprint, **overrides),
        )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertNotIn("error", body)
        return body["result"]["reference"]

    def _simulate(self, reference, simulated_state="done", poll=True):
        """What the provider does once the customer confirms, then the status page's
        poll, which post-processes the transaction.

        :param str simulated_state: The provider's answer: 'done', 'pending', 'cancel'
            or 'error'.
        :param bool poll: Whether the status page polls; without it, the payment is
            made at the provider and not yet post-processed.
        """
        self._answer_as_provider(self._get_tx(reference), simulated_state)
        if poll:
            return self.make_jsonrpc_request("/payment/status/poll")
        return None

    def _answer_as_provider(self, tx, state):
        """Set `tx` in `state` the way a provider's notification does, as Odoo's
        payment tests do for the dummy provider, which answers nothing itself; a
        payment that asked to save the card saves it, as the provider does."""
        if state == "done" and tx.tokenize and not tx.token_id:
            tx.token_id = self._create_token(
                partner_id=tx.partner_id.id, payment_details="4242"
            )
        {
            "done": tx._set_done,
            "pending": tx._set_pending,
            "cancel": tx._set_canceled,
            "error": lambda: tx._set_error("The card was declined."),
        }[state]()

    def _paylink_transactions(self, link):
        return (
            self.env["payment.transaction"]
            .sudo()
            .search([("paylink_id", "=", link.id)])
        )

    def _assert_refused(self, response, status, message_part):
        self.assertEqual(response.status_code, status, response.text)
        self.assertIn(message_part, response.json()["error"]["message"])


class PaylinkAutopayCommon(PaylinkPaymentHttpCommon):
    """A customer who owes 50.00 with a link, the company's autopay on at 100.00, and
    the provider's answer to the cron's charges of the saved card (`card_answer`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"paylink_autopay_enabled": True, "paylink_autopay_threshold": 100.0}
        )
        cls.provider.allow_tokenization = True
        cls.payer = cls._create_customer("Otto Autopay", email="otto@example.com")
        cls._post_move(cls.payer, [50.0])
        cls.link = cls._generate_link(cls.payer)

    def setUp(self):
        super().setUp()
        # The provider's answer to the cron's charges of the saved card.
        self.card_answer = "done"
        send_payment_request = PaymentTransaction._send_payment_request

        def answer_as_provider(tx):
            send_payment_request(tx)
            self._answer_as_provider(tx, self.card_answer)

        # Where a provider charges a token (payment/tests/test_flows.py patches it).
        self.startPatcher(
            patch.object(
                PaymentTransaction, "_send_payment_request", answer_as_provider
            )
        )

    def _run_cron(self):
        self.env.ref("paylink_portal.ir_cron_paylink_autopay").method_direct_trigger()
        self.env.invalidate_all()

    def _charges(self):
        return self._paylink_transactions(self.link).filtered(
            lambda tx: tx.operation == "offline"
        )

    def _autopay(self):
        return self.env["paylink.autopay"].search([("link_id", "=", self.link.id)])

    def _agree(self):
        """Pay the balance, saving the card and agreeing to autopay."""
        reference = self._start_payment(
            self.link, save_card=True, autopay=True, tokenization_requested=True
        )
        self._simulate(reference)
        self.env.invalidate_all()
        return self._autopay()
