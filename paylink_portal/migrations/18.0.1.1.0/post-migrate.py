# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

# Indexes of earlier versions that the ledger's two (account_move_line.py) replaced.
OBSOLETE_INDEXES = (
    "paylink_aml_partner_open_idx",
    "paylink_aml_partner_balance_idx",
    # Without the sequence and id: its order stopped at the invoice.
    "paylink_aml_partner_invoice_date_idx",
)


def migrate(cr, version):
    for index in OBSOLETE_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    # The reminders' cron is `noupdate`: point it at the model that now sends them,
    # keeping the schedule an administrator may have changed.
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("paylink_portal.ir_cron_paylink_sms_reminders", False)
    if cron:
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("paylink.sms.reminder"),
                "code": "model._cron_send()",
            }
        )
