#!/usr/bin/env bash
# `npm test`: everything CI checks, in order from fastest to slowest.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== lint";        npx eslint . && npx prettier --check --log-level warn . && npx knip --no-config-hints
echo "== types";       npx tsc --noEmit
echo "== unit";        npx vitest run --project unit
echo "== integration"; npx vitest run --project integration
echo "== e2e";         bash scripts/ensure-chromium.sh && npx playwright test
