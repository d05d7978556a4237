#!/usr/bin/env bash
# Make sure DIR/node_modules holds exactly what DIR/package-lock.json pins: `npm ci` runs
# when node_modules is missing or was installed from other package files (compared by
# digest, since a fresh clone gives every file a new modification time).
# Usage: tools/setup/ensure_npm.sh DIR
set -euo pipefail
dir=${1:?usage: ensure_npm.sh DIR}

command -v npm >/dev/null || { echo "ERROR: $dir needs Node.js and npm on the PATH (Debian: apt-get install nodejs npm)." >&2; exit 1; }
digest=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -c1-16)
if [ "$(cat "$dir/node_modules/.paylink-lock" 2>/dev/null)" = "$digest" ]; then
    exit 0
fi
echo "Installing $dir/node_modules from its package-lock.json"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "$digest" > "$dir/node_modules/.paylink-lock"
