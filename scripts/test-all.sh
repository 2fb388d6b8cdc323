#!/usr/bin/env bash
# `npm test`: everything CI checks, in order from fastest to slowest.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Debian packages later stages need (PostgreSQL for the store and replica tests, Chromium for e2e) install in
# the background while lint, types and unit tests use the CPU: on a fresh machine apt spends minutes mostly
# downloading and unpacking. Each ensure script does nothing when its package is there, and the stages that need
# one run it again in the foreground, so a failed background install still fails where it is needed, with apt's
# words. If an early stage fails, the install is left to finish rather than killed half-way through dpkg.
mkdir -p .data
( bash scripts/ensure-postgres.sh && bash scripts/ensure-chromium.sh ) > .data/test-packages.log 2>&1 &
PACKAGES=$!

echo "== lint";        npx eslint . && npx prettier --check --log-level warn . && npx knip --no-config-hints
echo "== types";       npx tsc --noEmit
# The console build the integration and e2e tests run (`next build`, unless .next is newer than the sources) starts
# now, once the type check no longer reads the tree it writes to: the unit tests leave a core idle (one worker on 2
# cores), and the integration files that start a console wait for it on the build lock (scripts/console-process.ts)
# while the others run. A failed build is built again, with its output, by the first test that needs it.
npx tsx -e "require('./scripts/console-process').ensureConsoleBuilt()" > .data/next-build.log 2>&1 &
BUILD=$!
echo "== unit";        npx vitest run --project unit
wait "$PACKAGES" || { echo "installing Debian packages in the background failed:"; cat .data/test-packages.log; }
echo "== integration"; bash scripts/ensure-postgres.sh && npx vitest run --project integration
wait "$BUILD" || { echo "next build in the background failed:"; cat .data/next-build.log; }
echo "== e2e";         bash scripts/ensure-chromium.sh && npx playwright test
