# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    paylink_tip_product_id = fields.Many2one(
        related="company_id.paylink_tip_product_id",
        readonly=False,
    )
    paylink_allow_saved_cards = fields.Boolean(
        related="company_id.paylink_allow_saved_cards",
        readonly=False,
    )
    paylink_reminder_enabled = fields.Boolean(
        related="company_id.paylink_reminder_enabled",
        readonly=False,
    )
    paylink_reminder_interval = fields.Integer(
        related="company_id.paylink_reminder_interval",
        readonly=False,
    )
    paylink_autopay_enabled = fields.Boolean(
        related="company_id.paylink_autopay_enabled",
        readonly=False,
    )
    paylink_autopay_threshold = fields.Monetary(
        related="company_id.paylink_autopay_threshold",
        readonly=False,
    )
    paylink_rating_enabled = fields.Boolean(
        related="company_id.paylink_rating_enabled",
        readonly=False,
    )
    paylink_review_url = fields.Char(
        related="company_id.paylink_review_url",
        readonly=False,
    )
    paylink_partial_min_amount = fields.Monetary(
        related="company_id.paylink_partial_min_amount",
        readonly=False,
    )
    paylink_reminder_min_amount = fields.Monetary(
        related="company_id.paylink_reminder_min_amount",
        readonly=False,
    )
    paylink_reminder_max_count = fields.Integer(
        related="company_id.paylink_reminder_max_count",
        readonly=False,
    )
    paylink_reminder_sms_template_id = fields.Many2one(
        related="company_id.paylink_reminder_sms_template_id",
        readonly=False,
    )
    paylink_qr_on_invoices = fields.Boolean(
        related="company_id.paylink_qr_on_invoices",
        readonly=False,
    )
    paylink_share_sms_template_id = fields.Many2one(
        related="company_id.paylink_share_sms_template_id",
        readonly=False,
    )
