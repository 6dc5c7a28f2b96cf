#!/usr/bin/env bash
# The README's test command: install what is missing, then run every test.
# Extra arguments go to `bazel test` (e.g. --config=asan).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help)
    cat <<'USAGE'
Usage: tools/test.sh [BAZEL_TEST_ARGS...]

Installs missing Debian packages (tools/setup.sh, needs root the first time),
then runs `bazel test //...` with any extra arguments (for example
--config=asan), the OSS-Fuzz emulation (fuzz/oss-fuzz/emulate.sh), the
clang-format check (tools/format.sh --check) and clang-tidy (tools/lint.sh). Prints Bazel's per-test summary and a closing line
"N passed, M failed"; exits non-zero if any test fails or none ran.
Bazel's cache stays outside the repository (~/.cache/bazel).
USAGE
    exit 0 ;;
esac

tools/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# Debian's linux-sandbox logs every mount it makes; keep those lines out of
# the console (Bazel's own output and the test summary pass through).
bazel test //... "$@" 2>&1 | grep --line-buffered -v 'src/main/tools/linux-sandbox' | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# A plain closing line, counted from Bazel's per-target summary.
passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log" || true)
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|FLAKY|INCOMPLETE|REMOTE FAILURE|FAILED TO BUILD)' "$log" || true)
# OSS-Fuzz emulation: build the fuzzers as OSS-Fuzz does, run each a few
# seconds, find the planted divergence (fuzz/oss-fuzz/emulate.sh, ~2 min).
# Counted as one more test in the closing line.
if fuzz/oss-fuzz/emulate.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  rc=1
fi
# clang-format: every tracked C++ file formatted (tools/format.sh --check),
# counted as one test.
if tools/format.sh --check; then
  passed=$((passed + 1))
else
  echo "test.sh: clang-format differences above; run tools/format.sh" >&2
  failed=$((failed + 1))
  rc=1
fi
# clang-tidy over impl/, model/, refinement/, proofs/, fuzz/, traces/ and
# tools/ (tools/lint.sh, ~4 min on 2 idle cores), also counted as one test.
if tools/lint.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  rc=1
fi
echo "${passed} passed, ${failed} failed"
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$rc"
