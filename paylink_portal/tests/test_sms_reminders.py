# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import TEXT_NUMBER, PaylinkCommon
from odoo.addons.sms.tests.common import SMSCase

NOW = datetime(2026, 11, 2, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestSmsReminders(PaylinkCommon, SMSCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "paylink_reminder_enabled": True,
                "paylink_reminder_interval": 7,
                "paylink_reminder_min_amount": 20.0,
                "paylink_reminder_max_count": 2,
            }
        )
        cls.debtor = cls._create_reminder_customer(
            "Debbie Debtor", "+32 456 00 11 22", 100.0
        )

    @classmethod
    def _create_reminder_customer(cls, name, number, owed, consent="given"):
        customer = cls._create_customer(name, number=number)
        if owed:
            cls._post_move(customer, [owed])
        cls._generate_link(customer)
        if consent:
            cls.env["paylink.sms.consent"]._record(customer, consent, "staff")
        return customer

    def _run_reminders(self, at=NOW):
        """Run the reminders' scheduled action and SMS queue at `at`.

        :return: The numbers texted.
        """
        with freeze_time(at), self.mockSMSGateway():
            self.env.ref(
                "paylink_portal.ir_cron_paylink_sms_reminders"
            ).method_direct_trigger()
            # The queue sent as its cron sends it, but for the cron's commits, which
            # 19.0's _process_queue makes (ir.cron._commit_progress).
            queued = self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])
            if queued:
                queued._send()
        return [sms["number"] for sms in self._sms]

    def _link(self, customer):
        return self.env["paylink.link"].search([("partner_id", "=", customer.id)])

    def test_10_reminder_sent_and_logged(self):
        self.assertEqual(self._run_reminders(), ["+32456001122"])
        body = self._sms[0]["body"]
        link = self._link(self.debtor)
        self.assertIn(link.url, body)
        self.assertIn(self._format(100.0), body.replace("\N{NO-BREAK SPACE}", " "))
        message = self.debtor.message_ids.filtered(lambda m: m.message_type == "sms")
        self.assertEqual(len(message), 1, "Each reminder is logged on the customer.")
        self.assertIn(link.url, message.body)
        self.assertEqual(link.reminder_count, 1)

    def test_20_selection_by_balance_and_consent(self):
        customers = {
            "below minimum": self._create_reminder_customer(
                "Small", "+32 456 00 00 01", 15.0
            ),
            "all set": self._create_reminder_customer(
                "Paid Up", "+32 456 00 00 02", 0.0
            ),
            "no consent": self._create_reminder_customer(
                "Silent", "+32 456 00 00 03", 100.0, consent=None
            ),
            "withdrawn": self._create_reminder_customer(
                "Gone", "+32 456 00 00 04", 100.0
            ),
            "invalid number": self._create_reminder_customer("Typo", "12", 100.0),
            "blacklisted": self._create_reminder_customer(
                "Stop", "+32 456 00 00 06", 100.0
            ),
        }
        self.env["paylink.sms.consent"]._record(
            customers["withdrawn"], "withdrawn", "staff"
        )
        self.env["phone.blacklist"].sudo()._add(["+32456000006"])
        credit = self._create_reminder_customer("Credit", "+32 456 00 00 07", 10.0)
        self._post_move(credit, [50.0], move_type="out_refund")
        self.assertEqual(self._run_reminders(), ["+32456001122"])

    def test_21_consent_for_an_old_number_does_not_cover_a_new_one(self):
        self.debtor[TEXT_NUMBER] = "+32 456 99 88 77"
        self.assertEqual(self._run_reminders(), [])

    def test_30_interval_and_maximum(self):
        self.assertEqual(len(self._run_reminders(NOW)), 1)
        self.assertEqual(
            len(self._run_reminders(NOW + timedelta(days=6))), 0, "Within the interval."
        )
        self.assertEqual(len(self._run_reminders(NOW + timedelta(days=7))), 1)
        self.assertEqual(
            len(self._run_reminders(NOW + timedelta(days=14))), 0, "Maximum reached."
        )
        # Paid: the series restarts with the next debt.
        invoice = self.env["account.move"].search([("partner_id", "=", self.debtor.id)])
        self._pay(invoice, 100.0)
        self.assertEqual(len(self._run_reminders(NOW + timedelta(days=21))), 0)
        self.assertEqual(self._link(self.debtor).reminder_count, 0)
        self._post_move(self.debtor, [60.0])
        self.assertEqual(len(self._run_reminders(NOW + timedelta(days=22))), 1)

    def test_40_only_companies_that_turned_reminders_on(self):
        self.company.paylink_reminder_enabled = False
        self.assertEqual(self._run_reminders(), [])
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        company_2.paylink_reminder_enabled = True
        customer_2 = self._create_customer(
            "Other Company Debtor", number="+32 456 22 22 22"
        )
        self._post_move(customer_2, [500.0], company=company_2)
        self._generate_link(customer_2, company=company_2)
        self.env["paylink.sms.consent"]._record(customer_2, "given", "staff")
        self.assertEqual(self._run_reminders(), ["+32456222222"])
        self.assertEqual(self._link(self.debtor).reminder_count, 0)

    def test_50_templates_render_the_link_and_balance(self):
        link = self._link(self.debtor)
        balance = self._format(100.0)
        sms_body = (
            self.env.ref("paylink_portal.sms_template_paylink")
            ._render_field(
                "body",
                self.debtor.ids,
            )[self.debtor.id]
            .replace("\N{NO-BREAK SPACE}", " ")
        )
        self.assertIn(link.url, sms_body)
        self.assertIn(balance, sms_body)
        self.assertIn("Debbie Debtor", sms_body)
        mail_template = self.env.ref("paylink_portal.mail_template_paylink")
        mail_body = str(
            mail_template._render_field("body_html", self.debtor.ids)[self.debtor.id]
        )
        self.assertIn(link.url, mail_body)
        self.assertIn(
            balance, mail_body.replace("\N{NO-BREAK SPACE}", " ").replace("&nbsp;", " ")
        )

    def test_51_send_buttons_open_prefilled_composers(self):
        link = self._link(self.debtor)
        action = self.debtor.action_paylink_send_email()
        # Each composer gets exactly the context its action carries, not the test's.
        composer = (
            self.env["mail.compose.message"].with_context(action["context"]).create({})  # pylint: disable=context-overridden
        )
        self.assertIn(link.url, str(composer.body))
        composer._action_send_mail()
        self.assertIn(
            link.url,
            str(self.debtor.message_ids[0].body),
            "The send is in the chatter.",
        )

        action = self.debtor.action_paylink_send_sms()
        sms_composer = (
            self.env["sms.composer"].with_context(action["context"]).create({})  # pylint: disable=context-overridden
        )
        self.assertIn(link.url, sms_composer.body)
        with self.mockSMSGateway():
            sms_composer.action_send_sms()
        self.assertEqual([sms["number"] for sms in self._sms], ["+32456001122"])
        self.assertIn(link.url, self.debtor.message_ids[0].body)
