# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo.tests import tagged

from odoo.addons.paylink_portal.tests.common import PaylinkHttpCommon


@tagged("post_install", "-at_install")
class TestPayTour(PaylinkHttpCommon):
    def test_10_tips_and_recent_charges_in_the_browser(self):
        self._post_move(self.customer, [100.0], names=["Tour consulting"])
        link = self._generate_link(self.customer)
        self.start_tour(f"/pay/{link.token}", "paylink_portal_tip_tour", login=None)
