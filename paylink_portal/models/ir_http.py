# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.http import request

from ..utils import apply_security_headers, is_paylink_path


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _post_dispatch(cls, response):
        """Override of `base` to protect each payment link response."""
        res = super()._post_dispatch(response)
        if is_paylink_path(request.httprequest.path):
            apply_security_headers(response)
        return res

    @classmethod
    def _handle_error(cls, exception):
        """Override of `base` to answer the payment link's refusals (a bad link, a
        client that failed too many lookups, a payment that cannot be made) with the
        link's own page or JSON error (see `paylink_error_response`)."""
        if is_paylink_path(request.httprequest.path):
            # Imported here: the controllers import the models.
            from ..controllers.common import paylink_error_response

            response = paylink_error_response(exception)
            if response is not None:
                return response
        return super()._handle_error(exception)

    @classmethod
    def _serve_fallback(cls):
        """Override of `base` to serve no attachment under the payment link paths: a bad
        link gets the plain 404 page, and its raw path (maybe holding a NUL byte, which
        PostgreSQL rejects with an error) never reaches an attachment query."""
        if is_paylink_path(request.httprequest.path):
            return None
        return super()._serve_fallback()
