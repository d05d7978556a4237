# Run with `click-odoo -d DB tools/bench/bench_phone_seed.py`: the database
# `make bench-phone` loads in a throttled phone browser.
#
# One outstanding customer with 25 charges (5 posted invoices of 5 product lines), its
# payment link, Odoo's Demo payment provider published for the company, Odoo's own
# payment-link page (/payment/pay) for the same amount and the portal page of one of
# the invoices. Writes the URLs and what the page must show as JSON to
# $PAYLINK_SEED_OUT.
import json
import os
from types import SimpleNamespace
from unittest.mock import patch

from odoo import Command, fields

from odoo.addons.payment import utils as payment_utils

INVOICES = 5
LINES_PER_INVOICE = 5
TIP_PERCENT = 20

env = env  # noqa: F821  (given by click-odoo)
company = env.company
currency = company.currency_id
# Enabled and published by tools/db/enable_demo_provider.py, run before this script.
provider = env.ref("payment.payment_provider_demo")
if (
    provider.state != "test"
    or not provider.is_published
    or provider.company_id != company
):
    raise SystemExit(f"The Demo payment provider is not enabled for {company.name}.")

customer = env["res.partner"].create(
    {
        "name": "Phone Bench Customer",
        "is_company": True,
        "email": "phone.bench@example.com",
    }
)
invoices = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": fields.Date.subtract(fields.Date.today(), days=invoice),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Service {invoice + 1}.{line + 1}",
                        "quantity": 1,
                        "price_unit": 37.25 + 11.5 * line + 3.75 * invoice,
                        "tax_ids": [],
                    }
                )
                for line in range(LINES_PER_INVOICE)
            ],
        }
        for invoice in range(INVOICES)
    ]
)
invoices.action_post()
customer.action_paylink_generate()
link = env["paylink.link"].search([("partner_id", "=", customer.id)])

# The balance as Odoo's Total Receivable means it (every invoice is still open), and
# the total the page must show with a 20% tip, rounded in the company currency.
balance = currency.round(sum(invoices.mapped("amount_residual")))
tip_total = currency.round(balance + currency.round(balance * TIP_PERCENT / 100))

# Odoo's own payment link for the same amount, signed as its "Generate a Payment Link"
# wizard signs it. generate_access_token reads the environment from the HTTP request,
# which a shell has not: it gets this one.
with patch.object(payment_utils, "request", SimpleNamespace(env=env)):
    access_token = payment_utils.generate_access_token(
        customer.id, balance, currency.id
    )
payment_pay_url = (
    f"/payment/pay?amount={balance}&currency_id={currency.id}"
    f"&partner_id={customer.id}&company_id={company.id}"
    f"&reference=PHONE-{customer.id}&access_token={access_token}"
)
invoice = invoices[0]
invoice_url = f"/my/invoices/{invoice.id}?access_token={invoice._portal_ensure_token()}"

env.cr.commit()
seed = {
    "partner_id": customer.id,
    "invoice_ids": invoices.ids,
    "charges": len(invoices.invoice_line_ids),
    "balance": balance,
    "currency": currency.name,
    "tip_percent": TIP_PERCENT,
    "tip_total": tip_total,
    # What the page's total reads with that tip, whatever its formatting: its digits.
    "tip_total_digits": f"{tip_total:.{currency.decimal_places}f}".replace(".", ""),
    "pages": {
        "pay": f"/pay/{link.token}",
        "payment_pay": payment_pay_url,
        "invoice": invoice_url,
    },
}
with open(os.environ["PAYLINK_SEED_OUT"], "w") as out:
    json.dump(seed, out, indent=1)
print(
    f"Seeded {customer.name}: {seed['charges']} charges on {len(invoices)} invoices,"
    f" balance {balance:.2f} {currency.name}, with a {TIP_PERCENT}% tip"
    f" {tip_total:.2f}."
)
