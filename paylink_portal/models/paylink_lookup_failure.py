# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

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
        asks. The request then answers 404 (or 429) by raising, which rolls its
        transaction back, and it may be served by a read replica: the failure is
        written once that transaction has ended, on a read/write cursor of its own,
        which reaches the primary (`_record`). Not while it lasts: under Odoo's test
        cursors, which share one transaction, a cursor opened during a read-only
        request is refused, and one opened during any request is undone with it.

        :return: Whether the client is over the limit (answered 429 instead of 404).
        :rtype: bool
        """
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
        self.env.cr.postrollback.add(functools.partial(self._record, ip_address))
        return False

    @api.model
    def _record(self, ip_address):
        """Write one failed lookup of `ip_address`, on a cursor of its own."""
        with self.env.registry.cursor() as cr:
            # In sudo mode: the public user may not write failures; only this model
            # does.
            self.with_env(self.env(cr=cr)).sudo().create({"ip_address": ip_address})

    @api.autovacuum
    def _gc_lookup_failures(self):
        self.sudo().search(  # In sudo mode: the garbage collector runs as anyone.
            [("failed_at", "<", fields.Datetime.now() - WINDOW)]
        ).unlink()
