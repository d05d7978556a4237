# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging

import psycopg2

from odoo import Command, _, api, fields, models

_logger = logging.getLogger(__name__)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    paylink_id = fields.Many2one(
        string="Payment Link",
        comodel_name="paylink.link",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    paylink_tip_percent = fields.Integer(string="Tip (%)", readonly=True)
    paylink_tip_amount = fields.Monetary(
        string="Tip",
        currency_field="currency_id",
        readonly=True,
    )
    paylink_allocation = fields.Json(
        string="Part Payment Allocation",
        readonly=True,
        help="For a payment of part of the balance: the invoices it settles, in order,"
        " as [invoice id, amount] pairs, as the customer saw them before paying.",
    )
    paylink_discounts = fields.Json(
        string="Early Payment Discounts",
        readonly=True,
        help="The early-payment discounts the payment takes, as [invoice id, discount]"
        " pairs: each invoice is settled in full, the discount booked as Register"
        " Payment books it.",
    )
    paylink_autopay_id = fields.Many2one(
        string="Autopay",
        comodel_name="paylink.autopay",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The automatic payments this payment agreed to, or the consent it was"
        " charged for.",
    )
    paylink_save_card = fields.Boolean(string="Save Card Requested", readonly=True)
    paylink_sms_consent = fields.Boolean(string="SMS Consent Given", readonly=True)
    paylink_tip_invoice_id = fields.Many2one(
        string="Tip Invoice",
        comodel_name="account.move",
        readonly=True,
    )
    paylink_receipt_pending = fields.Boolean(
        string="Receipt to Send",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Paid through a payment link; its receipt leaves with the next run of the"
        " receipts' scheduled action.",
    )

    # === BUSINESS METHODS - POST-PROCESSING === #

    def _post_process(self):
        """Override of `account_payment` to invoice the tip before the payment is
        created, so that the payment settles the tip as revenue, and to settle the
        rest of the balance with it."""
        for tx in self.filtered(
            lambda t: (
                t.state == "done"
                and t.paylink_id
                and t.operation != "validation"
                and not t.currency_id.is_zero(t.paylink_tip_amount)
                and not t.paylink_tip_invoice_id
            )
        ):
            tip_invoice = tx.with_company(tx.company_id)._paylink_create_tip_invoice()
            tx.write(
                {
                    "paylink_tip_invoice_id": tip_invoice.id,
                    "invoice_ids": [Command.link(tip_invoice.id)],
                }
            )
        res = super()._post_process()
        for tx in self.filtered(
            lambda t: t.state == "done" and t.paylink_id and t.payment_id
        ):
            # In the company of the transaction, like the payment: the public user's
            # company may differ.
            autopay = tx.paylink_autopay_id
            if autopay.state == "pending" and tx.token_id:
                autopay._activate(tx.token_id)
            if tx.paylink_allocation:
                tx.with_company(tx.company_id)._paylink_reconcile_allocation()
            else:
                tx.with_company(tx.company_id)._paylink_reconcile_open_items()
            if not tx.paylink_receipt_pending:
                tx.paylink_receipt_pending = True
                # Not in this request: rendering the receipt's PDF, wkhtmltopdf asks
                # the HTTP workers for its stylesheets, and with every worker
                # rendering one, none would answer.
                self.env.ref("paylink_portal.ir_cron_paylink_receipts")._trigger()
        return res

    @api.model
    def _cron_send_paylink_receipts(self):
        """Email the receipt of every payment made through a link since the last run,
        once each (a receipt that could not be sent is logged, not retried)."""
        for tx in self.search([("paylink_receipt_pending", "=", True)]):
            tx.paylink_receipt_pending = False
            tx._paylink_send_receipt()

    def _paylink_create_tip_invoice(self):
        """Create and post the invoice of the tip, with the company's tip product."""
        self.ensure_one()
        company = self.paylink_id.company_id
        product = company._get_paylink_tip_product()
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "currency_id": self.currency_id.id,
                    "invoice_origin": self.reference,
                    "ref": _(
                        "Tip (%(percent)s%%) paid online, %(reference)s",
                        percent=self.paylink_tip_percent,
                        reference=self.reference,
                    ),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": _(
                                    "Tip (%(percent)s%%)",
                                    percent=self.paylink_tip_percent,
                                ),
                                "quantity": 1,
                                "price_unit": self.paylink_tip_amount,
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment` to book the early-payment discounts the
        customer was offered (`paylink_discounts`) as Register Payment books them
        (`account.payment.register._create_payment_vals_from_batch`): write-off lines
        on the company's early-payment discount accounts, and taxes where the term's
        computation says so. Odoo's own booking, which takes one invoice's discount
        when the amount matches it, is left out for these payments: with a tip or
        several invoices it would book none, or a discount twice."""
        if not self.paylink_id:
            return super()._create_payment(**extra_create_values)
        write_off_lines = self._paylink_get_discount_lines()
        if write_off_lines:
            extra_create_values["write_off_line_vals"] = [
                *extra_create_values.get("write_off_line_vals", []),
                *write_off_lines,
            ]
        return super(
            PaymentTransaction, self.with_context(paylink_skip_odoo_epd=True)
        )._create_payment(**extra_create_values)

    def _paylink_get_discount_lines(self):
        """Return the write-off lines of the early-payment discounts of
        `paylink_discounts` still open on the day the customer paid (the
        transaction's), in the transaction's currency.

        :rtype: list
        """
        self.ensure_one()
        if not self.paylink_discounts:
            return []
        invoices = self.env["account.move"].browse(
            [invoice_id for invoice_id, _discount in self.paylink_discounts]
        )
        paid_on = fields.Date.context_today(self, self.create_date)
        currency = self.currency_id
        company = self.company_id
        epd_aml_values_list = []
        open_amount_currency = 0.0
        for invoice in invoices.exists():
            if invoice.state != "posted" or not (
                invoice._is_eligible_for_early_payment_discount(currency, paid_on)
            ):
                continue
            for aml in invoice.line_ids.filtered(
                lambda line: line.display_type == "payment_term" and not line.reconciled
            ):
                # In the company currency at the day's rate, as Register Payment
                # converts (`_create_payment_vals_from_batch`); the same amounts for
                # an invoice in the company currency.
                epd_aml_values_list.append(
                    {
                        "aml": aml,
                        "amount_currency": -aml.amount_residual_currency,
                        "balance": currency._convert(
                            -aml.amount_residual_currency,
                            aml.company_currency_id,
                            company,
                            paid_on,
                        ),
                    }
                )
                open_amount_currency += (
                    aml.amount_residual_currency - aml.discount_amount_currency
                )
        if not epd_aml_values_list:
            return []
        open_balance = currency._convert(
            open_amount_currency, company.currency_id, company, paid_on
        )
        counterparts = self.env[
            "account.move"
        ]._get_invoice_counterpart_amls_for_early_payment_discount(
            epd_aml_values_list, open_balance
        )
        return [line for lines in counterparts.values() for line in lines]

    def _paylink_reconcile_allocation(self):
        """Apply a part payment to the invoices the customer was shown, in that order
        and for those amounts: each in turn takes what it was shown (with its
        early-payment discount, when one was booked), its receivable items oldest due
        first (an instalment before the next), the last one what the payment has
        left. The tip's invoice was settled first, by Odoo, as the transaction's only
        invoice. Done once: an invoice already reconciled with the payment is not
        matched again."""
        self.ensure_one()
        account = self.payment_id.destination_account_id
        payment_lines = self.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id == account
        )
        discounts = dict(self.paylink_discounts or [])
        amounts = {
            invoice_id: amount + discounts.get(invoice_id, 0.0)
            for invoice_id, amount in self.paylink_allocation
        }
        invoices = self.env["account.move"].browse(list(amounts)).exists()
        for invoice in invoices:
            open_payment_lines = payment_lines.filtered(
                lambda line: not line.reconciled
            )
            invoice_lines = invoice.line_ids.filtered(
                lambda line: line.account_id == account and not line.reconciled
            ).sorted(lambda line: (line.date_maturity or line.date, line.id))
            # The items the amount reaches: an instalment not reached stays open.
            # In the invoice's currency, the payment's.
            currency = invoice.currency_id
            reached = invoice_lines.browse()
            left = amounts[invoice.id]
            for line in invoice_lines:
                if currency.compare_amounts(left, 0) <= 0:
                    break
                reached |= line
                left -= line.amount_residual_currency
            if not open_payment_lines or not reached:
                continue
            (open_payment_lines + reached).reconcile()
        self.invoice_ids = [Command.link(invoice.id) for invoice in invoices]

    def _paylink_reconcile_open_items(self):
        """Reconcile the customer's open receivable items once the payment is posted.

        The payment settled the open invoices it was linked to; the displayed balance
        also counts credit notes and manual entries, which are matched here, oldest due
        first, so that paying the displayed balance leaves nothing open. Only the items
        in the payment's currency: a balance in another currency is paid on its own.
        """
        self.ensure_one()
        open_lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.paylink_id.partner_id.id),
                ("currency_id", "=", self.currency_id.id),
                ("company_id", "child_of", self.paylink_id.company_id.root_id.id),
                ("account_id", "=", self.payment_id.destination_account_id.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ],
            order="date_maturity, date, id",
        )
        if open_lines.filtered(
            lambda line: line.amount_residual > 0
        ) and open_lines.filtered(lambda line: line.amount_residual < 0):
            open_lines.reconcile()

    def _paylink_send_receipt(self):
        """Email Odoo's standard payment receipt to the customer.

        The receipt is a courtesy: failing to render it (its PDF needs wkhtmltopdf)
        must not undo the payment, so it is attempted in a savepoint and a failure is
        only logged.
        """
        self.ensure_one()
        template = self.env.ref(
            "account.mail_template_data_payment_receipt", raise_if_not_found=False
        )
        if not template or not self.payment_id.partner_id.email:
            return
        # The payment's own pending writes must fail (and be retried) as such, not be
        # swallowed by the savepoint.
        self.env.flush_all()
        try:
            with self.env.cr.savepoint():
                template.send_mail(
                    self.payment_id.id,
                    email_layout_xmlid="mail.mail_notification_light",
                )
        except psycopg2.OperationalError:
            raise  # A concurrent update: the caller retries the whole post-processing.
        except Exception:  # noqa: BLE001 - any rendering or mail error
            _logger.warning(
                "Payment link: could not send the receipt of transaction %s.",
                self.reference,
                exc_info=True,
            )
