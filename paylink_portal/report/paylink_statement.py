# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

STATEMENT_REPORT = "paylink_portal.action_report_paylink_statement"


class PaylinkStatementReport(models.AbstractModel):
    """The values of the statement of account (`report_paylink_statement`): one
    statement per customer, of the company and period its data name, read from
    `paylink.ledger` as the payment page's balance is."""

    _name = "report.paylink_portal.report_paylink_statement"
    _description = "Customer Payment Link Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        """:param dict data: `company_id`, `date_from` and `date_to` (ISO dates), each
        optional: the current company and the ledger's default period otherwise."""
        data = data or {}
        company = (
            self.env["res.company"].browse(data["company_id"])
            if data.get("company_id")
            else self.env.company
        )
        date_from = fields.Date.to_date(data.get("date_from"))
        date_to = fields.Date.to_date(data.get("date_to"))
        partners = self.env["res.partner"].browse(docids)
        Ledger = self.env["paylink.ledger"]
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "statements": {
                partner.id: Ledger._get_statement(
                    partner.commercial_partner_id, company, date_from, date_to
                )
                for partner in partners
            },
            "qr_urls": {
                partner.id: self.env["paylink.link"]._get_printed_url(partner, company)
                for partner in partners
            },
        }
