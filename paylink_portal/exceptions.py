# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError


class PaylinkRequestError(UserError):
    """A request made through a payment link that cannot be honoured: an amount out of
    range, an invoice no longer open, figures that changed since the customer saw them,
    a parameter that is not one. Its message is for the customer; `status` is the HTTP
    status of the answer (see `controllers.common.paylink_error_response`)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status
