# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import models
from odoo.tools.sql import create_index

# The customer documents with something left to settle: the open invoices and credit
# notes the payment page lists. The index below and `paylink.ledger._get_open_documents`
# take it from here (see account_move_line.py for why).
OPEN_DOCUMENTS_WHERE = (
    "state = 'posted' AND move_type IN ('out_invoice', 'out_refund')"
    " AND payment_state IN ('not_paid', 'partial')"
)
OPEN_DOCUMENTS_INDEX = "paylink_am_partner_open_documents_idx"


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        """Index the customer's open documents in the page's order (oldest due first),
        so that listing the first 50 reads them alone, whatever the history."""
        res = super().init()
        create_index(
            self.env.cr,
            OPEN_DOCUMENTS_INDEX,
            self._table,
            ["commercial_partner_id", "invoice_date_due", "invoice_date", "id"],
            where=OPEN_DOCUMENTS_WHERE,
        )
        return res

    def _get_invoice_next_payment_values(self, custom_amount=None):
        """Override of `account` so that `account_payment`'s `_create_payment` leaves
        the early-payment discounts of a payment link's transaction to the
        transaction (`payment.transaction._paylink_get_discount_lines`), which books
        each one it offered, once."""
        values = super()._get_invoice_next_payment_values(custom_amount=custom_amount)
        if (
            self.env.context.get("paylink_skip_odoo_epd")
            and values.get("installment_state") == "epd"
        ):
            values = {**values, "installment_state": False}
        return values

    def _get_paylink_qr_url(self):
        """Return the URL of the payment link to print on this customer invoice or
        credit note as a QR code (`paylink_portal.paylink_qr_block`), or False: the
        customer's live link in the invoice's company, when the company prints them.

        :rtype: str or bool
        """
        self.ensure_one()
        if not self.is_sale_document():
            return False
        return self.env["paylink.link"]._get_printed_url(
            self.commercial_partner_id, self.company_id
        )

    def _compute_display_link_qr_code(self):
        """Override of `account` (19.0 only: 18.0 has no such code and never calls
        this) to print one QR code per invoice: ours, when the invoice prints the
        customer's payment link (`_get_paylink_qr_url`), instead of Odoo's "PAY IN A
        FLASH!" one. Ours opens the customer's whole account, every open invoice and
        the statement, and stays right after a part payment; Odoo's pays this invoice's
        residual of the day it was printed."""
        res = super()._compute_display_link_qr_code()
        for move in self.filtered("display_link_qr_code"):
            if move._get_paylink_qr_url():
                move.display_link_qr_code = False
        return res
