# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Autopay, with the customer's consent: recorded with a payment that saves the card,
charged by the daily cron once per balance at the threshold, retried once after a
failure, stopped by the customer or the staff; never charged by a link holder."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkAutopayCommon, normalize


@tagged("post_install", "-at_install")
class TestAutopay(PaylinkAutopayCommon):
    def test_10_consent_recorded_with_its_words_then_active(self):
        tree = self._get_page_tree(self.link)
        [label] = self._texts(tree, "//label[@for='o_paylink_autopay']")
        text = (
            "Charge this card automatically when my balance reaches"
            f" {self._format(100.0)}"
        )
        self.assertEqual(label, text)
        checkout = self._get_checkout_tree(self.link, save_card=1, autopay=1)
        self.assertTrue(checkout.xpath("//input[@name='autopay'][@checked]"))
        autopay = self._agree()
        self.assertEqual(autopay.state, "active")
        self.assertEqual(normalize(autopay.consent_text), text)
        self.assertEqual(autopay.ip_address, "127.0.0.1")
        self.assertTrue(autopay.user_agent)
        self.assertTrue(autopay.consent_date)
        self.assertEqual(autopay.threshold, 100.0)
        tx = self._paylink_transactions(self.link)
        self.assertEqual(autopay.token_id, tx.token_id)
        self.assertTrue(autopay.token_id)
        self.assertIn(
            "Automatic payments turned on", self.payer.message_ids[0].body or ""
        )
        # The page then says so, and offers to turn it off.
        tree = self._get_page_tree(self.link)
        self.assertTrue(tree.xpath("//form[contains(@class, 'o_paylink_autopay')]"))

    @mute_logger("odoo.http")
    def test_11_refused_without_a_saved_card_or_when_not_allowed(self):
        csrf_token, fingerprint = self._open_page(self.link)
        for overrides in ({"autopay": True}, {"autopay": "yes", "save_card": True}):
            response = self._jsonrpc(
                f"/pay/{self.link.token}/transaction",
                self._transaction_params(csrf_token, fingerprint, **overrides),
            )
            self._assert_refused(response, 400, "need a card saved")
        self.company.paylink_autopay_enabled = False
        response = self._jsonrpc(
            f"/pay/{self.link.token}/transaction",
            self._transaction_params(
                csrf_token, fingerprint, autopay=True, save_card=True
            ),
        )
        self._assert_refused(response, 400, "need a card saved")
        self.assertFalse(self._paylink_transactions(self.link))
        self.assertFalse(self._autopay())
        # Nor offered.
        tree = self._get_page_tree(self.link)
        self.assertFalse(tree.xpath("//input[@name='autopay']"))

    def test_20_charged_once_at_the_threshold(self):
        autopay = self._agree()
        self._post_move(self.payer, [60.0])
        self._run_cron()  # 60.00 due: below the threshold.
        self.assertFalse(self._charges())
        self._post_move(self.payer, [50.0])
        self._run_cron()  # 110.00 due.
        charge = self._charges()
        self.assertEqual(len(charge), 1)
        self.assertEqual(
            (charge.state, charge.amount, charge.token_id),
            ("done", 110.0, autopay.token_id),
        )
        self.assertTrue(charge.is_post_processed)
        self.assertTrue(charge.payment_id)
        # Emailed by the receipts' cron.
        self.assertTrue(charge.paylink_receipt_pending)
        self.assertEqual(self.link._get_account_summary()["state"], "all_set")
        self.assertIn("Automatic payment of", self.payer.message_ids[0].body)
        self._run_cron()
        self.assertEqual(len(self._charges()), 1)

    def test_22_charged_with_an_open_early_payment_discount(self):
        autopay = self._agree()
        term = self._create_term(
            "2/10 Net 30", early_pay_discount_computation="excluded"
        )
        invoice = self._post_move(self.payer, [150.0], payment_term=term)
        self._run_cron()  # 150.00 due, 147.00 settles it today.
        charge = self._charges()
        self.assertEqual(
            (charge.state, charge.amount, charge.token_id),
            ("done", 147.0, autopay.token_id),
        )
        self.assertEqual(charge.paylink_discounts, [[invoice.id, 3.0]])
        self.assertEqual(invoice.amount_residual, 0.0)
        discount_account = (
            self.company.account_journal_early_pay_discount_loss_account_id
        )
        self.assertEqual(
            charge.payment_id.move_id.line_ids.filtered(
                lambda line: line.account_id == discount_account
            ).balance,
            3.0,
        )
        self.assertEqual(self.link._get_account_summary()["state"], "all_set")

    def test_21_a_charge_in_progress_is_not_charged_again(self):
        self._agree()
        self.card_answer = "pending"
        self._post_move(self.payer, [150.0])
        self._run_cron()
        self.assertEqual(self._charges().state, "pending")
        self._run_cron()
        with freeze_time(datetime.now() + timedelta(days=1)):
            self._run_cron()
        self.assertEqual(len(self._charges()), 1)

    def test_30_a_failure_is_retried_once_then_autopay_stops(self):
        autopay = self._agree()
        self.card_answer = "error"
        self._post_move(self.payer, [150.0])
        self._run_cron()
        self.assertEqual(self._charges().state, "error")
        self.assertEqual((autopay.state, autopay.failure_count), ("active", 1))
        self._run_cron()  # Not twice the same day.
        self.assertEqual(len(self._charges()), 1)
        with freeze_time(datetime.now() + timedelta(days=1)):
            self._run_cron()
        self.assertEqual(len(self._charges()), 2)
        self.assertEqual((autopay.state, autopay.stopped_by), ("failed", "failure"))
        message = self.payer.message_ids.filtered(
            lambda m: "turned off" in (m.body or "")
        )
        self.assertEqual(message.partner_ids, self.payer)  # Emailed to the customer.
        with freeze_time(datetime.now() + timedelta(days=2)):
            self._run_cron()
        self.assertEqual(len(self._charges()), 2)

    def test_31_a_retry_that_succeeds(self):
        autopay = self._agree()
        self.card_answer = "error"
        self._post_move(self.payer, [150.0])
        self._run_cron()
        self.card_answer = "done"
        with freeze_time(datetime.now() + timedelta(days=1)):
            self._run_cron()
        self.assertEqual(self._charges().mapped("state"), ["done", "error"])
        self.assertEqual((autopay.state, autopay.failure_count), ("active", 0))

    def test_40_stopped_by_the_customer_or_the_staff(self):
        autopay = self._agree()
        tree = self._get_page_tree(self.link)
        csrf_token = tree.xpath(
            "//form[contains(@class, 'o_paylink_autopay')]/input[@name='csrf_token']"
        )[0].get("value")
        response = self.url_open(
            f"/pay/{self.link.token}/autopay/stop",
            data={"csrf_token": csrf_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual((autopay.state, autopay.stopped_by), ("stopped", "customer"))
        self._post_move(self.payer, [150.0])
        self._run_cron()
        self.assertFalse(self._charges())
        # The staff stop another consent from the customer form.
        autopay.write({"state": "active", "stopped_by": False})
        autopay.action_stop()
        self.assertEqual((autopay.state, autopay.stopped_by), ("stopped", "staff"))

    @mute_logger("odoo.http")
    def test_50_a_link_holder_cannot_charge_the_card(self):
        autopay = self._agree()
        self._post_move(self.payer, [150.0])
        csrf_token, fingerprint = self._open_page(self.link)
        # Paying with the saved card is a payment by its holder, and refused unless the
        # company offers saved cards; nothing offline, which only the cron does.
        response = self._jsonrpc(
            f"/pay/{self.link.token}/transaction",
            self._transaction_params(
                csrf_token,
                fingerprint,
                flow="token",
                token_id=autopay.token_id.id,
                payment_method_id=None,
            ),
        )
        self._assert_refused(response, 400, "not available")
        response = self.url_open(
            "/pay/" + "x" * 43 + "/autopay/stop",
            data={"csrf_token": csrf_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._charges())
