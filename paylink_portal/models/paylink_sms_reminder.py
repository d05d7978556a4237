# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from datetime import timedelta

from odoo import api, fields, models


class PaylinkSmsReminder(models.AbstractModel):
    """The SMS payment reminders: which customers to remind, at which number, and the
    reminder itself, sent through Odoo's SMS queue. Each link keeps its own count and
    date of reminders (`paylink.link.reminder_count`, `last_reminder_date`); the
    consent they require is the ledger's (`paylink.sms.consent`)."""

    _name = "paylink.sms.reminder"
    _description = "Customer Payment Link SMS Reminders"

    @api.model
    def _cron_send(self):
        """Text a payment reminder with the link to each customer who owes more than the
        company's minimum, consented to reminders for their current, valid,
        non-blacklisted number, and was not reminded within the interval nor more than
        the maximum.

        A customer who owes in several currencies is reminded of what is due now in
        each (`res.partner.paylink_due_now_text`); the minimum, in the company currency,
        applies to what is due now in all of them, each converted at today's rate
        (`_get_number`)."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search(
            [("paylink_reminder_enabled", "=", True)]
        ):
            template = company._get_paylink_reminder_template()
            links = (
                self.env["paylink.link"]
                .with_company(company)
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id.active", "=", True),
                    ]
                )
            )
            consents = self.env["paylink.sms.consent"]._get_current_by_partner(
                links.partner_id
            )
            for link in links:
                phone = self._get_number(link, consents[link.partner_id], now)
                if phone:
                    self._send(link, template, phone, now)

    @api.model
    def _get_number(self, link, consent, now):
        """Return the number to remind the link's customer at, or False when they must
        not be.

        :param recordset link: The `paylink.link` record.
        :param recordset consent: The customer's current `paylink.sms.consent`, maybe
            empty.
        :param datetime now: The time of the run.
        :rtype: str or bool
        """
        company = link.company_id
        currency = company.currency_id
        Ledger = self.env["paylink.ledger"]
        # Each currency apart: a credit in one pays nothing owed in another.
        balances = Ledger._get_currency_balances(link.partner_id, company)
        if all(
            entry["currency"].compare_amounts(entry["balance"], 0) <= 0
            for entry in balances
        ):
            if link.reminder_count:
                link.reminder_count = 0  # Settled: a later debt starts a new series.
            return False
        # What the reminder asks for: what is due now (not instalments due later), in
        # each currency; the minimum, in the company currency, applies to their total
        # at today's rates.
        due_now = sum(
            Ledger._to_company_currency(amount, due_currency, company)
            for due_currency, amount in Ledger._get_due_now_by_currency(
                link.partner_id, company, balances=balances
            )
        )
        if (
            currency.compare_amounts(due_now, company.paylink_reminder_min_amount) <= 0
            or link.reminder_count >= company.paylink_reminder_max_count
            or (
                link.last_reminder_date
                and link.last_reminder_date
                > now - timedelta(days=company.paylink_reminder_interval)
            )
            or consent.state != "given"
        ):
            return False
        phone = link.partner_id._get_paylink_sms_number()
        sanitized = link.partner_id._phone_format(number=phone)
        if not sanitized or phone != consent.phone:
            return False  # Invalid, or not the number the customer consented for.
        if (
            self.env["phone.blacklist"]
            .sudo()
            .search_count(
                [("number", "=", sanitized)],
                limit=1,
            )
        ):  # In sudo mode to read the blacklist, which billing users cannot.
            return False
        return sanitized

    @api.model
    def _send(self, link, template, phone, now):
        """Post the reminder in the customer's chatter, which logs it. The SMS is queued
        and leaves with Odoo's SMS queue after this transaction commits, so that a run
        that fails half-way sends nothing twice."""
        partner = link.partner_id.with_company(link.company_id)
        partner._message_sms_with_template(
            # Rendered in the link's company, whose name, balance and link it gives:
            # the template renders in its own environment, not the partner's.
            template=template.with_company(link.company_id),
            partner_ids=partner.ids,
            sms_pid_to_number={partner.id: phone},
            put_in_queue=True,
        )
        link.write(
            {"reminder_count": link.reminder_count + 1, "last_reminder_date": now}
        )
