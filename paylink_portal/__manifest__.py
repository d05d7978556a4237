# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Payment Links",
    "summary": (
        "A unique, login-free payment link per customer showing live balance"
        " and charges"
    ),
    "version": "1.1.2",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "paylink_portal",
    "website": "https://github.com/paylink-portal/paylink_portal",
    "maintainers": ["paylink-portal"],
    "depends": ["account_payment", "portal", "rating", "sms"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        # Security.
        "security/ir.model.access.csv",
        "security/paylink_security.xml",
        # Record data.
        "data/ir_asset_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/product_data.xml",
        # Reports.
        "report/paylink_statement_report.xml",
        # QWeb templates.
        "views/paylink_templates.xml",
        "views/paylink_document_templates.xml",
        "views/report_templates.xml",
        # Model views.
        "views/payment_transaction_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/paylink_demo.xml",
    ],
    "assets": {
        # The payment step's additions to Odoo's payment form. The payment page itself
        # loads no bundle: its stylesheet is inlined and its script is
        # static/src/page/paylink_page.js (see pay_light_layout).
        # The customer form's Copy Message and Compose SMS client actions.
        "web.assets_backend": [
            "paylink_portal/static/src/backend/**/*",
        ],
        # The tour of the customer form's Copy Message (tests/test_share.py).
        "web.assets_tests": [
            "paylink_portal/static/tests/tours/**/*",
        ],
        # What the payment step adds to Odoo's payment form; the series' own extension
        # of the form is added by data/ir_asset_data.xml.
        "web.assets_frontend": [
            "paylink_portal/static/src/payment_form/choices.js",
        ],
        # The payment step's scripts, in one bundle: Odoo's frontend ones, pruned to
        # what the payment form, every installed provider's scripts and the public
        # root that starts them import (models/ir_asset.py), with no stylesheet (the
        # step has its own, static/src/pay_step/pay_step.css, inlined).
        "paylink_portal.assets_pay_step": [
            ("include", "web.assets_frontend"),
            "paylink_portal/static/src/pay_step/*.js",
        ],
    },
    "images": ["static/description/pay_outstanding_tip.png"],
    "installable": True,
    "application": False,
}
