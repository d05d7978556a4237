# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, http
from odoo.http import request

from odoo.addons.payment.controllers.portal import PaymentPortal

from ..compat import JSONRPC
from ..exceptions import PaylinkRequestError
from .common import PaylinkControllerMixin

# The longest comment a rating keeps.
RATING_FEEDBACK_MAX = 2000


class PaylinkPreferences(PaylinkControllerMixin, http.Controller):
    """What the customer tells the company from the payment page:

    - `/pay/<token>/rating`: "How did we do?", a rating of their latest invoice;
    - `/pay/<token>/autopay/stop`: automatic payments turned off;
    - `/pay/<token>/sms_consent`: their SMS reminder preference, on its own (JSON).
    """

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
            rating that is not one.
        :raise werkzeug.exceptions.NotFound: For a bad token.
        """
        link_sudo = self._paylink_check_access(token)
        value = PaymentPortal._cast_as_int(rating)
        if (
            not link_sudo.company_id.paylink_rating_enabled
            or value not in range(1, 6)
            or not isinstance(feedback, (str, type(None)))
            or len(feedback or "") > RATING_FEEDBACK_MAX
        ):
            return self._paylink_render_page(
                link_sudo,
                status=400,
                rating_error=_(
                    "Please choose from 1 to 5 stars (and a comment of at most"
                    " %(max)s characters).",
                    max=RATING_FEEDBACK_MAX,
                ),
            )
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
        :return: A redirection to the page (303).
        :raise werkzeug.exceptions.NotFound: For a bad token.
        """
        link_sudo = self._paylink_check_access(token)
        link_sudo.env["paylink.autopay"].search(
            [("link_id", "=", link_sudo.id), ("state", "in", ("pending", "active"))]
        )._stop("customer")
        return request.redirect(link_sudo._get_paylink_path(), code=303)

    @http.route(
        "/pay/<string:token>/sms_consent", type=JSONRPC, auth="public", sitemap=False
    )
    def paylink_sms_consent(self, token, consent=None, csrf_token=None, **kwargs):
        """Record the customer's SMS reminder preference, on its own, without a payment.

        :param str token: The payment link token.
        :param bool consent: Whether the customer agrees to SMS reminders.
        :param str csrf_token: The page's CSRF token.
        :return: `{'state': 'given'|'withdrawn'|'none'}`, the current state after the
            request.
        :rtype: dict
        :raise werkzeug.exceptions.NotFound: For a bad token.
        :raise PaylinkRequestError: For a bad preference, or a customer without a
            number to text.
        """
        link_sudo = self._paylink_check_access(token)
        self._paylink_check_csrf(csrf_token)
        if kwargs or not isinstance(consent, bool):
            raise PaylinkRequestError(_("Invalid reminder preference."))
        partner_sudo = link_sudo.partner_id
        if not partner_sudo._get_paylink_sms_number():
            raise PaylinkRequestError(
                _(
                    "We have no mobile number on file for you. Please contact us to"
                    " add one."
                )
            )
        # In sudo mode to record the choice of the customer the token proved: the public
        # user has no access to consents.
        Consent_sudo = request.env["paylink.sms.consent"].sudo()
        Consent_sudo._record_from_request(link_sudo, consent, request.httprequest)
        current = Consent_sudo._get_current_by_partner(partner_sudo)[partner_sudo]
        return {"state": current.state or "none"}
