# Run with `odoo-bin shell -d DB < tools/enable_demo_provider.py`: lets the demo take
# payments. Odoo's "Demo" provider (payment_demo) simulates success, pending, cancel
# and failure, and talks to nothing outside this machine.
provider = env.ref("payment.payment_provider_demo")  # noqa: F821
provider.write({"state": "test", "is_published": True})
env.cr.commit()  # noqa: F821
print(
    f"Payment provider '{provider.name}' enabled in test mode"
    f" for {provider.company_id.name}."
)
