# Run with `click-odoo -d DB tools/bench/seed.py KIND OUT.json`, on a database built
# by the Makefile's `bench_db` (paylink_portal and payment_demo installed, quieted, the
# Demo provider enabled): the data a benchmark measures, and what it reads of it (URLs,
# tokens, ids) written as JSON to OUT.json. KIND is one of:
#
#   bench      `make bench`: customers of 10, 1,000 and 100,000 billing lines among
#              1,000,000 journal items, one invoice posted through the ORM and the rest
#              SQL copies of it (an ORM create of a million lines would take most of an
#              hour); the Makefile then runs VACUUM ANALYZE: the planner's best case.
#   bench-orm  `make bench`'s second database, as a new user's data arrives: customers
#              of 10 and 5,000 lines in invoices of 500 lines created and posted through
#              the ORM, never analyzed (autovacuum off for the two tables): its worst
#              case. Written in the format of `bench`.
#   phone      `make bench-phone`: one outstanding customer with 25 charges, its
#              link, Odoo's own /payment/pay for the same amount and the portal page of
#              one of its invoices.
#   load       `make loadtest` and `make replica`: customers (--customers, 30 by
#              default) with three invoices each and their links.
import argparse
import json
import math
import time
from datetime import timedelta
from types import SimpleNamespace
from unittest.mock import patch

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.payment import utils as payment_utils

env = env  # noqa: F821  (given by click-odoo)
cr = env.cr
company = env.company
currency = company.currency_id

# What the phone benchmark's customer owes, and the tip it taps.
PHONE_INVOICES = 5
PHONE_LINES_PER_INVOICE = 5
PHONE_TIP_PERCENT = 20
# The `bench` database.
BENCH_SIZES = (10, 1000, 100000)
BENCH_TOTAL_ITEMS = 1000000
BENCH_LINES_PER_INVOICE = 10
BENCH_FILLER_CUSTOMERS = 200
# The `bench-orm` database.
ORM_SIZES = (10, 5000)
ORM_LINES_PER_INVOICE = 500


# === SHARED ========================================================================= #


def demo_provider():
    """Odoo's Demo payment provider, which tools/db/enable_demo_provider.py enabled and
    published for the company; SystemExit when it did not."""
    provider = env.ref("payment.payment_provider_demo")
    if (
        provider.state != "test"
        or not provider.is_published
        or provider.company_id != company
    ):
        raise SystemExit(
            f"The Demo payment provider is not enabled for {company.name}:"
            " run tools/db/enable_demo_provider.py first."
        )
    return provider


def create_customer(name, email=None):
    return env["res.partner"].create({"name": name, "is_company": True, "email": email})


def invoice_values(partner, date, lines, taxes=None):
    """The values of a customer invoice of `partner` dated `date`: one line of quantity
    1 for each (name, unit price) of `lines`, with `taxes` (no tax without)."""
    return {
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": date,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": name,
                    "quantity": 1,
                    "price_unit": price,
                    "tax_ids": [Command.set(taxes.ids)] if taxes is not None else [],
                }
            )
            for name, price in lines
        ],
    }


def link_of(customer):
    """The payment link of `customer`, generated as staff's button does."""
    customer.action_paylink_generate()
    return env["paylink.link"].search([("partner_id", "=", customer.id)])


def payment_pay_path(partner, amount, reference):
    """The path of Odoo's own payment-link page (/payment/pay) for `partner` to pay
    `amount` in the company's currency, signed as Odoo's "Generate a Payment Link"
    wizard signs it. generate_access_token reads the environment from the HTTP request,
    which a script has not: it gets `env`."""
    with patch.object(payment_utils, "request", SimpleNamespace(env=env)):
        access_token = payment_utils.generate_access_token(
            partner.id, amount, currency.id
        )
    return (
        f"/payment/pay?amount={amount}&currency_id={currency.id}"
        f"&partner_id={partner.id}&company_id={company.id}"
        f"&reference={reference}&access_token={access_token}"
    )


def journal_items():
    return env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0][0]


def bench_pages(customers, links, label=""):
    """What bench.py, bench_inprocess.py and bench_explain.py read of a `make bench`
    database: one /pay page per customer of `customers` and `links` (dicts by number of
    lines, smallest first), its name followed by `label`; /web/login; and Odoo's
    /payment/pay for the biggest customer's balance."""
    sizes = list(customers)
    big = customers[sizes[-1]]
    amount = links[sizes[-1]]._get_account_summary()["balance"]
    lines = env["account.move.line"]
    return {
        "journal_items": journal_items(),
        "pages": [
            {
                "name": f"/pay, {size:,} lines{label}",
                "path": f"/pay/{links[size].token}",
                "partner_id": customers[size].id,
                "lines": lines.search_count(
                    [
                        ("partner_id", "=", customers[size].id),
                        ("display_type", "=", "product"),
                    ]
                ),
                "items": lines.search_count([("partner_id", "=", customers[size].id)]),
            }
            for size in sizes
        ],
        "web_login": "/web/login",
        "payment_pay": payment_pay_path(big, amount, f"BENCH-{big.id}"),
        "balance_due": amount,
    }


def describe_bench(seed):
    return ", ".join(
        f"{page['lines']:,} lines / {page['items']:,} items" for page in seed["pages"]
    )


# === BENCH: SQL COPIES ============================================================== #


def _columns(table):
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


def clone_invoices(template, partner_ids):
    """Insert one copy of the posted invoice `template` per entry of `partner_ids`,
    dated one day apart going back from the template's date."""
    cr.execute("DROP TABLE IF EXISTS bench_clone")
    cr.execute(
        SQL(
            "CREATE TEMP TABLE bench_clone AS"
            " SELECT n, partner_id, nextval('account_move_id_seq') AS move_id"
            " FROM unnest(%s::int[]) WITH ORDINALITY AS t(partner_id, n)",
            partner_ids,
        )
    )
    for table, alias, overrides, where in (
        (
            "account_move",
            "m",
            {
                "id": "c.move_id",
                "name": "'BENCH/' || c.move_id",
                "payment_reference": "'BENCH/' || c.move_id",
                "partner_id": "c.partner_id",
                "commercial_partner_id": "c.partner_id",
                "invoice_date": "m.invoice_date - mod(c.n, 3650)::int",
                "date": "m.date - mod(c.n, 3650)::int",
                "invoice_date_due": "m.invoice_date_due - mod(c.n, 3650)::int",
                "access_token": "NULL",
            },
            "m.id",
        ),
        (
            "account_move_line",
            "l",
            {
                "move_id": "c.move_id",
                "move_name": "'BENCH/' || c.move_id",
                "partner_id": "c.partner_id",
                "date": "l.date - mod(c.n, 3650)::int",
                "invoice_date": "l.invoice_date - mod(c.n, 3650)::int",
                "date_maturity": "l.date_maturity - mod(c.n, 3650)::int",
            },
            "l.move_id",
        ),
    ):
        names = (["id"] if "id" in overrides else []) + _columns(table)
        cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM bench_clone c, %s %s WHERE %s = %s",
                SQL.identifier(table),
                SQL(", ".join(f'"{name}"' for name in names)),
                SQL(
                    ", ".join(
                        overrides.get(name, f'{alias}."{name}"') for name in names
                    )
                ),
                SQL.identifier(table),
                SQL(alias),
                SQL(where),
                template.id,
            )
        )


def seed_bench(_args):
    demo_provider()
    template = env["account.move"].create(
        invoice_values(
            create_customer("Bench Template"),
            fields.Date.today(),
            [
                (f"Monthly service, item {line + 1}", 9.5 + line)
                for line in range(BENCH_LINES_PER_INVOICE)
            ],
            taxes=company.account_sale_tax_id,
        )
    )
    template.action_post()
    env.flush_all()
    customers = {}
    for size in BENCH_SIZES:
        customers[size] = create_customer(
            f"Bench Customer {size} lines", f"bench{size}@example.com"
        )
        clone_invoices(
            template,
            [customers[size].id] * math.ceil(size / BENCH_LINES_PER_INVOICE),
        )
    fillers = env["res.partner"].create(
        [
            {"name": f"Bench Filler {index:03d}", "is_company": True}
            for index in range(BENCH_FILLER_CUSTOMERS)
        ]
    )
    missing = max(
        0,
        math.ceil((BENCH_TOTAL_ITEMS - journal_items()) / len(template.line_ids)),
    )
    filler_ids = [fillers[i % BENCH_FILLER_CUSTOMERS].id for i in range(missing)]
    for start in range(0, len(filler_ids), 20000):
        clone_invoices(template, filler_ids[start : start + 20000])
    env.invalidate_all()
    links = {size: link_of(customer) for size, customer in customers.items()}
    seed = bench_pages(customers, links)
    # The Makefile then runs VACUUM ANALYZE, which cannot run in this transaction.
    cr.commit()
    return (
        seed,
        f"Seeded {seed['journal_items']:,} journal items; {describe_bench(seed)}",
    )


# === BENCH-ORM ====================================================================== #


def seed_bench_orm(_args):
    demo_provider()
    for table in ("account_move", "account_move_line"):
        cr.execute(
            SQL(
                "ALTER TABLE %s SET (autovacuum_enabled = false)",
                SQL.identifier(table),
            )
        )
    cr.commit()
    today = fields.Date.today()
    started = time.monotonic()
    customers, links = {}, {}
    for size in ORM_SIZES:
        customers[size] = customer = create_customer(
            f"Bench ORM Customer {size} lines", f"bench-orm{size}@example.com"
        )
        for index in range(math.ceil(size / ORM_LINES_PER_INVOICE)):
            line_count = min(
                ORM_LINES_PER_INVOICE, size - index * ORM_LINES_PER_INVOICE
            )
            invoice = env["account.move"].create(
                invoice_values(
                    customer,
                    # One invoice a month, going back from today.
                    today - timedelta(days=30 * index),
                    [
                        (f"Service {index + 1}.{line + 1}", 9.5 + line % 50)
                        for line in range(line_count)
                    ],
                    taxes=company.account_sale_tax_id,
                )
            )
            invoice.action_post()
            # One transaction per invoice, as invoices arrive one by one.
            cr.commit()
            env.invalidate_all()
        links[size] = link_of(customer)
    cr.commit()
    seconds = time.monotonic() - started
    seed = bench_pages(customers, links, label=" (ORM)")
    cr.rollback()  # Nothing to keep from the page values.
    statistics = ", ".join(
        f"{name} {int(tuples):,}"
        for name, tuples in env.execute_query(
            SQL(
                "SELECT relname, reltuples FROM pg_class WHERE relname IN"
                " ('account_move', 'account_move_line') ORDER BY relname"
            )
        )
    )
    return seed, (
        f"Seeded through the ORM in {seconds:.0f} s: {seed['journal_items']:,} journal"
        f" items; {describe_bench(seed)}. Rows the planner believes"
        f" (pg_class.reltuples, -1: never analyzed): {statistics}."
    )


# === PHONE ========================================================================== #


def seed_phone(_args):
    demo_provider()
    customer = create_customer("Phone Bench Customer", "phone.bench@example.com")
    invoices = env["account.move"].create(
        [
            invoice_values(
                customer,
                fields.Date.subtract(fields.Date.today(), days=invoice),
                [
                    (
                        f"Service {invoice + 1}.{line + 1}",
                        37.25 + 11.5 * line + 3.75 * invoice,
                    )
                    for line in range(PHONE_LINES_PER_INVOICE)
                ],
            )
            for invoice in range(PHONE_INVOICES)
        ]
    )
    invoices.action_post()
    link = link_of(customer)
    # The balance as Odoo's Total Receivable means it (every invoice is still open),
    # and the total the page must show with the tip, rounded in the company currency.
    balance = currency.round(sum(invoices.mapped("amount_residual")))
    tip_total = currency.round(
        balance + currency.round(balance * PHONE_TIP_PERCENT / 100)
    )
    invoice = invoices[0]
    seed = {
        "partner_id": customer.id,
        "charges": len(invoices.invoice_line_ids),
        "balance": balance,
        "currency": currency.name,
        "tip_percent": PHONE_TIP_PERCENT,
        "tip_total": tip_total,
        # What the page's total reads with that tip, whatever its formatting: digits.
        "tip_total_digits": f"{tip_total:.{currency.decimal_places}f}".replace(".", ""),
        "pages": {
            "pay": f"/pay/{link.token}",
            # Odoo's own payment link for the same amount.
            "payment_pay": payment_pay_path(customer, balance, f"PHONE-{customer.id}"),
            "invoice": f"/my/invoices/{invoice.id}"
            f"?access_token={invoice._portal_ensure_token()}",
        },
    }
    return seed, (
        f"Seeded {customer.name}: {seed['charges']} charges on {len(invoices)}"
        f" invoices, balance {balance:.2f} {currency.name}, with a"
        f" {PHONE_TIP_PERCENT}% tip {tip_total:.2f}."
    )


# === LOAD =========================================================================== #


def seed_load(args):
    provider = demo_provider()
    # Guessers come from their own addresses and must be limited; customers never are.
    env["ir.config_parameter"].set_param("paylink_portal.lookup_failure_limit", "20")
    customers = env["res.partner"].create(
        [
            {
                "name": f"Load Customer {index:03d}",
                "is_company": True,
                "email": f"load{index}@example.com",
            }
            for index in range(args.customers)
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
        "customers": [
            {"id": link.partner_id.id, "token": link.token} for link in links
        ],
    }
    return seed, (
        f"Seeded {len(customers)} customers, {len(moves)} invoices, {len(links)} links."
    )


# === MAIN =========================================================================== #

SEEDS = {
    "bench": seed_bench,
    "bench-orm": seed_bench_orm,
    "phone": seed_phone,
    "load": seed_load,
}
parser = argparse.ArgumentParser(
    prog="seed.py", description="Seed a benchmark database."
)
parser.add_argument("kind", choices=SEEDS)
parser.add_argument("out", help="the JSON file the benchmark reads")
parser.add_argument("--customers", type=int, default=30, help="load: how many")
arguments = parser.parse_args()
seed_data, summary = SEEDS[arguments.kind](arguments)
cr.commit()
with open(arguments.out, "w") as out:
    json.dump(seed_data, out, indent=1)
print(summary)
