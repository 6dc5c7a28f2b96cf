#!/usr/bin/env bash
# Runs one integration case inside a private network namespace made for it
# (it and everything in it vanish when the case ends). Needs root.
set -euo pipefail
case_name="$1"
if [ "$(id -u)" -ne 0 ]; then
  echo "integration tests need root (a network namespace and a TUN device)" >&2
  exit 1
fi
here="$(dirname "$0")"
# The whole case is bounded; a hang fails instead of blocking CI.
cases="${2:-$here/cases.py}"  # the suite's cases file (runfiles path)
exec timeout --kill-after=5 "${CASE_TIMEOUT:-150}" \
  unshare --net -- /usr/bin/python3 -u "$cases" "$case_name"
