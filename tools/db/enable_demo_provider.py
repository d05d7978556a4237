# Run with `click-odoo -d DB tools/db/enable_demo_provider.py`: lets the demo take
# payments. Odoo's "Demo" provider (payment_demo) simulates success, pending, cancel
# and failure, and talks to nothing outside this machine.
provider = env.ref("payment.payment_provider_demo")  # noqa: F821
provider.write({"state": "test", "is_published": True})
# As the provider's form does when staff enable it: its journal and payment method line.
# Left to the first payments, two of them at once would each create a line, and every
# later payment would fail on two ("Expected singleton").
assert provider.journal_id  # Computed: creates the line the first time.
env["account.payment.method.line"].flush_model()  # noqa: F821
env.cr.commit()  # noqa: F821
print(
    f"Payment provider '{provider.name}' enabled in test mode"
    f" for {provider.company_id.name}."
)
