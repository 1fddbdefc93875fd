#!/usr/bin/env bash
# Installs everything and runs the whole test suite: npm packages, lint (and the format check), a
# type check, the PostgreSQL server the store tests use, and (through `npm test`) the test
# cluster, built from source once.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> npm packages"
npm ci --no-audit --no-fund --loglevel=error

echo "==> lint"
npm run --silent lint
echo "==> format check (npm run format fixes it)"
npm run --silent format:check

echo "==> type check"
npx tsc -p tsconfig.json --noEmit
npx tsc -p tsconfig.test.json

echo "==> PostgreSQL on 127.0.0.1:5432"
export SLIPWAY_TEST_DATABASE_URL="${SLIPWAY_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break; sleep 1; done
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432; the store tests need it (database 'test', trust auth)." >&2
  exit 1
fi

echo "==> tests"
npm test
