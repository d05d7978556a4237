"""Build one wheel of each addon per Odoo series, with whool, into DIST_DIR.

Usage:
    python tools/release/build_wheels.py DIST_DIR --series 18.0 [--series 19.0] ADDON...

The manifests' versions carry no series (`1.1.1`: Odoo prefixes the running one, see
`adapt_version` in odoo/modules/module.py), and an addon's pyproject.toml names none
either, so one source serves every series. For each series, whool builds the wheel from
a copy of the addon's tracked files as it builds one from an sdist: a PKG-INFO gives the
distribution's name and version, the series and whool's post-release counter
(`19.0.1.1.1.3`: 3 commits since the manifest's version changed, read from git as whool
does), and the copy's pyproject.toml gives whool the series (`odoo_series_override`),
from which it requires `odoo==19.0.*` and this repository's addons `==19.0.*`.
Run it with the interpreter of the wheel virtualenv (tools/requirements/wheel.txt).
"""

import argparse
import pathlib
import shutil
import subprocess
import sys
import tempfile

import tomllib
from manifestoo_core.addon import Addon
from manifestoo_core.git_postversion import (
    POST_VERSION_STRATEGY_DOT_N,
    get_git_postversion,
)


def tracked_files(addon):
    out = subprocess.check_output(["git", "ls-files", "-z", "--", addon], text=True)
    return [pathlib.Path(path) for path in out.split("\0") if path]


def series_version(series, addon):
    """The version of the addon's wheel on `series`: the manifest's as Odoo reads it
    there (adapt_version in odoo/modules/module.py), with whool's post-release counter.
    """
    addon = Addon.from_addon_dir(pathlib.Path(addon))
    version = get_git_postversion(addon, POST_VERSION_STRATEGY_DOT_N)
    if addon.manifest.version.startswith(series + "."):
        return version
    if addon.manifest.version.count(".") > 2:
        sys.exit(f"{addon.name}: version {addon.manifest.version} is not {series}'s")
    return f"{series}.{version}"


def build(dist, series, addon, workdir):
    version = series_version(series, addon)
    copy = workdir / series / addon
    for path in tracked_files(addon):
        (copy / path.relative_to(addon)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy / path.relative_to(addon))
    (copy / "PKG-INFO").write_text(
        f"Metadata-Version: 2.1\nName: odoo-addon-{addon}\nVersion: {version}\n"
    )
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text()
    if "whool" in tomllib.loads(text).get("tool", {}):
        sys.exit(
            f"{addon}/pyproject.toml has a [tool.whool] table: merge the series into it"
        )
    pyproject.write_text(f'{text}\n[tool.whool]\nodoo_series_override = "{series}"\n')
    subprocess.check_call(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(copy),
        ]
    )


def parse_args(description):
    """DIST_DIR --series S [--series S...] ADDON..., as `make wheel` passes them to this
    script and to check_wheels.py."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("dist", type=pathlib.Path)
    parser.add_argument("--series", action="append", required=True)
    parser.add_argument("addons", nargs="+")
    return parser.parse_args()


def main():
    args = parse_args(__doc__.split("\n")[0])
    args.dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        for series in args.series:
            for addon in args.addons:
                build(args.dist.resolve(), series, addon, pathlib.Path(workdir))


if __name__ == "__main__":
    main()
