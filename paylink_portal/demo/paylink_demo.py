# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models


class PaylinkDemo(models.AbstractModel):
    """The demo data's entries: a model of its own, kept with the demo data, so that no
    production model carries demo code. It is only called by `paylink_demo.xml`."""

    _name = "paylink.demo"
    _description = "Customer Payment Link Demo Data"

    @api.model
    def _create_demo_data(self):
        """Post the demo customers' invoices, credit notes and payments, and give each a
        link.

        Called from `demo/paylink_demo.xml`; done in Python because the entries need the
        chart of accounts the company got at installation, whatever its country.
        """
        company = self.env.company
        if not self.env["account.journal"].search_count(
            [("company_id", "=", company.id), ("type", "=", "sale")],
            limit=1,
        ):
            return  # No chart of accounts: nothing can be invoiced.
        today = fields.Date.context_today(self)
        ref = self.env.ref
        all_set = ref("paylink_portal.partner_all_set_demo")
        credit = ref("paylink_portal.partner_credit_demo")
        outstanding = ref("paylink_portal.partner_outstanding_demo")
        services = [
            ("Monthly service plan", 49.0),
            ("On-site visit", 85.0),
            ("Replacement filter", 12.5),
            ("Emergency call-out", 120.0),
            ("Parts and materials", 37.25),
            ("Labor (1 hour)", 65.0),
            ("Annual inspection", 99.0),
        ]

        def post_move(partner, days_ago, lines, move_type="out_invoice", currency=None):
            move = self.env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    **({"currency_id": currency.id} if currency else {}),
                    "invoice_date": fields.Date.subtract(today, days=days_ago),
                    # Due 30 days after: the older invoices show as overdue.
                    "invoice_date_due": fields.Date.subtract(today, days=days_ago - 30),
                    "invoice_line_ids": [
                        fields.Command.create(
                            {"name": name, "quantity": 1, "price_unit": price}
                        )
                        for name, price in lines
                    ],
                }
            )
            move.action_post()
            return move

        def pay(invoice, amount):
            self.env["account.payment.register"].with_context(
                active_model="account.move",
                active_ids=invoice.ids,
            ).create({"amount": amount})._create_payments()

        # All set: one invoice, paid in full.
        invoice = post_move(all_set, 20, services[:2])
        pay(invoice, invoice.amount_total)
        # Credit: a credit note larger than the only invoice.
        post_move(credit, 30, services[2:3])
        post_move(
            credit,
            10,
            [("Refund: cancelled annual plan", 150.0)],
            move_type="out_refund",
        )
        # Outstanding: four months of charges (28 line items), the oldest invoice partly
        # paid.
        invoices = [
            post_move(outstanding, 30 * month + 5, services)
            for month in range(3, -1, -1)
        ]
        pay(invoices[0], 100.0)
        partners = all_set | credit | outstanding
        # Two currencies: an invoice in the company's, one in euros (or dollars, for a
        # company in euros), each owed and paid in its own.
        other = ref("base.EUR")
        if other == company.currency_id:
            other = ref("base.USD")
        if not other.rate_ids:
            self.env["res.currency.rate"].create(
                {"currency_id": other.id, "name": today, "rate": 0.9}
            )
        other.active = True
        two_currencies = ref("paylink_portal.partner_two_currencies_demo")
        post_move(two_currencies, 12, services[1:3])
        post_move(
            two_currencies, 5, [("Translation of the manual", 240.0)], currency=other
        )
        partners |= two_currencies
        for partner in partners:
            partner.action_paylink_generate()
