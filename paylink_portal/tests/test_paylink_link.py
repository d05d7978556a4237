# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import re

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.paylink_portal.tests.common import PaylinkCommon


@tagged("post_install", "-at_install")
class TestPaylinkLink(PaylinkCommon):
    def test_10_generate_creates_a_256_bit_url_safe_link(self):
        self.assertFalse(self.customer.paylink_url)
        link = self._generate_link(self.customer)
        self.assertEqual(len(link), 1)
        self.assertRegex(link.token, r"^[A-Za-z0-9_-]{43}$")  # 32 random bytes
        self.assertEqual(link.company_id, self.company)
        self.customer.invalidate_recordset(["paylink_url"])
        self.assertEqual(
            self.customer.paylink_url, f"{link.get_base_url()}/pay/{link.token}"
        )
        self.assertEqual(self.env["paylink.link"]._get_link_sudo(link.token), link)

    def test_11_generation_is_logged_without_the_token(self):
        link = self._generate_link(self.customer)
        link = self._generate_link(self.customer)
        messages = self.customer.message_ids.filtered(
            lambda m: "Payment link" in (m.body or "")
        )
        self.assertEqual(len(messages), 2)
        self.assertIn("regenerated", messages[0].body)
        self.assertIn("generated", messages[1].body)
        self.assertEqual(messages.author_id, self.env.user.partner_id)
        for message in messages:
            self.assertNotIn(link.token, message.body)
            self.assertNotIn(link.token[:10], message.body)

    def test_20_regenerate_replaces_the_token(self):
        link = self._generate_link(self.customer)
        old_token = link.token
        regenerated = self._generate_link(self.customer)
        self.assertEqual(
            regenerated, link, "The link record is kept, only its token changes."
        )
        self.assertNotEqual(link.token, old_token)
        Link = self.env["paylink.link"]
        self.assertFalse(Link._get_link_sudo(old_token))
        self.assertEqual(Link._get_link_sudo(link.token), link)

    def test_30_tokens_are_unique(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {i}"} for i in range(30)]
        )
        customers.action_paylink_generate()
        links = self.env["paylink.link"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(links), 30)
        self.assertEqual(len(set(links.mapped("token"))), 30)
        # The database refuses a duplicate, on every series (18.0's `_sql_constraints`,
        # 19.0's `models.Constraint`).
        with (
            self.assertRaises(IntegrityError) as refused,
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            links[1].token = links[0].token
            links.flush_recordset()
        self.assertEqual(
            refused.exception.diag.constraint_name, "paylink_link_token_unique"
        )

    def test_31_token_is_not_copied(self):
        link = self._generate_link(self.customer)
        other = self._create_customer("Other")
        copy = link.copy({"partner_id": other.id})
        self.assertNotEqual(copy.token, link.token)

    def test_40_contact_uses_its_commercial_entity(self):
        contact = self.env["res.partner"].create(
            {"name": "Bob Contact", "parent_id": self.customer.id}
        )
        contact.action_paylink_generate()
        link = self.env["paylink.link"].search(
            [("partner_id", "in", (contact | self.customer).ids)]
        )
        self.assertEqual(link.partner_id, self.customer)
        self.assertTrue(contact.paylink_url)
        self.assertEqual(contact.paylink_url, self.customer.paylink_url)

    def test_41_link_of_an_individual_dies_when_it_becomes_a_company_contact(self):
        individual = self.env["res.partner"].create({"name": "Ivy Individual"})
        link = self._generate_link(individual)
        self.assertEqual(self.env["paylink.link"]._get_link_sudo(link.token), link)
        individual.parent_id = self.customer
        self.assertEqual(individual.commercial_partner_id, self.customer)
        self.assertFalse(self.env["paylink.link"]._get_link_sudo(link.token))

    def test_42_archived_customer_link_is_dead(self):
        link = self._generate_link(self.customer)
        self.customer.action_archive()
        self.assertFalse(self.env["paylink.link"]._get_link_sudo(link.token))

    def test_50_only_billing_users_read_or_generate_tokens(self):
        link = self._generate_link(self.customer)
        # Allowed to export: only the field's groups can stop the export of tokens.
        internal = new_test_user(
            self.env,
            "paylink_internal",
            groups="base.group_user,base.group_allow_export",
        )
        portal = new_test_user(
            self.env, "paylink_portal_user", groups="base.group_portal"
        )
        public = self.env.ref(
            "base.public_user"
        ).sudo()  # The public user is in no company of ours.
        billing = new_test_user(
            self.env, "paylink_billing", groups="account.group_account_invoice"
        )
        for user in (internal, portal, public):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["paylink.link"].with_user(user).search_read([], ["token"])
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).read(["paylink_url"])
                # AccessError subclasses UserError, which export_data raises for users
                # without export rights.
                with self.assertRaises(AccessError if user == internal else UserError):
                    self.customer.with_user(user).export_data(["paylink_ids/token"])
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(user).search(
                        [("paylink_ids.token", "=", link.token)]
                    )
                with self.assertRaises(AccessError):
                    self.customer.with_user(user).action_paylink_generate()
        self.assertEqual(
            self.customer.with_user(billing).read(["paylink_url"])[0]["paylink_url"],
            link.url,
        )
        old_token = link.token
        self.customer.with_user(billing).action_paylink_generate()
        self.customer.invalidate_recordset(["paylink_url"])
        self.assertNotIn(old_token, self.customer.paylink_url)

    def test_60_a_link_belongs_to_the_company_it_was_generated_in(self):
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        link_1 = self._generate_link(self.customer)
        link_2 = self._generate_link(self.customer, company=company_2)
        self.assertNotEqual(link_1, link_2)
        self.assertEqual(link_2.company_id, company_2)
        self.assertNotEqual(link_1.token, link_2.token)
        self.assertEqual(
            self.customer.with_company(company_2).paylink_url,
            f"{link_2.get_base_url()}/pay/{link_2.token}",
        )
        self.assertTrue(
            re.search(
                link_1.token, self.customer.with_company(self.company).paylink_url
            )
        )
