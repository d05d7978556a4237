# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, http
from odoo.http import request

from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

from ..compat import JSONRPC, readonly_route
from ..exceptions import PaylinkRequestError
from ..utils import apply_security_headers
from .common import PaylinkControllerMixin


def _paylink_page_only_reads():
    """Whether a request of the payment page only reads: all but the landing page after
    a payment, which must show the payment just made, on the primary (a replica may
    not have replayed it yet)."""
    return "confirmation" not in request.httprequest.args


class PaylinkPortal(PaylinkControllerMixin, http.Controller):
    """The customer's payment page, opened from the payment link:

    - `/pay/<token>`: the page (balance, charges, open invoices, tips, "Pay");
    - `/pay/<token>/summary`: its live figures, re-rendered when they changed (JSON);
    - `/pay/<token>/opened`: one opening of the page, counted for the office.

    The page and its refresh only read: `readonly=True` serves them from a read replica
    where Odoo has one (`db_replica_host`); a failed lookup is recorded on the primary
    (see `paylink.lookup.failure`).
    """

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
        readonly=readonly_route(_paylink_page_only_reads),
    )
    def paylink_page(self, token, confirmation=None, currency=None, **kwargs):
        """Display the customer's payment page.

        :param str token: The payment link token.
        :param str confirmation: Set on the landing route after a payment: show its
            outcome.
        :param str currency: The ISO code of the balance to show, for a customer with
            balances in several currencies (see `paylink.ledger._get_summary`).
        :param dict kwargs: Unused; tolerated so that tracking parameters added by
                            messaging apps do not break the link.
        :return: The rendered payment page.
        :rtype: str
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        """
        link_sudo = self._paylink_check_access(token)
        values = {}
        if confirmation:
            tx_sudo = self._paylink_get_monitored_tx_sudo(link_sudo)
            # The new balance in the payment's currency, even when nothing is left.
            values.update(paylink_tx_sudo=tx_sudo, currency=tx_sudo.currency_id)
        return self._paylink_render_page(link_sudo, currency_name=currency, **values)

    @http.route(
        "/pay/<string:token>/summary",
        type=JSONRPC,
        auth="public",
        sitemap=False,
        readonly=True,
    )
    def paylink_summary(self, token, fingerprint=None, currency=None, **kwargs):
        """Return the page's live figures, re-rendered, when they changed since
        `fingerprint`.

        :param str token: The payment link token.
        :param str fingerprint: The fingerprint of the figures the browser displays.
        :param str currency: The ISO code of the balance the page shows.
        :return: `{'fingerprint': str, 'state': str, 'html': str}`, `html` being False
                 when nothing changed.
        :rtype: dict
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        :raise PaylinkRequestError: For any other parameter.
        """
        link_sudo = self._paylink_check_access(token)
        if kwargs or not all(
            isinstance(value, (str, type(None))) for value in (fingerprint, currency)
        ):
            raise PaylinkRequestError(_("Invalid request."))
        values = self._paylink_prepare_page_values(link_sudo, currency)
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
        :return: An empty answer (204).
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        """
        link_sudo = self._paylink_check_access(token)
        # In sudo mode to count for the link the token proved: the public user has no
        # access to the counts.
        request.env["paylink.link.open"].sudo()._record(link_sudo)
        return apply_security_headers(request.make_response("", status=204))

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
