#!/usr/bin/env bash
# Smoke run of the side-by-side benchmark: every workload with tiny counts.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "the side-by-side benchmark needs root (namespaces, TUN, raw sockets)" >&2
  exit 1
fi
here="$(dirname "$0")"
exec /usr/bin/python3 -u "$here/side_by_side.py" --quick \
  --bin-dir "$TEST_SRCDIR/$TEST_WORKSPACE"
