# Run with `click-odoo -d DB tools/bench/bench_seed.py`: the database `make bench`
# measures.
#
# Three customers with 10, 1,000 and 100,000 billing lines, and other customers' history
# up to at least 1,000,000 journal items in all, so that a query that scans
# account_move_line shows. One invoice is made and posted through the ORM; the rest are
# SQL copies of it (an ORM create of a million lines would take most of an hour), with
# their own numbers, customers and dates. Writes the URLs to measure as JSON to
# $PAYLINK_SEED_OUT.
import json
import math
import os

from odoo import Command, fields
from odoo.tools import SQL, hmac

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
env.ref("payment.payment_provider_demo").write({"state": "test", "is_published": True})

tax = company.account_sale_tax_id
template_partner = env["res.partner"].create(
    {"name": "Bench Template", "is_company": True}
)
template = env["account.move"].create(
    {
        "move_type": "out_invoice",
        "partner_id": template_partner.id,
        "invoice_date": fields.Date.today(),
        "invoice_line_ids": [
            Command.create(
                {
                    "name": f"Monthly service, item {line + 1}",
                    "quantity": 1,
                    "price_unit": 9.5 + line,
                    "tax_ids": [Command.set(tax.ids)],
                }
            )
            for line in range(LINES_PER_INVOICE)
        ],
    }
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

# Odoo's own payment link page, for the same customer and amount as the biggest account.
big = customers[SIZES[-1]]
amount = links[SIZES[-1]]._get_page_values()["balance"]
currency = company.currency_id
# What payment.utils.generate_access_token signs, without the HTTP request it needs.
access_token = hmac(
    env(su=True), "generate_access_token", f"{big.id}|{amount}|{currency.id}"
)
payment_pay_url = (
    f"/payment/pay?amount={amount}&currency_id={currency.id}&partner_id={big.id}"
    f"&company_id={company.id}&reference=BENCH-{big.id}"
    f"&access_token={access_token}"
)
# The Makefile then runs VACUUM ANALYZE, which cannot run in this transaction.
env.cr.commit()
(items,) = env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0]
seed = {
    "journal_items": items,
    "pages": [
        {
            "name": f"/pay, {size:,} lines",
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
    "payment_pay": payment_pay_url,
    "balance_due": amount,
}
with open(os.environ["PAYLINK_SEED_OUT"], "w") as out:
    json.dump(seed, out, indent=1)
print(
    f"Seeded {items:,} journal items; customers: "
    + ", ".join(
        f"{page['lines']:,} lines / {page['items']:,} items" for page in seed["pages"]
    )
)
