# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The messages and the automatic charges of a customer who owes in several currencies
(issue 23, "Currencies"): the reminder and the ready message name each currency's
amount in its currency, autopay charges each currency's balance in that currency; a
customer with one currency gets, to the byte, the messages the bodies shipped before
gave. Read back from what was sent and from the books."""

import importlib.util
import json
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL, file_path, format_amount

from odoo.addons.paylink_portal.models import paylink_autopay
from odoo.addons.paylink_portal.tests.common import (
    PaylinkAutopayCommon,
    PaylinkCommon,
    normalize,
)
from odoo.addons.sms.tests.common import SMSCase


def _load_migration():
    """The migration of the templates' bodies (migrations/1.1.2/post-migrate.py),
    whose file name is no module name."""
    path = file_path("paylink_portal/migrations/1.1.2/post-migrate.py")
    spec = importlib.util.spec_from_file_location("paylink_migration_1_1_2", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MIGRATION = _load_migration()
# The bodies shipped before (1.1.1), in English, Spanish and French.
OLD_BODIES = MIGRATION.SHIPPED
LANGS = ("en_US", "es_ES", "fr_FR")


class CurrencyCommon(PaylinkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_moving_euro()
        for lang in LANGS[1:]:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["paylink_portal"], list(LANGS[1:]), overwrite=True
        )

    def _render_old(self, xmlid, partner):
        """`partner`'s message from the body the template shipped with before, in the
        customer's language (its shipped translation), as the template renders it."""
        en, es, fr = OLD_BODIES[xmlid]
        template = self.env["sms.template"].create(
            {
                "name": "Shipped before",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "lang": "{{ object.lang }}",
                "body": en,
            }
        )
        template.update_field_translations("body", {"es_ES": es, "fr_FR": fr})
        return template._render_field("body", partner.ids, compute_lang=True)[
            partner.id
        ]

    def _render(self, xmlid, partner):
        return (
            self.env.ref(f"paylink_portal.{xmlid}")
            .with_company(self.company)
            ._render_field("body", partner.ids, compute_lang=True)[partner.id]
        )

    def _amounts(self, *amounts, lang=None):
        """`(amount, currency)` pairs as a message lists them, in English by default."""
        return " and ".join(
            self._format(amount, currency, lang=lang) for amount, currency in amounts
        )


@tagged("post_install", "-at_install")
class TestCurrencyReminders(CurrencyCommon, SMSCase):
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

    def _create_debtor(self, name, number, usd=(), eur=(), lang="en_US"):
        """A customer who consented to reminders, owing the invoices `usd` and `eur`
        (posted last month), with a link."""
        customer = self._create_customer(name, number=number, lang=lang)
        for amount in usd:
            self._post_move(customer, [amount], invoice_date=self.last_month)
        for amount in eur:
            self._post_move(
                customer, [amount], invoice_date=self.last_month, currency=self.eur
            )
        self._generate_link(customer)
        self.env["paylink.sms.consent"]._record(customer, "given", "staff")
        return customer

    def _run_reminders(self):
        """Run the reminders' scheduled action and the SMS queue, today (the rate of
        today applies); return the texts sent, by number."""
        with self.mockSMSGateway():
            self.env.ref(
                "paylink_portal.ir_cron_paylink_sms_reminders"
            ).method_direct_trigger()
            queued = self.env["sms.sms"].sudo().search([("state", "=", "outgoing")])
            if queued:
                queued._send()
        return {sms["number"]: sms["body"] for sms in self._sms}

    def _link(self, customer):
        return self.env["paylink.link"].search([("partner_id", "=", customer.id)])

    def test_10_the_reminder_names_what_is_due_in_each_currency(self):
        customer = self._create_debtor(
            "Two Currencies", "+32 456 00 11 33", usd=[100.0], eur=[50.0]
        )
        sent = self._run_reminders()
        self.assertEqual(list(sent), ["+32456001133"])
        self.assertEqual(
            normalize(sent["+32456001133"]),
            f"Reminder from {self.company.name}:"
            f" {self._amounts((100.0, self.currency), (50.0, self.eur))} is due now"
            f" on your account. Pay securely: {self._link(customer).url} Reply STOP"
            " to opt out.",
        )
        # Logged on the customer; the books untouched: each invoice still owes its
        # amount in its currency.
        message = customer.message_ids.filtered(lambda m: m.message_type == "sms")
        self.assertEqual(len(message), 1)
        invoices = self.env["account.move"].search(
            [("partner_id", "=", customer.id)], order="id"
        )
        self.assertEqual(
            [(i.currency_id, i.amount_residual) for i in invoices],
            [(self.currency, 100.0), (self.eur, 50.0)],
        )
        self.assertEqual(self._link(customer).reminder_count, 1)

    def test_11_in_the_customers_language(self):
        customer = self._create_debtor(
            "Dos Monedas", "+32 456 00 11 34", usd=[100.0], eur=[50.0], lang="es_ES"
        )
        body = normalize(self._run_reminders()["+32456001134"])
        self.assertIn(
            f"{self._format(100.0, lang='es_ES')} y"
            f" {self._format(50.0, self.eur, lang='es_ES')} vence ahora",
            body,
        )
        self.assertTrue(body.startswith("Recordatorio de"), body)
        self.assertEqual(customer.lang, "es_ES")

    def test_20_the_minimum_applies_to_the_total_at_todays_rates(self):
        # The minimum is 20.00 (company currency); €1 is $2.50 today ($2 on the
        # invoices' date).
        self._create_debtor("Over", "+32 456 00 00 11", usd=[10.0], eur=[6.0])
        self._create_debtor("Under", "+32 456 00 00 12", usd=[5.0], eur=[4.0])
        # €9 is $22.50 today, though $18 at the invoice's rate.
        self._create_debtor("Euros Today", "+32 456 00 00 13", eur=[9.0])
        self._create_debtor("Euros Under", "+32 456 00 00 14", eur=[7.0])
        sent = self._run_reminders()
        self.assertEqual(sorted(sent), ["+32456000011", "+32456000013"])
        self.assertIn(
            self._amounts((10.0, self.currency), (6.0, self.eur)),
            normalize(sent["+32456000011"]),
        )
        self.assertIn(
            f": {self._format(9.0, self.eur)} is due now",
            normalize(sent["+32456000013"]),
        )

    def test_21_a_credit_in_one_currency_pays_nothing_in_another(self):
        customer = self._create_debtor(
            "Credit In Dollars", "+32 456 00 00 15", usd=[10.0], eur=[100.0]
        )
        self._post_move(customer, [300.0], move_type="out_refund")
        # $290 of credit, worth more than the €100 owed: the euros are still due.
        self.assertEqual(
            self.env["paylink.ledger"]._get_balance(customer, self.company), -90.0
        )
        body = normalize(self._run_reminders()["+32456000015"])
        self.assertIn(f": {self._format(100.0, self.eur)} is due now", body)

    def test_30_one_currency_the_same_text_to_the_byte(self):
        numbers = ("+32 456 00 00 21", "+32 456 00 00 22", "+32 456 00 00 23")
        for lang, number in zip(LANGS, numbers, strict=True):
            self._create_debtor(f"One Currency {lang}", number, usd=[1234.5], lang=lang)
        sent = self._run_reminders()
        self.assertEqual(len(sent), 3)
        for lang in LANGS:
            customer = self.env["res.partner"].search(
                [("name", "=", f"One Currency {lang}")]
            )
            number = customer._get_paylink_sms_number()
            self.assertEqual(
                sent[number],
                self._render_old("sms_template_paylink_reminder", customer),
                lang,
            )
            self.assertIn(self._format(1234.5, lang=lang), normalize(sent[number]))


@tagged("post_install", "-at_install")
class TestCurrencyShare(CurrencyCommon):
    def _message(self, partner):
        return partner.action_paylink_copy_message()["params"]["message"]

    def test_10_the_ready_message_names_each_balance(self):
        customer = self._create_customer("Ada Two")
        self._post_move(customer, [100.0], invoice_date=self.last_month)
        self._post_move(
            customer, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        link = self._generate_link(customer)
        balances = self._amounts((100.0, self.currency), (50.0, self.eur))
        self.assertEqual(
            self._message(customer),
            f"Hi Ada, here is your {self.company.name} account: balance {balances}."
            f" View and pay: {link.url}",
        )
        self.assertEqual(
            normalize(self._render("sms_template_paylink", customer)),
            f"Hello Ada Two, your balance with {self.company.name} is {balances}."
            f" View and pay: {link.url}",
        )
        # In the customer's language, as it lists them.
        customer.lang = "fr_FR"
        self.assertIn(
            f"solde {self._format(100.0, lang='fr_FR')} et"
            f" {self._format(50.0, self.eur, lang='fr_FR')}.",
            normalize(self._message(customer)),
        )

    def test_11_a_credit_and_a_debt_each_in_its_currency(self):
        customer = self._create_customer("Bea Credit")
        self._post_move(customer, [20.0], move_type="out_refund")
        self._post_move(customer, [50.0], currency=self.eur)
        self._generate_link(customer)
        self.assertIn(
            f"balance {self._amounts((-20.0, self.currency), (50.0, self.eur))}.",
            self._message(customer),
        )
        # Euros only: in euros, not their worth in dollars.
        euros = self._create_customer("Cy Euros")
        self._post_move(euros, [50.0], currency=self.eur)
        self._generate_link(euros)
        self.assertIn(f"balance {self._format(50.0, self.eur)}.", self._message(euros))

    def test_20_one_currency_the_same_text_to_the_byte(self):
        for lang in LANGS:
            customer = self._create_customer(f"Dee One {lang}", lang=lang)
            self._post_move(customer, [1234.5, 10.0])
            self._generate_link(customer)
            for xmlid in ("sms_template_paylink", "sms_template_paylink_share"):
                self.assertEqual(
                    self._render(xmlid, customer),
                    self._render_old(xmlid, customer),
                    f"{xmlid} {lang}",
                )
            self.assertIn(
                self._format(1244.5, lang=lang), normalize(self._message(customer))
            )
        # Nothing owed: zero in the company currency, as before.
        nothing = self._create_customer("Nothing Owed")
        self._generate_link(nothing)
        self.assertEqual(
            self._render("sms_template_paylink_share", nothing),
            self._render_old("sms_template_paylink_share", nothing),
        )
        self.assertEqual(
            nothing.paylink_balance_text,
            format_amount(self.env, 0.0, self.currency),
        )


@tagged("post_install", "-at_install")
class TestCurrencyTemplatesMigration(CurrencyCommon):
    def _bodies(self, xmlid):
        template = self.env.ref(f"paylink_portal.{xmlid}")
        return [template.with_context(lang=lang).body for lang in LANGS]

    def test_10_the_shipped_bodies_become_the_new_ones(self):
        """Each body, in each language, still the one shipped before becomes the one
        shipped now; a body staff changed stays."""
        for xmlid, old in OLD_BODIES.items():
            new = self._bodies(xmlid)
            for lang, old_body, new_body in zip(LANGS, old, new, strict=True):
                self.assertEqual(MIGRATION.new_body(xmlid, old_body), new_body, lang)
                self.assertNotIn("format_amount", new_body)
            template = self.env.ref(f"paylink_portal.{xmlid}")
            template.update_field_translations(
                "body", dict(zip(LANGS, old, strict=True))
            )
        share = self.env.ref("paylink_portal.sms_template_paylink_share")
        share.with_context(lang="fr_FR").body = "Payez ici : {{ object.paylink_url }}"
        reminder = self.env.ref("paylink_portal.sms_template_paylink_reminder")
        reminder.update_field_translations(
            "body", {"es_ES": MIGRATION.EARLIER["sms_template_paylink_reminder"][1]}
        )
        expected = {xmlid: self._bodies(xmlid) for xmlid in OLD_BODIES}
        self.env.flush_all()
        MIGRATION.migrate(self.env.cr, "18.0.1.1.1")
        self.env.invalidate_all()
        for xmlid, old in OLD_BODIES.items():
            bodies = self._bodies(xmlid)
            for index, lang in enumerate(LANGS):
                if xmlid == "sms_template_paylink_share" and lang == "fr_FR":
                    self.assertEqual(
                        bodies[index], "Payez ici : {{ object.paylink_url }}"
                    )
                else:
                    self.assertEqual(
                        bodies[index],
                        MIGRATION.new_body(xmlid, old[index]),
                        f"{xmlid} {lang}",
                    )
                    self.assertNotEqual(bodies[index], expected[xmlid][index])

    def test_20_the_email_gives_each_balance(self):
        template = self.env.ref("paylink_portal.mail_template_paylink")
        old, new = MIGRATION.EMAIL_BALANCE
        self.env.flush_all()
        [(bodies,)] = self.env.execute_query(
            SQL("SELECT body_html FROM mail_template WHERE id = %s", template.id)
        )
        self.assertEqual(set(bodies), set(LANGS))
        for body in bodies.values():
            self.assertIn(new, body)
            self.assertNotIn(old, body)
        # A database of 1.1.1: the company-currency balance in every language.
        self.env.execute_query(
            SQL(
                "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
                json.dumps(
                    {lang: body.replace(new, old) for lang, body in bodies.items()}
                ),
                template.id,
            )
        )
        MIGRATION.migrate(self.env.cr, "18.0.1.1.1")
        self.env.invalidate_all()
        [(migrated,)] = self.env.execute_query(
            SQL("SELECT body_html FROM mail_template WHERE id = %s", template.id)
        )
        self.assertEqual(migrated, bodies)
        # The customer of two currencies is told both.
        customer = self._create_customer("Emailed", lang="es_ES")
        self._post_move(customer, [100.0], invoice_date=self.last_month)
        self._post_move(
            customer, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        self._generate_link(customer)
        body = template.with_company(self.company)._render_field(
            "body_html", customer.ids, compute_lang=True
        )[customer.id]
        self.assertIn("Su saldo", body)
        self.assertIn(
            f"<strong>{self._format(100.0, lang='es_ES')} y"
            f" {self._format(50.0, self.eur, lang='es_ES')}</strong>",
            normalize(str(body)),
        )


@tagged("post_install", "-at_install")
class TestCurrencyAutopay(PaylinkAutopayCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_moving_euro()

    def _post_eur(self, amount, **kwargs):
        """An invoice of `amount` euros, posted last month (€1 = $2 then)."""
        return self._post_move(
            self.payer,
            [amount],
            invoice_date=self.last_month,
            currency=self.eur,
            **kwargs,
        )

    def test_10_each_currency_charged_in_its_currency_at_the_threshold(self):
        autopay = self._agree()
        # The threshold is $100: €45 is $90 at the invoice's rate, $112.50 today.
        eur_invoice = self._post_eur(45.0)
        usd_invoice = self._post_move(self.payer, [60.0])
        self._run_cron()
        charge = self._charges()
        self.assertEqual(len(charge), 1, "The dollars, $60, are below the threshold.")
        self.assertEqual(
            (charge.state, charge.currency_id, charge.amount, charge.token_id),
            ("done", self.eur, 45.0, autopay.token_id),
        )
        self.assertEqual(charge.invoice_ids, eur_invoice)
        self.assertTrue(charge.is_post_processed)
        self.assertEqual(charge.payment_id.currency_id, self.eur)
        self.assertEqual(charge.payment_id.amount, 45.0)
        self.assertEqual(eur_invoice.amount_residual, 0.0)
        self.assertEqual(usd_invoice.amount_residual, 60.0)
        self._run_cron()
        self.assertEqual(len(self._charges()), 1, "One balance is charged once.")

        usd_invoice_2 = self._post_move(self.payer, [50.0])
        self._run_cron()
        usd_charge = self._charges() - charge
        self.assertEqual(
            (usd_charge.state, usd_charge.currency_id, usd_charge.amount),
            ("done", self.currency, 110.0),
        )
        self.assertEqual(usd_invoice.amount_residual, 0.0)
        self.assertEqual(usd_invoice_2.amount_residual, 0.0)
        self.assertEqual(
            self.env["paylink.ledger"]._get_currency_balances(self.payer, self.company),
            [],
        )
        self._run_cron()
        self.assertEqual(len(self._charges()), 2)

    def test_11_both_currencies_in_one_run_each_once(self):
        self._agree()
        self._post_eur(60.0)
        self._post_move(self.payer, [150.0])
        self.card_answer = "pending"
        self._run_cron()
        charges = self._charges()
        self.assertEqual(
            sorted((tx.currency_id.name, tx.amount, tx.state) for tx in charges),
            [("EUR", 60.0, "pending"), ("USD", 150.0, "pending")],
        )
        # Being charged: neither is charged again.
        self.card_answer = "done"
        self._run_cron()
        self.assertEqual(len(self._charges()), 2)

    def test_12_with_the_early_payment_discount_in_its_currency(self):
        self._agree()
        term = self._create_term(
            "2/10 Net 30", early_pay_discount_computation="excluded"
        )
        invoice = self._post_move(
            self.payer, [150.0], currency=self.eur, payment_term=term
        )
        self._run_cron()  # €150.00 due, €147.00 settles it today.
        charge = self._charges()
        self.assertEqual(
            (charge.state, charge.currency_id, charge.amount),
            ("done", self.eur, 147.0),
        )
        self.assertEqual(charge.paylink_discounts, [[invoice.id, 3.0]])
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_20_a_currency_the_card_cannot_take_is_skipped(self):
        self._agree()
        self.provider.available_currency_ids = [Command.set(self.currency.ids)]
        eur_invoice = self._post_eur(100.0)
        self._post_move(self.payer, [120.0])
        with patch.object(paylink_autopay._logger, "info") as log_info:
            self._run_cron()
        [logged] = log_info.call_args_list
        self.assertIn("is not charged", logged.args[0])
        self.assertEqual(logged.args[2], "EUR")
        charge = self._charges()
        self.assertEqual((charge.currency_id, charge.amount), (self.currency, 120.0))
        self.assertEqual(eur_invoice.amount_residual, 100.0)

    def test_30_failures_count_once_per_run(self):
        autopay = self._agree()
        self.card_answer = "error"
        self._post_eur(60.0)
        self._post_move(self.payer, [150.0])
        self._run_cron()
        self.assertEqual(self._charges().mapped("state"), ["error", "error"])
        self.assertEqual((autopay.state, autopay.failure_count), ("active", 1))

    def test_40_a_fingerprint_recorded_before_currencies_still_counts(self):
        autopay = self._agree()
        self._post_move(self.payer, [150.0])
        # As an earlier version recorded it: the one fingerprint, not per currency.
        autopay.sudo().last_charged_fingerprint = self.link._get_account_summary()[
            "fingerprint"
        ]
        self._post_eur(60.0)
        self._run_cron()
        charge = self._charges()
        self.assertEqual((charge.currency_id, charge.amount), (self.eur, 60.0))
