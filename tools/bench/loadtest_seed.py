# Run with `click-odoo -d DB tools/bench/loadtest_seed.py`: customers, charges and
# links for `make loadtest`. Writes what the load needs (tokens, ids) as JSON to
# $PAYLINK_SEED_OUT.
import os
import sys

from odoo import fields

# click-odoo does not put this folder on sys.path, where seeding.py is.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeding import demo_provider, invoice_values, write_seed  # noqa: E402

CUSTOMERS = int(os.environ.get("PAYLINK_SEED_CUSTOMERS", "30"))
env = env  # noqa: F821  (given by click-odoo)
company = env.company
provider = demo_provider(env)
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
        invoice_values(
            customer,
            fields.Date.today(),
            [(f"Charge {line}", 10.0 + line) for line in range(3)],
        )
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
write_seed(seed)
print(f"Seeded {len(customers)} customers, {len(moves)} invoices, {len(links)} links.")
