# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
import re

from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from odoo.addons.payment.controllers.portal import PaymentPortal
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..exceptions import PaylinkRequestError
from ..report.paylink_statement import STATEMENT_REPORT
from .common import PaylinkControllerMixin

_logger = logging.getLogger(__name__)

# The longest period a statement covers, in days.
STATEMENT_MAX_DAYS = 3660
# The reports the link's documents print as.
INVOICE_REPORT = "account.account_invoices"
RECEIPT_REPORT = "account.action_report_payment_receipt"


class PaylinkDocuments(PaylinkControllerMixin, CustomerPortal):
    """The customer's documents, opened from the payment page by the same link:

    - `/pay/<token>/invoice/<id>`: an invoice's or credit note's breakdown;
    - `/pay/<token>/invoice/<id>/pdf`: Odoo's own PDF of it, as Odoo's portal prints it
      (`CustomerPortal._show_report`);
    - `/pay/<token>/statement`: the statement of the account (PDF);
    - `/pay/<token>/receipt/<transaction id>`: the receipt of a payment made through
      the link (PDF).

    Every id but one of the link's customer's documents gets the same answer as a bad
    link. When Odoo cannot print (wkhtmltopdf missing or failing), the PDFs are a page
    that says so (503).
    """

    @http.route(
        "/pay/<string:token>/invoice/<string:document_id>",
        type="http",
        methods=["GET"],
        auth="public",
        website=False,
        sitemap=False,
        readonly=True,
    )
    def paylink_invoice(self, token, document_id, **kwargs):
        """Display one of the customer's invoices or credit notes: the company, the
        dates, every line, the totals, what was applied to it and what is left.

        :param str token: The payment link token.
        :param str document_id: The `account.move` id.
        :return: The rendered breakdown.
        :raise werkzeug.exceptions.NotFound: For a bad token, and for any id but a
            posted invoice or credit note of the link's customer with the link's
            company.
        """
        link_sudo, invoice_sudo = self._paylink_check_document_access(
            token, document_id
        )
        return self._paylink_render(
            "paylink_portal.pay_invoice_page",
            self._paylink_prepare_document_values(link_sudo, invoice_sudo),
        )

    # Not read-only: printing may build the report's style sheets, stored once.
    @http.route(
        "/pay/<string:token>/invoice/<string:document_id>/pdf",
        type="http",
        methods=["GET"],
        auth="public",
        website=False,
        sitemap=False,
    )
    def paylink_invoice_pdf(self, token, document_id, **kwargs):
        """Return Odoo's own PDF of one of the customer's invoices or credit notes.

        :return: The PDF; a page that says PDFs cannot be made now (503) when Odoo
            cannot run wkhtmltopdf.
        :raise werkzeug.exceptions.NotFound: As for the breakdown.
        """
        link_sudo, invoice_sudo = self._paylink_check_document_access(
            token, document_id
        )
        return self._paylink_pdf(
            link_sudo,
            # In sudo mode as the invoice: `_show_report` prints it as Odoo's portal
            # prints a customer's invoice.
            lambda: self._show_report(
                invoice_sudo, "pdf", INVOICE_REPORT, download=True
            ),
        )

    @http.route(
        "/pay/<string:token>/statement",
        type="http",
        methods=["GET"],
        auth="public",
        website=False,
        sitemap=False,
    )
    def paylink_statement(self, token, date_from=None, date_to=None, **kwargs):
        """Return the PDF statement of the customer's account with the link's company.

        :param str token: The payment link token.
        :param str date_from: The first day (YYYY-MM-DD); by default since the balance
            was last zero, or the last 12 months, whichever is shorter.
        :param str date_to: The last day (YYYY-MM-DD); today by default.
        :return: The PDF; the page with a message (400) for a period that is not one;
            a page that says PDFs cannot be made now (503) when Odoo cannot run
            wkhtmltopdf.
        :raise werkzeug.exceptions.NotFound: For a bad token.
        """
        link_sudo = self._paylink_check_access(token)
        try:
            period = self._paylink_parse_statement_period(link_sudo, date_from, date_to)
        except PaylinkRequestError as error:
            return self._paylink_render_page(
                link_sudo,
                status=error.status,
                statement_error=error.args[0],
                statement_date_from=date_from,
                statement_date_to=date_to,
            )
        company_sudo = link_sudo.company_id
        return self._paylink_pdf(
            link_sudo,
            lambda: self._paylink_render_pdf(
                link_sudo,
                STATEMENT_REPORT,
                link_sudo.partner_id,
                _(
                    "Statement %(company)s %(date)s.pdf",
                    company=company_sudo.name,
                    date=period["date_to"],
                ),
                data={"company_id": company_sudo.id, **period},
            ),
        )

    @http.route(
        "/pay/<string:token>/receipt/<string:transaction_id>",
        type="http",
        methods=["GET"],
        auth="public",
        website=False,
        sitemap=False,
    )
    def paylink_receipt(self, token, transaction_id, **kwargs):
        """Return Odoo's payment receipt (PDF) of a payment made through this link.

        :param str token: The payment link token.
        :param str transaction_id: The `payment.transaction` id.
        :return: The PDF; a page that says PDFs cannot be made now (503) when Odoo
            cannot run wkhtmltopdf.
        :raise werkzeug.exceptions.NotFound: For a bad token, and for any id but a
            payment made through this link.
        """
        link_sudo = self._paylink_check_access(token)
        payment_sudo = link_sudo._get_receipt_payment(
            PaymentPortal._cast_as_int(transaction_id)
        )
        if not payment_sudo:
            raise NotFound()  # Don't leak information about ids.
        return self._paylink_pdf(
            link_sudo,
            lambda: self._paylink_render_pdf(
                link_sudo,
                RECEIPT_REPORT,
                payment_sudo,
                _("Receipt %(reference)s.pdf", reference=payment_sudo.name),
            ),
        )

    # === HELPERS === #

    def _paylink_pdf(self, link_sudo, print_pdf):
        """Return what `print_pdf()` prints, or a page that says PDFs cannot be made now
        (503) when Odoo cannot run wkhtmltopdf, or it fails (Odoo logs its output).

        :param recordset link_sudo: The link whose token proved the document.
        :param print_pdf: A function that returns the PDF's response.
        :rtype: odoo.http.Response
        """
        # In sudo mode to ask whether Odoo can print, as the public user.
        if request.env["ir.actions.report"].sudo().get_wkhtmltopdf_state() in (
            "ok",
            "upgrade",
        ):
            try:
                return print_pdf()
            except UserError as error:
                _logger.info("Payment link: a PDF could not be printed: %s", error)
        return self._paylink_render(
            "paylink_portal.pay_pdf_unavailable",
            {
                "title": _("Download not available"),
                "res_company": link_sudo.company_id,
                "paylink_script": False,
                "back_url": link_sudo._get_paylink_path(),
            },
            status=503,
        )

    def _paylink_render_pdf(
        self, link_sudo, report_ref, records_sudo, filename, data=None
    ):
        """Return the PDF of `records_sudo` printed with the report `report_ref` in the
        link's company, named `filename`: the documents that are not invoices.
        `_show_report` names its file after the record's `_get_report_base_filename`,
        which only invoices have.

        :rtype: odoo.http.Response
        """
        # In sudo mode to print the records the token proved, as Odoo's portal prints a
        # customer's documents (`_show_report`): the public user may read no report.
        pdf, _report_type = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(link_sudo.company_id)
            ._render_qweb_pdf(report_ref, records_sudo.ids, data=data)
        )
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    content_disposition(re.sub(r"[\\/]", "_", filename)),
                ),
            ],
        )

    def _paylink_parse_statement_period(self, link_sudo, date_from, date_to):
        """Return the statement's period from the customer's dates, as ISO strings: the
        first day None for the ledger's default, the last day today by default.

        :raise PaylinkRequestError: For a date that is not one, a period that ends
            before it starts or in the future, or one longer than ten years.
        """
        invalid = PaylinkRequestError(
            _(
                "Please choose a period with a start date before its end date,"
                " up to today."
            )
        )
        try:
            start = fields.Date.to_date(date_from) if date_from else None
            end = fields.Date.to_date(date_to) if date_to else None
        except (TypeError, ValueError):
            raise invalid from None
        today = link_sudo.env["paylink.ledger"]._get_today(link_sudo.company_id)
        if (end and end > today) or (start and start > (end or today)):
            raise invalid
        if start and ((end or today) - start).days > STATEMENT_MAX_DAYS:
            raise PaylinkRequestError(_("Please choose a period of at most ten years."))
        return {
            "date_from": start and fields.Date.to_string(start),
            # Today (where the company is) by default, as the ledger's default.
            "date_to": fields.Date.to_string(end or today),
        }

    def _paylink_prepare_document_values(self, link_sudo, invoice_sudo):
        """Return the rendering values of an invoice's breakdown.

        :param recordset link_sudo: The link, in sudo mode.
        :param recordset invoice_sudo: Its customer's `account.move`, in sudo mode.
        :rtype: dict
        """
        payments = [
            {
                "date": payment["date"],
                "ref": payment["ref"],
                "amount": payment["amount"],
                "currency": link_sudo.env["res.currency"].browse(
                    payment["currency_id"]
                ),
            }
            for payment in (invoice_sudo.invoice_payments_widget or {}).get(
                "content", []
            )
            if not payment["is_exchange"]
        ]
        return {
            "link_sudo": link_sudo,
            "invoice_sudo": invoice_sudo,
            "res_company": invoice_sudo.company_id,
            "title": invoice_sudo.name,
            "partner_name": link_sudo.partner_id.name,
            "paylink_script": False,
            "invoice_lines_sudo": invoice_sudo.invoice_line_ids.filtered(
                lambda line: (
                    line.display_type in ("product", "line_section", "line_note")
                )
            ),
            "payments": payments,
            "back_url": link_sudo._get_paylink_path(),
            "pdf_url": link_sudo._get_paylink_path(f"/invoice/{invoice_sudo.id}/pdf"),
        }
