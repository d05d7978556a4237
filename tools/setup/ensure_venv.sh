#!/usr/bin/env bash
# Make sure the virtualenv VENV holds exactly the pinned REQUIREMENTS: it is (re)built when
# their content differs from what it was built from (compared by digest, since a fresh
# clone gives every file a new modification time).
# Usage: tools/setup/ensure_venv.sh VENV REQUIREMENTS
set -euo pipefail
venv=${1:?usage: ensure_venv.sh VENV REQUIREMENTS}
requirements=${2:?usage: ensure_venv.sh VENV REQUIREMENTS}
python=${PYTHON:-python3}

digest=$(sha256sum < "$requirements" | cut -c1-16)
if [ "$(cat "$venv/.paylink-requirements" 2>/dev/null)" = "$digest" ] && [ -x "$venv/bin/python" ]; then
    exit 0
fi
echo "Building the virtualenv at $venv"
"$python" -m venv --clear "$venv"
"$venv/bin/python" -m pip install -q -r "$requirements"
echo "$digest" > "$venv/.paylink-requirements"
