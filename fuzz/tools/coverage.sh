#!/usr/bin/env bash
# Source-based coverage of impl/tcp and impl/wire reached by the fuzz corpora.
#
# Builds every fuzzer with fuzz/oss-fuzz/build.sh the way OSS-Fuzz's
# coverage build does (clang-14 -fprofile-instr-generate -fcoverage-mapping,
# no sanitizer), replays each corpus once (-runs=0), merges the profiles and
# prints llvm-cov's line and branch coverage for impl/tcp and impl/wire, per
# file and in total.
#
# Usage: fuzz/tools/coverage.sh [CORPUS_ROOT]
#   CORPUS_ROOT holds one folder per fuzzer (default: fuzz/corpus, the seeds);
#   point it at the corpora of a longer run to measure those.
# COVERAGE_KEEP=1 keeps the build and profiles (path printed).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
corpora=$(realpath "${1:-$repo/fuzz/corpus}")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpref-coverage.XXXXXX")
[[ "${COVERAGE_KEEP:-0}" == 1 ]] && echo "coverage: keeping $tmp" ||
  trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/work" "$tmp/out" "$tmp/profiles"
ln -s "$repo" "$tmp/src/tcpref"
export SRC="$tmp/src" WORK="$tmp/work" OUT="$tmp/out"
export CC=clang-14 CXX=clang++-14
export CFLAGS="-O0 -fprofile-instr-generate -fcoverage-mapping \
-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
(cd "$SRC/tcpref" && bash -eu "$repo/fuzz/oss-fuzz/build.sh") > "$tmp/build.log" 2>&1 ||
  { tail -n 30 "$tmp/build.log" >&2; exit 1; }

objects=()
for bin in "$OUT"/*_fuzzer; do
  name=$(basename "$bin")
  [[ -d "$corpora/$name" ]] || { echo "coverage: no corpus for $name" >&2; exit 1; }
  LLVM_PROFILE_FILE="$tmp/profiles/$name.%p.profraw" \
    "$bin" -runs=0 "$corpora/$name" > "$tmp/$name.log" 2>&1 ||
    { tail -n 20 "$tmp/$name.log" >&2; echo "coverage: $name failed" >&2; exit 1; }
  echo "coverage: replayed $(find -L "$corpora/$name" -type f | wc -l) inputs through $name"
  objects+=(-object "$bin")
done
llvm-profdata-14 merge -sparse "$tmp"/profiles/*.profraw -o "$tmp/merged.profdata"

# objects[0] is "-object"; llvm-cov wants the first binary bare. Paths in
# the coverage mapping are under $SRC/tcpref.
report() {
  llvm-cov-14 report "${objects[@]:1}" -instr-profile="$tmp/merged.profdata" \
    "$@" 2> >(grep -v "functions have mismatched data" >&2) | sed "s|$SRC/tcpref/||"
}
report "$SRC/tcpref/impl/tcp" "$SRC/tcpref/impl/wire"
echo
for dir in impl/tcp impl/wire; do
  report "$SRC/tcpref/$dir" | awk -v dir="$dir" '$1 == "TOTAL" {
    printf "coverage: %-9s lines %s (%d/%d)  branches %s (%d/%d)\n", dir,
      $10, $8 - $9, $8, $13, $11 - $12, $11 }'
done
