#!/usr/bin/env bash
# Installs authlint from the action's own checkout: the exact dependency versions of package-lock.json.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
if [ -f dist/src/cli/main.js ] && [ -d node_modules ]; then
  echo "authlint is already installed in $GITHUB_ACTION_PATH"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
