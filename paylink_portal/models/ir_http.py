# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.http import request

from ..utils import JsonAnswer, apply_security_headers, is_paylink_path


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls, endpoint):
        """Override of `base` to end a JSON route with the answer it raised, the
        transaction kept (a failed link lookup is recorded in it)."""
        try:
            return super()._dispatch(endpoint)
        except JsonAnswer as answer:
            request.paylink_json_answer = answer.response
            return None

    @classmethod
    def _post_dispatch(cls, response):
        """Override of `base` to protect each payment link response, error pages too,
        and to send the answer a JSON route raised instead of Odoo's."""
        answer = getattr(request, "paylink_json_answer", None)
        if answer is not None:
            response.set_data(answer.get_data())
            response.status_code = answer.status_code
        res = super()._post_dispatch(response)
        if is_paylink_path(request.httprequest.path):
            apply_security_headers(response)
        return res

    @classmethod
    def _serve_fallback(cls):
        """Override of `base` to serve no attachment under the payment link paths: a bad
        link gets the plain 404 page, and its raw path (maybe holding a NUL byte, which
        PostgreSQL rejects with an error) never reaches an attachment query."""
        if is_paylink_path(request.httprequest.path):
            return None
        return super()._serve_fallback()
