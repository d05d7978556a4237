"""Check the wheels `make wheel` built: one per addon and series, complete, with right
metadata.

Usage:
    python tools/release/check_wheels.py DIST_DIR --series 18.0 [--series 19.0] ADDON...

For each series and addon, DIST_DIR must hold one
odoo_addon_<addon>-<series>.*-py3-none-any.whl (and DIST_DIR no other wheel):
- whose version is the manifest's as Odoo reads it on that series (a series-less
  `1.1.1` becomes `<series>.1.1.1`), plus whool's post-release counter;
- which holds every file git tracks in the addon (as odoo/addons/<addon>/...) and
  nothing else beside its .dist-info;
- whose metadata names the distribution odoo-addon-<addon> and requires Odoo of that
  series (`odoo==19.0.*`), the addons of this repository it depends on in the same
  series, and its external Python dependencies.
"""

import ast
import email.parser
import pathlib
import subprocess
import sys
import zipfile

from build_wheels import parse_args  # beside this script
from packaging.requirements import Requirement
from packaging.version import Version


def tracked_files(addon):
    """The files whool packages: those git tracks, or all of them outside a git tree."""
    try:
        out = subprocess.check_output(
            ["git", "ls-files", "-z", "--", addon], text=True, stderr=subprocess.DEVNULL
        )
        paths = [path[len(addon) + 1 :] for path in out.split("\0") if path]
    except (subprocess.CalledProcessError, FileNotFoundError):
        root = pathlib.Path(addon)
        paths = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return {path for path in paths if path != "pyproject.toml"}


def series_version(series, manifest_version):
    """The version Odoo gives the addon on `series` (adapt_version in
    odoo/modules/module.py)."""
    if manifest_version.startswith(series + ".") or manifest_version.count(".") > 2:
        return manifest_version
    return f"{series}.{manifest_version}"


def wheel_pattern(series, addon):
    return f"odoo_addon_{addon}-{series}.*-py3-none-any.whl"


def check(dist, series, addon, repo_addons):
    errors = []
    wheels = sorted(dist.glob(wheel_pattern(series, addon)))
    if len(wheels) != 1:
        return [
            f"{addon}: expected one {wheel_pattern(series, addon)}, "
            f"found {[w.name for w in wheels]}"
        ]
    wheel = wheels[0]
    manifest = ast.literal_eval((pathlib.Path(addon) / "__manifest__.py").read_text())
    version = wheel.name.split("-")[1]
    expected_version = series_version(series, manifest["version"])
    if (
        not expected_version.startswith(series + ".")
        or not (version + ".").startswith(expected_version + ".")
        or str(Version(version)) != version
    ):
        errors.append(
            f"{wheel.name}: version {version} is not the manifest's "
            f"{manifest['version']} on {series} (with a post-release counter)"
        )

    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        dist_info = f"odoo_addon_{addon}-{version}.dist-info/"
        root = f"odoo/addons/{addon}/"
        packaged = {n[len(root) :] for n in names if n.startswith(root)}
        extra = sorted(n for n in names if not n.startswith((root, dist_info)))
        metadata = email.parser.HeaderParser().parsestr(
            zf.read(dist_info + "METADATA").decode()
        )
        source_manifest = (pathlib.Path(addon) / "__manifest__.py").read_bytes()
        if zf.read(root + "__manifest__.py") != source_manifest:
            errors.append(f"{wheel.name}: its __manifest__.py differs from the source")

    expected = tracked_files(addon)
    # Named for the message: what an Odoo addon cannot work without, when it has them.
    for kind in ("__manifest__.py", "static/", "i18n/", "views/"):
        in_source = any(p == kind or p.startswith(kind) for p in expected)
        if (in_source or kind == "__manifest__.py") and not any(
            p == kind or p.startswith(kind) for p in packaged
        ):
            errors.append(f"{wheel.name}: no {kind} in {root}")
    if missing := sorted(expected - packaged):
        errors.append(f"{wheel.name}: lacks tracked files {missing}")
    if unexpected := sorted(packaged - expected):
        errors.append(f"{wheel.name}: holds untracked files {unexpected}")
    if extra:
        errors.append(f"{wheel.name}: files outside {root} and {dist_info}: {extra}")

    if metadata["Name"] != f"odoo-addon-{addon}":
        errors.append(f"{wheel.name}: distribution name {metadata['Name']!r}")
    requires = {
        Requirement(r).name.lower(): str(Requirement(r).specifier)
        for r in metadata.get_all("Requires-Dist") or []
    }
    wanted = {"odoo": f"=={series}.*"}
    for dep in manifest.get("depends", []):
        if dep in repo_addons:
            wanted[f"odoo-addon-{dep}"] = f"=={series}.*"
    for dep in manifest.get("external_dependencies", {}).get("python", []):
        wanted[dep.lower()] = ""
    for name, specifier in wanted.items():
        if requires.get(name) != specifier:
            errors.append(
                f"{wheel.name}: requires {name}{specifier}? Requires-Dist: "
                f"{metadata.get_all('Requires-Dist')}"
            )
    if not errors:
        print(
            f"{wheel.name}: {wheel.stat().st_size} bytes, {len(packaged)} files, "
            f"requires {', '.join(metadata.get_all('Requires-Dist') or [])}"
        )
    return errors


def main():
    args = parse_args(__doc__.split("\n")[0])
    errors = [
        error
        for series in args.series
        for addon in args.addons
        for error in check(args.dist, series, addon, set(args.addons))
    ]
    expected = {
        wheel
        for series in args.series
        for addon in args.addons
        for wheel in args.dist.glob(wheel_pattern(series, addon))
    }
    if others := sorted(w.name for w in set(args.dist.glob("*.whl")) - expected):
        errors.append(f"{args.dist} holds other wheels: {others}")
    for error in errors:
        print("ERROR:", error, file=sys.stderr)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
