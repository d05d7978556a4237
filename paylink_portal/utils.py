# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What keeps a payment link secret on the wire and in the logs: the headers of its
responses and the masking of its token in the request log."""

import logging
import re

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
