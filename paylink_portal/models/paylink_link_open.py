# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..compat import sql_constraint

# How far back the customer form counts the openings of a link.
OPEN_COUNT_DAYS = 30


class PaylinkLinkOpen(models.Model):
    """How many times a payment link was opened, a row per link and day: the page
    itself only reads (it may be served by a replica), so the openings are recorded by
    a beacon the page sends once displayed (`/pay/<token>/opened`)."""

    _name = "paylink.link.open"
    _description = "Customer Payment Link Openings"
    _order = "day desc"

    link_id = fields.Many2one(
        comodel_name="paylink.link", required=True, ondelete="cascade", index=True
    )
    day = fields.Date(required=True)
    count = fields.Integer(required=True, default=0)
    last_date = fields.Datetime(string="Last Opened", required=True)

    _link_day_unique = sql_constraint(
        "UNIQUE(link_id, day)", "A payment link has one count of openings per day."
    )

    @api.model
    def _record(self, link):
        """Count one opening of `link`, now: one statement, whatever the number of
        concurrent openings (a conflict is retried by Odoo like any other)."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO paylink_link_open
                       (link_id, day, count, last_date, create_uid, create_date,
                        write_uid, write_date)
                VALUES (%(link)s, %(day)s, 1, %(now)s, %(uid)s, %(now)s, %(uid)s,
                        %(now)s)
                ON CONFLICT (link_id, day)
                DO UPDATE SET count = paylink_link_open.count + 1,
                              last_date = EXCLUDED.last_date,
                              write_date = EXCLUDED.write_date
                """,
                link=link.id,
                day=now.date(),
                now=now,
                uid=self.env.uid,
            )
        )
        self.invalidate_model()

    @api.model
    def _get_stats(self, links):
        """Return, by link, the last time it was opened and how many times in the last
        `OPEN_COUNT_DAYS` days.

        :rtype: dict
        """
        since = fields.Date.context_today(self) - timedelta(days=OPEN_COUNT_DAYS - 1)
        stats = {link: {"last": False, "count": 0} for link in links}
        for link, last in self._read_group(
            [("link_id", "in", links.ids)], ["link_id"], ["last_date:max"]
        ):
            stats[link]["last"] = last
        for link, count in self._read_group(
            [("link_id", "in", links.ids), ("day", ">=", since)],
            ["link_id"],
            ["count:sum"],
        ):
            stats[link]["count"] = count
        return stats
