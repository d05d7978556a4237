# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What differs between the Odoo series this addon serves, 18.0 and 19.0, in one place.

Each entry says which series it serves: dropping 18.0 one day is deleting its branch of
each entry; adding 20.0 is checking each entry on its tree. Besides this module, what
knows the series is:

- `data/ir_asset_data.xml`: the extension of Odoo's payment form (18.0's
  publicWidget, `static/src/payment_form/payment_form_18.js`; 19.0's Interaction,
  `payment_form_19.js`), which the payment step's scripts (`models/ir_asset.py`)
  start from, with what starts either (`_PAY_STEP_ROOTS`);
- `report/paylink_statement_report.xml`: the statement's groups (`groups_id` on 18.0,
  `group_ids` on 19.0);
- `models/account_move.py`'s `_compute_display_link_qr_code`, an override of a 19.0
  method (its own QR code on invoices), never called on 18.0;
- the tests' own `tests/compat.py`.
"""

from odoo import models, release

SERIES = release.version_info[0]

# Routes answering JSON-RPC. 18.0: `type='json'`; 19.0 renamed it `'jsonrpc'` ('json' is
# a deprecated alias there, with a warning at each start).
JSONRPC = "jsonrpc" if SERIES >= 19 else "json"

# The numbers a text message can go to, in order of preference. 18.0: a partner has a
# `mobile` and a `phone`, the mobile first; 19.0 has no `mobile` field.
PARTNER_NUMBER_FIELDS = ("phone",) if SERIES >= 19 else ("mobile", "phone")

# Odoo's QR codes (`ir.actions.report.barcode`) with the white margin scanners need.
# 18.0: `quiet=True` removes the margin; 19.0 turned it around: `quiet=False` does.
QR_WITH_MARGIN = {"quiet": True} if SERIES >= 19 else {"quiet": False}


# Whether the payment step can fetch the translations of Odoo's scripts ahead of them
# (a <link rel="preload">). 18.0: its localization service fetches them from a URL
# versioned by their hash, cached for long; 19.0 fetches them with `cache: "no-store"`
# (and keeps them in IndexedDB), which no preload serves.
PRELOAD_TRANSLATIONS = SERIES < 19


def translations_url(session_info, lang):
    """Return the URL of the translations that Odoo's localization service fetches on
    a frontend page (`session_info`: `ir.http.get_frontend_session_info()`; `lang`: the
    page's language code), when `PRELOAD_TRANSLATIONS`; else None."""
    if not PRELOAD_TRANSLATIONS:
        return None
    base = session_info.get("translationURL") or "/web/webclient/translations"
    lang = (session_info.get("user_context") or {}).get("lang") or lang
    return f"{base}/{session_info['cache_hashes']['translations']}?lang={lang}"


def partner_number(partner):
    """Return the first of `partner`'s numbers in `PARTNER_NUMBER_FIELDS`, or False."""
    return next(
        (partner[field] for field in PARTNER_NUMBER_FIELDS if partner[field]), False
    )


def readonly_route(predicate):
    """Return a route's `readonly` callable that asks `predicate()` whether the request
    only reads. 18.0 calls it with the controller; 19.0 with the controller, the rule
    and the route's arguments."""

    def readonly(_controller, *_rule_and_args):
        return predicate()

    return readonly


def charge_with_token(transaction):
    """Charge `transaction`, an offline payment with a saved token. 19.0:
    `_charge_with_token` checks the provider and logs, `_send_payment_request` is only
    the provider's part; 18.0: `_send_payment_request` does all of it."""
    if SERIES >= 19:
        return transaction._charge_with_token()
    return transaction._send_payment_request()


class _SqlConstraint18:
    """An SQL constraint declared as 19.0 declares it (`_name = sql_constraint(...)`),
    added to the model's `_sql_constraints` for 18.0, which names it alike in the
    database: "<table>_<name>"."""

    def __init__(self, definition, message):
        self.definition = definition
        self.message = message

    def __set_name__(self, owner, name):
        owner._sql_constraints = [
            *owner.__dict__.get("_sql_constraints", []),
            (name.lstrip("_"), self.definition, self.message),
        ]


def sql_constraint(definition, message):
    """Return an SQL constraint of the model, to assign to a class attribute `_name`:
    `models.Constraint` on 19.0 (which ignores `_sql_constraints` with a warning), an
    entry of `_sql_constraints` on 18.0. Either way the database names it
    "<table>_<name>"."""
    if SERIES >= 19:
        return models.Constraint(definition, message)
    return _SqlConstraint18(definition, message)
