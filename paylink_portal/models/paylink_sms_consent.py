# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

# The words the customer agrees to; each consent stores them as shown, in the language
# of the page.
CONSENT_TEXT = _lt(
    "SMS consent: I agree to receive automated payment reminders via text"
)


class PaylinkSmsConsent(models.Model):
    """An event of a customer's SMS consent history: given or withdrawn, by whom, where.

    Records are never changed nor deleted: the history is the proof a business needs.
    The current state is the latest event for the customer and phone number.
    """

    _name = "paylink.sms.consent"
    _description = "SMS Reminder Consent"
    _order = "consent_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        string="Customer",
        comodel_name="res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    phone = fields.Char(string="Phone Number", required=True, readonly=True)
    state = fields.Selection(
        string="Consent",
        selection=[("given", "Given"), ("withdrawn", "Withdrawn")],
        required=True,
        readonly=True,
    )
    consent_text = fields.Text(string="Text Shown", readonly=True)
    consent_date = fields.Datetime(
        string="Date",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    ip_address = fields.Char(string="IP Address", readonly=True)
    user_agent = fields.Char(string="Browser", readonly=True)
    source = fields.Selection(
        selection=[
            ("payment_link", "Payment link"),
            ("payment", "Payment through the payment link"),
            ("staff", "Staff"),
        ],
        required=True,
        readonly=True,
    )
    link_id = fields.Many2one(
        string="Payment Link",
        comodel_name="paylink.link",
        readonly=True,
        ondelete="set null",
    )
    transaction_id = fields.Many2one(
        comodel_name="payment.transaction",
        readonly=True,
        ondelete="set null",
    )
    user_id = fields.Many2one(
        string="Recorded By",
        comodel_name="res.users",
        readonly=True,
        help="The staff member who recorded the event; empty when the customer did.",
    )

    # === CRUD METHODS === #

    # Never calls super(): refusing every change is the point of this override.
    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Consent records are a history: they cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("Consent records are a history: they cannot be deleted."))

    # === BUSINESS METHODS === #

    @api.model
    def _get_current_by_partner(self, partners):
        """Return the latest consent event of each partner, for its current number.

        :param recordset partners: The `res.partner` records.
        :return: A dict {partner: `paylink.sms.consent` record or empty recordset}.
        :rtype: dict
        """
        latest = {partner: self.browse() for partner in partners}
        for consent in self.search([("partner_id", "in", partners.ids)]):
            partner = consent.partner_id
            if (
                not latest[partner]
                and consent.phone == partner._get_paylink_sms_number()
            ):
                latest[partner] = consent
        return latest

    @api.model
    def _record(self, partner, state, source, **values):
        """Record a consent event for `partner`'s current number.

        :param recordset partner: The customer (commercial entity).
        :param str state: 'given' or 'withdrawn'.
        :param str source: See the `source` field.
        :param dict values: Extra field values (link_id, transaction_id, ip_address...).
        :return: The created record.
        :raise UserError: If the customer has no phone number to consent for.
        """
        phone = partner._get_paylink_sms_number()
        if not phone:
            raise UserError(
                _("There is no mobile number on file to send reminders to.")
            )
        return self.create(
            {
                "partner_id": partner.id,
                "phone": phone,
                "state": state,
                "source": source,
                "consent_text": self.env._(CONSENT_TEXT),
                **values,
            }
        )

    @api.model
    def _record_from_request(self, link_sudo, given, httprequest, **values):
        """Record the choice the customer made on the payment page, when it changes the
        current state: ticking records a consent, unticking a given one a withdrawal.

        :param recordset link_sudo: The `paylink.link` the customer proved (sudo).
        :param bool given: Whether the box was ticked.
        :param httprequest: The werkzeug request, for the IP address and the browser.
        :param dict values: Extra field values (transaction_id).
        :return: The created record, or an empty recordset when nothing changed.
        """
        partner = link_sudo.partner_id
        current = self._get_current_by_partner(partner)[partner]
        if (current.state == "given") == given:
            return self.browse()
        return self._record(
            partner,
            "given" if given else "withdrawn",
            "payment" if values.get("transaction_id") else "payment_link",
            link_id=link_sudo.id,
            ip_address=httprequest.remote_addr,
            user_agent=(httprequest.user_agent.string or "")[:512],
            **values,
        )
