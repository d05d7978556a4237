# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The statement of an account in several currencies: one section per currency, each
figure in its own currency (issue 23, "Currencies"), read back from the books and from
the printed report."""

from datetime import timedelta

from lxml import html

from odoo.tests import tagged

from odoo.addons.paylink_portal.report.paylink_statement import STATEMENT_REPORT
from odoo.addons.paylink_portal.tests.common import PaylinkCommon, normalize


@tagged("post_install", "-at_install")
class TestCurrencyStatement(PaylinkCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_moving_euro()
        cls.ledger = cls.env["paylink.ledger"]
        # Today where the company is, the statement's.
        cls.today = cls.ledger._get_today(cls.company)
        cls.last_month = cls.today - timedelta(days=30)
        # Due 20 days ago: in the 1-30 days bucket.
        cls.due_date = cls.today - timedelta(days=20)

    def _two_currencies(self, name):
        """The issue's customer: $100 and €50 invoiced last month, €20 paid today."""
        customer = self._create_customer(name)
        usd_invoice = self._post_move(
            customer, [100.0], invoice_date=self.last_month, due_date=self.due_date
        )
        eur_invoice = self._post_move(
            customer,
            [50.0],
            invoice_date=self.last_month,
            due_date=self.due_date,
            currency=self.eur,
        )
        payment = self._register_payment(eur_invoice, 20.0, self.eur)
        return customer, usd_invoice, eur_invoice, payment

    @staticmethod
    def _figures(section):
        return {
            "currency": section["currency"],
            "opening": section["opening"],
            "entries": [
                (entry["name"], entry["kind"], entry["amount"], entry["balance"])
                for entry in section["entries"]
            ],
            "closing": section["closing"],
            "ageing": {
                bucket["key"]: bucket["amount"]
                for bucket in section["ageing"]
                if bucket["amount"]
            },
            "ageing_total": section["ageing_total"],
            "due_now": section["due_now"],
        }

    def _render(self, partner, **data):
        """The statement report's HTML for `partner`, parsed."""
        report_html, _type = self.env["ir.actions.report"]._render_qweb_html(
            STATEMENT_REPORT, partner.ids, data={"company_id": self.company.id, **data}
        )
        return html.fromstring(report_html)

    @staticmethod
    def _texts(tree, class_name):
        return [
            normalize(node.text_content())
            for node in tree.xpath(
                ".//*[contains(concat(' ', normalize-space(@class), ' '),"
                f" ' {class_name} ')]"
            )
        ]

    # === THE FIGURES === #

    def test_10_a_section_per_currency_each_in_its_own(self):
        customer, usd_invoice, eur_invoice, payment = self._two_currencies(
            "Two Currencies"
        )
        # The books: the payment at today's rate left an exchange difference, which
        # moves the euro invoice's value in dollars only (no amount in euros).
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", customer.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("currency_id", "=", self.eur.id),
            ]
        )
        exchange = receivable.filtered(
            lambda line: line.move_id not in eur_invoice | payment.move_id
        )
        self.assertTrue(exchange)
        self.assertEqual(exchange.mapped("amount_currency"), [0.0] * len(exchange))
        self.assertTrue(all(exchange.mapped("balance")))

        statement = self.ledger._get_statement(customer, self.company)
        self.assertEqual(statement["date_from"], self.last_month)
        self.assertEqual(statement["date_to"], self.today)
        usd, eur = statement["sections"]
        self.assertEqual(
            self._figures(usd),
            {
                "currency": self.currency,
                "opening": 0.0,
                "entries": [(usd_invoice.name, "invoice", 100.0, 100.0)],
                "closing": 100.0,
                "ageing": {"1_30": 100.0},
                "ageing_total": 100.0,
                "due_now": 100.0,
            },
        )
        self.assertEqual(
            self._figures(eur),
            {
                "currency": self.eur,
                "opening": 0.0,
                "entries": [
                    (eur_invoice.name, "invoice", 50.0, 50.0),
                    (payment.move_id.name, "payment", -20.0, 30.0),
                ],
                "closing": 30.0,
                "ageing": {"1_30": 30.0},
                "ageing_total": 30.0,
                "due_now": 30.0,
            },
        )
        # Each closing balance up to today is that currency's balance.
        self.assertEqual(
            [(s["currency"], s["closing"]) for s in statement["sections"]],
            [
                (b["currency"], b["balance"])
                for b in self.ledger._get_currency_balances(customer, self.company)
            ],
        )
        # The statement's own keys are its first section's, the company currency's.
        self.assertEqual(statement["currency"], self.currency)
        self.assertEqual(statement["closing"], 100.0)
        self.assertEqual(statement["entries"], usd["entries"])

    def test_11_a_period_opens_each_currency_with_its_balance_before_it(self):
        customer, _usd_invoice, _eur_invoice, payment = self._two_currencies(
            "Two Currencies Today"
        )
        statement = self.ledger._get_statement(
            customer, self.company, date_from=self.today
        )
        usd, eur = statement["sections"]
        self.assertEqual(
            (usd["opening"], usd["entries"], usd["closing"]), (100.0, [], 100.0)
        )
        self.assertEqual(eur["opening"], 50.0)
        self.assertEqual(
            [(e["name"], e["amount"], e["balance"]) for e in eur["entries"]],
            [(payment.move_id.name, -20.0, 30.0)],
        )
        self.assertEqual(eur["closing"], 30.0)
        # A period before the euros: the euro section still says what is open today.
        before = self.last_month - timedelta(days=1)
        statement = self.ledger._get_statement(
            customer,
            self.company,
            date_from=before - timedelta(days=10),
            date_to=before,
        )
        self.assertEqual(
            [
                (s["currency"], s["opening"], s["entries"], s["closing"], s["due_now"])
                for s in statement["sections"]
            ],
            [
                (self.currency, 0.0, [], 0.0, None),
                (self.eur, 0.0, [], 0.0, None),
            ],
        )
        self.assertEqual(
            [s["ageing_total"] for s in statement["sections"]], [100.0, 30.0]
        )

    def test_12_settled_in_euros_shows_what_settled_it(self):
        customer = self._create_customer("Settles In Euros")
        invoice = self._post_move(
            customer,
            [50.0],
            invoice_date=self.last_month,
            due_date=self.due_date,
            currency=self.eur,
        )
        payment = self._register_payment(invoice, 50.0, self.eur)
        statement = self.ledger._get_statement(customer, self.company)
        # One section, in euros: no dollar section for the exchange difference.
        [eur] = statement["sections"]
        self.assertEqual(
            self._figures(eur),
            {
                "currency": self.eur,
                "opening": 0.0,
                "entries": [
                    (invoice.name, "invoice", 50.0, 50.0),
                    (payment.move_id.name, "payment", -50.0, 0.0),
                ],
                "closing": 0.0,
                "ageing": {},
                "ageing_total": 0.0,
                "due_now": 0.0,
            },
        )

    def test_13_one_currency_one_section_as_before(self):
        customer = self._create_customer("One Currency")
        invoice = self._post_move(
            customer,
            [100.0, 20.0],
            invoice_date=self.last_month,
            due_date=self.due_date,
        )
        refund = self._post_move(
            customer,
            [20.0],
            move_type="out_refund",
            invoice_date=self.today,
            due_date=self.today,
        )
        payment = self._pay(invoice, 40.0)
        statement = self.ledger._get_statement(customer, self.company)
        [section] = statement["sections"]
        self.assertEqual(
            self._figures(section),
            {
                "currency": self.currency,
                "opening": 0.0,
                "entries": [
                    (invoice.name, "invoice", 120.0, 120.0),
                    (refund.name, "refund", -20.0, 100.0),
                    (payment.move_id.name, "payment", -40.0, 60.0),
                ],
                "closing": 60.0,
                "ageing": {"current": -20.0, "1_30": 80.0},
                "ageing_total": 60.0,
                "due_now": 60.0,
            },
        )
        # The figures of the company currency: Odoo's Total Receivable.
        self.assertEqual(
            section["closing"], self.ledger._get_balance(customer, self.company)
        )
        self.assertEqual(customer.credit, 60.0)
        # The statement's own keys, as every caller of one currency reads them.
        for key, value in section.items():
            self.assertEqual(statement[key], value, key)
        # Nothing at all: one section, in the company currency, of zeros.
        statement = self.ledger._get_statement(
            self._create_customer("Nothing"), self.company
        )
        [section] = statement["sections"]
        self.assertEqual(
            (section["currency"], section["opening"], section["entries"]),
            (self.currency, 0.0, []),
        )
        self.assertEqual(section["closing"], 0.0)
        self.assertEqual(section["ageing_total"], 0.0)
        self.assertEqual(len(section["ageing"]), 5)

    # === THE REPORT === #

    def test_20_the_report_prints_each_section_in_its_currency(self):
        customer, usd_invoice, eur_invoice, payment = self._two_currencies(
            "Two Currencies Printed"
        )
        tree = self._render(customer)
        usd, eur = tree.xpath(
            "//*[contains(concat(' ', normalize-space(@class), ' '),"
            " ' o_paylink_statement_section ')]"
        )
        self.assertEqual(
            (usd.get("data-currency"), eur.get("data-currency")), ("USD", "EUR")
        )
        # The headings name the currencies.
        self.assertEqual(
            self._texts(usd, "o_paylink_statement_currency"), ["Amounts in USD"]
        )
        self.assertEqual(
            self._texts(eur, "o_paylink_statement_currency"), ["Amounts in EUR"]
        )
        # The dollar section, in dollars.
        [entry] = self._texts(usd, "o_paylink_statement_entry")
        self.assertIn(usd_invoice.name, entry)
        self.assertTrue(entry.endswith(self._format(100.0)), entry)
        self.assertIn(
            self._format(0.0), self._texts(usd, "o_paylink_statement_opening")[0]
        )
        self.assertIn(
            self._format(100.0), self._texts(usd, "o_paylink_statement_closing")[0]
        )
        self.assertEqual(
            self._texts(usd, "o_paylink_ageing_1_30"), [self._format(100.0)]
        )
        self.assertEqual(
            self._texts(usd, "o_paylink_ageing_total"), [self._format(100.0)]
        )
        # The euro section, in euros.
        entries = self._texts(eur, "o_paylink_statement_entry")
        self.assertEqual(len(entries), 2)
        self.assertIn(eur_invoice.name, entries[0])
        self.assertTrue(entries[0].endswith(self._format(50.0, self.eur)), entries[0])
        self.assertIn(payment.move_id.name, entries[1])
        self.assertIn(self._format(-20.0, self.eur), entries[1])
        self.assertTrue(entries[1].endswith(self._format(30.0, self.eur)), entries[1])
        self.assertIn(
            self._format(0.0, self.eur),
            self._texts(eur, "o_paylink_statement_opening")[0],
        )
        self.assertIn(
            self._format(30.0, self.eur),
            self._texts(eur, "o_paylink_statement_closing")[0],
        )
        self.assertEqual(
            self._texts(eur, "o_paylink_ageing_1_30"), [self._format(30.0, self.eur)]
        )
        self.assertEqual(
            self._texts(eur, "o_paylink_ageing_current"), [self._format(0.0, self.eur)]
        )
        self.assertEqual(
            self._texts(eur, "o_paylink_ageing_total"), [self._format(30.0, self.eur)]
        )
        # No dollar amount in the euro section, no euro amount in the dollar one.
        self.assertNotIn(self.currency.symbol, normalize(eur.text_content()))
        self.assertNotIn(self.eur.symbol, normalize(usd.text_content()))

    def test_21_one_section_is_not_named(self):
        customer = self._create_customer("One Currency Printed")
        self._post_move(customer, [100.0], invoice_date=self.last_month)
        tree = self._render(customer)
        self.assertEqual(len(self._texts(tree, "o_paylink_statement_section")), 1)
        self.assertFalse(self._texts(tree, "o_paylink_statement_currency"))
        self.assertNotIn("Amounts in", normalize(tree.text_content()))
        self.assertEqual(
            self._texts(tree, "o_paylink_ageing_total"), [self._format(100.0)]
        )
        # A customer in euros alone: one section, in euros, not named either.
        euro_customer = self._create_customer("Euros Only Printed")
        self._post_move(
            euro_customer, [50.0], invoice_date=self.last_month, currency=self.eur
        )
        tree = self._render(euro_customer)
        self.assertEqual(len(self._texts(tree, "o_paylink_statement_section")), 1)
        self.assertFalse(self._texts(tree, "o_paylink_statement_currency"))
        self.assertIn(
            self._format(50.0, self.eur),
            self._texts(tree, "o_paylink_statement_closing")[0],
        )
        self.assertEqual(
            self._texts(tree, "o_paylink_ageing_total"), [self._format(50.0, self.eur)]
        )

    def test_22_what_is_due_now_in_each_currency(self):
        """An invoice in euros in two instalments: its section says what is due now,
        in euros; the dollar section, where it is the closing balance, says nothing."""
        customer = self._create_customer("Instalments In Euros")
        self._post_move(
            customer, [100.0], invoice_date=self.last_month, due_date=self.due_date
        )
        term = self._create_term("30% now, 70% in 60 days", [(30, 0), (70, 60)])
        self._post_move(
            customer,
            [1000.0],
            invoice_date=self.today,
            currency=self.eur,
            payment_term=term,
        )
        usd, eur = self.ledger._get_statement(customer, self.company)["sections"]
        self.assertEqual(
            (usd["closing"], usd["due_now"], eur["closing"], eur["due_now"]),
            (100.0, 100.0, 1000.0, 300.0),
        )
        self.assertEqual(
            self.ledger._get_due_now(customer, self.company, currency=self.eur), 300.0
        )
        # The page reads the same, in euros: the first instalment, €300.
        summary = self.ledger._get_summary(customer, self.company, currency_name="EUR")
        [document] = summary["documents"]
        self.assertEqual(
            (document["due_now"], document["installment"]["amount"]), (300.0, 300.0)
        )
        # Both instalments are not yet overdue.
        self.assertEqual(self._figures(eur)["ageing"], {"current": 1000.0})
        tree = self._render(customer)
        usd_node, eur_node = tree.xpath(
            "//*[contains(concat(' ', normalize-space(@class), ' '),"
            " ' o_paylink_statement_section ')]"
        )
        self.assertFalse(self._texts(usd_node, "o_paylink_statement_due_now"))
        self.assertEqual(
            self._texts(eur_node, "o_paylink_statement_due_now"),
            [f"Due now: {self._format(300.0, self.eur)}"],
        )
        # A statement that ends before today says nothing of what is due now.
        statement = self.ledger._get_statement(
            customer,
            self.company,
            date_from=self.last_month,
            date_to=self.today - timedelta(days=1),
        )
        self.assertEqual([s["due_now"] for s in statement["sections"]], [None, None])

    def test_23_an_early_payment_discount_in_euros(self):
        """2% off within 10 days, on an invoice of €100: €2 off, in euros."""
        customer = self._create_customer("Early Payer In Euros")
        term = self._create_term(
            "2/10 Net 30", [(100.0, 30)], early_pay_discount_computation="excluded"
        )
        self._post_move(
            customer,
            [100.0],
            invoice_date=self.today,
            currency=self.eur,
            payment_term=term,
        )
        summary = self.ledger._get_summary(customer, self.company, currency_name="EUR")
        self.assertEqual(
            (
                summary["currency"],
                summary["balance"],
                summary["discount"],
                summary["amount_to_settle"],
                summary["due_now"],
            ),
            (self.eur, 100.0, 2.0, 98.0, 98.0),
        )
        [eur] = self.ledger._get_statement(customer, self.company)["sections"]
        self.assertEqual((eur["closing"], eur["due_now"]), (100.0, 98.0))
