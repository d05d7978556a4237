# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The payment step on a phone (issue 22): Odoo's payment form in the light layout, with
a stylesheet of its own and one bundle of the scripts the form and every installed
provider's scripts need, which the page fetches ahead."""

from lxml import html

from odoo.tests import tagged
from odoo.tools.js_transpiler import url_to_module_path

from odoo.addons.paylink_portal.compat import PRELOAD_TRANSLATIONS
from odoo.addons.paylink_portal.models.ir_asset import PAY_STEP_BUNDLE
from odoo.addons.paylink_portal.tests.common import PaylinkPaymentHttpCommon
from odoo.addons.paylink_portal.tests.compat import PAYMENT_FORM_MODULES

# Odoo's asset URLs change with their content: cached for a year.
ONE_YEAR = 365 * 24 * 3600


@tagged("post_install", "-at_install")
class TestPayStep(PaylinkPaymentHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._post_move(cls.customer, [100.0])
        cls.link = cls._generate_link(cls.customer)

    def _get_scripts(self, response):
        """The bundles of scripts a page loads, by URL: at once (`src`) or once loaded
        (`data-src`), but for the tests' own bundle that Odoo adds while testing. (A
        provider may add its SDK from its own site: Stripe does, in the payment form.)
        """
        tree = html.fromstring(response.content)
        return {
            src: self.url_open(src)
            for src in tree.xpath("//script/@src | //script/@data-src")
            if src.startswith("/web/assets/") and "assets_tests" not in src
        }

    def _installed(self):
        return set(
            self.env["ir.module.module"]
            .search([("state", "=", "installed")])
            .mapped("name")
        )

    def _frontend_scripts_of(self, addon):
        """The script modules that `addon` adds to Odoo's frontend scripts."""
        paths = self.env["ir.asset"]._get_asset_paths("web.assets_frontend", {})
        return [
            url_to_module_path(url)
            for url, *_rest in paths
            if url.endswith(".js")
            and url.lstrip("/").startswith(f"{addon}/static/src/")
        ]

    def test_10_the_pay_step_loads_one_light_bundle(self):
        """The payment step: the page's light layout, its stylesheets inlined, and one
        deferred bundle of scripts, versioned and cached for long."""
        response = self._get_checkout(self.link, tip_percent=20)
        # Gzipped, like its scripts: requests asks for it, and decompresses it.
        self.assertEqual(response.headers["Content-Encoding"], "gzip")
        tree = html.fromstring(response.content)
        self.assertTrue(tree.xpath("//form[@id='o_payment_form']"))
        self.assertFalse(tree.xpath("//link[@rel='stylesheet']"))
        [style] = tree.xpath("//head/style")
        for rule in (".o_paylink_tip_input", ".list-group-item", ".modal-dialog"):
            self.assertIn(rule, style.text)
        self.assertNotIn("/*", style.text, "Inlined without its comments.")
        [script] = tree.xpath("//script[starts-with(@src, '/web/assets/')]")
        self.assertIn(f"/{PAY_STEP_BUNDLE}.min.js", script.get("src"))
        self.assertEqual(script.get("defer"), "defer")
        bundle = self.url_open(script.get("src"), headers={"Accept-Encoding": "gzip"})
        self.assertEqual(bundle.status_code, 200)
        self.assertIn(f"max-age={ONE_YEAR}", bundle.headers["Cache-Control"])
        # Gzipped for a browser that accepts it (requests decompresses it).
        self.assertEqual(bundle.headers["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", bundle.headers["Vary"])
        self.assertLess(int(bundle.headers["Content-Length"]), len(bundle.content) / 3)
        self.assertIn("odoo.define(", bundle.text)
        plain = self.url_open(
            script.get("src"), headers={"Accept-Encoding": "identity"}
        )
        self.assertNotIn("Content-Encoding", plain.headers)
        self.assertEqual(plain.content, bundle.content)
        # Odoo's session values, which its scripts read.
        [odoo_script] = tree.xpath("//script[@id='web.layout.odooscript']")
        self.assertIn("csrf_token", odoo_script.text)
        self.assertIn("__session_info__", odoo_script.text)
        # Their translations, fetched ahead where the series allows it.
        preloads = tree.xpath("//link[@rel='preload'][@as='fetch']/@href")
        if PRELOAD_TRANSLATIONS:
            [preload] = preloads
            self.assertIn("/translations/", preload)
            self.assertEqual(self.url_open(preload).status_code, 200)
        else:
            self.assertFalse(preloads)

    def test_11_the_bundle_holds_what_the_payment_form_needs_and_no_more(self):
        """The payment form's modules, ours, and what starts them are in the bundle;
        Odoo's other frontend scripts are not: it weighs a fraction of theirs."""
        scripts = self._get_scripts(
            self._get_checkout(self.link, tip_percent=20)
        ).values()
        bundle = "\n".join(script.text for script in scripts)
        installed = self._installed()
        for needed in (
            *(
                name
                for name in PAYMENT_FORM_MODULES
                if name.split("/")[0][1:] in installed
            ),
            "@paylink_portal/payment_form/choices",
            "@paylink_portal/pay_step/start",
            "@web/legacy/js/public/public_root_instance",
            "@web/core/dialog/dialog_service",
        ):
            self.assertIn(f'odoo.define("{needed}"', bundle.replace("'", '"'))
        for left_out in ("@html_editor/", "@web_editor/", "@portal/", "@web_tour/"):
            self.assertNotIn(left_out, bundle)
        frontend = "\n".join(
            script.text
            for script in self._get_scripts(self.url_open("/web/login")).values()
        )
        self.assertLess(len(bundle), 0.5 * len(frontend))

    def test_12_every_installed_provider_script_is_in_the_bundle(self):
        """Whatever providers are installed, the bundle has their payment-form
        scripts: Stripe's (which loads its own SDK) where the test database has it
        (`make test-db` installs payment_stripe, without credentials)."""
        installed = self._installed()
        providers = sorted(name for name in installed if name.startswith("payment_"))
        self.assertIn(
            "payment_stripe",
            providers,
            "Install payment_stripe in the test database (`make test-db`).",
        )
        [bundle] = self._get_scripts(
            self._get_checkout(self.link, tip_percent=20)
        ).values()
        text = bundle.text.replace("'", '"')
        for provider in providers:
            for module in self._frontend_scripts_of(provider):
                with self.subTest(provider=provider, module=module):
                    self.assertIn(f'odoo.define("{module}"', text)

    def test_13_the_page_fetches_the_pay_step_ahead(self):
        """The page lists the payment step's scripts for its script to fetch ahead;
        not for a browser saving data, nor when there is nothing to pay."""
        [script] = self._get_scripts(self._get_checkout(self.link, tip_percent=20))
        page = self._get_page_tree(self.link).xpath("//main")[0]
        self.assertEqual(page.get("data-pay-step-assets"), script)
        # The page itself loads none of them.
        self.assertNotIn(
            script,
            self._get_page(self.link.token).text.replace(
                f'data-pay-step-assets="{script}"', ""
            ),
        )
        save_data = self.url_open(
            f"/pay/{self.link.token}", headers={"Save-Data": "on"}
        )
        self.assertIsNone(
            html.fromstring(save_data.content)
            .xpath("//main")[0]
            .get("data-pay-step-assets")
        )
        settled = self._create_customer("Settled Customer")
        settled_link = self._generate_link(settled)
        self.assertIsNone(
            self._get_page_tree(settled_link)
            .xpath("//main")[0]
            .get("data-pay-step-assets")
        )
