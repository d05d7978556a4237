# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import math

from odoo import _, http
from odoo.fields import Command
from odoo.http import request
from odoo.tools import format_amount, format_list

from odoo.addons.payment.controllers.portal import PaymentPortal
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

from ..compat import JSONRPC, translations_url
from ..exceptions import PaylinkRequestError
from ..models.paylink_link import TIP_PERCENTAGES
from .common import PaylinkControllerMixin


class PaylinkPayment(PaylinkControllerMixin, PaymentPortal):
    """Paying through the payment link, on Odoo's payment form:

    - `/pay/<token>/checkout`: the payment step, the amount with the chosen tip and the
      payment form;
    - `/pay/<token>/transaction`: the payment form's transaction (JSON-RPC), for an
      amount computed here.

    The only payment link controller in Odoo's `/payment` controllers' chain: it uses
    `PaymentPortal`'s transaction creation and checks.
    """

    # A frontend route (`website=True`), for the helpers the payment form's templates
    # use and the session values its scripts read. Read-only, like the page.
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
        currency=None,
        **kwargs,
    ):
        """Display the payment step: the amount with the chosen tip and Odoo's payment
        form, whose scripts only this page loads.

        The page's "Pay" button opens it, with the page's choices in the query string.

        :param str token: The payment link token.
        :param str tip_percent: The chosen tip, one of `TIP_PERCENTAGES`.
        :param str save_card: Set when the customer ticked "Save card".
        :param str sms_consent: Set when the customer agreed to SMS reminders.
        :param str autopay: Set when the customer agreed to automatic payments.
        :param str currency: The ISO code of the balance to pay, for a customer with
            balances in several currencies.
        :param dict kwargs: The part of the balance to pay (`amount`, `invoice_ids`,
            or `due_now`, what is due now); anything else is tolerated like on the
            page.
        :return: The rendered payment step; a redirection to the page when there is
                 nothing to pay or the tip is not one of the options; the page with a
                 message when the part asked for cannot be paid.
        :rtype: str
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        """
        link_sudo = self._paylink_check_access(token)
        tip_percent = self._cast_as_int(tip_percent)
        if tip_percent not in TIP_PERCENTAGES:
            return request.redirect(link_sudo._get_paylink_path(), code=303)
        if not isinstance(currency, (str, type(None))):
            currency = None
        values = self._paylink_prepare_page_values(link_sudo, currency)
        # A currency the customer has no balance in is refused below, with a message.
        other_currency = bool(currency) and values["currency"].name != currency
        if values["state"] != "outstanding" and not other_currency:
            return request.redirect(link_sudo._get_paylink_path(), code=303)
        part = self._paylink_parse_part(
            kwargs.get("amount"),
            request.httprequest.args.getlist("invoice_ids"),
            bool(kwargs.get("due_now")),
        )
        try:
            amounts = link_sudo._get_payment_amounts(
                tip_percent, summary=values["summary"], currency_name=currency, **part
            )
        except PaylinkRequestError as error:
            # Back to the page, with the message and what the customer entered.
            return self._paylink_render_page(
                link_sudo,
                status=error.status,
                currency_name=currency,
                choice_error=error.args[0],
                other_amount=kwargs.get("amount"),
                chosen_invoice_ids=part["invoice_ids"] or [],
            )
        values.update(
            {
                **amounts,
                "tip_percent": tip_percent,
                "allocation_text": amounts["mode"] != "balance"
                and self._paylink_describe_allocation(link_sudo.env, amounts),
                "part_amount": amounts["mode"] == "amount" and amounts["pay_amount"],
                "part_invoice_ids": amounts["mode"] == "invoices"
                and [invoice["id"] for invoice in amounts["allocation"]],
                "part_due_now": amounts["mode"] == "due",
                "save_card": bool(save_card),
                "autopay": bool(save_card and autopay),
                # Ticked on the page, or given before.
                "sms_consent_given": values["sms_consent_given"] or bool(sms_consent),
                "back_url": link_sudo._get_paylink_path(
                    f"?currency={values['currency_param']}"
                    if values["currency_param"]
                    else ""
                ),
                **self._paylink_get_payment_values(
                    link_sudo, amounts["amount"], amounts["currency"]
                ),
                **self._paylink_get_pay_step_values(),
            }
        )
        return self._paylink_render("paylink_portal.pay_checkout", values)

    @http.route(
        "/pay/<string:token>/transaction", type=JSONRPC, auth="public", sitemap=False
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
        part_due_now=False,
        autopay=False,
        currency=None,
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
        :param bool part_due_now: Whether to pay what is due now, not the balance.
        :param bool autopay: Whether the customer agreed to be charged automatically
            with the card this payment saves.
        :param str currency: The ISO code of the balance to pay, when the customer
            has balances in several currencies; the transaction is in that currency.
        :param dict kwargs: The payment form's transaction values (provider, method,
            token...).
        :return: The transaction's processing values.
        :rtype: dict
        :raise werkzeug.exceptions.NotFound: If the token proves no live link.
        :raise PaylinkRequestError: For a choice, an amount or a payment option that
            cannot be paid (400), or figures that changed (409).
        """
        link_sudo = self._paylink_check_access(token)
        self._paylink_check_csrf(kwargs.get("csrf_token"))
        tip_percent = self._paylink_check_choices(
            tip_percent, save_card, sms_consent, kwargs
        )
        if not isinstance(autopay, bool) or (
            autopay
            and not (save_card is True and link_sudo.company_id.paylink_autopay_enabled)
        ):
            raise PaylinkRequestError(
                _("Automatic payments need a card saved with this payment.")
            )
        if part_invoice_ids is not None and not isinstance(part_invoice_ids, list):
            part_invoice_ids = [part_invoice_ids]
        if not isinstance(part_due_now, bool) or not isinstance(
            currency, (str, type(None))
        ):
            raise PaylinkRequestError(_("Invalid choice of what to pay."))
        part = self._paylink_parse_part(part_amount, part_invoice_ids, part_due_now)
        link_sudo._lock_for_payment()
        amounts = self._paylink_get_confirmed_amounts(
            link_sudo, tip_percent, fingerprint, dict(part, currency_name=currency)
        )
        option_ids = self._paylink_check_payment_option(link_sudo, amounts, kwargs)
        tx_values = {
            "paylink_id": link_sudo.id,
            "paylink_tip_percent": tip_percent,
            "paylink_tip_amount": amounts["tip"],
            "paylink_allocation": amounts["mode"] != "balance"
            and [[part["id"], part["amount"]] for part in amounts["allocation"]],
            "paylink_discounts": amounts["discounts"] or False,
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

    # === HELPERS === #

    @staticmethod
    def _paylink_get_pay_step_values():
        """Return what the light layout needs for the payment form's scripts: Odoo's
        frontend session values, and the URL of their translations to fetch ahead
        (18.0 only, see `compat.translations_url`).

        :rtype: dict
        """
        session_info = request.env["ir.http"].get_frontend_session_info()
        return {
            "paylink_pay_step": True,
            "paylink_script": False,
            "paylink_session_info": session_info,
            "paylink_translations_url": translations_url(
                session_info, request.env.lang or "en_US"
            ),
        }

    @staticmethod
    def _paylink_describe_allocation(env, amounts):
        """Return how a part payment applies, as a sentence in the customer's language:
        "Pays INV/2026/00012 in full and $ 40.00 of INV/2026/00015."

        :param dict amounts: `paylink.link._get_payment_amounts()`.
        :rtype: str
        """
        currency = amounts["currency"]
        items = [
            env._(
                "%(invoice)s in full, less its %(discount)s early-payment discount",
                invoice=part["name"],
                discount=format_amount(env, part["discount"], currency),
            )
            if part["discount"]
            else env._("%(invoice)s in full", invoice=part["name"])
            if part["full"]
            else env._(
                "%(amount)s of %(invoice)s",
                amount=format_amount(env, part["amount"], currency),
                invoice=part["name"],
            )
            for part in amounts["allocation"]
        ]
        if not currency.is_zero(amounts["unallocated"]):
            items.append(
                env._(
                    "%(amount)s on your account",
                    amount=format_amount(env, amounts["unallocated"], currency),
                )
            )
        return env._("Pays %(items)s.", items=format_list(env, items))

    def _paylink_check_choices(self, tip_percent, save_card, sms_consent, kwargs):
        """Check the customer's choices and the payment form's values; answer a 400
        with a message when one is not acceptable.

        :return: The tip, one of `TIP_PERCENTAGES`.
        :rtype: int
        """
        # A ValidationError, answered 400 with its message.
        self._validate_transaction_kwargs(kwargs)
        # Only a whole number (or its digits) is a tip option: not a float, a bool or a
        # list.
        if isinstance(tip_percent, bool) or not isinstance(tip_percent, (int, str)):
            tip_percent = None
        tip_percent = self._cast_as_int(tip_percent)
        if tip_percent not in TIP_PERCENTAGES:
            raise PaylinkRequestError(_("Please choose one of the tip options."))
        if not isinstance(save_card, bool) or not isinstance(sms_consent, bool):
            raise PaylinkRequestError(_("Invalid choice for the check boxes."))
        if kwargs.get("is_validation"):
            raise PaylinkRequestError(_("A payment link can only be used to pay."))
        return tip_percent

    def _paylink_parse_part(self, amount, invoice_ids, due_now=False):
        """Return the part of the balance the customer asked to pay, as keyword
        arguments of `paylink.link._get_payment_amounts`: `amount` (a float, or None),
        `invoice_ids` (a list of ids, or None) and `due_now` (a bool). What cannot be
        read as an amount or ids reads as an amount of -1, which no balance accepts, so
        that the customer is told the range.

        :param amount: The amount sent: digits (a comma as the decimal point), or a
            number.
        :param list invoice_ids: The ids sent, as strings or numbers.
        :param bool due_now: Whether the customer asked to pay what is due now.
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
        return {"amount": parsed, "invoice_ids": ids, "due_now": due_now}

    def _paylink_get_confirmed_amounts(self, link_sudo, tip_percent, fingerprint, part):
        """Return what the payment must charge now (`_get_payment_amounts`) for the
        part of the balance asked for, provided the customer confirmed these very
        figures; answer a 4xx otherwise."""
        amounts = link_sudo._get_payment_amounts(tip_percent, **part)
        if amounts["fingerprint"] != fingerprint:
            raise PaylinkRequestError(
                _(
                    "Your balance has changed since this page was loaded. Please"
                    " review the new amount and confirm again."
                ),
                status=409,
            )
        return amounts

    def _paylink_check_payment_option(self, link_sudo, amounts, kwargs):
        """Return the provider, payment method and token ids the form sent, once
        checked against those offered to the link's customer for this amount; answer a
        400 otherwise.

        :return: `(provider_id, payment_method_id, token_id)`, the last two maybe None.
        :rtype: tuple
        """
        payment_values = self._paylink_get_payment_values(
            link_sudo, amounts["amount"], amounts["currency"]
        )
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
            raise PaylinkRequestError(
                _("This payment method is not available. Please choose another.")
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
                raise PaylinkRequestError(
                    _(
                        "A payment of %(amount)s is already being processed for this"
                        " account. It will show on this page once complete.",
                        amount=format_amount(
                            request.env, tx_sudo.amount, tx_sudo.currency_id
                        ),
                    ),
                    status=409,
                )
            if self._paylink_is_same_payment(
                tx_sudo, amounts["amount"], amounts["currency"], *option_ids, tx_values
            ):
                return tx_sudo
            raise PaylinkRequestError(
                _(
                    "A payment is already in progress for this account, in another"
                    " window. Finish it there, or try again in a few minutes."
                ),
                status=409,
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
                "currency_id": amounts["currency"].id,
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
                link_sudo.partner_id, link_sudo.company_id, amounts["currency"]
            )
        # A provider's refusal (a UserError) is answered 400 with its message.
        return self._create_transaction(
            custom_create_values={
                "invoice_ids": [Command.set(invoices_sudo.ids)],
                **tx_values,
            },
            **kwargs,
        )

    def _paylink_get_payment_values(self, link_sudo, amount, currency):
        """Return the payment form's context for the link: the providers, payment
        methods and tokens available to its customer in its company, for `currency`.

        :param recordset link_sudo: The `paylink.link` record, in sudo mode.
        :param float amount: The amount to pay, to filter providers by their maximum
            amount.
        :param recordset currency: The payment's currency: a provider that does not
            take it is not offered.
        :return: The payment form's rendering values.
        :rtype: dict
        """
        company = link_sudo.company_id
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

    @staticmethod
    def _paylink_is_same_payment(
        tx_sudo,
        amount,
        amounts_currency,
        provider_id,
        payment_method_id,
        token_id,
        tx_values,
    ):
        return (
            tx_sudo.currency_id.compare_amounts(tx_sudo.amount, amount) == 0
            and tx_sudo.currency_id == amounts_currency
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
