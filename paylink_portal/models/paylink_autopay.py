# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import json
import logging

from odoo import _, api, fields, models
from odoo.fields import Command
from odoo.tools import format_amount, format_list

from ..compat import charge_with_token

_logger = logging.getLogger(__name__)

# A failed charge is tried again once, the next day; then autopay stops.
MAX_FAILURES = 2


class PaylinkAutopay(models.Model):
    """A customer's consent to be charged automatically, with the card they saved while
    paying through their link, when their balance reaches the company's threshold; and
    the state of those charges. Only the daily cron charges: no public route can."""

    _name = "paylink.autopay"
    _description = "Customer Payment Link Autopay"
    _order = "consent_date desc, id desc"
    _rec_name = "partner_id"

    link_id = fields.Many2one(
        string="Payment Link",
        comodel_name="paylink.link",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="link_id.partner_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(related="link_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    token_id = fields.Many2one(
        string="Card",
        comodel_name="payment.token",
        readonly=True,
        ondelete="set null",
    )
    threshold = fields.Monetary(currency_field="currency_id", readonly=True)
    state = fields.Selection(
        selection=[
            ("pending", "Awaiting the card"),
            ("active", "Active"),
            ("stopped", "Stopped"),
            ("failed", "Stopped after failed charges"),
        ],
        required=True,
        default="pending",
        readonly=True,
    )
    consent_text = fields.Text(string="Text Agreed To", readonly=True)
    consent_date = fields.Datetime(
        string="Agreed On", required=True, readonly=True, default=fields.Datetime.now
    )
    ip_address = fields.Char(string="IP Address", readonly=True)
    user_agent = fields.Char(string="Browser", readonly=True)
    stop_date = fields.Datetime(string="Stopped On", readonly=True)
    stopped_by = fields.Selection(
        selection=[
            ("customer", "Customer"),
            ("staff", "Staff"),
            ("failure", "Failed charges"),
        ],
        readonly=True,
    )
    failure_count = fields.Integer(readonly=True)
    last_attempt_date = fields.Datetime(string="Last Charge Attempt", readonly=True)
    # A JSON object: the fingerprint of the balance last charged in each currency, by
    # currency code (`_get_charged_fingerprints`).
    last_charged_fingerprint = fields.Char(
        readonly=True,
        help="The figures of the balance last charged: one balance is charged once.",
    )
    transaction_ids = fields.One2many(
        string="Charges",
        comodel_name="payment.transaction",
        inverse_name="paylink_autopay_id",
        readonly=True,
    )

    # === ACTION METHODS === #

    def action_stop(self):
        """Stop automatic charges, as staff."""
        self._stop("staff")

    # === BUSINESS METHODS === #

    @api.model
    def _record_from_request(self, link_sudo, httprequest, transaction):
        """Record the customer's consent given with `transaction`: pending until the
        payment saves the card, then active (`_activate`).

        :param recordset link_sudo: The `paylink.link` the customer proved (sudo).
        :param httprequest: The werkzeug request, for the IP address and the browser.
        :param recordset transaction: The payment that saves the card.
        """
        company = link_sudo.company_id
        autopay = self.create(
            {
                "link_id": link_sudo.id,
                "threshold": company.paylink_autopay_threshold,
                "consent_text": self._get_consent_text(company),
                "ip_address": httprequest.remote_addr,
                "user_agent": (httprequest.user_agent.string or "")[:512],
            }
        )
        transaction.paylink_autopay_id = autopay
        return autopay

    @api.model
    def _get_consent_text(self, company):
        """The words the customer agrees to, with the company's threshold, as the page
        shows them in the current language; each consent stores them as shown."""
        return self.env._(
            "Charge this card automatically when my balance reaches %(amount)s",
            amount=format_amount(
                self.env, company.paylink_autopay_threshold, company.currency_id
            ),
        )

    def _activate(self, token):
        """Start charging `token` for this consent: the card the payment saved. A
        previous consent of the link stops."""
        self.ensure_one()
        self.search(
            [
                ("link_id", "=", self.link_id.id),
                ("state", "=", "active"),
                ("id", "!=", self.id),
            ]
        )._stop("customer")
        self.write({"token_id": token.id, "state": "active"})
        self.partner_id.message_post(
            body=_(
                "Automatic payments turned on by the customer, with %(card)s, when the"
                " balance reaches %(amount)s.",
                card=token.display_name,
                amount=format_amount(self.env, self.threshold, self.currency_id),
            )
        )

    def _stop(self, by):
        """Stop these consents' charges; `by` is 'customer', 'staff' or 'failure'."""
        for autopay in self.filtered(lambda a: a.state in ("pending", "active")):
            autopay.write(
                {
                    "state": "failed" if by == "failure" else "stopped",
                    "stop_date": fields.Datetime.now(),
                    "stopped_by": by,
                }
            )
            autopay.partner_id.message_post(
                body=_(
                    "Automatic payments stopped (%(by)s).",
                    by=dict(
                        self._fields["stopped_by"]._description_selection(self.env)
                    )[by],
                )
            )

    @api.model
    def _cron_charge(self):
        """Charge every active consent whose balance reached its threshold, once per
        balance and in each currency (`_charge_if_due`), through the saved card (an
        offline payment with `payment.token`).
        A provider's refusal or error counts as a failed charge and stops no other."""
        autopays = self.search(
            [
                ("state", "=", "active"),
                ("company_id.paylink_autopay_enabled", "=", True),
            ]
        )
        for autopay in autopays:
            autopay.with_company(autopay.company_id)._charge_if_due()

    def _charge_if_due(self):
        """Charge each currency's balance that reached the threshold and was not
        charged yet: one transaction per currency, in that currency, as the customer
        pays it through the link (`paylink.link._get_account_summary` in the currency).

        The threshold is in the company currency: a balance in another currency is
        compared with it converted at today's rate. A currency the card's provider or
        payment method does not take is not charged (and logged). Each currency's
        balance is charged once (`last_charged_fingerprint`); a failed charge counts
        once per run, whatever the currencies.

        :return: The transactions, maybe none.
        """
        self.ensure_one()
        link = self.link_id
        company = link.company_id
        Ledger = self.env["paylink.ledger"]
        Transaction = self.env["payment.transaction"].sudo()
        today = fields.Date.context_today(self)
        if not self.token_id.active or (
            # A failure is tried again once, the next day.
            self.failure_count
            and self.last_attempt_date
            and self.last_attempt_date.date() >= today
        ):
            return Transaction
        in_progress = link._get_transactions_in_progress()
        charged = self._get_charged_fingerprints()
        charges = Transaction
        for entry in Ledger._get_currency_balances(link.partner_id, company):
            currency = entry["currency"]
            if (
                currency.compare_amounts(entry["balance"], 0) <= 0
                # A payment in this currency may still charge the customer.
                or currency in in_progress.currency_id
                or company.currency_id.compare_amounts(
                    Ledger._to_company_currency(entry["balance"], currency, company),
                    self.threshold,
                )
                < 0
            ):
                continue
            values = link._get_account_summary(currency.name)
            if (
                values["currency"] != currency
                or values["state"] != "outstanding"
                or (fingerprint := self._get_balance_fingerprint(values))
                in charged.values()
            ):
                continue
            if not self._takes_currency(currency):
                _logger.info(
                    "Payment link autopay %s: the balance in %s is not charged, the"
                    " card's provider or payment method does not take it.",
                    self.id,
                    currency.name,
                )
                continue
            tx = self._charge(values)
            if tx.state not in ("error", "cancel"):
                # Charged, or being charged: this balance is not charged again.
                charged[currency.name] = fingerprint
                self.last_charged_fingerprint = json.dumps(charged, sort_keys=True)
            charges |= tx
        failed = charges.filtered(lambda tx: tx.state in ("error", "cancel"))
        if failed:
            self._record_failure(failed)
        elif charges.filtered(lambda tx: tx.state == "done"):
            self.failure_count = 0
        return charges

    @api.model
    def _get_balance_fingerprint(self, values):
        """Return the fingerprint of the balance `values` show
        (`paylink.link._get_account_summary`) in their currency: the summary's own
        (`paylink.ledger._get_fingerprint`), of the latest lines in that currency only.
        The summary's covers the latest lines in every currency: an invoice in another
        currency would make this balance look new, and charged again. For a customer
        whose lines are all in the currency, it is the summary's.

        :rtype: str
        """
        currency = values["currency"]
        return self.env["paylink.ledger"]._get_fingerprint(
            values["state"],
            values["balance"],
            currency,
            [line for line in values["lines"] if line["currency"] == currency],
            values["documents"],
        )

    def _get_charged_fingerprints(self):
        """Return the fingerprint of the balance last charged in each currency, by
        currency code (`last_charged_fingerprint`, a JSON object). A fingerprint
        recorded before there was one per currency is kept under an empty code: a
        fingerprint covers its currency, so it matches that currency's balance only.

        :rtype: dict
        """
        self.ensure_one()
        if not self.last_charged_fingerprint:
            return {}
        try:
            charged = json.loads(self.last_charged_fingerprint)
        except ValueError:
            charged = None
        if not isinstance(charged, dict):
            return {"": self.last_charged_fingerprint}
        return charged

    def _takes_currency(self, currency):
        """Return whether the card can be charged in `currency`: its provider and its
        payment method take it (an empty list of currencies takes them all), as the
        payment form filters them (`_get_compatible_providers`,
        `_get_compatible_payment_methods`)."""
        self.ensure_one()
        provider = self.token_id.provider_id
        payment_method = self.token_id.payment_method_id
        return (
            not provider.available_currency_ids
            or currency in provider.available_currency_ids
        ) and (
            not payment_method.supported_currency_ids
            or currency in payment_method.supported_currency_ids
        )

    def _charge(self, values):
        """Create and charge the transaction of the balance `values` show; post it
        when it is done.

        :return: The transaction.
        """
        self.ensure_one()
        tx = self._create_charge(values)
        self.last_attempt_date = fields.Datetime.now()
        try:
            with self.env.cr.savepoint():
                charge_with_token(tx)
        except Exception as error:  # noqa: BLE001 - any provider or network error
            _logger.warning("Payment link autopay: charge %s failed.", tx.reference)
            tx._set_error(str(error))
        if tx.state == "done":
            tx._post_process()
            self.partner_id.message_post(
                body=_(
                    "Automatic payment of %(amount)s charged to %(card)s (%(ref)s).",
                    amount=format_amount(self.env, tx.amount, tx.currency_id),
                    card=self.token_id.display_name,
                    ref=tx.reference,
                )
            )
        return tx

    def _create_charge(self, values):
        """Create the offline transaction of the balance `values` show
        (`paylink.link._get_account_summary`), in its currency: what settles it today,
        each early-payment discount still open taken, applied to the open invoices in
        that currency."""
        self.ensure_one()
        link = self.link_id
        amounts = link._get_payment_amounts(0, summary=values)
        token = self.token_id
        invoices = self.env["paylink.ledger"]._get_open_invoices(
            link.partner_id, link.company_id, currency=values["currency"]
        )
        Transaction = self.env["payment.transaction"].sudo()
        return Transaction.create(
            {
                "provider_id": token.provider_id.id,
                "payment_method_id": token.payment_method_id.id,
                "reference": Transaction._compute_reference(token.provider_id.code),
                "amount": amounts["amount"],
                "currency_id": values["currency"].id,
                "partner_id": link.partner_id.id,
                "token_id": token.id,
                "operation": "offline",
                "invoice_ids": [Command.set(invoices.ids)],
                "paylink_id": link.id,
                "paylink_autopay_id": self.id,
                "paylink_discounts": amounts["discounts"] or False,
            }
        )

    def _record_failure(self, txs):
        """Count a failed run of charges (`txs`, the failed charges of one run, one per
        currency); stop after `MAX_FAILURES`, telling the customer and the staff."""
        self.ensure_one()
        self.failure_count += 1
        amount = format_list(
            self.env,
            [format_amount(self.env, tx.amount, tx.currency_id) for tx in txs],
        )
        reference = ", ".join(txs.mapped("reference"))
        if self.failure_count < MAX_FAILURES:
            self.partner_id.message_post(
                body=_(
                    "Automatic payment of %(amount)s failed (%(ref)s): it will be tried"
                    " again tomorrow.",
                    amount=amount,
                    ref=reference,
                )
            )
            return
        self._stop("failure")
        customer = self.partner_id
        # To the staff, who follow the customer, and to the customer, by email.
        customer.message_post(
            body=_(
                "Automatic payments were turned off: the charge of %(amount)s failed"
                " twice (%(ref)s). Please pay through your payment link: %(url)s",
                amount=amount,
                ref=reference,
                url=self.link_id.url,
            ),
            partner_ids=customer.ids if customer.email else [],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
