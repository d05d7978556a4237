# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's documents on the link: an invoice's breakdown and its PDF, the
statement of account and the receipt of a payment, each for the link's customer only."""

import io
import re
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from lxml import html

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_actions_report import IrActionsReport
from odoo.addons.paylink_portal.controllers.documents import INVOICE_REPORT
from odoo.addons.paylink_portal.report.paylink_statement import STATEMENT_REPORT
from odoo.addons.paylink_portal.tests.common import (
    PaylinkPaymentHttpCommon,
    normalize,
)


@tagged("post_install", "-at_install")
class TestPayDocuments(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(
            cls.env["paylink.ledger"].with_context(tz=cls.company.partner_id.tz)
        )
        cls.debtor = cls._create_customer("Dora Documents")
        # 110.00 (10% tax) long overdue, 40.00 of it paid today; a credit note of 20.00;
        # 50.00 not yet due: 100.00 due in all.
        cls.inv_old = cls._post_move(
            cls.debtor,
            [60.0, 40.0],
            names=["Spring service", "Spare parts"],
            taxes=cls.tax_10,
            invoice_date=cls.today - timedelta(days=100),
            due_date=cls.today - timedelta(days=95),
        )
        cls.payment = cls._pay(cls.inv_old, 40.0)
        cls.refund = cls._post_move(
            cls.debtor,
            [20.0],
            move_type="out_refund",
            names=["Goodwill credit"],
            invoice_date=cls.today - timedelta(days=50),
            due_date=cls.today - timedelta(days=50),
        )
        cls.inv_new = cls._post_move(
            cls.debtor,
            [50.0],
            invoice_date=cls.today - timedelta(days=10),
            due_date=cls.today + timedelta(days=20),
        )
        cls.link = cls._generate_link(cls.debtor)
        cls.company.partner_id.write(
            {
                "street": "12 Quay Street",
                "city": "Harbourtown",
                "zip": "40210",
                "phone": "+1 555-0142",
                "email": "accounts@quay.example.com",
                "vat": "QS-77-1234567",
                "company_registry": "RC 2026-0042",
            }
        )

    def _get(self, path, expected_status=200):
        response = self.url_open(path, allow_redirects=False)
        self.assertEqual(response.status_code, expected_status, response.text[:500])
        return response

    def _not_found_text(self):
        with mute_logger("odoo.http"):
            return normalize(
                html.fromstring(
                    self._get("/pay/not-a-token", 404).content
                ).text_content()
            )

    def _assert_names_its_sender(self, text):
        """`text` names the company as the documents' sender block does, white space
        aside: a PDF's text extraction spaces words by where they are drawn."""
        company = self.company
        text = re.sub(r"\s", "", text)
        for part in (
            company.name,
            "12 Quay Street",
            "Harbourtown",
            "40210",
            "+1 555-0142",
            "accounts@quay.example.com",
            f"{company.country_id.vat_label or 'VAT'}: QS-77-1234567",
            f"{company.partner_id.company_registry_label}: RC 2026-0042",
        ):
            self.assertIn(re.sub(r"\s", "", part), text)

    def _pay_statement(self, partner, invoice_date, paid_date, amount=100.0):
        invoice = self._post_move(partner, [amount], invoice_date=invoice_date)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": paid_date})._create_payments()
        return invoice

    # === THE BREAKDOWN === #

    def test_10_the_page_links_each_open_invoice_to_its_breakdown(self):
        tree = self._get_page_tree(self.link)
        hrefs = tree.xpath(f"//a[{self._css('o_paylink_document_name')}]/@href")
        self.assertEqual(
            hrefs,
            [
                f"/pay/{self.link.token}/invoice/{move.id}"
                for move in (self.inv_old, self.refund, self.inv_new)
            ],
        )

    def test_11_the_breakdown_shows_lines_totals_payments_and_due(self):
        tree = html.fromstring(
            self._get(f"/pay/{self.link.token}/invoice/{self.inv_old.id}").content
        )
        text = normalize(tree.text_content())
        self.assertIn(f"Invoice {self.inv_old.name}", text)
        self.assertIn(self.company.name, text)
        lines = self._texts_by_class(tree, "o_paylink_invoice_line")
        self.assertEqual(len(lines), 2)
        self.assertIn("Spring service", lines[0])
        self.assertIn(self._format(60.0), lines[0])
        self.assertIn("Tax 10%", lines[0])
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_invoice_subtotal"),
            [self._format(60.0), self._format(40.0)],
        )
        # The totals are Odoo's own (account.document_tax_totals): each row's label
        # and amount.
        self.assertEqual(
            self._texts_by_class(tree, "o_subtotal"),
            [f"Untaxed Amount {self._format(100.0)}"],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_taxes"),
            [f"{self.tax_10.tax_group_id.name} {self._format(10.0)}"],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_total"), [f"Total {self._format(110.0)}"]
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_invoice_payment"),
            [self._format(-40.0)],
        )
        self.assertIn(
            self.payment.name,
            self._texts_by_class(tree, "o_paylink_invoice_payment_label")[0],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_invoice_residual"),
            [self._format(70.0)],
        )
        self.assertEqual(
            tree.xpath(f"//a[{self._css('o_paylink_invoice_pdf')}]/@href"),
            [f"/pay/{self.link.token}/invoice/{self.inv_old.id}/pdf"],
        )
        # A credit note opens as one, with what is left of it.
        tree = html.fromstring(
            self._get(f"/pay/{self.link.token}/invoice/{self.refund.id}").content
        )
        self.assertIn(f"Credit note {self.refund.name}", normalize(tree.text_content()))
        self.assertIn("Credit left", normalize(tree.text_content()))

    def test_12_the_pdf_is_odoos_invoice_report(self):
        response = self._get(f"/pay/{self.link.token}/invoice/{self.inv_old.id}/pdf")
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(
            self.inv_old._get_invoice_report_filename(),
            response.headers["Content-Disposition"],
        )
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        # In tests, Odoo's report engine gives the report's HTML, not wkhtmltopdf's PDF
        # (test_40 prints a real one): it is the invoice's.
        self.assertIn(self.inv_old.name, response.text)
        self.assertIn("Spring service", response.text)

    def test_13_every_other_id_is_the_same_404_as_a_bad_link(self):
        not_found = self._not_found_text()
        other = self._create_customer("Someone Else")
        foreign = self._post_move(other, [10.0])
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.debtor.id}
        )
        company_2 = self.setup_other_company(name="Other Company")["company"]
        self.env.user.company_ids |= company_2
        other_company = self._post_move(self.debtor, [5.0], company=company_2)
        payment_move = self.payment.move_id
        token = self.link.token
        paths = [
            f"/pay/{token}/invoice/{foreign.id}",
            f"/pay/{token}/invoice/{draft.id}",
            f"/pay/{token}/invoice/{other_company.id}",
            f"/pay/{token}/invoice/{payment_move.id}",
            f"/pay/{token}/invoice/{foreign.id + 1000}",
            f"/pay/{token}/invoice/abc",
            f"/pay/{token}/invoice/-1",
            f"/pay/{token}/invoice/{foreign.id}/pdf",
            f"/pay/{token}/invoice/{draft.id}/pdf",
            f"/pay/{token}/invoice/{other_company.id}/pdf",
            f"/pay/{token[:-1]}x/invoice/{self.inv_old.id}",
            f"/pay/{token[:-1]}x/invoice/{self.inv_old.id}/pdf",
            f"/pay/{token[:-1]}x/statement",
        ]
        with mute_logger("odoo.http"):
            for path in paths:
                with self.subTest(path=path):
                    response = self._get(path, 404)
                    self.assertEqual(
                        normalize(html.fromstring(response.content).text_content()),
                        not_found,
                    )
                    self.assertNotIn(foreign.name, response.text)

    def test_14_the_breakdown_names_its_sender(self):
        tree = html.fromstring(
            self._get(f"/pay/{self.link.token}/invoice/{self.inv_old.id}").content
        )
        senders = self._texts_by_class(tree, "o_paylink_sender")
        self.assertEqual(len(senders), 1)
        self._assert_names_its_sender(senders[0])

    # === THE STATEMENT === #

    def test_20_the_statement_since_the_account_was_opened(self):
        statement = self.env["paylink.ledger"]._get_statement(self.debtor, self.company)
        self.assertEqual(statement["date_from"], self.today - timedelta(days=100))
        self.assertEqual(statement["date_to"], self.today)
        self.assertEqual(statement["opening"], 0.0)
        self.assertEqual(
            [
                (e["name"], e["kind"], e["amount"], e["balance"])
                for e in statement["entries"]
            ],
            [
                (self.inv_old.name, "invoice", 110.0, 110.0),
                (self.refund.name, "refund", -20.0, 90.0),
                (self.inv_new.name, "invoice", 50.0, 140.0),
                (self.payment.move_id.name, "payment", -40.0, 100.0),
            ],
        )
        self.assertEqual(statement["closing"], 100.0)
        self.assertEqual(
            statement["closing"], self.link._get_account_summary()["balance"]
        )
        self.assertEqual(
            [(bucket["key"], bucket["amount"]) for bucket in statement["ageing"]],
            [
                ("current", 50.0),
                ("1_30", 0.0),
                ("31_60", -20.0),
                ("61_90", 0.0),
                ("over_90", 70.0),
            ],
        )
        self.assertEqual(statement["ageing_total"], 100.0)
        # In the company currency alone: one section, the statement's own figures.
        [section] = statement["sections"]
        self.assertEqual(section["currency"], self.currency)
        for key, value in section.items():
            self.assertEqual(statement[key], value, key)

    def test_21_the_statement_route_prints_those_figures(self):
        response = self._get(f"/pay/{self.link.token}/statement")
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("Statement", response.headers["Content-Disposition"])
        tree = html.fromstring(response.content)
        opening = self._texts_by_class(tree, "o_paylink_statement_opening")[0]
        self.assertIn("Opening balance", opening)
        self.assertIn(self._format(0.0), opening)
        entries = self._texts_by_class(tree, "o_paylink_statement_entry")
        self.assertEqual(len(entries), 4)
        self.assertIn(self.inv_old.name, entries[0])
        self.assertIn("Invoice", entries[0])
        self.assertIn("Credit note", entries[1])
        self.assertIn("Payment", entries[3])
        self.assertTrue(entries[3].endswith(self._format(100.0)), entries[3])
        closing = self._texts_by_class(tree, "o_paylink_statement_closing")[0]
        self.assertIn(self._format(100.0), closing)
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_ageing_over_90"), [self._format(70.0)]
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_ageing_31_60"), [self._format(-20.0)]
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_ageing_total"), [self._format(100.0)]
        )
        # One section, not named after its currency.
        self.assertEqual(
            len(self._texts_by_class(tree, "o_paylink_statement_section")), 1
        )
        self.assertFalse(self._texts_by_class(tree, "o_paylink_statement_currency"))

    def test_22_a_chosen_period_opens_with_the_balance_before_it(self):
        date_from = self.today - timedelta(days=60)
        date_to = self.today - timedelta(days=5)
        response = self._get(
            f"/pay/{self.link.token}/statement?date_from={date_from}&date_to={date_to}"
        )
        tree = html.fromstring(response.content)
        self.assertIn(
            self._format(110.0),
            self._texts_by_class(tree, "o_paylink_statement_opening")[0],
        )
        entries = self._texts_by_class(tree, "o_paylink_statement_entry")
        self.assertEqual(len(entries), 2)
        self.assertIn(self.refund.name, entries[0])
        self.assertIn(
            self._format(140.0),
            self._texts_by_class(tree, "o_paylink_statement_closing")[0],
        )

    def test_23_by_default_since_the_balance_was_last_zero_or_a_year(self):
        Ledger = self.env["paylink.ledger"]
        settled = self._create_customer("Settled Then Owing")
        self._pay_statement(
            settled, self.today - timedelta(days=200), self.today - timedelta(days=150)
        )
        new = self._post_move(
            settled, [30.0], invoice_date=self.today - timedelta(days=30)
        )
        statement = Ledger._get_statement(settled, self.company)
        self.assertEqual(statement["date_from"], self.today - timedelta(days=149))
        self.assertEqual(statement["opening"], 0.0)
        self.assertEqual([e["name"] for e in statement["entries"]], [new.name])
        # Settled today: the statement shows what settled it.
        all_set = self._create_customer("All Set")
        invoice = self._pay_statement(
            all_set, self.today - timedelta(days=20), self.today
        )
        statement = Ledger._get_statement(all_set, self.company)
        self.assertEqual(statement["date_from"], self.today - timedelta(days=20))
        self.assertEqual(statement["entries"][0]["name"], invoice.name)
        self.assertEqual(statement["closing"], 0.0)
        # Owing for longer than a year: the last 12 months, opening with what was due.
        old = self._create_customer("Old Debt")
        self._post_move(old, [80.0], invoice_date=self.today - timedelta(days=500))
        self._post_move(old, [20.0], invoice_date=self.today - timedelta(days=100))
        statement = Ledger._get_statement(old, self.company)
        self.assertEqual(statement["date_from"], self.today - relativedelta(months=12))
        self.assertEqual(statement["opening"], 80.0)
        self.assertEqual(statement["closing"], 100.0)

    def test_25_the_statement_prints_the_live_links_qr_code(self):
        path = f"/pay/{self.link.token}/statement"
        self.assertEqual(
            self._decode_qr_blocks(self._get(path).content), [self.link.url]
        )
        old_url = self.link.url
        self._generate_link(self.debtor)
        self.assertNotEqual(self.link.url, old_url)
        self.assertEqual(
            self._decode_qr_blocks(
                self._get(f"/pay/{self.link.token}/statement").content
            ),
            [self.link.url],
        )
        self.company.paylink_qr_on_invoices = False
        self.assertEqual(
            self._decode_qr_blocks(
                self._get(f"/pay/{self.link.token}/statement").content
            ),
            [],
        )

    @mute_logger("odoo.http")
    def test_24_a_period_that_is_not_one_returns_to_the_page(self):
        token = self.link.token
        tomorrow = self.today + timedelta(days=1)
        for query, message in (
            (
                f"date_from={self.today}&date_to={self.today - timedelta(days=1)}",
                "before",
            ),
            (f"date_from=2026-02-30&date_to={self.today}", "before"),
            ("date_from=yesterday", "before"),
            (f"date_to={tomorrow}", "up to today"),
            (f"date_from={self.today - timedelta(days=4000)}", "ten years"),
        ):
            with self.subTest(query=query):
                response = self._get(f"/pay/{token}/statement?{query}", 400)
                tree = html.fromstring(response.content)
                errors = self._texts_by_class(tree, "o_paylink_statement_error")
                self.assertEqual(len(errors), 1)
                self.assertIn(message, errors[0])
                # The page, with its balance, and the period form open.
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_balance_amount"),
                    [self._format(100.0)],
                )
                self.assertTrue(
                    tree.xpath(
                        f"//details[{self._css('o_paylink_statement_period')}]/@open"
                    )
                )

    # === THE RECEIPT === #

    def test_30_the_confirmation_offers_the_receipt(self):
        reference = self._start_payment(self.link, part_amount="30")
        self._simulate(reference)
        tx = self._paylink_transactions(self.link)
        self.assertEqual(tx.state, "done")
        tree = html.fromstring(
            self._get(f"/pay/{self.link.token}?confirmation=1").content
        )
        receipt_url = f"/pay/{self.link.token}/receipt/{tx.id}"
        self.assertEqual(
            tree.xpath(f"//a[{self._css('o_paylink_receipt')}]/@href"), [receipt_url]
        )
        response = self._get(receipt_url)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(
            tx.payment_id.name.replace("/", "_"),
            response.headers["Content-Disposition"],
        )
        self.assertIn(tx.payment_id.name, response.text)
        # Another link's payment, a payment that did not go through, or a made-up id:
        # the same page as a bad link.
        not_found = self._not_found_text()
        other = self._create_customer("Other Payer")
        self._post_move(other, [10.0])
        other_link = self._generate_link(other)
        self._simulate(self._start_payment(other_link))
        other_tx = self._paylink_transactions(other_link)
        self.assertEqual(other_tx.state, "done")
        failed_reference = self._start_payment(self.link, part_amount="5")
        self._simulate(failed_reference, simulated_state="error")
        failed_tx = self._paylink_transactions(self.link) - tx
        self.assertEqual(failed_tx.state, "error")
        with mute_logger("odoo.http"):
            for path in (
                f"/pay/{self.link.token}/receipt/{other_tx.id}",
                f"/pay/{self.link.token}/receipt/{failed_tx.id}",
                f"/pay/{self.link.token}/receipt/{other_tx.id + 1000}",
                f"/pay/{self.link.token}/receipt/x",
                f"/pay/{other_link.token[:-1]}x/receipt/{other_tx.id}",
            ):
                with self.subTest(path=path):
                    response = self._get(path, 404)
                    self.assertEqual(
                        normalize(html.fromstring(response.content).text_content()),
                        not_found,
                    )

    # === PDF PRINTING === #

    def test_40_a_real_pdf_through_wkhtmltopdf(self):
        """The routes' reports printed by wkhtmltopdf, as the routes print them. From
        the test itself, not over HTTP: wkhtmltopdf fetches the report's style sheets
        from the test server, which serves one request at a time, the printing one
        first."""
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        # wkhtmltopdf fetches the style sheets from this test's server.
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        for report_ref, records, data in (
            (INVOICE_REPORT, self.inv_old, None),
            (
                STATEMENT_REPORT,
                self.debtor,
                {"company_id": self.company.id, "date_from": None, "date_to": None},
            ),
        ):
            with self.subTest(report=report_ref):
                pdf, report_type = Report._render_qweb_pdf(
                    report_ref, records.ids, data=data
                )
                self.assertEqual(report_type, "pdf")
                self.assertTrue(pdf.startswith(b"%PDF-"))
                # The text is drawn in the report's web fonts (as shapes, which no
                # text extraction reads back): the report's content is checked on its
                # HTML (test_12, test_21), and in a PDF printed in a system font
                # (test_42); here, that it makes a PDF page.
                pages = PdfFileReader(io.BytesIO(pdf)).pages
                self.assertEqual(len(pages), 1)
                self.assertGreater(len(pages[0].get_contents().get_data()), 10000)

    def test_41_without_wkhtmltopdf_a_clear_message(self):
        with patch.object(
            IrActionsReport, "get_wkhtmltopdf_state", lambda report: "install"
        ):
            for path in (
                f"/pay/{self.link.token}/invoice/{self.inv_old.id}/pdf",
                f"/pay/{self.link.token}/statement",
            ):
                with self.subTest(path=path):
                    response = self._get(path, 503)
                    self.assertIn("text/html", response.headers["Content-Type"])
                    self.assertIn(
                        "We cannot make this PDF right now",
                        normalize(html.fromstring(response.content).text_content()),
                    )

    def test_42_the_statement_names_its_sender_without_the_layouts_header(self):
        """The statement printed as a wkhtmltopdf built without its patched Qt prints
        it: without the layout's header and footer, where Odoo's layouts put the
        company. Its body names the company, in the HTML given to wkhtmltopdf and in
        the PDF's text.

        The report's web fonts are drawn as shapes, which no text extraction reads back
        (test_40): here the bodies are printed in the system's sans-serif font, the
        only change made to the bodies, so that the PDF's text can be read."""
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        self.env["ir.config_parameter"].set_param("report.url", self.base_url())
        run_wkhtmltopdf = IrActionsReport._run_wkhtmltopdf
        printed = {}

        def run_without_header(report, bodies, **kwargs):
            printed.update(bodies=bodies, header=kwargs["header"])
            system_font = "<style>* { font-family: sans-serif !important; }</style>"
            # Odoo gives the bodies as Markup, whose replace() would escape the style.
            bodies = [
                str(body).replace("</head>", f"{system_font}</head>") for body in bodies
            ]
            self.assertTrue(all(system_font in body for body in bodies))
            kwargs.update(header=None, footer=None)
            return run_wkhtmltopdf(report, bodies, **kwargs)

        with patch.object(IrActionsReport, "_run_wkhtmltopdf", run_without_header):
            pdf, report_type = Report._render_qweb_pdf(
                STATEMENT_REPORT,
                self.debtor.ids,
                data={
                    "company_id": self.company.id,
                    "date_from": None,
                    "date_to": None,
                },
            )
        self.assertEqual(report_type, "pdf")
        # What was left out: the layout's header, which names the company.
        self.assertIn("12 Quay Street", printed["header"])
        [body] = printed["bodies"]
        senders = self._texts_by_class(html.fromstring(body), "o_paylink_sender")
        self.assertEqual(len(senders), 1)
        self._assert_names_its_sender(senders[0])
        pages = PdfFileReader(io.BytesIO(pdf)).pages
        text = normalize(" ".join(page.extract_text() for page in pages))
        self.assertIn("Statement of account", text)
        self.assertIn(self.debtor.name, text)
        self._assert_names_its_sender(text)
