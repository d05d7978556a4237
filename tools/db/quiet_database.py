# Run with `click-odoo -d DB tools/db/quiet_database.py`: keeps a local database
# off the network.
#
# Odoo phones home from scheduled actions (the publisher warranty contract, IAP
# services) and sends mail through the configured server. A demo or test database on a
# developer machine must do neither: crons that call out are turned off, IAP endpoints
# point at a closed loopback port, and no outgoing mail server is configured (Odoo then
# falls back to localhost).
CLOSED_PORT = "http://127.0.0.1:9"
env.ref("mail.ir_cron_module_update_notification").active = False  # noqa: F821
params = env["ir.config_parameter"].sudo()  # noqa: F821
for key in (
    "iap.endpoint",
    "sms.endpoint",
    "snailmail.endpoint",
    "enrich.endpoint",
    "iap.partner_autocomplete.endpoint",
    "web_editor.media_library_endpoint",
    "web_editor.olg_api_endpoint",
    # 19.0: web_editor's endpoints moved to html_editor.
    "html_editor.media_library_endpoint",
    "html_editor.olg_api_endpoint",
):
    params.set_param(key, CLOSED_PORT)
env["ir.mail_server"].search([]).active = False  # noqa: F821
env.cr.commit()  # noqa: F821
print(
    "Database quieted: phone-home crons off, IAP endpoints on a closed loopback port."
)
