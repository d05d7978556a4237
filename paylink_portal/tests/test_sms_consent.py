# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import (
    TEXT_NUMBER,
    PaylinkPaymentHttpCommon,
)

CONSENT_LABEL = "SMS consent: I agree to receive automated payment reminders via text"
USER_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) PaylinkTest"


@tagged("post_install", "-at_install")
class TestSmsConsent(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer[TEXT_NUMBER] = "+32 456 00 11 22"

    def _post_preference(self, token, **params):
        return self._jsonrpc(
            f"/pay/{token}/sms_consent", params, headers={"User-Agent": USER_AGENT}
        )

    def _save_preference(self, link, consent, **params):
        csrf_token, _fingerprint = self._open_page(link)
        return self._post_preference(
            link.token,
            **{"consent": consent, "csrf_token": csrf_token, **params},
        )

    def _consents(self, partner):
        return self.env["paylink.sms.consent"].search(
            [("partner_id", "=", partner.id)], order="id"
        )

    def test_10_consent_on_its_own_records_every_field(self):
        link = self._generate_link(
            self.customer
        )  # All set: no payment form, still the choice.
        page = self._get_page_tree(link)
        self.assertEqual(
            self._texts(page, "//label[@for='o_paylink_sms_consent']"), [CONSENT_LABEL]
        )
        self.assertIn("ending in 1122", self._texts_by_class(page, "o_paylink_sms")[0])

        response = self._save_preference(link, True)
        self.assertEqual(response.json()["result"], {"state": "given"})
        consent = self._consents(self.customer)
        self.assertEqual(len(consent), 1)
        self.assertRecordValues(
            consent,
            [
                {
                    "partner_id": self.customer.id,
                    "phone": "+32456001122",
                    "state": "given",
                    "consent_text": CONSENT_LABEL,
                    "ip_address": "127.0.0.1",
                    "user_agent": USER_AGENT,
                    "source": "payment_link",
                    "link_id": link.id,
                    "transaction_id": False,
                    "user_id": False,
                }
            ],
        )
        self.assertTrue(consent.consent_date)
        self.customer.invalidate_recordset(["paylink_sms_consent_state"])
        self.assertEqual(self.customer.paylink_sms_consent_state, "given")
        self.assertTrue(
            self._get_page_tree(link).xpath("//input[@name='sms_consent'][@checked]"),
            "The page shows the preference on record.",
        )

    def test_11_unticking_records_a_withdrawal_and_keeps_history(self):
        link = self._generate_link(self.customer)
        self._save_preference(link, True)
        self._save_preference(link, True)  # No change: nothing more to record.
        response = self._save_preference(link, False)
        self.assertEqual(response.json()["result"], {"state": "withdrawn"})
        self.assertEqual(
            self._consents(self.customer).mapped("state"), ["given", "withdrawn"]
        )
        with self.assertRaises(UserError):
            self._consents(self.customer)[0].write({"state": "withdrawn"})
        with self.assertRaises(UserError):
            self._consents(self.customer).unlink()

    def test_12_consent_given_with_a_payment(self):
        self._post_move(self.customer, [80.0])
        link = self._generate_link(self.customer)
        reference = self._start_payment(link, sms_consent=True)
        consent = self._consents(self.customer)
        self.assertEqual(len(consent), 1)
        self.assertEqual(consent.source, "payment")
        self.assertEqual(consent.transaction_id.reference, reference)
        self.assertEqual(consent.state, "given")

    def test_13_bad_requests_record_nothing(self):
        link = self._generate_link(self.customer)
        for case, params, status in (
            ("not a boolean", {"consent": "yes"}, 400),
            ("extra parameter", {"consent": True, "phone": "+1 000"}, 400),
            ("wrong CSRF token", {"consent": True, "csrf_token": "forged"}, 400),
        ):
            with self.subTest(case=case):
                consent = params.pop("consent")
                response = self._save_preference(link, consent, **params)
                self.assertEqual(response.status_code, status, response.text)
        old_token = link.token
        csrf_token, _fingerprint = self._open_page(link)
        self._generate_link(self.customer)
        response = self._post_preference(old_token, consent=True, csrf_token=csrf_token)
        self._assert_refused(response, 404, "no longer valid")
        self.assertFalse(self._consents(self.customer))

    def test_14_no_number_on_file(self):
        customer = self._create_customer("No Phone")
        link = self._generate_link(customer)
        page = self._get_page_tree(link)
        self.assertTrue(page.xpath("//input[@name='sms_consent'][@disabled]"))
        self.assertIn(
            "no mobile number on file",
            self._texts_by_class(page, "o_paylink_sms")[0],
        )
        response = self._save_preference(link, True)
        self._assert_refused(response, 400, "no mobile number on file")
        self.assertFalse(self._consents(customer))

    def test_20_staff_withdraw_consent_from_the_partner_form(self):
        link = self._generate_link(self.customer)
        self._save_preference(link, True)
        self.customer.action_paylink_withdraw_sms_consent()
        consents = self._consents(self.customer)
        self.assertEqual(consents.mapped("state"), ["given", "withdrawn"])
        self.assertEqual(consents[-1].source, "staff")
        self.assertEqual(consents[-1].user_id, self.env.user)
        self.customer.invalidate_recordset(["paylink_sms_consent_state"])
        self.assertEqual(self.customer.paylink_sms_consent_state, "withdrawn")

    def test_21_a_new_number_needs_a_new_consent(self):
        link = self._generate_link(self.customer)
        self._save_preference(link, True)
        self.customer[TEXT_NUMBER] = "+32 456 99 88 77"
        self.customer.invalidate_recordset(["paylink_sms_consent_state"])
        self.assertEqual(self.customer.paylink_sms_consent_state, "none")
