# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the tests meet differently on each Odoo series (see the addon's compat.py)."""

from odoo.addons.paylink_portal.compat import PARTNER_NUMBER_FIELDS, SERIES

# The field of a customer's number that text messages go to first: the mobile on 18.0,
# the phone on 19.0 (which has no mobile).
TEXT_NUMBER = PARTNER_NUMBER_FIELDS[0]

# The script modules of the payment form on the payment step: Odoo's form, the Demo
# provider's and ours. 18.0: publicWidgets; 19.0: Interactions.
PAYMENT_FORM_MODULES = (
    (
        "@payment/interactions/payment_form",
        "@payment_demo/interactions/payment_form",
        "@paylink_portal/payment_form/payment_form_19",
    )
    if SERIES >= 19
    else (
        "@payment/js/payment_form",
        "@payment_demo/js/payment_form",
        "@paylink_portal/payment_form/payment_form_18",
    )
)

# Stripe's payment form script: a provider's that loads its own SDK.
STRIPE_PAYMENT_FORM_MODULE = (
    "@payment_stripe/interactions/payment_form"
    if SERIES >= 19
    else "@payment_stripe/js/payment_form"
)
