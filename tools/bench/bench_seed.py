# Run with `click-odoo -d DB tools/bench/bench_seed.py`: the database `make bench`
# measures.
#
# Three customers with 10, 1,000 and 100,000 billing lines, and other customers' history
# up to at least 1,000,000 journal items in all, so that a query that scans
# account_move_line shows. One invoice is made and posted through the ORM; the rest are
# SQL copies of it (an ORM create of a million lines would take most of an hour), with
# their own numbers, customers and dates. Writes the URLs to measure as JSON to
# $PAYLINK_SEED_OUT.
import math
import os
import sys

from odoo import fields
from odoo.tools import SQL

# click-odoo does not put this folder on sys.path, where seeding.py is.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeding import bench_seed, demo_provider, invoice_values, write_seed  # noqa: E402

LINES_PER_INVOICE = 10
SIZES = [
    int(size)
    for size in os.environ.get("PAYLINK_BENCH_SIZES", "10,1000,100000").split(",")
]
TOTAL_ITEMS = int(os.environ.get("PAYLINK_BENCH_TOTAL_ITEMS", "1000000"))
FILLER_CUSTOMERS = 200

env = env  # noqa: F821  (given by click-odoo)
cr = env.cr
company = env.company
demo_provider(env)

tax = company.account_sale_tax_id
template_partner = env["res.partner"].create(
    {"name": "Bench Template", "is_company": True}
)
template = env["account.move"].create(
    invoice_values(
        template_partner,
        fields.Date.today(),
        [
            (f"Monthly service, item {line + 1}", 9.5 + line)
            for line in range(LINES_PER_INVOICE)
        ],
        taxes=tax,
    )
)
template.action_post()
env.flush_all()


def columns(table):
    return [
        name
        for (name,) in env.execute_query(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = %s AND column_name != 'id'"
                " ORDER BY ordinal_position",
                table,
            )
        )
    ]


MOVE_COLUMNS = columns("account_move")
LINE_COLUMNS = columns("account_move_line")


def clone_invoices(partner_ids):
    """Insert one copy of the template invoice per entry of `partner_ids`, dated one day
    apart
    going back from the template's date, and return how many journal items were written.
    """
    cr.execute("DROP TABLE IF EXISTS bench_clone")
    cr.execute(
        SQL(
            "CREATE TEMP TABLE bench_clone AS"
            " SELECT n, partner_id, nextval('account_move_id_seq') AS move_id"
            " FROM unnest(%s::int[]) WITH ORDINALITY AS t(partner_id, n)",
            partner_ids,
        )
    )
    move_overrides = {
        "name": "'BENCH/' || c.move_id",
        "payment_reference": "'BENCH/' || c.move_id",
        "partner_id": "c.partner_id",
        "commercial_partner_id": "c.partner_id",
        "invoice_date": "m.invoice_date - mod(c.n, 3650)::int",
        "date": "m.date - mod(c.n, 3650)::int",
        "invoice_date_due": "m.invoice_date_due - mod(c.n, 3650)::int",
        "access_token": "NULL",
    }
    cr.execute(
        SQL(
            "INSERT INTO account_move (id, %s) SELECT c.move_id, %s"
            " FROM bench_clone c, account_move m WHERE m.id = %s",
            SQL(", ".join(f'"{name}"' for name in MOVE_COLUMNS)),
            SQL(
                ", ".join(
                    move_overrides.get(name, f'm."{name}"') for name in MOVE_COLUMNS
                )
            ),
            template.id,
        )
    )
    line_overrides = {
        "move_id": "c.move_id",
        "move_name": "'BENCH/' || c.move_id",
        "partner_id": "c.partner_id",
        "date": "l.date - mod(c.n, 3650)::int",
        "invoice_date": "l.invoice_date - mod(c.n, 3650)::int",
        "date_maturity": "l.date_maturity - mod(c.n, 3650)::int",
    }
    cr.execute(
        SQL(
            "INSERT INTO account_move_line (%s) SELECT %s"
            " FROM bench_clone c, account_move_line l WHERE l.move_id = %s",
            SQL(", ".join(f'"{name}"' for name in LINE_COLUMNS)),
            SQL(
                ", ".join(
                    line_overrides.get(name, f'l."{name}"') for name in LINE_COLUMNS
                )
            ),
            template.id,
        )
    )
    return cr.rowcount


customers = {}
for size in SIZES:
    customer = env["res.partner"].create(
        {
            "name": f"Bench Customer {size} lines",
            "is_company": True,
            "email": f"bench{size}@example.com",
        }
    )
    customers[size] = customer
    clone_invoices([customer.id] * math.ceil(size / LINES_PER_INVOICE))

(items,) = env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0]
fillers = env["res.partner"].create(
    [
        {"name": f"Bench Filler {index:03d}", "is_company": True}
        for index in range(FILLER_CUSTOMERS)
    ]
)
items_per_invoice = len(template.line_ids)
missing_invoices = max(0, math.ceil((TOTAL_ITEMS - items) / items_per_invoice))
filler_ids = [fillers[index % FILLER_CUSTOMERS].id for index in range(missing_invoices)]
for start in range(0, len(filler_ids), 20000):
    clone_invoices(filler_ids[start : start + 20000])
env.invalidate_all()

links = {size: env["paylink.link"].browse() for size in SIZES}
for size, customer in customers.items():
    customer.action_paylink_generate()
    links[size] = env["paylink.link"].search([("partner_id", "=", customer.id)])

seed = bench_seed(env, customers, links)
# The Makefile then runs VACUUM ANALYZE, which cannot run in this transaction.
env.cr.commit()
write_seed(seed)
print(
    f"Seeded {seed['journal_items']:,} journal items; customers: "
    + ", ".join(
        f"{page['lines']:,} lines / {page['items']:,} items" for page in seed["pages"]
    )
)
