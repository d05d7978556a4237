"""OCA's oca-checks-odoo-module, for addons whose manifest's version has no series.

Usage (the hook's entry in .pre-commit-config.yaml): python
tools/lint/oca_checks_odoo_module.py [oca-checks-odoo-module's arguments]

OCA's hooks read the Odoo series from the manifest's version (`18.0.1.1.0`) and skip the
checks of what a series deprecated for a module of an older one: t-esc and t-raw since
15.0, the old chatter since 18.0, res.groups' category_id since 19.0. A series-less
`1.1.1` (one source for 18.0 and 19.0; Odoo prefixes the one it runs) reads as older
than all of them, and those checks would pass in silence. Here a series-less version is
read as the newest series of .pylintrc-mandatory's valid-odoo-versions, whose checks
include every older series' deprecations; a version with a series is read as it is.
"""

import configparser
import pathlib
import sys

from oca_pre_commit_hooks import cli, utils
from packaging.version import Version

PYLINTRC = pathlib.Path(__file__).resolve().parents[2] / ".pylintrc-mandatory"


def newest_series():
    config = configparser.ConfigParser(interpolation=None)
    config.read(PYLINTRC)
    return max(config["ODOOLINT"]["valid-odoo-versions"].split(","), key=Version)


def main():
    series = newest_series()
    manifest_version = utils.manifest_version

    def series_manifest_version(manifest_path):
        version = manifest_version(manifest_path)
        if version is not None and len(version.release) <= 3:
            return Version(f"{series}.{version}")
        return version

    utils.manifest_version = series_manifest_version
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
