#!/usr/bin/env bash
# The PostgreSQL tests start their own server from Debian's postgresql package (scripts/postgres-process.ts).
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi
echo "PostgreSQL not found under /usr/lib/postgresql; installing Debian's postgresql package" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# Only the server binaries are used: the package's own cluster is never started by the tests.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
ls /usr/lib/postgresql/*/bin/initdb >/dev/null
