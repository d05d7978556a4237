# Run with `click-odoo -d DB tools/bench/bench_seed_orm.py`: the second database
# `make bench` measures, built as a new user's data arrives.
#
# Two customers, of 10 and 5,000 billing lines, whose invoices are all created and
# posted through the ORM (`account.move` create, then `action_post`), 500 lines to an
# invoice, and no ANALYZE afterwards: the planner sees the tables as Odoo's install left
# them, never analyzed, as a database does until autovacuum (or someone) analyzes it.
# Autovacuum is turned off for the two tables here so that it cannot analyze them
# behind the benchmark's back where it runs. `bench_seed.py`'s database, analyzed, is
# the planner's best case; this one is its worst. Writes the URLs to measure as JSON to
# $PAYLINK_SEED_OUT, in `bench_seed.py`'s format.
import json
import math
import os
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL, hmac

LINES_PER_INVOICE = int(os.environ.get("PAYLINK_BENCH_ORM_LINES_PER_INVOICE", "500"))
SIZES = [
    int(size)
    for size in os.environ.get("PAYLINK_BENCH_ORM_SIZES", "10,5000").split(",")
]

env = env  # noqa: F821  (given by click-odoo)
cr = env.cr
company = env.company
env.ref("payment.payment_provider_demo").write({"state": "test", "is_published": True})
for table in ("account_move", "account_move_line"):
    cr.execute(
        SQL("ALTER TABLE %s SET (autovacuum_enabled = false)", SQL.identifier(table))
    )
cr.commit()

tax = company.account_sale_tax_id
today = fields.Date.today()
started = time.monotonic()
customers, links = {}, {}
for size in SIZES:
    customer = env["res.partner"].create(
        {
            "name": f"Bench ORM Customer {size} lines",
            "is_company": True,
            "email": f"bench-orm{size}@example.com",
        }
    )
    customers[size] = customer
    invoices = math.ceil(size / LINES_PER_INVOICE)
    for index in range(invoices):
        line_count = min(LINES_PER_INVOICE, size - index * LINES_PER_INVOICE)
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                # One invoice a month, going back from today.
                "invoice_date": today - timedelta(days=30 * index),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Service {index + 1}.{line + 1}",
                            "quantity": 1,
                            "price_unit": 9.5 + line % 50,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for line in range(line_count)
                ],
            }
        )
        invoice.action_post()
        # One transaction per invoice, as invoices arrive one by one.
        cr.commit()
        env.invalidate_all()
    customer.action_paylink_generate()
    links[size] = env["paylink.link"].search([("partner_id", "=", customer.id)])
cr.commit()
seconds = time.monotonic() - started

# Odoo's own payment link page, for the same customer and amount as the biggest account.
big = customers[SIZES[-1]]
amount = links[SIZES[-1]]._get_page_values()["balance"]
currency = company.currency_id
# What payment.utils.generate_access_token signs, without the HTTP request it needs.
access_token = hmac(
    env(su=True), "generate_access_token", f"{big.id}|{amount}|{currency.id}"
)
(items,) = env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0]
seed = {
    "journal_items": items,
    "pages": [
        {
            "name": f"/pay, {size:,} lines (ORM)",
            "path": f"/pay/{links[size].token}",
            "partner_id": customers[size].id,
            "lines": env["account.move.line"].search_count(
                [
                    ("partner_id", "=", customers[size].id),
                    ("display_type", "=", "product"),
                ]
            ),
            "items": env["account.move.line"].search_count(
                [("partner_id", "=", customers[size].id)]
            ),
        }
        for size in SIZES
    ],
    "web_login": "/web/login",
    "payment_pay": (
        f"/payment/pay?amount={amount}&currency_id={currency.id}&partner_id={big.id}"
        f"&company_id={company.id}&reference=BENCH-{big.id}"
        f"&access_token={access_token}"
    ),
    "balance_due": amount,
}
env.cr.rollback()  # Nothing to keep from the page values.
with open(os.environ["PAYLINK_SEED_OUT"], "w") as out:
    json.dump(seed, out, indent=1)
statistics = ", ".join(
    f"{name} {int(tuples):,}"
    for name, tuples in env.execute_query(
        SQL(
            "SELECT relname, reltuples FROM pg_class"
            " WHERE relname IN ('account_move', 'account_move_line') ORDER BY relname"
        )
    )
)
print(
    f"Seeded through the ORM in {seconds:.0f} s: {items:,} journal items; customers: "
    + ", ".join(
        f"{page['lines']:,} lines / {page['items']:,} items" for page in seed["pages"]
    )
    + f". Rows the planner believes (pg_class.reltuples, -1: never analyzed): "
    f"{statistics}."
)
