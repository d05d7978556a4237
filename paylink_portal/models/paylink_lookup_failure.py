# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..utils import PrimaryNeeded

# Failed lookups per client IP and window before its next failed lookups are answered
# 429: the limit sheds junk traffic; valid links are always served.
DEFAULT_LIMIT = 20
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
        )  # In sudo mode to read the setting as the public user.
        try:
            return max(int(param), 1) if param else DEFAULT_LIMIT
        except ValueError:
            return DEFAULT_LIMIT

    @api.model
    def _check_and_record(self, ip_address):
        """Count a failed lookup of `ip_address`, unless it is already over the limit,
        and return whether it is: the one place that decides the limit.

        Only failed lookups go through here: a valid link is always served, whoever
        asks. The failure is written in the request's transaction, which its answer
        (404 or 429, a page or a JSON error) commits: nothing else is written then.

        :raise PrimaryNeeded: On a read-only cursor (a replica's): Odoo then serves the
                              request again on the primary, where this can write.
        :return: Whether the client is over the limit (answered 429 instead of 404).
        :rtype: bool
        """
        if self.env.cr.readonly:
            raise PrimaryNeeded(
                "paylink: a failed link lookup to record on the primary"
            )
        limit = self._get_limit()
        self.flush_model()
        [(recent,)] = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM (SELECT FROM %s"
                " WHERE ip_address = %s AND failed_at > %s LIMIT %s) AS recent",
                SQL.identifier(self._table),
                ip_address,
                fields.Datetime.now() - WINDOW,
                limit,
            )
        )
        if recent >= limit:
            return True
        # In sudo mode: the public user may not write failures; only this method does.
        self.sudo().create({"ip_address": ip_address})
        return False

    @api.autovacuum
    def _gc_lookup_failures(self):
        self.sudo().search(  # In sudo mode: the garbage collector runs as anyone.
            [("failed_at", "<", fields.Datetime.now() - WINDOW)]
        ).unlink()
