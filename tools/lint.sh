#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy) over the non-test sources of
# impl/, model/, refinement/, proofs/, fuzz/, traces/ and tools/, or over the
# files given. Prints findings; exits non-zero
# if clang-tidy reports any warning.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help)
    echo "Usage: tools/lint.sh [FILE.cc ...]"
    echo "clang-tidy over the non-test sources of impl/, model/, refinement/,"
    echo "proofs/, fuzz/, traces/ and tools/ (vendored code excluded) with the"
    echo "repository's .clang-tidy; no compilation database needed."
    exit 0 ;;
esac
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'impl/*.cc' 'model/*.cc' 'refinement/*.cc' \
      'proofs/*.cc' 'fuzz/*.cc' 'traces/*.cc' 'tools/*.cc' ':!:fuzz/vendor/**' |
    grep -v '_test\.cc$' | grep -v '/testing/')
fi
# One clang-tidy per file, as many at once as there are cores.
out=$(printf '%s\0' "${files[@]}" |
  xargs -0 -n 1 -P "$(nproc)" sh -c 'clang-tidy --quiet "$0" -- -std=c++20 -I. -x c++ 2>/dev/null' || true)
printf '%s\n' "$out" | grep -E 'warning:|error:' -A3 || true
if printf '%s\n' "$out" | grep -qE '(warning|error):'; then exit 1; fi
echo "lint: ${#files[@]} files clean"
