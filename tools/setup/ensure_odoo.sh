#!/usr/bin/env bash
# Find an Odoo 18.0 source tree at $ODOO_PATH; clone the official 18.0 branch there if
# there is none; stop with instructions when neither works.
set -euo pipefail
ODOO_PATH=${ODOO_PATH:?ODOO_PATH is not set}
ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}

is_odoo18() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/requirements.txt" ] &&
        grep -q "^version_info = (18, 0," "$1/odoo/release.py" 2>/dev/null
}

if is_odoo18 "$ODOO_PATH"; then
    exit 0
fi
if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
    echo "ERROR: $ODOO_PATH exists but is not an Odoo 18.0 source tree (odoo-bin, requirements.txt, odoo/release.py)." >&2
    echo "       Point ODOO_PATH at an Odoo 18.0 checkout: make test ODOO_PATH=/path/to/odoo-18.0" >&2
    exit 1
fi
echo "No Odoo 18.0 tree at $ODOO_PATH: cloning the 18.0 branch of $ODOO_GIT_URL"
if ! git clone --quiet --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$ODOO_PATH"; then
    rm -rf "$ODOO_PATH"
    echo "ERROR: could not clone Odoo 18.0 into $ODOO_PATH." >&2
    echo "       Provide an Odoo 18.0 source tree (the directory holding odoo-bin) at $ODOO_PATH," >&2
    echo "       or run with ODOO_PATH=/path/to/odoo-18.0." >&2
    exit 1
fi
is_odoo18 "$ODOO_PATH"
