#!/usr/bin/env bash
# Installs, builds and runs Slipway on the embedded store. The first start without credentials
# offers GitHub's App registration flow on http://localhost:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
npm run build
exec node dist/src/index.js
