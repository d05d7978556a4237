# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Payment Links - Website",
    "summary": "Payment links in the website layout, kept out of search engines",
    "version": "1.0.1",
    "category": "Hidden",
    "license": "LGPL-3",
    "author": "paylink_portal",
    "website": "https://github.com/paylink-portal/paylink_portal",
    "maintainers": ["paylink-portal"],
    "depends": ["paylink_portal", "website"],
    "data": [
        # QWeb templates.
        "views/website_templates.xml",
    ],
    "auto_install": True,
    "installable": True,
}
