#!/usr/bin/env bash
# The README's test command: install what is missing, then run every test.
# Extra arguments go to `bazel test` (e.g. --config=asan).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: tools/test.sh [BAZEL_TEST_ARGS...]

Installs missing Debian packages (tools/setup.sh), then runs
`bazel test //...` with the given extra arguments. Exits non-zero if any
test fails. Bazel's cache stays outside the repository (~/.cache/bazel).
USAGE
    exit 0 ;;
esac

tools/setup.sh
bazel test //... "$@"
