# Run with `click-odoo -d DB tools/db/print_demo_links.py`: how to try the demo.
import os

port = os.environ.get("PAYLINK_HTTP_PORT", "8069")
base_url = f"http://localhost:{port}"
env["ir.config_parameter"].sudo().set_param("web.base.url", base_url)  # noqa: F821
env.cr.commit()  # noqa: F821
print()
print(f"Odoo with paylink_portal: {base_url}/odoo  (login: admin, password: admin)")
print("Demo payment links (no login needed):")
for xmlid in (
    "partner_all_set_demo",
    "partner_credit_demo",
    "partner_outstanding_demo",
    "partner_two_currencies_demo",
):
    partner = env.ref(f"paylink_portal.{xmlid}")  # noqa: F821
    state = (
        partner.paylink_ids[:1]._get_account_summary()["state"]
        if partner.paylink_ids
        else "-"
    )
    print(f"  {partner.name:<20} {state:<12} {partner.paylink_url}")
print()
