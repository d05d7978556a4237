# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    paylink_tip_product_id = fields.Many2one(
        related='company_id.paylink_tip_product_id', readonly=False,
    )
    paylink_allow_saved_cards = fields.Boolean(
        related='company_id.paylink_allow_saved_cards', readonly=False,
    )
