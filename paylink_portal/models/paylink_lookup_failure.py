# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

DEFAULT_LIMIT = 20  # Failed lookups per client IP and window before answering 429.
WINDOW = timedelta(minutes=1)


class PaylinkLookupFailure(models.Model):
    """One failed token lookup, by client IP: the rate limit of link guessing.

    A row per failure, never updated: concurrent requests of several workers only
    insert, so they never conflict under Odoo's repeatable-read transactions. Rows older
    than the window are garbage-collected by the autovacuum.
    """

    _name = "paylink.lookup.failure"
    _description = "Failed Payment Link Lookup"
    _log_access = False

    ip_address = fields.Char(required=True)
    failed_at = fields.Datetime(required=True, default=fields.Datetime.now)

    def init(self):
        create_index(
            self.env.cr,
            "paylink_lookup_failure_ip_failed_at_idx",
            self._table,
            ["ip_address", "failed_at"],
        )

    @api.model
    def _get_limit(self):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("paylink_portal.lookup_failure_limit")
        )
        try:
            return max(int(param), 1) if param else DEFAULT_LIMIT
        except ValueError:
            return DEFAULT_LIMIT

    @api.model
    def _is_blocked(self, ip_address):
        """Whether `ip_address` failed too many lookups within the window."""
        [(blocked,)] = self.env.execute_query(
            SQL("SELECT %s", self._get_blocked_sql(ip_address))
        )
        return blocked

    @api.model
    def _get_blocked_sql(self, ip_address):
        """Return an SQL expression, true when `ip_address` failed too many lookups
        within the
        window: the link lookup embeds it, so that a valid link costs no extra query."""
        limit = self._get_limit()
        self.flush_model()
        return SQL(
            "((SELECT count(*) FROM (SELECT FROM %s"
            " WHERE ip_address = %s AND failed_at > %s LIMIT %s) AS recent) >= %s)",
            SQL.identifier(self._table),
            ip_address,
            fields.Datetime.now() - WINDOW,
            limit,
            limit,
        )

    @api.model
    def _record(self, ip_address):
        self.sudo().create({"ip_address": ip_address})

    @api.autovacuum
    def _gc_lookup_failures(self):
        self.sudo().search(
            [("failed_at", "<", fields.Datetime.now() - WINDOW)]
        ).unlink()
