# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the controllers of `/pay/<token>/...` share: the one access check, the link's
context, the light pages and their values, and the answer to every refusal."""

import functools
import gzip
import logging
import re

from markupsafe import Markup
from werkzeug.exceptions import BadRequest, NotFound, TooManyRequests
from werkzeug.http import parse_accept_header

from odoo import _
from odoo.exceptions import UserError
from odoo.http import JsonRPCDispatcher, request
from odoo.tools import config, file_open, format_amount, format_date

from odoo.addons.payment.controllers.portal import PaymentPortal

from ..exceptions import PaylinkRequestError
from ..models.ir_asset import PAY_STEP_BUNDLE
from ..models.paylink_lookup_failure import WINDOW
from ..models.paylink_sms_consent import CONSENT_TEXT
from ..utils import apply_security_headers

_logger = logging.getLogger(__name__)

# The light layout's stylesheets: the page's, and the payment step's for Odoo's payment
# form.
PAGE_STYLESHEET = "paylink_portal/static/src/page/paylink_page.css"
PAY_STEP_STYLESHEET = "paylink_portal/static/src/pay_step/pay_step.css"

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_HEX_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@functools.cache
def _warn_without_proxy_mode():
    """Log, once per process, that the rate limit sees a proxy's address."""
    _logger.warning(
        "Payment links: requests carry X-Forwarded-For but Odoo does not run in proxy"
        " mode (--proxy-mode): every customer then has the proxy's address, and the"
        " rate limit of failed link lookups counts them all as one client."
    )


class PaylinkControllerMixin:
    """The helpers of the payment link's controllers. Odoo merges the controllers a
    module extends into one class each, so every name here starts with `_paylink_`."""

    # === ACCESS === #

    def _paylink_check_access(self, token):
        """Return the link proven by `token`, in sudo mode, and serve the rest of the
        request in its context (`_paylink_switch_to_link_context`).

        A valid link is always served: only a client's failed lookups count, and only
        they are refused once it failed too many (`paylink.lookup.failure`).

        :param str token: The token taken from the URL.
        :rtype: recordset of `paylink.link`
        :raise werkzeug.exceptions.NotFound: For every token that proves no live link.
        :raise werkzeug.exceptions.TooManyRequests: When the lookup failed and this
            client failed too many.
        """
        link_sudo = request.env["paylink.link"]._get_link_sudo(token)
        if not link_sudo:
            if request.env["paylink.lookup.failure"]._check_and_record(
                self._paylink_client_ip()
            ):
                raise TooManyRequests(retry_after=int(WINDOW.total_seconds()))
            raise NotFound()  # Don't leak information about tokens.
        return self._paylink_switch_to_link_context(link_sudo)

    def _paylink_check_document_access(self, token, document_id):
        """Return the link proven by `token` and its customer's invoice or credit note
        `document_id`, both in sudo mode.

        :raise werkzeug.exceptions.NotFound: For a bad token, and for any id but a
            posted invoice or credit note of the link's customer with its company: the
            same answer for both.
        :raise werkzeug.exceptions.TooManyRequests: As `_paylink_check_access`.
        """
        link_sudo = self._paylink_check_access(token)
        document_sudo = link_sudo._get_document(PaymentPortal._cast_as_int(document_id))
        if not document_sudo:
            raise NotFound()  # Don't leak information about ids.
        return link_sudo, document_sudo

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

    def _paylink_client_ip(self):
        """Return the client's address, the key of the rate limit; warn once when Odoo
        is not in proxy mode behind a proxy, where every customer shares its address."""
        httprequest = request.httprequest
        if not config["proxy_mode"] and "X-Forwarded-For" in httprequest.headers:
            _warn_without_proxy_mode()
        return httprequest.remote_addr

    def _paylink_check_csrf(self, csrf_token):
        """Check the CSRF token a JSON request of the page sent.

        :raise PaylinkRequestError: When it is not the session's.
        """
        if not isinstance(csrf_token, str) or not request.validate_csrf(csrf_token):
            raise PaylinkRequestError(
                _("Your session has expired. Reload the page and try again.")
            )

    # === PAGE === #

    def _paylink_prepare_page_values(
        self, link_sudo, currency_name=None, currency=None
    ):
        """Return the rendering values of the payment page: the account's figures
        (`paylink.link._get_account_summary`), the tips, and Odoo's formatting of
        amounts and dates in the customer's language.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :param str currency_name: The ISO code of the currency the customer chose
            (see `paylink.ledger._get_summary`); anything else reads as none.
        :param recordset currency: The currency to show even without a balance in it:
            that of the payment just made.
        :rtype: dict
        """
        if not isinstance(currency_name, str):
            currency_name = None
        summary = link_sudo._get_account_summary(currency_name, currency)
        partner_sudo = link_sudo.partner_id
        company_sudo = link_sudo.company_id
        currency = summary["currency"]
        return {
            **summary,
            "summary": summary,
            # The currency the page is read in, sent by its forms and its refresh,
            # unless the customer has one balance, in the company currency.
            "currency_param": (
                len(summary["currencies"]) > 1 or currency != company_sudo.currency_id
            )
            and currency.name,
            # The list of balances, when there are several, or when the page shows
            # another currency (one just paid).
            "show_currencies": len(summary["currencies"]) > 1
            or any(entry["currency"] != currency for entry in summary["currencies"]),
            "page_url": link_sudo._get_paylink_path(),
            # On what settles the account today (less any early-payment discount).
            "tips": summary["state"] == "outstanding"
            and link_sudo._get_tip_options(summary["amount_to_settle"], currency)
            or [],
            # Instalments due later: what is due now can be paid on its own.
            "due_now_part": summary["state"] == "outstanding"
            and summary["currency"].compare_amounts(summary["due_now"], 0) > 0
            and summary["currency"].compare_amounts(
                summary["due_now"], summary["amount_to_settle"]
            )
            < 0,
            **self._paylink_get_format_values(link_sudo.env),
            **self._paylink_get_extra_page_values(link_sudo),
            "sms_consent_text": link_sudo.env._(CONSENT_TEXT),
            "sms_consent_given": partner_sudo.paylink_sms_consent_state == "given",
            "sms_number_hint": partner_sudo._get_paylink_sms_number_hint(),
            "link_sudo": link_sudo,
            "partner_name": partner_sudo.name,
            # Display the link company's name and logo.
            "res_company": company_sudo,
            "title": company_sudo.name,
            "token": link_sudo.token,
            "checkout_url": link_sudo._get_paylink_path("/checkout"),
            "part_min_amount": min(
                link_sudo._get_part_min_amount(currency), summary["balance"]
            ),
            "statement_url": link_sudo._get_paylink_path("/statement"),
            **self._paylink_get_rating_values(link_sudo, summary),
            **self._paylink_get_autopay_values(link_sudo),
        }

    @staticmethod
    def _paylink_get_format_values(env):
        """Return the page's formatting of amounts and dates: Odoo's own `format_amount`
        and `format_date`, in the language of `env` (the customer's), each value
        formatted once per rendering (`_once`).

        :rtype: dict
        """
        return {
            "format_amount": _once(functools.partial(format_amount, env)),
            "format_date": _once(functools.partial(format_date, env)),
        }

    def _paylink_get_extra_page_values(self, link_sudo):
        """Hook for modules adding content to the payment page.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :return: Extra rendering values.
        :rtype: dict
        """
        return {}

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
            "review_url": company_sudo.paylink_review_url,
        }

    def _paylink_render_page(
        self, link_sudo, status=200, currency_name=None, currency=None, **values
    ):
        """Render the payment page, with `values` added to its own: the message of a
        choice that could not be made, and what the customer entered then.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :param int status: The HTTP status.
        :param str currency_name: The currency the customer chose.
        :param recordset currency: The currency to show even without a balance.
        :rtype: odoo.http.Response
        """
        return self._paylink_render(
            "paylink_portal.pay_page",
            {
                **self._paylink_prepare_page_values(link_sudo, currency_name, currency),
                "pay_step_asset_urls": self._paylink_get_pay_step_asset_urls(),
                **values,
            },
            status=status,
        )

    def _paylink_get_pay_step_asset_urls(self):
        """Return the URLs of the payment step's scripts (`assets_pay_step`, built once,
        then cached like any Odoo bundle), for the page's script to fetch ahead; none
        for a browser that asks to save data (`Save-Data: on`).

        :rtype: list
        """
        if request.httprequest.headers.get("Save-Data", "").lower() == "on":
            return []
        return request.env["ir.qweb"]._get_asset_links(PAY_STEP_BUNDLE, css=False)

    def _paylink_render(self, template, values, status=200, headers=None):
        """Render one of the pages in the light layout (see `paylink_render`)."""
        return paylink_render(template, values, status=status, headers=headers)


def paylink_render(template, values, status=200, headers=None):
    """Render one of the pages in the light layout (`pay_light_layout`), with its
    inlined stylesheet and, on the payment page, the company's colours and the page's
    script; on the payment step (`paylink_pay_step` in `values`), the payment form's
    stylesheet too. A complete page is gzipped for a browser that accepts it.

    :param str template: The template's XML id.
    :param dict values: The rendering values.
    :rtype: odoo.http.Response
    """
    company_sudo = values.get("res_company")
    css = page_stylesheet()
    if values.get("paylink_pay_step"):
        css += page_stylesheet(PAY_STEP_STYLESHEET)
    response = request.render(
        template,
        {
            "paylink_css": css,
            "paylink_theme_style": company_sudo
            and theme_style(company_sudo.primary_color),
            "paylink_script": bool(company_sudo),
            **values,
        },
        status=status,
        headers=headers,
    )
    # Its markup and inlined stylesheets, a third as many bytes gzipped.
    return gzip_response(response)


def paylink_error_response(exception):
    """Return the answer to `exception`, raised while serving a payment link route, or
    None when it is not one of the link's refusals: the one place where they become a
    page or a JSON-RPC error (called by `ir.http._handle_error`).

    - a bad link or id (`NotFound`): the same "not valid" page, or JSON error, whatever
      the token or id (404);
    - a client that failed too many lookups (`TooManyRequests`): the "too many
      attempts" page, or JSON error (429, with `Retry-After`);
    - on a JSON route, a request that cannot be honoured (`PaylinkRequestError`, or
      any `UserError` or `BadRequest`, such as a provider's refusal or a parameter
      Odoo's payment controller does not accept): its message, with its status.

    :rtype: odoo.http.Response or None
    """
    is_json = isinstance(request.dispatcher, JsonRPCDispatcher)
    if isinstance(exception, NotFound):
        status = 404
        message = _(
            "This payment link is no longer valid. Please ask us for a new one."
        )
        template, title = (
            "paylink_portal.pay_page_not_found",
            _("This payment link is not valid"),
        )
    elif isinstance(exception, TooManyRequests):
        status = 429
        message = _("Too many attempts. Please wait a minute and try again.")
        template, title = "paylink_portal.pay_page_rate_limited", _("Too many attempts")
    elif is_json and isinstance(exception, UserError):
        status = getattr(exception, "status", 400)
        message = exception.args[0]
    elif is_json and isinstance(exception, BadRequest):
        # Odoo 19.0's `_validate_transaction_kwargs` refuses a key with this (18.0: a
        # ValidationError, a UserError).
        status = 400
        message = exception.description
    else:
        return None
    headers = {}
    if isinstance(exception, TooManyRequests) and exception.retry_after:
        headers["Retry-After"] = str(exception.retry_after)
    if is_json:
        error = {
            "code": status,
            "message": message,
            "data": {"name": "paylink", "message": message},
        }
        response = request.make_json_response(
            {"jsonrpc": "2.0", "id": request.dispatcher.request_id, "error": error},
            headers=list(headers.items()),
            status=status,
        )
    else:
        response = paylink_render(
            template, {"title": title}, status=status, headers=headers
        )
        # Rendered now, in the request's transaction, which then ends.
        response.flatten()
    return apply_security_headers(response)


@functools.lru_cache(maxsize=4)
def _once(function):
    """Return `function`, remembering its result for each arguments: a page of open
    invoices formats the same amounts and dates again and again (an invoice's residual
    in the list and beside its check box, its dates), and each of Odoo's formatting
    calls looks the language up again."""
    results = {}

    def formatted(*args, **kwargs):
        # By their representation, which any argument has: -0.0 equals 0.0, but is not
        # formatted alike.
        key = repr((args, sorted(kwargs.items())))
        if key not in results:
            results[key] = function(*args, **kwargs)
        return results[key]

    return formatted


def _gzip(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def gzip_response(response, cache=False):
    """Return `response` gzipped when the browser accepts it and it is a complete 200.
    Odoo's own server compresses nothing, leaving it to a proxy in front; on a phone's
    slow network, where none may compress, every byte of the payment step counts.

    :param odoo.http.Response response: An answer of a route, maybe lazy or streamed.
    :param bool cache: Keep the compressed bytes (an asset bundle, the same for every
        customer) rather than compressing each time (a page).
    :rtype: odoo.http.Response
    """
    accepted = parse_accept_header(request.httprequest.headers.get("Accept-Encoding"))
    if (
        response.status_code != 200
        or not accepted["gzip"]
        or "Content-Encoding" in response.headers
    ):
        return response
    if hasattr(response, "flatten"):
        response.flatten()
    # A file Odoo streams is read whole.
    response.direct_passthrough = False
    data = response.get_data()
    response.set_data(_gzip(data) if cache else gzip.compress(data, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response


@functools.cache
def page_stylesheet(path=PAGE_STYLESHEET):
    """Return one of the light layout's stylesheets, to inline in the HTML: without
    comments and indentation, read once per process.

    :param str path: The stylesheet's path: the page's, or the payment step's.
    :rtype: markupsafe.Markup
    """
    with file_open(path) as css_file:
        css = _CSS_COMMENT.sub("", css_file.read())
    return Markup(" ".join(css.split()))


def _relative_luminance(hex_color):
    """WCAG's relative luminance of a `#rgb` or `#rrggbb` colour."""
    digits = hex_color[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = []
    for index in (0, 2, 4):
        value = int(digits[index : index + 2], 16) / 255
        channels.append(
            value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        )
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def theme_style(primary_color):
    """Return the CSS variables that paint the payment page in a company's colour, or
    False when it has none, not a plain hex colour or one too light for the page's white
    background: buttons in that colour, their text in black or white, whichever
    contrasts more (at least 4.58:1 whatever the colour).

    :param str primary_color: The company's `primary_color`.
    :rtype: str or bool
    """
    if not primary_color or not _HEX_COLOR.match(primary_color):
        return False
    luminance = _relative_luminance(primary_color)
    # WCAG contrast with white text and with black text.
    white_contrast = 1.05 / (luminance + 0.05)
    black_contrast = (luminance + 0.05) / 0.05
    # A colour too light to tell a selected tip from the white ones is not used.
    if white_contrast < 3:
        return False
    on_primary = "#fff" if white_contrast >= black_contrast else "#000"
    return f"--pl-primary:{primary_color};--pl-on-primary:{on_primary}"
