# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import http

from odoo.addons.base.models.assetsbundle import ANY_UNIQUE
from odoo.addons.web.controllers.binary import Binary

from ..models.ir_asset import PAY_STEP_BUNDLE
from .common import gzip_response

PAY_STEP_SCRIPT = f"{PAY_STEP_BUNDLE}.min.js"


class PaylinkAssets(Binary):
    """The payment step's scripts on the wire:

    - `/web/assets/<unique>/paylink_portal.assets_pay_step.min.js`: Odoo's answer,
      gzipped for a browser that accepts it (`gzip_response`).
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
        if filename == PAY_STEP_SCRIPT:
            response = gzip_response(response, cache=True)
        return response
