# Copyright 2026 paylink_portal
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import functools
import re

from odoo import models, tools
from odoo.tools.constants import EXTERNAL_ASSET
from odoo.tools.js_transpiler import is_odoo_module, transpile_javascript

# The payment step's scripts (see the manifest): Odoo's frontend scripts pruned to what
# the payment form, the providers' scripts and the public root that starts them import.
PAY_STEP_BUNDLE = "paylink_portal.assets_pay_step"

# A module's name and dependencies, as Odoo's transpiler (or a hand-written module, such
# as owl's) declares them.
_DEFINE_RE = re.compile(r"""odoo\.define\(\s*["']([^"']+)["']\s*,\s*\[([^\]]*)\]""")
_STRING_RE = re.compile(r"""["']([^"']+)["']""")
# The services a script registers, and those it calls by name: the dependencies that no
# import declares.
_SERVICE_ADD_RE = re.compile(
    r"""category\(\s*["']services["']\s*\)\s*\.add\(\s*["']([\w.]+)["']"""
)
_SERVICE_USE_RE = re.compile(
    r"""(?:useService|bindService|\.call)\(\s*["']([\w.]+)["']"""
    r"""|services\[\s*["']([\w.]+)["']\s*\]|services\.(\w+)"""
)
_SERVICE_DEPENDENCIES_RE = re.compile(r"""dependencies\s*:\s*\[([^\]]*)\]""")

# The modules the payment step starts from, besides the payment form and the providers'
# scripts: what starts them (the public root), and the services they call by name, which
# no module imports.
_PAY_STEP_ROOTS = (
    # 18.0 and 19.0: createPublicRoot starts the services, then the publicWidgets
    # (18.0) or the interactions (19.0, through the "public.interactions" service).
    "@web/legacy/js/public/public_root_instance",
    "@web/public/interaction_service",
    # 18.0: createPublicRoot mounts the public components through their service.
    "@web/public/public_component_service",
    # The payment form's `ui.block()` and confirmation dialogs, and what the dialog
    # service depends on.
    "@web/core/ui/block_ui",
    "@web/core/ui/ui_service",
    "@web/core/dialog/dialog_service",
    "@web/core/overlay/overlay_service",
    "@web/core/hotkeys/hotkey_service",
    "@web/core/l10n/localization_service",
    # The RPC errors' dialogs and notifications.
    "@web/core/errors/error_service",
    "@web/core/errors/error_handlers",
    "@web/core/notifications/notification_service",
    "@web/public/error_notifications",
)


# Bootstrap's scripts: only its tooltips, which Odoo's payment form starts on its icons,
# its collapse ("Choose another method" below the saved cards), and what they are built
# on.
_BOOTSTRAP_JS = "/static/lib/bootstrap/js/dist/"
_BOOTSTRAP_JS_KEPT = tuple(
    _BOOTSTRAP_JS + name
    for name in (
        "util/index.js",
        "dom/data.js",
        "dom/event-handler.js",
        "dom/manipulator.js",
        "dom/selector-engine.js",
        "util/config.js",
        "util/sanitizer.js",
        "util/template-factory.js",
        "base-component.js",
        "tooltip.js",
        "collapse.js",
    )
)


def _is_pay_step_root(path):
    """Whether a file of the frontend scripts is one the payment step starts from: a
    script of Odoo's payment module or of a provider's (`payment_*`), or the payment
    link's extension of the payment form."""
    addon = path.lstrip("/").split("/", 1)[0]
    return (
        addon == "payment"
        or addon.startswith("payment_")
        or path.lstrip("/").startswith(
            (
                "paylink_portal/static/src/payment_form/",
                "paylink_portal/static/src/pay_step/",
            )
        )
    )


@functools.lru_cache(maxsize=4096)
def _read_script(url, full_path, last_modified):
    """Return what the script `url` defines and needs: `{module name: imported module
    names}` (empty for a script that is no module: a library, a polyfill), the services
    it registers and the services it calls by name.

    :rtype: tuple
    """
    with open(full_path, encoding="utf-8") as file:
        content = file.read()
    if is_odoo_module(url, content):
        content = transpile_javascript(url, content)
    modules = {
        name: tuple(_STRING_RE.findall(dependencies))
        for name, dependencies in _DEFINE_RE.findall(content)
    }
    services_used = {
        name for match in _SERVICE_USE_RE.findall(content) for name in match if name
    }
    for dependencies in _SERVICE_DEPENDENCIES_RE.findall(content):
        services_used.update(_STRING_RE.findall(dependencies))
    return (
        modules,
        frozenset(_SERVICE_ADD_RE.findall(content)),
        frozenset(services_used),
    )


class IrAsset(models.Model):
    _inherit = "ir.asset"

    @tools.ormcache("bundle", "tuple(sorted(assets_params.items()))", cache="assets")
    def _get_asset_paths(self, bundle, assets_params):
        paths = super()._get_asset_paths(bundle, assets_params)
        if bundle == PAY_STEP_BUNDLE:
            paths = self._paylink_prune_pay_step(paths)
        return paths

    @staticmethod
    def _paylink_prune_pay_step(paths):
        """Keep, of the frontend bundle's files, the scripts the payment step needs: the
        modules that the payment form, the providers' scripts and `_PAY_STEP_ROOTS`
        import, directly or not; the scripts that are no module (libraries such as owl
        and luxon, the module loader) of the addons those come from, but for the
        Bootstrap components no payment form uses; and the templates beside the modules
        kept. No stylesheet: the payment step has its own.

        :param list paths: `_get_asset_paths()`' `(url, full path, bundle, last
            modified)` tuples, in the bundle's order.
        :rtype: list
        """
        scripts = {
            url: _read_script(url, full_path, last_modified)
            for url, full_path, _bundle, last_modified in paths
            if url.endswith(".js") and full_path is not EXTERNAL_ASSET
        }
        defined_in, service_in = {}, {}
        for url, (modules, services, _used) in scripts.items():
            for name in modules:
                defined_in.setdefault(name, url)
            for service in services:
                service_in[service] = url
        to_visit = [
            name
            for url, (modules, _services, _used) in scripts.items()
            if _is_pay_step_root(url)
            for name in modules
        ]
        to_visit += [name for name in _PAY_STEP_ROOTS if name in defined_in]
        needed, needed_files = set(), set()
        while to_visit:
            name = to_visit.pop()
            # One the bundle does not define is for Odoo's module loader to report.
            if name in needed or name not in defined_in:
                continue
            needed.add(name)
            url = defined_in[name]
            modules, _services, services_used = scripts[url]
            to_visit.extend(modules[name])
            if url not in needed_files:
                needed_files.add(url)
                # The services it calls: the modules that register them.
                for service in services_used:
                    if service in service_in:
                        to_visit.extend(scripts[service_in[service]][0])
        kept = needed_files
        addons = {_addon(url) for url in kept}
        kept |= {
            url
            for url, (modules, _services, _used) in scripts.items()
            if not modules
            and _addon(url) in addons
            and (_BOOTSTRAP_JS not in url or url.endswith(_BOOTSTRAP_JS_KEPT))
        }
        kept_dirs = {url.rsplit("/", 1)[0] for url in kept}
        return [
            entry
            for entry in paths
            if entry[0] in kept
            or (entry[0].endswith(".xml") and entry[0].rsplit("/", 1)[0] in kept_dirs)
        ]


def _addon(url):
    return url.lstrip("/").split("/", 1)[0]
