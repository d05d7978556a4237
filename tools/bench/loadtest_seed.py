# Run with `click-odoo -d DB tools/bench/loadtest_seed.py`: customers, charges and
# links for `make loadtest`. Writes what the load needs (tokens, ids) as JSON to
# $PAYLINK_SEED_OUT.
import json
import os

from odoo import Command, fields

CUSTOMERS = int(os.environ.get("PAYLINK_SEED_CUSTOMERS", "30"))
env = env  # noqa: F821  (given by click-odoo)
company = env.company
provider = env.ref("payment.payment_provider_demo")
provider.write({"state": "test", "is_published": True})
# As the provider's form does when staff enable it: its journal and payment method line.
# Left to the first payments, two of them at once would each create a line, and every
# later payment would fail on two ("Expected singleton").
assert provider.journal_id  # Computed: creates the line the first time.
env["account.payment.method.line"].flush_model()  # noqa: F821
# Guessers come from their own addresses and must be limited; valid clients never are.
env["ir.config_parameter"].set_param("paylink_portal.lookup_failure_limit", "20")

customers = env["res.partner"].create(
    [
        {
            "name": f"Load Customer {index:03d}",
            "is_company": True,
            "email": f"load{index}@example.com",
        }
        for index in range(CUSTOMERS)
    ]
)
moves = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Charge {line}",
                        "quantity": 1,
                        "price_unit": 10.0 + line,
                        "tax_ids": [],
                    }
                )
                for line in range(3)
            ],
        }
        for customer in customers
        for _invoice in range(3)
    ]
)
moves.action_post()
customers.action_paylink_generate()
links = env["paylink.link"].search([("partner_id", "in", customers.ids)])
seed = {
    "company_id": company.id,
    "provider_id": provider.id,
    "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
    "customers": [{"id": link.partner_id.id, "token": link.token} for link in links],
}
env.cr.commit()
with open(os.environ["PAYLINK_SEED_OUT"], "w") as out:
    json.dump(seed, out)
print(f"Seeded {len(customers)} customers, {len(moves)} invoices, {len(links)} links.")
