# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re
from datetime import date

import polib
from lxml import html

from odoo.tests import tagged
from odoo.tools import file_path, format_amount, format_date

from odoo.addons.paylink_portal.tests.common import (
    TEXT_NUMBER,
    PaylinkHttpCommon,
    normalize,
)

# What must survive translation unchanged: named and positional placeholders,
# QWeb/inline template expressions and HTML tags.
PLACEHOLDER_RE = re.compile(r"%\(\w+\)s|%%|%s|\{\{.*?\}\}|<[^>]*>", re.DOTALL)


@tagged("post_install", "-at_install")
class TestI18n(PaylinkHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("es_ES", "fr_FR"):
            cls.env["res.lang"]._activate_lang(lang)
        # Load the module's translations of views, fields and data; the code terms (`_`,
        # `_lt`) are read from the same .po files on demand.
        cls.env["ir.module.module"]._load_module_terms(
            ["paylink_portal"],
            ["es_ES", "fr_FR"],
            overwrite=True,
        )
        cls.invoice_date = date(2025, 11, 17)  # Day after the 12th: day-first shows.

    def _open_outstanding_page(self, lang, amount=1234.5):
        self.customer.lang = lang
        self._post_move(self.customer, [amount], invoice_date=self.invoice_date)
        link = self._generate_link(self.customer)
        return self._get_page_tree(link)

    # === TRANSLATION FILES === #

    def test_01_po_files_translate_every_term_of_the_template(self):
        pot = polib.pofile(file_path("paylink_portal/i18n/paylink_portal.pot"))
        pot_msgids = {entry.msgid for entry in pot}
        self.assertTrue(pot_msgids)
        for code, language in (("es", "es"), ("fr", "fr")):
            po = polib.pofile(file_path(f"paylink_portal/i18n/{code}.po"))
            self.assertEqual(po.metadata.get("Language"), language)
            self.assertIn("charset=UTF-8", po.metadata.get("Content-Type", ""))
            self.assertEqual(
                {entry.msgid for entry in po},
                pot_msgids,
                f"{code}.po is not up to date",
            )
            for entry in po:
                self.assertTrue(
                    entry.msgstr.strip(),
                    f"{code}.po: no translation for {entry.msgid!r}",
                )
                self.assertFalse(
                    entry.fuzzy, f"{code}.po: fuzzy translation for {entry.msgid!r}"
                )
                self.assertEqual(
                    sorted(PLACEHOLDER_RE.findall(entry.msgstr)),
                    sorted(PLACEHOLDER_RE.findall(entry.msgid)),
                    f"{code}.po: placeholders or tags differ for {entry.msgid!r}",
                )

    # === THE PAGE IN THE CUSTOMER'S LANGUAGE === #

    def test_10_page_in_spanish(self):
        tree = self._open_outstanding_page("es_ES")

        # The texts are the Spanish ones, in the templates and in the code.
        self.assertIn(
            "Importe pendiente",
            self._texts(tree, f"//*[{self._css('o_paylink_outstanding')}]/p"),
        )
        self.assertEqual(
            self._texts(tree, f"//*[{self._css('o_paylink_recent_charges')}]/summary"),
            ["Ver cargos recientes"],
        )
        self.assertIn(
            "Consentimiento SMS: acepto recibir recordatorios de pago automáticos"
            " por mensaje de texto",
            self._texts(tree, "//label[@for='o_paylink_sms_consent']"),
        )
        self.assertIn(
            "Guardar la tarjeta para futuros pagos", self._texts(tree, "//label")
        )
        page_text = normalize(tree.text_content())
        self.assertIn("Cuenta de Ada Customer", page_text)
        self.assertIn("Añadir una propina", page_text)
        for english in (
            "Amount due",
            "View recent charges",
            "SMS consent",
            "Account of",
        ):
            self.assertNotIn(english, page_text)

        # Amounts are formatted the Spanish way: '.' for thousands, ',' for decimals.
        expected_amount = normalize(
            format_amount(self.env, 1234.5, self.currency, lang_code="es_ES")
        )
        self.assertIn("1.234,50", expected_amount)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"), [expected_amount]
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_amount"), [expected_amount]
        )
        self.assertIn(
            "1.234,50", self._texts_by_class(tree, "o_paylink_balance_amount")[0]
        )

        # The line's date is formatted for es_ES, day first.
        expected_date = format_date(self.env, self.invoice_date, lang_code="es_ES")
        self.assertNotEqual(
            expected_date, format_date(self.env, self.invoice_date, lang_code="en_US")
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_date"), [expected_date]
        )
        self.assertEqual(expected_date, "17/11/2025")

        # The tips, the "Pay" button and the payment step are in Spanish too.
        self.assertEqual(
            self._texts(tree, "//label[starts-with(@for, 'o_paylink_tip_')]")[1],
            "18% de propina "
            + normalize(
                format_amount(self.env, 222.21, self.currency, lang_code="es_ES")
            ),
        )
        [pay_button] = self._texts_by_class(tree, "o_paylink_pay_button")
        self.assertTrue(pay_button.startswith("Pagar "), pay_button)
        link = self.env["paylink.link"].search([("partner_id", "=", self.customer.id)])
        checkout_text = normalize(
            self._get_checkout_tree(link, tip_percent=18).text_content()
        )
        for spanish in ("Total a pagar", "Cambiar la propina", "Importe pendiente"):
            self.assertIn(spanish, checkout_text)
        self.assertNotIn("Total to pay", checkout_text)

    def test_11_page_in_french(self):
        tree = self._open_outstanding_page("fr_FR")
        self.assertIn(
            "Montant dû",
            self._texts(tree, f"//*[{self._css('o_paylink_outstanding')}]/p"),
        )
        self.assertEqual(
            self._texts(tree, f"//*[{self._css('o_paylink_recent_charges')}]/summary"),
            ["Voir les derniers frais"],
        )
        self.assertIn(
            "Consentement SMS : j'accepte de recevoir des rappels de paiement"
            " automatiques par SMS",
            self._texts(tree, "//label[@for='o_paylink_sms_consent']"),
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [
                normalize(
                    format_amount(self.env, 1234.5, self.currency, lang_code="fr_FR")
                )
            ],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_line_date"),
            [format_date(self.env, self.invoice_date, lang_code="fr_FR")],
        )

    def test_12_page_in_english(self):
        """Other languages being installed change nothing for an English speaker."""
        tree = self._open_outstanding_page("en_US")
        self.assertIn(
            "Amount due",
            self._texts(tree, f"//*[{self._css('o_paylink_outstanding')}]/p"),
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_balance_amount"),
            [
                normalize(
                    format_amount(self.env, 1234.5, self.currency, lang_code="en_US")
                )
            ],
        )

    def test_13_refresh_and_recorded_consent_in_the_customers_language(self):
        """The JSON routes switch to the customer's language like the page does."""
        self.customer.write({"lang": "es_ES", TEXT_NUMBER: "+32 456 00 11 22"})
        self._post_move(self.customer, [100.0], invoice_date=self.invoice_date)
        link = self._generate_link(self.customer)
        csrf_token, _fingerprint = self._open_page(link)

        refresh = self._get_summary(link.token, "stale")
        summary = html.fromstring(f"<div>{refresh['html']}</div>")
        self.assertEqual(
            self._texts(
                summary, f"//details[{self._css('o_paylink_recent_charges')}]/summary"
            ),
            ["Ver cargos recientes"],
        )

        self.make_jsonrpc_request(
            f"/pay/{link.token}/sms_consent",
            {"consent": True, "csrf_token": csrf_token},
        )
        consent = self.env["paylink.sms.consent"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            consent.consent_text,
            "Consentimiento SMS: acepto recibir recordatorios de pago automáticos"
            " por mensaje de texto",
        )

    def test_30_open_invoices_and_part_payment_in_french(self):
        self.customer.lang = "fr_FR"
        self._post_move(
            self.customer,
            [100.0],
            invoice_date=self.invoice_date,
            due_date=self.invoice_date,
        )
        link = self._generate_link(self.customer)
        tree = self._get_page_tree(link)
        self.assertEqual(
            self._texts(tree, "//h2[@id='o_paylink_documents_title']"),
            ["Factures ouvertes"],
        )
        self.assertEqual(
            self._texts(tree, f"//details[{self._css('o_paylink_part')}]/summary"),
            ["Payer un autre montant"],
        )
        self.assertIn("En retard", self._texts_by_class(tree, "o_paylink_overdue"))
        checkout = self._get_checkout_tree(link, amount="40", tip_percent=0)
        [invoice] = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            self._texts_by_class(checkout, "o_paylink_allocation"),
            [f"Règle {self._format(40.0, lang='fr_FR')} de {invoice.name}."],
        )
        page = self._get_checkout(link, expected_status=400, amount="1000")
        self.assertIn("Veuillez saisir un montant de", normalize(page.text))
