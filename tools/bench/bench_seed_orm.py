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
import math
import os
import sys
import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

# click-odoo does not put this folder on sys.path, where seeding.py is.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeding import bench_seed, demo_provider, invoice_values, write_seed  # noqa: E402

LINES_PER_INVOICE = int(os.environ.get("PAYLINK_BENCH_ORM_LINES_PER_INVOICE", "500"))
SIZES = [
    int(size)
    for size in os.environ.get("PAYLINK_BENCH_ORM_SIZES", "10,5000").split(",")
]

env = env  # noqa: F821  (given by click-odoo)
cr = env.cr
company = env.company
demo_provider(env)
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
            invoice_values(
                customer,
                # One invoice a month, going back from today.
                today - timedelta(days=30 * index),
                [
                    (f"Service {index + 1}.{line + 1}", 9.5 + line % 50)
                    for line in range(line_count)
                ],
                taxes=tax,
            )
        )
        invoice.action_post()
        # One transaction per invoice, as invoices arrive one by one.
        cr.commit()
        env.invalidate_all()
    customer.action_paylink_generate()
    links[size] = env["paylink.link"].search([("partner_id", "=", customer.id)])
cr.commit()
seconds = time.monotonic() - started

seed = bench_seed(env, customers, links, label=" (ORM)")
env.cr.rollback()  # Nothing to keep from the page values.
write_seed(seed)
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
    f"Seeded through the ORM in {seconds:.0f} s: {seed['journal_items']:,} journal"
    " items; customers: "
    + ", ".join(
        f"{page['lines']:,} lines / {page['items']:,} items" for page in seed["pages"]
    )
    + f". Rows the planner believes (pg_class.reltuples, -1: never analyzed): "
    f"{statistics}."
)
