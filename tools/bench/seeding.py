"""What the seeds of the benchmarks share (bench_seed.py, bench_seed_orm.py,
bench_phone_seed.py, loadtest_seed.py, each run by click-odoo on a database where
tools/db/enable_demo_provider.py ran first): the Demo provider they pay through,
customer invoices, Odoo's own payment-link page for an amount, the seed `bench.py`
measures, and the JSON each writes to $PAYLINK_SEED_OUT.

A seed imports it from beside itself: click-odoo runs a script by its path, but does
not put the script's folder on sys.path as `python script.py` does.
"""

import json
import os
from types import SimpleNamespace
from unittest.mock import patch

from odoo import Command
from odoo.tools import SQL

from odoo.addons.payment import utils as payment_utils


def demo_provider(env):
    """Odoo's Demo payment provider, which tools/db/enable_demo_provider.py enabled and
    published for the company; SystemExit when it did not."""
    provider = env.ref("payment.payment_provider_demo")
    if (
        provider.state != "test"
        or not provider.is_published
        or provider.company_id != env.company
    ):
        raise SystemExit(
            f"The Demo payment provider is not enabled for {env.company.name}:"
            " run tools/db/enable_demo_provider.py first."
        )
    return provider


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


def payment_pay_path(env, partner, amount, reference):
    """The path of Odoo's own payment-link page (/payment/pay) for `partner` to pay
    `amount` in the company's currency, signed as Odoo's "Generate a Payment Link"
    wizard signs it. generate_access_token reads the environment from the HTTP request,
    which a script has not: it gets `env`."""
    company = env.company
    currency = company.currency_id
    with patch.object(payment_utils, "request", SimpleNamespace(env=env)):
        access_token = payment_utils.generate_access_token(
            partner.id, amount, currency.id
        )
    return (
        f"/payment/pay?amount={amount}&currency_id={currency.id}"
        f"&partner_id={partner.id}&company_id={company.id}"
        f"&reference={reference}&access_token={access_token}"
    )


def bench_seed(env, customers, links, label=""):
    """What bench.py, bench_inprocess.py and bench_explain.py read of a `make bench`
    database: one /pay page per customer of `customers` and `links` (dicts by number of
    lines, smallest first), its name followed by `label`; /web/login; and Odoo's
    /payment/pay for the biggest customer's balance."""
    sizes = list(customers)
    big = customers[sizes[-1]]
    amount = links[sizes[-1]]._get_account_summary()["balance"]
    (items,) = env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0]
    lines = env["account.move.line"]
    return {
        "journal_items": items,
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
        "payment_pay": payment_pay_path(env, big, amount, f"BENCH-{big.id}"),
        "balance_due": amount,
    }


def write_seed(seed):
    """Write `seed` as JSON to $PAYLINK_SEED_OUT, for the tool that measures."""
    with open(os.environ["PAYLINK_SEED_OUT"], "w") as out:
        json.dump(seed, out, indent=1)
