# Run with `click-odoo -d DB tools/bench/bench_phone_seed.py`: the database
# `make bench-phone` loads in a throttled phone browser.
#
# One outstanding customer with 25 charges (5 posted invoices of 5 product lines), its
# payment link, Odoo's Demo payment provider published for the company, Odoo's own
# payment-link page (/payment/pay) for the same amount and the portal page of one of
# the invoices. Writes the URLs and what the page must show as JSON to
# $PAYLINK_SEED_OUT.
import os
import sys

from odoo import fields

# click-odoo does not put this folder on sys.path, where seeding.py is.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seeding import (  # noqa: E402
    demo_provider,
    invoice_values,
    payment_pay_path,
    write_seed,
)

INVOICES = 5
LINES_PER_INVOICE = 5
TIP_PERCENT = 20

env = env  # noqa: F821  (given by click-odoo)
company = env.company
currency = company.currency_id
demo_provider(env)

customer = env["res.partner"].create(
    {
        "name": "Phone Bench Customer",
        "is_company": True,
        "email": "phone.bench@example.com",
    }
)
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
                for line in range(LINES_PER_INVOICE)
            ],
        )
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

# Odoo's own payment link for the same amount.
payment_pay_url = payment_pay_path(env, customer, balance, f"PHONE-{customer.id}")
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
write_seed(seed)
print(
    f"Seeded {customer.name}: {seed['charges']} charges on {len(invoices)} invoices,"
    f" balance {balance:.2f} {currency.name}, with a {TIP_PERCENT}% tip"
    f" {tip_total:.2f}."
)
