# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import io
import unittest
from urllib.parse import unquote, urlsplit

import zxingcpp
from PIL import Image
from PyPDF2 import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.paylink_portal.compat import SERIES
from odoo.addons.paylink_portal.tests.common import (
    TEXT_NUMBER,
    PaylinkCommon,
    PaylinkHttpCommon,
    normalize,
)

SPANISH_BODY = (
    "Hola {{ (object.name or '').strip().split(' ')[0] }}, esta es tu cuenta de"
    " {{ object.env.company.name }}: saldo {{ format_amount(object.paylink_balance,"
    " object.env.company.currency_id) }}. Ver y pagar: {{ object.paylink_url }}"
)


@tagged("post_install", "-at_install")
class TestShare(PaylinkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("paylink_portal.sms_template_paylink_share")

    def _message(self, partner):
        """The message Copy Message puts on the clipboard."""
        action = partner.action_paylink_copy_message()
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "paylink_portal.copy_message")
        return action["params"]["message"]

    def _compose_sms(self, partner):
        """The number and the body of the text Compose SMS opens."""
        action = partner.action_paylink_compose_sms()
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "paylink_portal.compose_sms")
        url = urlsplit(action["params"]["url"])
        self.assertEqual(url.scheme, "sms")
        self.assertTrue(url.query.startswith("body="), url.query)
        # Percent-encoded throughout: a "+" would be a space to some phones.
        self.assertNotIn("+", url.query)
        return url.path, unquote(url.query.removeprefix("body="))

    def _expected(self, first_name, amount, link, lang=None):
        return (
            f"Hi {first_name}, here is your {self.company.name} account: balance"
            f" {self._format(amount, lang=lang)}. View and pay: {link.url}"
        )

    def _invoice_html(self, invoice):
        html_bytes, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", invoice.ids
        )
        return html_bytes.decode()

    def _invoice_qr(self, invoice):
        """The links of the invoice's QR codes."""
        return self._decode_qr_blocks(self._invoice_html(invoice))

    # === THE READY MESSAGE === #

    def test_10_message_gives_first_name_company_live_balance_and_link(self):
        invoice = self._post_move(self.customer, [1234.5])
        link = self._generate_link(self.customer)
        message = self._message(self.customer)
        self.assertEqual(message, self._expected("Ada", 1234.5, link))
        self.assertEqual(link._get_account_summary()["balance"], 1234.5)
        self.assertNotIn("\N{NO-BREAK SPACE}", message)

        # The balance is the live one: what the page shows now.
        self._pay(invoice, 234.5)
        self._post_move(self.customer, [50.0])
        self.assertEqual(
            self._message(self.customer), self._expected("Ada", 1050.0, link)
        )
        self.assertEqual(link._get_account_summary()["balance"], 1050.0)

    def test_11_message_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.template.update_field_translations("body", {"es_ES": SPANISH_BODY})
        self._post_move(self.customer, [1234.5])
        link = self._generate_link(self.customer)
        self.customer.lang = "es_ES"
        amount = self._format(1234.5, lang="es_ES")
        self.assertIn("1.234,50", amount)
        self.assertEqual(
            self._message(self.customer),
            f"Hola Ada, esta es tu cuenta de {self.company.name}: saldo {amount}."
            f" Ver y pagar: {link.url}",
        )
        # The staff member's own language changes nothing.
        self.assertEqual(
            self._message(self.customer.with_context(lang="en_US")),
            self._message(self.customer.with_context(lang="es_ES")),
        )
        english = self._create_customer("Bea English", lang="en_US")
        self.assertTrue(
            self._message(english.with_context(lang="es_ES")).startswith("Hi Bea, ")
        )

    def test_12_shipped_translations(self):
        """The module's own Spanish: the message, and the invoice's caption."""
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["paylink_portal"], ["es_ES"], overwrite=True
        )
        invoice = self._post_move(self.customer, [1234.5])
        link = self._generate_link(self.customer)
        self.customer.lang = "es_ES"
        self.assertEqual(
            self._message(self.customer),
            f"Hola Ada, esta es su cuenta de {self.company.name}: saldo"
            f" {self._format(1234.5, lang='es_ES')}. Consúltela y páguela en:"
            f" {link.url}",
        )
        document = normalize(self._invoice_html(invoice))
        self.assertIn("Escanee para ver y pagar su cuenta", document)
        self.assertNotIn("Scan to view", document)

    def test_13_first_name_of_a_contact_and_of_a_nameless_one(self):
        self._post_move(self.customer, [80.0])
        link = self._generate_link(self.customer)
        contact = self.env["res.partner"].create(
            {"name": "  Bob   Contact", "parent_id": self.customer.id}
        )
        # The contact is greeted; the account and the link are the company's.
        self.assertEqual(self._message(contact), self._expected("Bob", 80.0, link))
        nameless = self.env["res.partner"].create(
            {"type": "invoice", "parent_id": self.customer.id}
        )
        self.assertTrue(self._message(nameless).startswith("Hi , here is your "))

    def test_14_the_company_chooses_its_template(self):
        link = self._generate_link(self.customer)
        own = self.env["sms.template"].create(
            {
                "name": "Our ready message",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Pay here: {{ object.paylink_url }}",
            }
        )
        settings = self.env["res.config.settings"].create({})
        settings.paylink_share_sms_template_id = own
        settings.execute()
        self.assertEqual(self.company.paylink_share_sms_template_id, own)
        self.assertEqual(self._message(self.customer), f"Pay here: {link.url}")

    # === THE BUTTONS === #

    def test_20_copy_message_generates_the_link_first(self):
        customer = self._create_customer("Cleo Newcomer")
        self._post_move(customer, [42.0])
        self.assertFalse(customer.paylink_url)
        message = self._message(customer)
        link = self.env["paylink.link"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(link), 1)
        self.assertEqual(message, self._expected("Cleo", 42.0, link))
        self.assertTrue(
            customer.message_ids.filtered(
                lambda m: "Payment link generated" in (m.body or "")
            )
        )
        # Once there is a link, it is kept.
        token = link.token
        self._message(customer)
        self.assertEqual(link.token, token)

    def test_21_compose_sms_opens_the_message_to_the_customers_number(self):
        customer = self._create_customer("Dora Mobile", number="+32 456 00 11 22")
        self._post_move(customer, [10.0])
        number, body = self._compose_sms(customer)
        link = self.env["paylink.link"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(link), 1, "The link is generated first.")
        self.assertEqual(number, "+32456001122")
        self.assertEqual(body, self._expected("Dora", 10.0, link))
        self.assertEqual(body, self._message(customer))

        # A contact is texted at their own number, else at their company's.
        with_own = self.env["res.partner"].create(
            {"name": "Eli Own", "parent_id": customer.id, "phone": "+32 2 555 12 12"}
        )
        self.assertEqual(self._compose_sms(with_own)[0], "+3225551212")
        without = self.env["res.partner"].create(
            {"name": "Fay Shared", "parent_id": customer.id}
        )
        number, body = self._compose_sms(without)
        self.assertEqual(number, "+32456001122")
        self.assertTrue(body.startswith("Hi Fay, "))

    def test_22_compose_sms_without_a_number_is_refused(self):
        customer = self._create_customer("Gus Nonumber")
        with self.assertRaisesRegex(UserError, "Gus Nonumber has no mobile or phone"):
            customer.action_paylink_compose_sms()
        self.assertFalse(
            self.env["paylink.link"].search([("partner_id", "=", customer.id)]),
            "No link is generated for a message that cannot be sent.",
        )

    def test_23_only_billing_users_share_links(self):
        link = self._generate_link(self.customer)
        self.customer[TEXT_NUMBER] = "+32 456 00 11 22"
        newcomer = self._create_customer("Hal Newcomer", number="+32 456 00 11 23")
        internal = new_test_user(self.env, "share_internal", groups="base.group_user")
        billing = new_test_user(
            self.env, "share_billing", groups="account.group_account_invoice"
        )
        for partner in (self.customer, newcomer):
            for method in ("action_paylink_copy_message", "action_paylink_compose_sms"):
                with self.subTest(partner=partner.name, method=method):
                    with self.assertRaises(AccessError):
                        getattr(partner.with_user(internal), method)()
                    with self.assertRaises(AccessError):
                        partner.with_user(internal).read(["paylink_qr_code"])
        self.assertFalse(
            self.env["paylink.link"].search([("partner_id", "=", newcomer.id)])
        )
        self.assertIn(link.url, self._message(self.customer.with_user(billing)))
        self.assertIn(link.url, self._compose_sms(self.customer.with_user(billing))[1])

    # === THE QR CODE ON THE CUSTOMER FORM === #

    def test_30_qr_code_opens_the_live_link(self):
        self.assertFalse(self.customer.paylink_qr_code)
        link = self._generate_link(self.customer)
        self.assertEqual(self._decode_qr(self.customer.paylink_qr_code), [link.url])
        contact = self.env["res.partner"].create(
            {"name": "Ivy Contact", "parent_id": self.customer.id}
        )
        self.assertEqual(self._decode_qr(contact.paylink_qr_code), [link.url])

        old_url = link.url
        self._generate_link(self.customer)
        self.assertNotEqual(link.url, old_url)
        self.assertEqual(self._decode_qr(self.customer.paylink_qr_code), [link.url])
        self.assertEqual(self._decode_qr(contact.paylink_qr_code), [link.url])

    def test_31_qr_code_of_the_current_companys_link(self):
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        link_1 = self._generate_link(self.customer)
        self.assertFalse(self.customer.with_company(company_2).paylink_qr_code)
        link_2 = self._generate_link(self.customer, company=company_2)
        self.assertEqual(
            self._decode_qr(self.customer.with_company(company_2).paylink_qr_code),
            [link_2.url],
        )
        self.assertEqual(
            self._decode_qr(self.customer.with_company(self.company).paylink_qr_code),
            [link_1.url],
        )

    # === THE QR CODE ON INVOICES === #

    def test_40_invoice_shows_the_qr_code_of_the_live_link(self):
        self.assertTrue(self.company.paylink_qr_on_invoices, "On by default.")
        invoice = self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        document = self._invoice_html(invoice)
        self.assertEqual(self._decode_qr_blocks(document), [link.url])
        self.assertIn("Scan to view and pay your account", normalize(document))

        # Regenerated, the invoice carries the new link at once, and nothing of the old.
        old_token = link.token
        self._generate_link(self.customer)
        document = self._invoice_html(invoice)
        self.assertEqual(self._decode_qr_blocks(document), [link.url])
        self.assertNotIn(old_token, document)

    def test_41_no_qr_code_without_a_live_link(self):
        invoice = self._post_move(self.customer, [100.0])
        document = self._invoice_html(invoice)
        self.assertEqual(self._decode_qr_blocks(document), [])
        self.assertNotIn("Scan to view and pay", document)

        link = self._generate_link(self.customer)
        self.assertEqual(self._invoice_qr(invoice), [link.url])
        self.customer.action_archive()
        self.assertFalse(self.env["paylink.link"]._get_link_sudo(link.token))
        self.assertEqual(self._invoice_qr(invoice), [])

    def test_42_no_qr_code_when_the_company_turns_it_off(self):
        invoice = self._post_move(self.customer, [100.0])
        self._generate_link(self.customer)
        settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.paylink_qr_on_invoices)
        settings.paylink_qr_on_invoices = False
        settings.save().execute()
        self.assertFalse(self.company.paylink_qr_on_invoices)
        self.assertEqual(self._invoice_qr(invoice), [])

    def test_43_the_invoice_companys_link_only(self):
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        invoice = self._post_move(self.customer, [100.0])
        self._generate_link(self.customer, company=company_2)
        self.assertEqual(self._invoice_qr(invoice), [])

    def test_44_a_contacts_invoice_shows_the_companys_link(self):
        contact = self.env["res.partner"].create(
            {"name": "Jo Contact", "parent_id": self.customer.id}
        )
        invoice = self._post_move(contact, [100.0])
        link = self._generate_link(self.customer)
        self.assertEqual(self._invoice_qr(invoice), [link.url])

    def test_45_no_qr_code_on_vendor_bills(self):
        link = self._generate_link(self.customer)
        bill = self._post_move(self.customer, [100.0], move_type="in_invoice")
        self.assertEqual(self._invoice_qr(bill), [])
        refund = self._post_move(self.customer, [10.0], move_type="out_refund")
        self.assertEqual(self._invoice_qr(refund), [link.url])

    def test_46_the_block_is_reusable(self):
        """Other documents t-call the block with a URL."""
        link = self._generate_link(self.customer)
        QWeb = self.env["ir.qweb"]
        document = str(
            QWeb._render("paylink_portal.paylink_qr_block", {"url": link.url})
        )
        self.assertEqual(self._decode_qr_blocks(f"<div>{document}</div>"), [link.url])
        self.assertFalse(
            str(QWeb._render("paylink_portal.paylink_qr_block", {"url": False})).strip()
        )


@tagged("post_install", "-at_install")
class TestShareInvoicePdf(PaylinkHttpCommon):
    def test_10_the_printed_invoice_carries_the_code(self):
        """The PDF itself, made by wkhtmltopdf, which loads the report's styles from
        this test's server: its image decodes to the link. (Its text, in the
        report's embedded fonts, does not extract: the HTML tests check it.)"""
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        invoice = self._post_move(self.customer, [100.0])
        link = self._generate_link(self.customer)
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids)
        )
        [page] = PdfReader(io.BytesIO(pdf)).pages
        codes = [
            result.text
            for image in page.images
            for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
        ]
        self.assertEqual(codes, [link.url])

    @unittest.skipIf(SERIES < 19, "Odoo prints a QR code link of its own since 19.0.")
    def test_20_one_qr_code_per_invoice(self):
        """With Odoo's own "QR code link on PDF" on as well (19.0), an invoice prints
        one code: ours, which opens the whole account, when the customer's link is
        live; Odoo's, for this invoice, otherwise. Seen as the customer sees it, on
        Odoo's portal (Odoo's code needs a request to sign its link)."""
        self.company.link_qr_code = True
        invoice = self._post_move(self.customer, [100.0])
        invoice._portal_ensure_token()
        url = invoice.get_portal_url(report_type="html")
        document = self.url_open(url).text
        self.assertEqual(self._decode_qr_blocks(document), [])
        self.assertIn('id="payment_link_qrcode"', document)
        link = self._generate_link(self.customer)
        document = self.url_open(url).text
        self.assertEqual(self._decode_qr_blocks(document), [link.url])
        self.assertNotIn('id="payment_link_qrcode"', document)


@tagged("post_install", "-at_install")
class TestShareTour(PaylinkHttpCommon):
    def test_10_copy_message_in_the_browser(self):
        """Copy Message on a customer without a link, clicked in the web client: see
        static/tests/tours/paylink_share_tour.js."""
        new_test_user(
            self.env,
            "share_tour",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self._post_move(self.customer, [25.0])
        self.start_tour(
            f"/odoo/action-account.res_partner_action_customer/{self.customer.id}",
            "paylink_portal_share",
            login="share_tour",
        )
        link = self.env["paylink.link"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(link), 1, "Copy Message generated the link.")
