#!/usr/bin/env bash
# Runs the browser journeys (journeys.mjs) against a running Mutual; see that file for the
# environment it needs. Installs the pinned npm packages (npm ci) on first use. Uses
# Debian's Chromium (/usr/bin/chromium, or $CHROMIUM); scripts/install-deps installs it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
exec node "$here/journeys.mjs" "$@"
