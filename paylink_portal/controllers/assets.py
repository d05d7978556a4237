# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import gzip

from werkzeug.http import parse_accept_header

from odoo import http
from odoo.http import request

from odoo.addons.base.models.assetsbundle import ANY_UNIQUE
from odoo.addons.web.controllers.binary import Binary

from ..models.ir_asset import PAY_STEP_BUNDLE

PAY_STEP_SCRIPT = f"{PAY_STEP_BUNDLE}.min.js"


@functools.lru_cache(maxsize=4)
def _gzip(data):
    """`data` gzipped, once per version of the bundle and process."""
    return gzip.compress(data, compresslevel=9, mtime=0)


class PaylinkAssets(Binary):
    """The payment step's scripts on the wire:

    - `/web/assets/<unique>/paylink_portal.assets_pay_step.min.js`: Odoo's answer,
      gzipped for a browser that accepts it.

    Odoo's own server compresses nothing, leaving it to a proxy in front; a phone on a
    slow network, where no proxy compresses, waits for every byte of the payment
    step's scripts: a quarter of them once gzipped.
    """

    @http.route()
    def content_assets(
        self, filename=None, unique=ANY_UNIQUE, nocache=False, assets_params=None
    ):
        response = super().content_assets(
            filename=filename,
            unique=unique,
            nocache=nocache,
            assets_params=assets_params,
        )
        if (
            filename == PAY_STEP_SCRIPT
            and response.status_code == 200
            and parse_accept_header(request.httprequest.headers.get("Accept-Encoding"))[
                "gzip"
            ]
            and "Content-Encoding" not in response.headers
        ):
            # Read the file Odoo streams, then answer it compressed.
            response.direct_passthrough = False
            response.set_data(_gzip(response.get_data()))
            response.headers["Content-Encoding"] = "gzip"
            response.headers["Vary"] = "Accept-Encoding"
        return response
