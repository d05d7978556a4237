# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import ast
import logging
import re

import babel.dates
import babel.lists

from odoo.tools import babel_locale_parse, float_round, get_lang, posix_to_ldml

# A payment link is a password to a customer's page: its responses are neither cached,
# nor referred, nor indexed, nor framed.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}

PAY_PATH_PREFIX = "/pay/"
_TOKEN_IN_PATH = re.compile(r'(/pay/)[^/?#\s"]+')


def is_paylink_path(path):
    return bool(path) and path.startswith(PAY_PATH_PREFIX)


def apply_security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response


def mask_token(text):
    """Replace the token of every payment link path in `text`."""
    return _TOKEN_IN_PATH.sub(r"\1***", text)


class MaskPaylinkTokenFilter(logging.Filter):
    """Keep tokens out of the request log: werkzeug logs each request with its path."""

    def filter(self, record):
        if isinstance(record.msg, str) and PAY_PATH_PREFIX in record.msg:
            record.msg = mask_token(record.msg)
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                mask_token(arg)
                if isinstance(arg, str) and PAY_PATH_PREFIX in arg
                else arg
                for arg in record.args
            )
        return True


def install_log_filter():
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskPaylinkTokenFilter) for f in logger.filters):
        logger.addFilter(MaskPaylinkTokenFilter())


def group_digits(digits, grouping, separator):
    """Return the digits of a whole number grouped as a language groups them: Odoo's
    `res.lang` grouping, a list of group sizes from the right, where 0 repeats the
    previous size and -1 stops grouping (`[3, 0]`: 1,234,567; `[3, 2, 0]`: 12,34,567).

    :param str digits: The whole number's digits, maybe after a minus sign.
    :param list grouping: The language's grouping.
    :param str separator: The language's thousands separator.
    :rtype: str
    """
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    if not separator:
        return sign + digits
    groups = []
    size = len(digits)
    for count in grouping:
        if not digits or count == -1:
            break
        if count == 0:
            while digits:
                groups.append(digits[-size:])
                digits = digits[:-size]
            break
        groups.append(digits[-count:])
        digits = digits[:-count]
        size = count
    if digits:
        groups.append(digits)
    return sign + separator.join(reversed(groups))


class PageFormatter:
    """Format amounts and dates for display exactly like Odoo's `format_amount` and
    `format_date` in one language, with the language and each currency read once: for
    the ~50 amounts of a page, Odoo's functions look the language up and parse its
    grouping at every call, a third of the render.

    :param odoo.api.Environment env: The environment to read the language and
        currencies in.
    :param str lang_code: The language, the context's by default.
    """

    def __init__(self, env, lang_code=None):
        self._env = env
        lang = get_lang(env, lang_code or env.context.get("lang"))
        self._grouping = ast.literal_eval(lang.grouping)
        self._thousands_sep = lang.thousands_sep or ""
        self._decimal_point = lang.decimal_point
        self._locale = babel_locale_parse(lang.code)
        self._date_format = posix_to_ldml(lang.date_format, locale=self._locale)
        self._currency_settings = {}

    def amount(self, amount, currency):
        """Return `amount` in `currency`, e.g. "$ 1,234.50" (with no-break spaces)."""
        settings = self._currency_settings.get(currency.id)
        if settings is None:
            settings = self._currency_settings[currency.id] = (
                currency.decimal_places,
                currency.rounding,
                currency.symbol or "",
                currency.position,
            )
        decimal_places, rounding, symbol, position = settings
        rounded = float_round(amount, precision_rounding=rounding)
        parts = (f"%.{decimal_places}f" % rounded).split(".")
        parts[0] = group_digits(parts[0], self._grouping, self._thousands_sep)
        number = (
            self._decimal_point.join(parts)
            .replace(" ", "\N{NO-BREAK SPACE}")
            .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        )
        if position == "before":
            return f"{symbol}\N{NO-BREAK SPACE}{number}"
        return f"{number}\N{NO-BREAK SPACE}{symbol}"

    def date(self, value):
        """Return the date `value` in the language's format, or "" for none."""
        if not value:
            return ""
        return babel.dates.format_date(
            value, format=self._date_format, locale=self._locale
        )

    def allocation(self, amounts):
        """Return how a part payment is applied, as a sentence: "Pays INV/2026/00012 in
        full and $ 40.00 of INV/2026/00015."

        :param dict amounts: `paylink.link._get_payment_amounts()`.
        :rtype: str
        """
        _ = self._env._
        currency = amounts["currency"]
        items = [
            _("%(invoice)s in full", invoice=part["name"])
            if part["full"]
            else _(
                "%(amount)s of %(invoice)s",
                amount=self.amount(part["amount"], currency),
                invoice=part["name"],
            )
            for part in amounts["allocation"]
        ]
        if not currency.is_zero(amounts["unallocated"]):
            items.append(
                _(
                    "%(amount)s on your account",
                    amount=self.amount(amounts["unallocated"], currency),
                )
            )
        return _(
            "Pays %(items)s.",
            items=babel.lists.format_list(items, locale=self._locale),
        )

    def page(self, values):
        """Return the display texts of the payment page's figures
        (`paylink.link._get_page_values`): `balance_display` (its absolute value),
        `lines_display` and `tips_display`.

        :param dict values: The page's figures.
        :rtype: dict
        """
        currency = values["currency"]
        return {
            "balance_display": self.amount(abs(values["balance"]), currency),
            "lines_display": [
                {
                    "date": self.date(line["date"]),
                    "description": line["description"],
                    "reference": line["reference"],
                    "amount": self.amount(line["subtotal"], line["currency"]),
                    "tax": self.amount(line["tax"], line["currency"]),
                }
                for line in values["lines"]
            ],
            "tips_display": [
                {
                    "percent": tip["percent"],
                    "tip": self.amount(tip["tip"], currency),
                    "total": self.amount(tip["total"], currency),
                }
                for tip in values["tips"]
            ],
            "documents_display": [
                {
                    "id": document["id"],
                    "name": document["name"],
                    "is_refund": document["is_refund"],
                    "overdue": document["overdue"],
                    "date": self.date(document["invoice_date"]),
                    "date_due": self.date(document["invoice_date_due"]),
                    "total": self.amount(document["amount_total"], currency),
                    "residual": self.amount(document["amount_residual"], currency),
                    "partial": currency.compare_amounts(
                        document["amount_residual"], document["amount_total"]
                    )
                    != 0,
                }
                for document in values["documents"]
            ],
        }
