#!/usr/bin/env bash
# Check that ODOO_PATH holds an Odoo community source tree of the series SERIES (18.0,
# 19.0); stop with what to provide and where when it does not. No package registry has
# Odoo and nothing is cloned here: the tree is put in place beforehand.
# Usage: ODOO_PATH=/opt/odoo-19.0 SERIES=19.0 [ODOO_SOURCE="where to get it"] ensure_odoo.sh
set -euo pipefail
ODOO_PATH=${ODOO_PATH:?ODOO_PATH is not set}
SERIES=${SERIES:?SERIES is not set}
major=${SERIES%%.*}
where=${ODOO_SOURCE:-a community checkout of Odoo $SERIES}

fail() {
    echo "ERROR: $1" >&2
    echo "       Provide an Odoo $SERIES community source tree (the directory holding odoo-bin)" >&2
    echo "       at $ODOO_PATH: $where." >&2
    echo "       Or use another one: make <target> SERIES=$SERIES ODOO_PATH_$major=/path/to/odoo-$SERIES" >&2
    exit 1
}

[ -e "$ODOO_PATH" ] || fail "there is no Odoo $SERIES tree at $ODOO_PATH."
[ -f "$ODOO_PATH/odoo-bin" ] && [ -f "$ODOO_PATH/requirements.txt" ] && [ -f "$ODOO_PATH/odoo/release.py" ] ||
    fail "$ODOO_PATH is not an Odoo source tree (odoo-bin, requirements.txt, odoo/release.py)."
grep -q "^version_info = ($major, 0," "$ODOO_PATH/odoo/release.py" ||
    fail "$ODOO_PATH is not Odoo $SERIES: $(grep -m1 '^version_info' "$ODOO_PATH/odoo/release.py")."
# Community only: web_enterprise is the base of every Enterprise addon.
for addons in "$ODOO_PATH/addons" "$ODOO_PATH/odoo/addons"; do
    [ ! -e "$addons/web_enterprise" ] ||
        fail "$ODOO_PATH holds Enterprise addons ($addons/web_enterprise): use a community tree."
done
