# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import http

from odoo.addons.paylink_portal.controllers.portal import PaylinkPortal


class PaylinkWebsitePortal(PaylinkPortal):
    # A frontend route on a website: the page then gets the website's layout and theme.
    @http.route(website=True)
    def paylink_page(self, token, confirmation=None, **kwargs):
        return super().paylink_page(token, confirmation=confirmation, **kwargs)
