# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from unittest.mock import patch

from lxml import html

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkPaymentHttpCommon, normalize


@tagged("post_install", "-at_install")
class TestPayPayment(PaylinkPaymentHttpCommon):
    def _outstanding_link(self, name="Paying Customer", amounts=(100.0,), **values):
        customer = self._create_customer(name, email="payer@example.com", **values)
        self._post_move(customer, list(amounts), taxes=self.tax_10)
        return customer, self._generate_link(customer)

    def _confirmation(self, link):
        tree = html.fromstring(
            self.url_open(f"/pay/{link.token}?confirmation=1").content
        )
        return tree

    # === THE FORM === #

    def test_10_without_provider_the_form_says_coming_soon(self):
        self.provider.state = "disabled"
        _customer, link = self._outstanding_link()
        form_tree = self._get_checkout_tree(link)
        self.assertFalse(form_tree.xpath("//form[@id='o_payment_form']"))
        self.assertIn(
            "Online payment is coming soon", normalize(form_tree.text_content())
        )

    def test_11_with_a_provider_the_form_pays_through_the_link(self):
        _customer, link = self._outstanding_link()
        tree = self._get_page_tree(link)
        # The page has no payment form: its "Pay" button opens the payment step.
        self.assertFalse(tree.xpath("//form[@id='o_payment_form']"))
        self.assertTrue(
            tree.xpath(f"//button[@type='submit'][{self._css('o_paylink_pay_button')}]")
        )
        form_tree = self._get_checkout_tree(link, tip_percent=18)
        form = form_tree.xpath("//form[@id='o_payment_form']")
        self.assertEqual(len(form), 1)
        self.assertEqual(
            form[0].get("data-transaction-route"), f"/pay/{link.token}/transaction"
        )
        self.assertEqual(
            form[0].get("data-landing-route"), f"/pay/{link.token}?confirmation=1"
        )
        # The amount of the form is the balance with the chosen tip.
        self.assertEqual(float(form[0].get("data-amount")), 129.8)
        self.assertFalse(form_tree.xpath(f"//*[{self._css('o_paylink_unavailable')}]"))
        # The page's own check box replaces the provider's "save my payment details".
        self.assertFalse(
            form_tree.xpath("//input[@name='o_payment_tokenize_checkbox']")
        )
        self.assertTrue(form_tree.xpath("//input[@name='save_card']"))

    def test_12_payment_step_route(self):
        customer, link = self._outstanding_link()
        tree = self._get_checkout_tree(
            link, tip_percent=20, save_card=1, utm_source="sms"
        )
        checkout = tree.xpath(f"//*[{self._css('o_paylink_checkout')}]")[0]
        self.assertEqual(checkout.get("data-tip-percent"), "20")
        # No tip is a choice too: the payment form must send 0, not nothing.
        no_tip = self._get_checkout_tree(link, tip_percent=0)
        self.assertEqual(
            no_tip.xpath(f"//*[{self._css('o_paylink_checkout')}]")[0].get(
                "data-tip-percent"
            ),
            "0",
        )
        self.assertEqual(checkout.get("data-fingerprint"), self._open_page(link)[1])
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_checkout_balance"),
            [self._format(110.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_checkout_tip"),
            [self._format(22.0)],
        )
        self.assertEqual(
            self._texts_by_class(tree, "o_paylink_total_amount"),
            [self._format(132.0)],
        )
        self.assertTrue(tree.xpath("//input[@name='save_card'][@checked]"))
        self.assertEqual(
            self._texts(tree, "//button[@name='o_payment_submit_button']"),
            [f"Pay {self._format(132.0)}"],
        )
        # A tip that is not an option, or nothing to pay: back to the page.
        for bad_tip in ("15", "abc", "", "20.0", "-1"):
            with self.subTest(tip_percent=bad_tip):
                response = self._get_checkout(link, 303, tip_percent=bad_tip)
                self.assertTrue(
                    response.headers["Location"].endswith(f"/pay/{link.token}")
                )
        old_token = link.token
        customer.action_paylink_generate()
        with mute_logger("odoo.http"):
            response = self.url_open(f"/pay/{old_token}/checkout?tip_percent=0")
        self.assertEqual(response.status_code, 404)
        self.assertIn("This payment link is not valid", response.text)
        self._post_move(customer, [110.0], move_type="out_refund")
        response = self._get_checkout(link, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/pay/{link.token}"))

    # === SUCCESS === #

    def test_20_success_with_each_tip(self):
        for tip_percent, expected_tip in ((0, 0.0), (18, 19.8), (20, 22.0), (25, 27.5)):
            with self.subTest(tip_percent=tip_percent):
                customer, link = self._outstanding_link(
                    f"Tipper {tip_percent}"
                )  # Owes 110.00.
                invoice = self.env["account.move"].search(
                    [("partner_id", "=", customer.id)]
                )
                reference = self._start_payment(link, tip_percent=tip_percent)
                self._simulate(reference)
                self.env.invalidate_all()

                tx = self._paylink_transactions(link)
                self.assertEqual(tx.reference, reference)
                self.assertEqual(tx.state, "done")
                self.assertAlmostEqual(tx.amount, 110.0 + expected_tip)
                self.assertEqual(tx.paylink_tip_percent, tip_percent)
                self.assertAlmostEqual(tx.paylink_tip_amount, expected_tip)
                self.assertIn(tx.payment_id.state, ("paid", "in_process"))
                self.assertIn(invoice.payment_state, ("paid", "in_payment"))
                self.assertEqual(customer.credit, 0.0)
                tip_invoice = tx.paylink_tip_invoice_id
                if expected_tip:
                    self.assertEqual(tip_invoice.state, "posted")
                    self.assertEqual(
                        tip_invoice.invoice_line_ids.product_id, self.tip_product
                    )
                    self.assertAlmostEqual(tip_invoice.amount_untaxed, expected_tip)
                    self.assertAlmostEqual(tip_invoice.amount_tax, 0.0)
                    self.assertIn(tip_invoice.payment_state, ("paid", "in_payment"))
                    self.assertIn(tip_invoice, tx.invoice_ids)
                else:
                    self.assertFalse(tip_invoice)

                tree = self._confirmation(link)
                confirmation = normalize(
                    tree.xpath(f"//*[{self._css('o_paylink_confirmation_done')}]")[
                        0
                    ].text_content()
                )
                self.assertIn(self._format(110.0 + expected_tip), confirmation)
                self.assertIn(self._format(expected_tip), confirmation)
                self.assertIn(reference, confirmation)
                self.assertIn("All set", confirmation)
                self.assertEqual(
                    self._texts_by_class(tree, "o_paylink_balance"),
                    ["You're all set! You have no outstanding balance."],
                )
                receipt_domain = [
                    ("model", "=", "account.payment"),
                    ("res_id", "=", tx.payment_id.id),
                ]
                # Not rendered in the customer's request: the scheduled action does.
                self.assertFalse(self.env["mail.mail"].search(receipt_domain))
                self.assertTrue(tx.paylink_receipt_pending)
                self.env["payment.transaction"]._cron_send_paylink_receipts()
                self.env["payment.transaction"]._cron_send_paylink_receipts()
                receipt = self.env["mail.mail"].search(receipt_domain)
                self.assertEqual(len(receipt), 1, "Odoo's payment receipt is emailed.")
                self.assertIn(customer, receipt.recipient_ids)

    def test_21_credit_notes_and_entries_are_settled_with_the_payment(self):
        customer, link = self._outstanding_link(amounts=(200.0,))  # 220.00
        self._post_move(customer, [50.0], move_type="out_refund")  # -50.00
        reference = self._start_payment(link)
        self._simulate(reference)
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertAlmostEqual(tx.amount, 170.0)
        self.assertEqual(customer.credit, 0.0)
        open_items = self.env["account.move.line"].search(
            [
                ("partner_id", "=", customer.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertFalse(open_items)

    def test_22_choices_are_kept_with_the_transaction(self):
        _customer, link = self._outstanding_link()
        self._start_payment(link, tip_percent=20, sms_consent=True, save_card=True)
        tx = self._paylink_transactions(link)
        self.assertEqual(
            (tx.paylink_tip_percent, tx.paylink_sms_consent, tx.paylink_save_card),
            (20, True, True),
        )

    def test_23_tips_are_found_on_the_customer(self):
        customer, link = self._outstanding_link()
        self._simulate(self._start_payment(link, tip_percent=25))
        self.env.invalidate_all()
        self.assertEqual(customer.paylink_tip_count, 1)
        action = customer.action_view_paylink_tips()
        tips = self.env["payment.transaction"].search(action["domain"])
        self.assertEqual(tips, self._paylink_transactions(link))

    def test_24_a_receipt_that_cannot_be_sent_does_not_undo_the_payment(self):
        customer, link = self._outstanding_link()
        with (
            patch.object(
                type(self.env["mail.template"]),
                "send_mail",
                side_effect=UserError("Unable to find Wkhtmltopdf on this system."),
            ),
            mute_logger("odoo.addons.paylink_portal.models.payment_transaction"),
        ):
            self._simulate(self._start_payment(link))
            self.env["payment.transaction"]._cron_send_paylink_receipts()
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertFalse(tx.paylink_receipt_pending, "Tried once, not again.")
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.payment_id)
        self.assertEqual(customer.credit, 0.0)

    # === SAVED CARDS === #

    def test_30_save_card_creates_a_token_only_when_asked(self):
        for save_card in (True, False):
            with self.subTest(save_card=save_card):
                customer, link = self._outstanding_link(f"Card {save_card}")
                self._simulate(self._start_payment(link, save_card=save_card))
                self.env.invalidate_all()
                tokens = (
                    self.env["payment.token"]
                    .sudo()
                    .search([("partner_id", "=", customer.id)])
                )
                self.assertEqual(len(tokens), 1 if save_card else 0)

    def test_31_saved_cards_are_not_offered_to_link_holders_unless_allowed(self):
        customer, link = self._outstanding_link()
        self._simulate(self._start_payment(link, save_card=True))
        self.env.invalidate_all()
        token = (
            self.env["payment.token"].sudo().search([("partner_id", "=", customer.id)])
        )
        self._post_move(customer, [40.0])
        self.assertFalse(
            self._get_checkout_tree(link).xpath(
                "//input[@data-payment-option-type='token']"
            )
        )
        csrf_token, fingerprint = self._open_page(link)
        response = self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(
                csrf_token,
                fingerprint,
                token_id=token.id,
                payment_method_id=None,
                flow="token",
            ),
        )
        self._assert_refused(response, 400, "not available")

        self.company.paylink_allow_saved_cards = True
        tree = self._get_checkout_tree(link)
        self.assertEqual(
            [
                int(option.get("data-payment-option-id"))
                for option in tree.xpath("//input[@data-payment-option-type='token']")
            ],
            token.ids,
        )

    # === FAILURES === #

    def test_40_failed_or_cancelled_payments_change_nothing_and_can_be_retried(self):
        for simulated_state in ("error", "cancel"):
            with self.subTest(simulated_state=simulated_state):
                customer, link = self._outstanding_link(f"Unlucky {simulated_state}")
                self._simulate(
                    self._start_payment(link, tip_percent=20), simulated_state
                )
                self.env.invalidate_all()
                tx = self._paylink_transactions(link)
                self.assertEqual(tx.state, simulated_state)
                self.assertFalse(tx.payment_id)
                self.assertFalse(tx.paylink_tip_invoice_id)
                self.assertAlmostEqual(customer.credit, 110.0)
                tree = self._confirmation(link)
                self.assertIn(
                    "you have not been charged",
                    normalize(
                        tree.xpath(
                            f"//*[{self._css('o_paylink_confirmation_failed')}]"
                        )[0].text_content()
                    ),
                )
                self.assertTrue(tree.xpath(f"//*[{self._css('o_paylink_pay_button')}]"))
                self.assertTrue(
                    self._get_checkout_tree(link).xpath("//form[@id='o_payment_form']"),
                    "The customer can try again.",
                )
                self._simulate(self._start_payment(link))
                self.env.invalidate_all()
                self.assertEqual(customer.credit, 0.0)

    def test_41_pending_payment_blocks_a_second_charge(self):
        customer, link = self._outstanding_link()
        self._simulate(self._start_payment(link), "pending")
        self.env.invalidate_all()
        tx = self._paylink_transactions(link)
        self.assertEqual(tx.state, "pending")
        self.assertFalse(tx.payment_id)
        self.assertAlmostEqual(customer.credit, 110.0)
        tree = self._confirmation(link)
        self.assertTrue(
            tree.xpath(f"//*[{self._css('o_paylink_confirmation_pending')}]")
        )
        csrf_token, fingerprint = self._open_page(link)
        response = self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(csrf_token, fingerprint),
        )
        self._assert_refused(response, 409, "already being processed")
        self.assertEqual(self._paylink_transactions(link), tx)

    def test_42_a_paid_but_unposted_payment_blocks_a_second_charge(self):
        customer, link = self._outstanding_link()
        reference = self._start_payment(link)
        # Paid at the provider; the status page has not post-processed it yet.
        self._simulate(reference, poll=False)
        csrf_token, fingerprint = self._open_page(link)  # Still shows the old balance.
        response = self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(csrf_token, fingerprint, tip_percent=18),
        )
        self._assert_refused(response, 409, "already being processed")
        self.make_jsonrpc_request("/payment/status/poll")
        self.env.invalidate_all()
        self.assertEqual(len(self._paylink_transactions(link)), 1)
        self.assertEqual(customer.credit, 0.0)

    # === STALE DATA, DOUBLE SUBMITS AND BAD INPUT === #

    def test_50_a_balance_that_changed_must_be_confirmed_again(self):
        customer, link = self._outstanding_link()
        csrf_token, stale_fingerprint = self._open_page(link)
        self._post_move(customer, [30.0])  # A new charge while the page is open.
        response = self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(csrf_token, stale_fingerprint),
        )
        self._assert_refused(response, 409, "Your balance has changed")
        self.assertFalse(self._paylink_transactions(link))
        reference = self._start_payment(link)  # Reloaded: the new figure is confirmed.
        self._simulate(reference)
        self.env.invalidate_all()
        self.assertAlmostEqual(self._paylink_transactions(link).amount, 140.0)
        self.assertEqual(customer.credit, 0.0)

    @mute_logger("odoo.http")
    def test_51_a_link_regenerated_before_submit_is_refused(self):
        customer, link = self._outstanding_link()
        old_token = link.token
        csrf_token, fingerprint = self._open_page(link)
        self._generate_link(customer)
        response = self._jsonrpc(
            f"/pay/{old_token}/transaction",
            self._transaction_params(csrf_token, fingerprint),
        )
        self._assert_refused(response, 404, "no longer valid")
        self.assertFalse(self._paylink_transactions(link))

    def test_52_double_submit_makes_one_transaction(self):
        customer, link = self._outstanding_link()
        csrf_token, fingerprint = self._open_page(link)
        params = self._transaction_params(csrf_token, fingerprint, tip_percent=18)
        url = f"/pay/{link.token}/transaction"
        first = self._jsonrpc(url, params).json()["result"]
        second = self._jsonrpc(url, params).json()["result"]
        self.assertEqual(first["reference"], second["reference"])
        self.assertEqual(len(self._paylink_transactions(link)), 1)
        # Another tab with other choices while the first payment is in progress.
        response = self._jsonrpc(url, {**params, "tip_percent": 25})
        self._assert_refused(response, 409, "already in progress")
        self._simulate(first["reference"])
        self._simulate(second["reference"])
        self.env.invalidate_all()
        self.assertEqual(
            len(self.env["account.payment"].search([("partner_id", "=", customer.id)])),
            1,
        )
        self.assertEqual(customer.credit, 0.0)

    def test_53_bad_input_is_refused_and_creates_nothing(self):
        _customer, link = self._outstanding_link()
        other_company = self.setup_other_company()["company"]
        other_provider = self.provider.copy({"company_id": other_company.id})
        other_provider.write({"state": "test", "is_published": True})
        csrf_token, fingerprint = self._open_page(link)
        cases = {
            "tip not offered": ({"tip_percent": 15}, 400, "tip options"),
            "tip as a float": ({"tip_percent": 18.5}, 400, "tip options"),
            "tip as text": ({"tip_percent": "18%"}, 400, "tip options"),
            "tip as a boolean": ({"tip_percent": True}, 400, "tip options"),
            "negative tip": ({"tip_percent": -20}, 400, "tip options"),
            "check box as text": ({"save_card": "yes"}, 400, "check boxes"),
            "wrong CSRF token": ({"csrf_token": "forged"}, 400, "session has expired"),
            "missing CSRF token": ({"csrf_token": None}, 400, "session has expired"),
            "unexpected parameter": ({"partner_id": 1}, 400, "not whitelisted"),
            "validation operation": (
                {"is_validation": True},
                400,
                "only be used to pay",
            ),
            "other company provider": (
                {"provider_id": other_provider.id},
                400,
                "not available",
            ),
            "unknown provider": ({"provider_id": 999999}, 400, "not available"),
        }
        for case, (overrides, status, message) in cases.items():
            with self.subTest(case=case):
                response = self._jsonrpc(
                    f"/pay/{link.token}/transaction",
                    self._transaction_params(csrf_token, fingerprint, **overrides),
                )
                self._assert_refused(response, status, message)
        self.assertFalse(self._paylink_transactions(link))
        # A tampered amount is ignored: the server charges the balance.
        self._start_payment(link, amount=0.01)
        self.assertAlmostEqual(self._paylink_transactions(link).amount, 110.0)

    def test_54_nothing_to_pay(self):
        customer = self._create_customer("Settled")
        link = self._generate_link(customer)
        csrf_token, fingerprint = self._open_page(link)
        response = self._jsonrpc(
            f"/pay/{link.token}/transaction",
            self._transaction_params(csrf_token, fingerprint),
        )
        self._assert_refused(response, 409, "nothing left to pay")
