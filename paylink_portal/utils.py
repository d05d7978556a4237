# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import logging
import re

import psycopg2.errors
from markupsafe import Markup

from odoo.tools import file_open

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


class PrimaryNeeded(psycopg2.errors.ReadOnlySqlTransaction):
    """A read-only request (on a replica) must write: Odoo catches this as it catches
    PostgreSQL's own refusal, and serves the request again on a read/write cursor."""


class JsonAnswer(Exception):  # noqa: N818 (an answer, not an error)
    """Ends a JSON route with `response` while keeping the request's transaction,
    which an error would roll back (see `ir.http._dispatch` of this module)."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


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


class QuietPrimaryRetryFilter(logging.Filter):
    """Drop Odoo's warning, with its traceback, when a read-only payment link request
    asked on purpose to be served again on the primary (a failed lookup to record):
    that is the expected path of every bad link on a replica, not an error."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, PrimaryNeeded)


def install_log_filter():
    for logger_name, filter_class in (
        ("werkzeug", MaskPaylinkTokenFilter),
        ("odoo.http", QuietPrimaryRetryFilter),
    ):
        logger = logging.getLogger(logger_name)
        if not any(isinstance(f, filter_class) for f in logger.filters):
            logger.addFilter(filter_class())


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_HEX_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@functools.cache
def page_stylesheet():
    """Return the payment page's stylesheet, to inline in its HTML: without comments and
    indentation, read once per process.

    :rtype: markupsafe.Markup
    """
    with file_open("paylink_portal/static/src/page/paylink_page.css") as css_file:
        css = _CSS_COMMENT.sub("", css_file.read())
    return Markup(" ".join(css.split()))


def _relative_luminance(hex_color):
    """WCAG's relative luminance of a `#rgb` or `#rrggbb` colour."""
    digits = hex_color[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = []
    for index in (0, 2, 4):
        value = int(digits[index : index + 2], 16) / 255
        channels.append(
            value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        )
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def theme_style(primary_color):
    """Return the CSS variables that paint the payment page in a company's colour, or
    False when it has none, not a plain hex colour or one too light for the page's white
    background: buttons in that colour, their text in black or white, whichever
    contrasts more (at least 4.58:1 whatever the colour).

    :param str primary_color: The company's `primary_color`.
    :rtype: str or bool
    """
    if not primary_color or not _HEX_COLOR.match(primary_color):
        return False
    luminance = _relative_luminance(primary_color)
    # WCAG contrast with white text and with black text.
    white_contrast = 1.05 / (luminance + 0.05)
    black_contrast = (luminance + 0.05) / 0.05
    # A colour too light to tell a selected tip from the white ones is not used.
    if white_contrast < 3:
        return False
    on_primary = "#fff" if white_contrast >= black_contrast else "#000"
    return f"--pl-primary:{primary_color};--pl-on-primary:{on_primary}"
