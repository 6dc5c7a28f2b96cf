#!/usr/bin/env bash
# Fails when a side_by_side table in docs/PERFORMANCE.md is not the
# rendering of its bench/side_by_side/results/NAME.json.
set -euo pipefail
here="$(dirname "$0")"
exec /usr/bin/python3 "$here/side_by_side.py" \
  --check-doc docs/PERFORMANCE.md "$here/results"
