# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import logging
import math
import re

from werkzeug.exceptions import abort

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.http import content_disposition, request
from odoo.tools import config, format_amount

from odoo.addons.payment.controllers.portal import PaymentPortal
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

from ..models.paylink_link import TIP_PERCENTAGES
from ..models.paylink_lookup_failure import WINDOW
from ..models.paylink_sms_consent import CONSENT_TEXT
from ..report.paylink_statement import STATEMENT_REPORT
from ..utils import (
    JsonAnswer,
    PageFormatter,
    PaylinkChoiceError,
    apply_security_headers,
    page_stylesheet,
    theme_style,
)

_logger = logging.getLogger(__name__)


# The longest comment a rating keeps.
RATING_FEEDBACK_MAX = 2000
# The longest period a statement covers, in days.
STATEMENT_MAX_DAYS = 3660
# The reports the link's documents print as.
INVOICE_REPORT = "account.account_invoices"
RECEIPT_REPORT = "account.action_report_payment_receipt"


@functools.cache
def _warn_without_proxy_mode():
    """Log, once per process, that the rate limit sees a proxy's address."""
    _logger.warning(
        "Payment links: requests carry X-Forwarded-For but Odoo does not run in proxy"
        " mode (--proxy-mode): every customer then has the proxy's address, and the"
        " rate limit of failed link lookups counts them all as one client."
    )


def _paylink_page_readonly(_controller):
    """Whether a request of the payment page only reads: all but the landing page after
    a payment, which must show the payment just made, on the primary (a replica may
    not have replayed it yet)."""
    return "confirmation" not in request.httprequest.args


class RateLimited(Exception):
    """The client failed too many link lookups: it must wait before trying again."""


class PaylinkController(PaymentPortal):
    # The page, its refresh and its payment step only read: `readonly=True` serves them
    # from a read replica where Odoo has one (`db_replica_host`). A failed lookup, which
    # must be recorded, is served again on the primary (see paylink.lookup.failure).
    # Not a frontend route (`website=False`), like Odoo's login page: the page is served
    # in the customer's language, so Odoo's matching of the URL and cookie languages
    # (three queries) is of no use here. With the website app, paylink_portal_website
    # makes it one, for the website's layout.
    @http.route(
        "/pay/<string:token>",
        type="http",
        methods=["GET"],
        auth="public",
        website=False,
        sitemap=False,
        readonly=_paylink_page_readonly,
    )
    def paylink_page(self, token, confirmation=None, **kwargs):
        """Display the customer's payment page.

        :param str token: The payment link token.
        :param str confirmation: Set on the landing route after a payment: show its
            outcome.
        :param dict kwargs: Unused; tolerated so that tracking parameters added by
                            messaging apps do not break the link.
        :return: The rendered payment page; for a token that proves no live link, the
                 same "not valid" page with status 404 whatever the token.
        :rtype: str
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        values = self._paylink_prepare_page_values(link_sudo)
        if confirmation:
            values["paylink_tx_sudo"] = self._paylink_get_monitored_tx_sudo(link_sudo)
        return self._paylink_render("paylink_portal.pay_page", values)

    @http.route(
        "/pay/<string:token>/summary",
        type="json",
        auth="public",
        sitemap=False,
        readonly=True,
    )
    def paylink_summary(self, token, fingerprint=None, **kwargs):
        """Return the page's live figures, re-rendered, when they changed since
        `fingerprint`.

        :param str token: The payment link token.
        :param str fingerprint: The fingerprint of the figures the browser displays.
        :return: `{'fingerprint': str, 'state': str, 'html': str}`, `html` being False
                 when nothing changed.
        :rtype: dict
        :raise werkzeug.exceptions.HTTPException: A JSON 404 if the token proves no live
                                                  link.
        """
        link_sudo = self._paylink_get_link_sudo_or_json_404(token)
        if kwargs or not isinstance(fingerprint, (str, type(None))):
            self._paylink_abort_json(400, _("Invalid request."))
        values = self._paylink_prepare_page_values(link_sudo)
        html = False
        if values["fingerprint"] != fingerprint:
            html = request.env["ir.qweb"]._render(
                "paylink_portal.pay_page_summary", values
            )
        return {
            "fingerprint": values["fingerprint"],
            "state": values["state"],
            "html": html,
        }

    # A frontend route (`website=True`), for the helpers the payment form's templates
    # use.
    @http.route(
        "/pay/<string:token>/checkout",
        type="http",
        methods=["GET"],
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def paylink_checkout(
        self,
        token,
        tip_percent=None,
        save_card=None,
        sms_consent=None,
        autopay=None,
        **kwargs,
    ):
        """Display the payment step: the amount with the chosen tip and Odoo's payment
        form, whose scripts only this page loads.

        The page's "Pay" button opens it, with the page's choices in the query string.

        :param str token: The payment link token.
        :param str tip_percent: The chosen tip, one of `TIP_PERCENTAGES`.
        :param str save_card: Set when the customer ticked "Save card".
        :param str sms_consent: Set when the customer agreed to SMS reminders.
        :param dict kwargs: Unused; tolerated like on the page.
        :return: The rendered payment step; a redirection to the page when there is
                 nothing to pay or the tip is not one of the options; the page's "not
                 valid" page (404) for a token that proves no live link.
        :rtype: str
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        tip_percent = self._cast_as_int(tip_percent)
        if tip_percent not in TIP_PERCENTAGES:
            return request.redirect(link_sudo._get_paylink_path(), code=303)
        values = self._paylink_prepare_page_values(link_sudo)
        if values["state"] != "outstanding":
            return request.redirect(link_sudo._get_paylink_path(), code=303)
        part = self._paylink_parse_part(
            kwargs.get("amount"), request.httprequest.args.getlist("invoice_ids")
        )
        try:
            amounts = link_sudo._get_payment_amounts(
                tip_percent, page_values=values, **part
            )
        except PaylinkChoiceError as error:
            # Back to the page, with the message and what the customer entered.
            values.update(
                {
                    "choice_error": error.args[0],
                    "other_amount": kwargs.get("amount"),
                    "chosen_invoice_ids": part["invoice_ids"] or [],
                }
            )
            return self._paylink_render(
                "paylink_portal.pay_page", values, status=error.status
            )
        formatter = PageFormatter(link_sudo.env)
        currency = values["currency"]
        values.update(
            {
                **amounts,
                "tip_percent": tip_percent,
                "tip_percent_display": f"({tip_percent}%)",
                "pay_amount_display": formatter.amount(amounts["pay_amount"], currency),
                "allocation_display": amounts["mode"] != "balance"
                and formatter.allocation(amounts),
                "tip_display": formatter.amount(amounts["tip"], currency),
                "amount_display": formatter.amount(amounts["amount"], currency),
                "part_amount": amounts["mode"] == "amount" and amounts["pay_amount"],
                "part_invoice_ids": amounts["mode"] == "invoices"
                and [invoice["id"] for invoice in amounts["allocation"]],
                "save_card": bool(save_card),
                "autopay": bool(save_card and autopay),
                # Ticked on the page, or given before.
                "sms_consent_given": values["sms_consent_given"] or bool(sms_consent),
                "back_url": link_sudo._get_paylink_path(),
                **self._paylink_get_payment_values(link_sudo, amounts["amount"]),
            }
        )
        return request.render("paylink_portal.pay_checkout", values)

    @http.route(
        "/pay/<string:token>/transaction", type="json", auth="public", sitemap=False
    )
    def paylink_transaction(
        self,
        token,
        tip_percent=None,
        fingerprint=None,
        save_card=False,
        sms_consent=False,
        access_token=None,
        part_amount=None,
        part_invoice_ids=None,
        autopay=False,
        **kwargs,
    ):
        """Create a transaction for the current balance, or the part of it chosen, plus
        the chosen tip, and return its processing values.

        The amount is computed here from current data: any amount sent by the browser is
        ignored. Bad input is answered with a 4xx JSON-RPC error carrying a message for
        the customer, and creates nothing.

        :param str token: The payment link token.
        :param int tip_percent: The chosen tip, one of `TIP_PERCENTAGES`.
        :param str fingerprint: The fingerprint of the figures the customer confirmed.
        :param bool save_card: Whether the customer asked to save the card.
        :param bool sms_consent: Whether the customer agreed to SMS reminders.
        :param str access_token: Sent by the payment form; unused, the link token is the
            proof.
        :param str part_amount: The part of the balance to pay, when not all of it.
        :param list part_invoice_ids: The invoices to pay in full, when not all of them.
        :param bool autopay: Whether the customer agreed to be charged automatically
            with the card this payment saves.
        :param dict kwargs: The payment form's transaction values (provider, method,
            token...).
        :return: The transaction's processing values.
        :rtype: dict
        """
        link_sudo = self._paylink_get_link_sudo_or_json_404(token)
        self._paylink_check_json_csrf(kwargs.get("csrf_token"))
        tip_percent = self._paylink_check_choices(
            tip_percent, save_card, sms_consent, kwargs
        )
        if not isinstance(autopay, bool) or (
            autopay
            and not (save_card is True and link_sudo.company_id.paylink_autopay_enabled)
        ):
            self._paylink_abort_json(
                400, _("Automatic payments need a card saved with this payment.")
            )
        if part_invoice_ids is not None and not isinstance(part_invoice_ids, list):
            part_invoice_ids = [part_invoice_ids]
        part = self._paylink_parse_part(part_amount, part_invoice_ids)
        link_sudo._lock_for_payment()
        amounts = self._paylink_get_confirmed_amounts(
            link_sudo, tip_percent, fingerprint, part
        )
        option_ids = self._paylink_check_payment_option(link_sudo, amounts, kwargs)
        tx_values = {
            "paylink_id": link_sudo.id,
            "paylink_tip_percent": tip_percent,
            "paylink_tip_amount": amounts["tip"],
            "paylink_allocation": amounts["mode"] != "balance"
            and [[part["id"], part["amount"]] for part in amounts["allocation"]],
            "paylink_save_card": save_card,
            "paylink_sms_consent": sms_consent,
        }
        tx_sudo = self._paylink_get_transaction_to_continue(
            link_sudo, amounts, option_ids, tx_values
        )
        if tx_sudo:
            # A double click, a retry or a second tab: continue the same transaction.
            PaymentPostProcessing.monitor_transaction(tx_sudo)
            return tx_sudo._get_processing_values()
        tx_sudo = self._paylink_create_transaction(
            link_sudo, amounts, option_ids, tx_values, kwargs
        )
        if autopay:
            # In sudo mode to record the consent of the customer the token proved.
            request.env["paylink.autopay"].sudo()._record_from_request(
                link_sudo, request.httprequest, tx_sudo
            )
        if link_sudo.partner_id._get_paylink_sms_number():
            request.env["paylink.sms.consent"].sudo()._record_from_request(
                link_sudo,
                sms_consent,
                request.httprequest,
                transaction_id=tx_sudo.id,
            )  # In sudo mode to record the choice of the customer the token proved.
        return tx_sudo._get_processing_values()

    @http.route(
        "/pay/<string:token>/rating",
        type="http",
        methods=["POST"],
        auth="public",
        sitemap=False,
    )
    def paylink_rating(self, token, rating=None, feedback=None, **kwargs):
        """Record the customer's rating ("How did we do?"), or change it, then show the
        page again: the same page whatever the stars.

        :param str token: The payment link token.
        :param str rating: From "1" to "5".
        :param str feedback: The optional comment.
        :return: A redirection to the page (303); the page with a message (400) for a
            rating that is not one; the "not valid" page (404) for a bad token.
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        value = self._cast_as_int(rating)
        if (
            not link_sudo.company_id.paylink_rating_enabled
            or value not in range(1, 6)
            or not isinstance(feedback, (str, type(None)))
            or len(feedback or "") > RATING_FEEDBACK_MAX
        ):
            values = self._paylink_prepare_page_values(link_sudo)
            values["rating_error"] = _(
                "Please choose from 1 to 5 stars (and a comment of at most %(max)s"
                " characters).",
                max=RATING_FEEDBACK_MAX,
            )
            return self._paylink_render("paylink_portal.pay_page", values, status=400)
        link_sudo._set_rating(value, (feedback or "").strip())
        return request.redirect(link_sudo._get_paylink_path("?rated=1"), code=303)

    @http.route(
        "/pay/<string:token>/autopay/stop",
        type="http",
        methods=["POST"],
        auth="public",
        sitemap=False,
    )
    def paylink_autopay_stop(self, token, **kwargs):
        """Turn the customer's automatic payments off, then show the page again.

        :param str token: The payment link token.
        :return: A redirection to the page (303); the "not valid" page (404) for a bad
            token.
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        link_sudo.env["paylink.autopay"].search(
            [("link_id", "=", link_sudo.id), ("state", "in", ("pending", "active"))]
        )._stop("customer")
        return request.redirect(link_sudo._get_paylink_path(), code=303)

    @http.route(
        "/pay/<string:token>/opened",
        type="http",
        methods=["GET", "POST"],
        auth="public",
        csrf=False,
        sitemap=False,
    )
    def paylink_opened(self, token, **kwargs):
        """Count one opening of the page, for the office (the page only reads): sent by
        the page's script once displayed, or by its <noscript> image.

        No CSRF token: it only counts, and only for the link its token proves.

        :param str token: The payment link token.
        :return: An empty answer (204); the page's "not valid" page (404) for a token
            that proves no live link.
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        # In sudo mode to count for the link the token proved: the public user has no
        # access to the counts.
        request.env["paylink.link.open"].sudo()._record(link_sudo)
        return apply_security_headers(request.make_response("", status=204))

    @http.route(
        "/pay/<string:token>/sms_consent", type="json", auth="public", sitemap=False
    )
    def paylink_sms_consent(self, token, consent=None, csrf_token=None, **kwargs):
        """Record the customer's SMS reminder preference, on its own, without a payment.

        :param str token: The payment link token.
        :param bool consent: Whether the customer agrees to SMS reminders.
        :param str csrf_token: The page's CSRF token.
        :return: `{'state': 'given'|'withdrawn'|'none'}`, the current state after the
            request.
        :rtype: dict
        """
        link_sudo = self._paylink_get_link_sudo_or_json_404(token)
        self._paylink_check_json_csrf(csrf_token)
        if kwargs or not isinstance(consent, bool):
            self._paylink_abort_json(400, _("Invalid reminder preference."))
        partner_sudo = link_sudo.partner_id
        if not partner_sudo._get_paylink_sms_number():
            self._paylink_abort_json(
                400,
                _(
                    "We have no mobile number on file for you. Please contact us to"
                    " add one."
                ),
            )
        # In sudo mode to record the choice of the customer the token proved: the public
        # user has no access to consents.
        Consent_sudo = request.env["paylink.sms.consent"].sudo()
        Consent_sudo._record_from_request(link_sudo, consent, request.httprequest)
        current = Consent_sudo._get_current_by_partner(partner_sudo)[partner_sudo]
        return {"state": current.state or "none"}

    # === DOCUMENTS === #

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
        :return: The rendered breakdown; the "not valid" page (404) for a bad token and
            for any id but a posted invoice or credit note of the link's customer with
            the link's company.
        """
        link_sudo, invoice_sudo, error_response = self._paylink_lookup_document_sudo(
            token, document_id
        )
        if error_response:
            return error_response
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

        :return: The PDF; the "not valid" page (404) as for the breakdown; a page that
            says PDFs cannot be made now (503) when Odoo cannot run wkhtmltopdf.
        """
        link_sudo, invoice_sudo, error_response = self._paylink_lookup_document_sudo(
            token, document_id
        )
        if error_response:
            return error_response
        return self._paylink_pdf_response(
            link_sudo,
            INVOICE_REPORT,
            invoice_sudo,
            invoice_sudo._get_invoice_report_filename(),
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
            the "not valid" page (404) for a bad token; a page that says PDFs cannot be
            made now (503) when Odoo cannot run wkhtmltopdf.
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        try:
            period = self._paylink_parse_statement_period(link_sudo, date_from, date_to)
        except PaylinkChoiceError as error:
            values = self._paylink_prepare_page_values(link_sudo)
            values.update(
                statement_error=error.args[0],
                statement_date_from=date_from,
                statement_date_to=date_to,
            )
            return self._paylink_render(
                "paylink_portal.pay_page", values, status=error.status
            )
        company_sudo = link_sudo.company_id
        filename = _(
            "Statement %(company)s %(date)s.pdf",
            company=company_sudo.name,
            date=period["date_to"],
        )
        return self._paylink_pdf_response(
            link_sudo,
            STATEMENT_REPORT,
            link_sudo.partner_id,
            filename,
            data={"company_id": company_sudo.id, **period},
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
        :return: The PDF; the "not valid" page (404) for a bad token and for any id but
            a payment made through this link; a page that says PDFs cannot be made now
            (503) when Odoo cannot run wkhtmltopdf.
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return error_response
        payment_sudo = link_sudo._get_receipt_payment(self._cast_as_int(transaction_id))
        if not payment_sudo:
            return self._paylink_not_found()
        return self._paylink_pdf_response(
            link_sudo,
            RECEIPT_REPORT,
            payment_sudo,
            _("Receipt %(reference)s.pdf", reference=payment_sudo.name),
        )

    # === HELPERS === #

    def _paylink_lookup_page_link_sudo(self, token):
        """Return the link proven by `token`, in sudo mode and switched to its context,
        and the response to send instead of the page when there is none.

        :return: `(link_sudo, None)`, or `(empty recordset, response)`: the "too many
                 attempts" page (429) or the same "not valid" page (404) for every bad
                 token.
        :rtype: tuple
        """
        try:
            link_sudo = self._paylink_lookup_link_sudo(token)
        except RateLimited:
            # No link: an empty recordset, in sudo mode like the links it stands for.
            return request.env["paylink.link"].sudo(), self._paylink_render(
                "paylink_portal.pay_page_rate_limited",
                {"title": _("Too many attempts")},
                status=429,
                headers={"Retry-After": str(int(WINDOW.total_seconds()))},
            )
        if not link_sudo:
            return link_sudo, self._paylink_not_found()
        return self._paylink_switch_to_link_context(link_sudo), None

    def _paylink_not_found(self):
        """Return the "not valid" page (404): the same for every bad token and for every
        id the token does not prove, so as not to leak information about either."""
        return self._paylink_render(
            "paylink_portal.pay_page_not_found",
            {"title": _("This payment link is not valid")},
            status=404,
        )

    def _paylink_lookup_document_sudo(self, token, document_id):
        """Return the link proven by `token` and its customer's document `document_id`,
        both in sudo mode, and the response to send instead when either is not proven.

        :return: `(link_sudo, invoice_sudo, None)` or `(link_sudo, invoice_sudo,
            response)`, the response being the same for a bad token and a bad id.
        :rtype: tuple
        """
        link_sudo, error_response = self._paylink_lookup_page_link_sudo(token)
        if error_response:
            return link_sudo, link_sudo.env["account.move"], error_response
        invoice_sudo = link_sudo._get_document(self._cast_as_int(document_id))
        if not invoice_sudo:
            return link_sudo, invoice_sudo, self._paylink_not_found()
        return link_sudo, invoice_sudo, None

    def _paylink_pdf_response(
        self, link_sudo, report_ref, records_sudo, filename, data=None
    ):
        """Return the PDF of `records_sudo` printed by Odoo's report engine with the
        report `report_ref` in the link's company and the customer's language, or a page
        that says it cannot be made now (503) when Odoo cannot run wkhtmltopdf.

        :param recordset link_sudo: The link whose token proved the records.
        :param str report_ref: The report's XML id.
        :param recordset records_sudo: The records to print, in sudo mode.
        :param str filename: The file's name.
        :param dict data: The report's data, if any.
        :rtype: odoo.http.Response
        """
        # In sudo mode to print the records the token proved, as Odoo's portal prints a
        # customer's documents (`_show_report`): the public user may read no report.
        Report_sudo = (
            request.env["ir.actions.report"].sudo().with_company(link_sudo.company_id)
        )
        if Report_sudo.get_wkhtmltopdf_state() in ("ok", "upgrade"):
            try:
                pdf, _report_type = Report_sudo._render_qweb_pdf(
                    report_ref, records_sudo.ids, data=data
                )
            except UserError:
                # wkhtmltopdf failed (Odoo logs its output).
                pdf = None
            if pdf:
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

    def _paylink_parse_statement_period(self, link_sudo, date_from, date_to):
        """Return the statement's period from the customer's dates, as ISO strings: the
        first day None for the ledger's default, the last day today by default.

        :raise PaylinkChoiceError: For a date that is not one, a period that ends before
            it starts or in the future, or one longer than ten years.
        """
        invalid = PaylinkChoiceError(
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
            raise PaylinkChoiceError(_("Please choose a period of at most ten years."))
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
        payments = []
        for payment in (invoice_sudo.invoice_payments_widget or {}).get("content", []):
            if payment["is_exchange"]:
                continue
            payments.append(
                {
                    "date": payment["date"],
                    "ref": payment["ref"],
                    "amount": payment["amount"],
                    "currency": link_sudo.env["res.currency"].browse(
                        payment["currency_id"]
                    ),
                }
            )
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
            "tax_groups": [
                group
                for subtotal in (invoice_sudo.tax_totals or {}).get("subtotals", [])
                for group in subtotal["tax_groups"]
            ],
            "payments": payments,
            "back_url": link_sudo._get_paylink_path(),
            "pdf_url": link_sudo._get_paylink_path(f"/invoice/{invoice_sudo.id}/pdf"),
        }

    def _paylink_render(self, template, values, status=200, headers=None):
        """Render one of the pages in the light layout (`pay_light_layout`), with its
        inlined stylesheet and, on the payment page, the company's colours and the
        page's script.

        :param str template: The template's XML id.
        :param dict values: The rendering values.
        :rtype: odoo.http.Response
        """
        company_sudo = values.get("res_company")
        return request.render(
            template,
            {
                "paylink_css": page_stylesheet(),
                "paylink_theme_style": company_sudo
                and theme_style(company_sudo.primary_color),
                "paylink_script": bool(company_sudo),
                **values,
            },
            status=status,
            headers=headers,
        )

    def _paylink_switch_to_link_context(self, link_sudo):
        """Serve the rest of the request, and return the link, in the customer's
        language and the link's company: the page, its refresh and the texts recorded as
        shown (the SMS consent) must agree, and the page is the company's, as a
        website's pages are its own.
        """
        context = {}
        lang = link_sudo.partner_id.lang
        if lang and lang in dict(request.env["res.lang"].get_installed()):
            context["lang"] = lang
        # Only a company the public user belongs to can be the current one (as on a
        # website).
        if link_sudo.company_id.id in request.env.user._get_company_ids():
            context["allowed_company_ids"] = link_sudo.company_id.ids
        if context:
            request.update_context(**context)
        return link_sudo.with_context(lang=request.env.context.get("lang"))

    def _paylink_lookup_link_sudo(self, token):
        """Return the link proven by `token`, in sudo mode, or an empty recordset,
        counting failures by client IP. A valid link is always served: only a client's
        failed lookups count, and only they are refused once it failed too many.

        :raise RateLimited: If the lookup failed and this client failed too many.
        """
        link_sudo = request.env["paylink.link"]._get_link_sudo(token)
        if not link_sudo and request.env["paylink.lookup.failure"]._check_and_record(
            self._paylink_client_ip()
        ):
            raise RateLimited()
        return link_sudo

    def _paylink_client_ip(self):
        """Return the client's address, the key of the rate limit; warn once when Odoo
        is not in proxy mode behind a proxy, where every customer shares its address."""
        httprequest = request.httprequest
        if not config["proxy_mode"] and "X-Forwarded-For" in httprequest.headers:
            _warn_without_proxy_mode()
        return httprequest.remote_addr

    def _paylink_get_link_sudo_or_json_404(self, token):
        """Return the link proven by `token`, in sudo mode, and switch the request to
        the link's context; for JSON routes, answer a 404 (or 429) with a message."""
        try:
            link_sudo = self._paylink_lookup_link_sudo(token)
        except RateLimited:
            self._paylink_abort_json(
                429,
                _("Too many attempts. Please wait a minute and try again."),
                keep_transaction=True,
            )
        if not link_sudo:
            # The failure just recorded must stay: the transaction is kept.
            self._paylink_abort_json(
                404,
                _("This payment link is no longer valid. Please ask us for a new one."),
                keep_transaction=True,
            )
        return self._paylink_switch_to_link_context(link_sudo)

    def _paylink_check_json_csrf(self, csrf_token):
        if not isinstance(csrf_token, str) or not request.validate_csrf(csrf_token):
            self._paylink_abort_json(
                400, _("Your session has expired. Reload the page and try again.")
            )

    # === TRANSACTION HELPERS === #

    def _paylink_check_choices(self, tip_percent, save_card, sms_consent, kwargs):
        """Check the customer's choices and the payment form's values; answer a 400
        with a message when one is not acceptable.

        :return: The tip, one of `TIP_PERCENTAGES`.
        :rtype: int
        """
        try:
            self._validate_transaction_kwargs(kwargs)
        except ValidationError as error:
            self._paylink_abort_json(400, error.args[0])
        # Only a whole number (or its digits) is a tip option: not a float, a bool or a
        # list.
        if isinstance(tip_percent, bool) or not isinstance(tip_percent, (int, str)):
            tip_percent = None
        tip_percent = self._cast_as_int(tip_percent)
        if tip_percent not in TIP_PERCENTAGES:
            self._paylink_abort_json(400, _("Please choose one of the tip options."))
        if not isinstance(save_card, bool) or not isinstance(sms_consent, bool):
            self._paylink_abort_json(400, _("Invalid choice for the check boxes."))
        if kwargs.get("is_validation"):
            self._paylink_abort_json(400, _("A payment link can only be used to pay."))
        return tip_percent

    def _paylink_parse_part(self, amount, invoice_ids):
        """Return the part of the balance the customer asked to pay, as keyword
        arguments of `paylink.link._get_payment_amounts`: `amount` (a float, or None)
        and `invoice_ids` (a list of ids, or None). What cannot be read as an amount or
        ids reads as an amount of -1, which no balance accepts, so that the customer is
        told the range.

        :param amount: The amount sent: digits (a comma as the decimal point), or a
            number.
        :param list invoice_ids: The ids sent, as strings or numbers.
        :rtype: dict
        """
        if amount in (None, "", False):
            parsed = None
        elif isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
            parsed = -1.0
        else:
            try:
                parsed = float(str(amount).strip().replace(",", "."))
            except ValueError:
                parsed = -1.0
            if not math.isfinite(parsed):
                parsed = -1.0
        ids = None
        if invoice_ids:
            ids = [
                self._cast_as_int(invoice_id)
                if isinstance(invoice_id, (int, str))
                and not isinstance(invoice_id, bool)
                else None
                for invoice_id in invoice_ids
            ]
            # An id that is not one (or a negative one) can only be stale or foreign.
            ids = [invoice_id if invoice_id else 0 for invoice_id in ids]
        return {"amount": parsed, "invoice_ids": ids}

    def _paylink_get_confirmed_amounts(self, link_sudo, tip_percent, fingerprint, part):
        """Return what the payment must charge now (`_get_payment_amounts`) for the
        part of the balance asked for, provided the customer confirmed these very
        figures; answer a 4xx otherwise."""
        try:
            amounts = link_sudo._get_payment_amounts(tip_percent, **part)
        except PaylinkChoiceError as error:
            self._paylink_abort_json(error.status, error.args[0])
        if amounts["fingerprint"] != fingerprint:
            self._paylink_abort_json(
                409,
                _(
                    "Your balance has changed since this page was loaded. Please"
                    " review the new amount and confirm again."
                ),
            )
        return amounts

    def _paylink_check_payment_option(self, link_sudo, amounts, kwargs):
        """Return the provider, payment method and token ids the form sent, once
        checked against those offered to the link's customer for this amount; answer a
        400 otherwise.

        :return: `(provider_id, payment_method_id, token_id)`, the last two maybe None.
        :rtype: tuple
        """
        payment_values = self._paylink_get_payment_values(link_sudo, amounts["amount"])
        provider_id = self._cast_as_int(kwargs.get("provider_id"))
        payment_method_id = self._cast_as_int(kwargs.get("payment_method_id"))
        token_id = self._cast_as_int(kwargs.get("token_id"))
        flow = kwargs.get("flow")
        if (
            flow not in ("direct", "redirect", "token")
            or provider_id not in payment_values["providers_sudo"].ids
            or (
                payment_method_id
                and payment_method_id not in payment_values["payment_methods_sudo"].ids
            )
            or (token_id and token_id not in payment_values["tokens_sudo"].ids)
            or (flow == "token") != bool(token_id)
            or not (payment_method_id or token_id)
        ):
            self._paylink_abort_json(
                400, _("This payment method is not available. Please choose another.")
            )
        return provider_id, payment_method_id, token_id

    def _paylink_get_transaction_to_continue(
        self, link_sudo, amounts, option_ids, tx_values
    ):
        """Return the link's draft transaction for this very payment, to continue; an
        empty recordset when none is in progress; answer a 409 when another payment
        is in progress, so that one balance is charged once."""
        for tx_sudo in link_sudo._get_transactions_in_progress():
            if tx_sudo.state != "draft":
                self._paylink_abort_json(
                    409,
                    _(
                        "A payment of %(amount)s is already being processed for this"
                        " account. It will show on this page once complete.",
                        amount=format_amount(
                            request.env, tx_sudo.amount, tx_sudo.currency_id
                        ),
                    ),
                )
            if self._paylink_is_same_payment(
                tx_sudo, amounts["amount"], *option_ids, tx_values
            ):
                return tx_sudo
            self._paylink_abort_json(
                409,
                _(
                    "A payment is already in progress for this account, in another"
                    " window. Finish it there, or try again in a few minutes."
                ),
            )
        return request.env["payment.transaction"].sudo()  # In sudo mode: none, empty.

    def _paylink_create_transaction(
        self, link_sudo, amounts, option_ids, tx_values, kwargs
    ):
        """Create the transaction for the amount computed here, settling the
        customer's open invoices; answer a 400 with the provider's message when it
        refuses."""
        provider_id, payment_method_id, token_id = option_ids
        kwargs.update(
            {
                "provider_id": provider_id,
                "payment_method_id": payment_method_id,
                "token_id": token_id,
                "amount": amounts["amount"],
                "currency_id": link_sudo.company_id.currency_id.id,
                "partner_id": link_sudo.partner_id.id,
                "tokenization_requested": tx_values["paylink_save_card"],
                "landing_route": link_sudo._get_paylink_path("?confirmation=1"),
            }
        )
        # In sudo mode like the link: the invoices of the customer the token proved.
        # A part payment is applied as shown, once done (see payment.transaction): Odoo
        # would apply it in an order of its own to the invoices of the transaction.
        invoices_sudo = link_sudo.env["account.move"]
        if not tx_values["paylink_allocation"]:
            invoices_sudo = link_sudo.env["paylink.ledger"]._get_open_invoices(
                link_sudo.partner_id, link_sudo.company_id
            )
        try:
            return self._create_transaction(
                custom_create_values={
                    "invoice_ids": [Command.set(invoices_sudo.ids)],
                    **tx_values,
                },
                **kwargs,
            )
        except UserError as error:  # Includes the provider's ValidationError.
            self._paylink_abort_json(400, error.args[0])

    def _paylink_prepare_page_values(self, link_sudo):
        """Return the rendering values of the payment page: its figures and their
        display texts, in the customer's language.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :return: The rendering values.
        :rtype: dict
        """
        values = link_sudo._get_page_values()
        partner_sudo = link_sudo.partner_id
        return {
            **values,
            **PageFormatter(link_sudo.env).page(values),
            **self._paylink_get_extra_page_values(link_sudo),
            "sms_consent_text": link_sudo.env._(CONSENT_TEXT),
            "sms_consent_given": partner_sudo.paylink_sms_consent_state == "given",
            "sms_number_hint": partner_sudo._get_paylink_sms_number_hint(),
            "link_sudo": link_sudo,
            "partner_name": link_sudo.partner_id.name,
            # Display the link company's name and logo.
            "res_company": link_sudo.company_id,
            "title": link_sudo.company_id.name,
            "token": link_sudo.token,
            "checkout_url": link_sudo._get_paylink_path("/checkout"),
            "part_min_amount": min(
                link_sudo.company_id.paylink_partial_min_amount, values["balance"]
            ),
            "choice_error": None,
            "other_amount": None,
            "chosen_invoice_ids": [],
            "statement_url": link_sudo._get_paylink_path("/statement"),
            "statement_error": None,
            "statement_date_from": None,
            "statement_date_to": None,
            **self._paylink_get_rating_values(link_sudo, values),
            **self._paylink_get_autopay_values(link_sudo),
        }

    def _paylink_get_autopay_values(self, link_sudo):
        """Return what the page and the payment step show of automatic payments: the
        consent's words when the company allows them, and the customer's active
        autopay, which they may turn off.

        :rtype: dict
        """
        company_sudo = link_sudo.company_id
        if not company_sudo.paylink_autopay_enabled:
            return {"autopay_text": False, "autopay_sudo": False}
        Autopay_sudo = link_sudo.env["paylink.autopay"]
        return {
            "autopay_text": Autopay_sudo._get_consent_text(company_sudo),
            "autopay_sudo": Autopay_sudo.search(
                [("link_id", "=", link_sudo.id), ("state", "=", "active")], limit=1
            ),
            "autopay_stop_url": link_sudo._get_paylink_path("/autopay/stop"),
        }

    def _paylink_get_rating_values(self, link_sudo, values):
        """Return what the page's "How did we do?" needs: nothing unless the company
        asks for ratings and something is due; then the customer's current rating, to
        change it, and the thanks after rating.

        :rtype: dict
        """
        company_sudo = link_sudo.company_id
        if not company_sudo.paylink_rating_enabled or values["state"] != "outstanding":
            return {"rating_enabled": False}
        rating_sudo = link_sudo._get_rating()
        return {
            "rating_enabled": True,
            "rating_url": link_sudo._get_paylink_path("/rating"),
            "rating_value": int(rating_sudo.rating) if rating_sudo else 0,
            "rating_feedback": rating_sudo.feedback or "",
            "rating_thanks": bool(request.httprequest.args.get("rated")),
            "rating_error": None,
            "review_url": company_sudo.paylink_review_url,
        }

    def _paylink_get_payment_values(self, link_sudo, amount):
        """Return the payment form's context for the link: the providers, payment
        methods and tokens available to its customer in its company and currency.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :param float amount: The amount to pay, to filter providers by their maximum
            amount.
        :return: The payment form's rendering values.
        :rtype: dict
        """
        company = link_sudo.company_id
        currency = company.currency_id
        partner_sudo = link_sudo.partner_id
        providers_sudo = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id,
                partner_sudo.id,
                amount,
                currency_id=currency.id,
            )
        )  # In sudo mode to read the link company's providers as the public user.
        payment_methods_sudo = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers_sudo.ids,
                partner_sudo.id,
                currency_id=currency.id,
            )
        )  # In sudo mode to read the payment methods of the providers.
        # In sudo mode like the tokens it may hold: none unless the company allows them.
        tokens_sudo = request.env["payment.token"].sudo()
        if company.paylink_allow_saved_cards:
            tokens_sudo = tokens_sudo._get_available_tokens(
                providers_sudo.ids, partner_sudo.id
            )  # In sudo mode to read the customer's tokens: a link is not a login.
        return {
            "providers_sudo": providers_sudo,
            "payment_methods_sudo": payment_methods_sudo,
            "tokens_sudo": tokens_sudo,
            # The page's own "Save card" check box replaces the providers' one.
            "show_tokenize_input_mapping": dict.fromkeys(providers_sudo.ids, False),
            "currency": currency,
            "partner_id": partner_sudo.id,
            "amount": amount,
            "transaction_route": link_sudo._get_paylink_path("/transaction"),
            "landing_route": link_sudo._get_paylink_path("?confirmation=1"),
            "access_token": None,
        }

    def _paylink_get_extra_page_values(self, link_sudo):
        """Hook for modules adding content to the payment page.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :return: Extra rendering values.
        :rtype: dict
        """
        return {}

    def _paylink_get_monitored_tx_sudo(self, link_sudo):
        """Return the transaction this browser just made through the link, if any."""
        tx_id = request.session.get(PaymentPostProcessing.MONITORED_TX_ID_KEY)
        tx_sudo = (
            request.env["payment.transaction"]
            .sudo()
            .browse(tx_id if isinstance(tx_id, int) else [])
            .exists()
        )  # In sudo mode to read the browser's own transaction, checked just below.
        return tx_sudo if tx_sudo.paylink_id == link_sudo else tx_sudo.browse()

    @staticmethod
    def _paylink_is_same_payment(
        tx_sudo, amount, provider_id, payment_method_id, token_id, tx_values
    ):
        return (
            tx_sudo.currency_id.compare_amounts(tx_sudo.amount, amount) == 0
            and tx_sudo.provider_id.id == provider_id
            and tx_sudo.payment_method_id.id
            == (payment_method_id or tx_sudo.token_id.payment_method_id.id)
            and tx_sudo.token_id.id == (token_id or False)
            and all(
                tx_sudo[field] == value
                for field, value in tx_values.items()
                if field != "paylink_id"
            )
        )

    @staticmethod
    def _paylink_abort_json(status, message, keep_transaction=False):
        """End a JSON-RPC request with an HTTP `status` and a message for the customer.

        Raising through `abort` bypasses Odoo's JSON-RPC error handler (always HTTP 200)
        and rolls the request's transaction back, so nothing is written. With
        `keep_transaction`, the request ends normally instead, its transaction
        committed, and the answer replaces Odoo's (see `ir.http`): for a failed lookup,
        whose failure is recorded.
        """
        error = {
            "code": status,
            "message": message,
            "data": {"name": "paylink", "message": message},
        }
        response = apply_security_headers(
            request.make_json_response(
                {"jsonrpc": "2.0", "id": None, "error": error},
                status=status,
            )
        )
        if keep_transaction:
            raise JsonAnswer(response)
        abort(response)
