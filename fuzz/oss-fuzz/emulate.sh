#!/usr/bin/env bash
# Emulates an OSS-Fuzz build of tcpref locally, then smoke-runs the result.
#
#  1. Every non-test .cc under impl/wire, impl/tcp, refinement and model/
#     is accounted for in fuzz/oss-fuzz/sources.txt (catches list drift).
#  2. Sets OSS-Fuzz's variables for an ASan libFuzzer build (CC=clang-14,
#     CFLAGS with -fsanitize=address,fuzzer-no-link, LIB_FUZZING_ENGINE=
#     -fsanitize=fuzzer, SRC/WORK/OUT temporary folders) and runs
#     fuzz/oss-fuzz/build.sh.
#  3. Checks $OUT holds, per fuzzer, the binary, <name>_seed_corpus.zip,
#     <name>.dict and <name>.options; that no binary needs libsodium.so (the
#     runner image lacks it) or names /dev/net/tun.
#  4. Runs each fuzzer over its unzipped seed corpus for FUZZ_SECONDS
#     (default 5) with its dict and max_len.
#  5. Runs model_diff_fuzzer from an empty corpus with the planted bug
#     (TCPREF_PLANT_BUG) and expects a divergence within 60 seconds.
#
# Differences from real OSS-Fuzz: Debian's clang-14 instead of OSS-Fuzz's
# clang, and libstdc++ instead of -stdlib=libc++ (no libc++ headers here).
# Usage: fuzz/oss-fuzz/emulate.sh [--keep]   (--keep leaves the temp folders)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
keep=0
case "${1:-}" in
  --keep) keep=1 ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  "") ;;
  *) echo "emulate.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
seconds=${FUZZ_SECONDS:-5}
manifest="$repo/fuzz/oss-fuzz/sources.txt"
fail() { echo "emulate.sh: FAIL: $*" >&2; exit 1; }

# 1. Drift.
missing=()
while IFS= read -r f; do
  grep -qE "^(lib|skip) $f( |$)" "$manifest" || missing+=("$f")
done < <(cd "$repo" && find impl/wire impl/tcp refinement model \
           -name '*.cc' ! -name '*_test.cc' ! -path '*/testing/*' | sort)
[[ ${#missing[@]} -eq 0 ]] ||
  fail "not in fuzz/oss-fuzz/sources.txt (add a lib or skip line): ${missing[*]}"
echo "emulate.sh: sources.txt accounts for every non-test source"

# 2. Build as OSS-Fuzz does.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpref-oss-fuzz.XXXXXX")
[[ $keep -eq 1 ]] || trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/work" "$tmp/out"
ln -s "$repo" "$tmp/src/tcpref"
export SRC="$tmp/src" WORK="$tmp/work" OUT="$tmp/out"
export CC=clang-14 CXX=clang++-14
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only \
-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=address \
-fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64
start=$SECONDS
(cd "$SRC/tcpref" && bash -eu "$repo/fuzz/oss-fuzz/build.sh")
echo "emulate.sh: build.sh finished in $((SECONDS - start)) s"

# 3. What OSS-Fuzz picks up from $OUT.
fuzzers=($(awk '$1 == "fuzzer" { print $2 }' "$manifest"))
for f in "${fuzzers[@]}"; do
  [[ -x "$OUT/$f" ]] || fail "$OUT/$f missing"
  for extra in "${f}_seed_corpus.zip" "$f.dict" "$f.options"; do
    [[ -s "$OUT/$extra" ]] || fail "$OUT/$extra missing or empty"
  done
  ! ldd "$OUT/$f" | grep -q libsodium || fail "$f links libsodium.so"
  ! grep -q /dev/net/tun "$OUT/$f" || fail "$f mentions /dev/net/tun"
done
echo "emulate.sh: \$OUT has ${#fuzzers[@]} fuzzers with corpus, dict, options"

# 4. Each fuzzer, briefly, over its seed corpus.
max_len() { awk -F= '/^max_len/ { gsub(/ /, "", $2); print $2 }' "$1"; }
for f in "${fuzzers[@]}"; do
  mkdir -p "$tmp/run/$f"
  unzip -q "$OUT/${f}_seed_corpus.zip" -d "$tmp/run/$f/corpus"
  if ! (cd "$tmp/run/$f" && "$OUT/$f" -dict="$OUT/$f.dict" \
          -max_len="$(max_len "$OUT/$f.options")" -max_total_time="$seconds" \
          -print_final_stats=1 -artifact_prefix="$tmp/run/$f/" corpus \
          > log 2>&1); then
    tail -n 40 "$tmp/run/$f/log" >&2
    fail "$f crashed (artifacts under $tmp/run/$f when run with --keep)"
  fi
  stats=$(grep -E '^#[0-9]+.*DONE' "$tmp/run/$f/log" | tail -n 1)
  echo "emulate.sh: $f ok: ${stats:-$(tail -n 1 "$tmp/run/$f/log")}"
done

# 5. The planted divergence, found from nothing.
mkdir -p "$tmp/planted/corpus"
start=$SECONDS
if (cd "$tmp/planted" && TCPREF_PLANT_BUG=accept_ack_iss_plus_2 \
      "$OUT/model_diff_fuzzer" -dict="$OUT/model_diff_fuzzer.dict" \
      -max_total_time=60 -artifact_prefix="$tmp/planted/" corpus > log 2>&1); then
  fail "model_diff_fuzzer did not find the planted divergence in 60 s"
fi
grep -q "impl and model diverge" "$tmp/planted/log" ||
  { tail -n 20 "$tmp/planted/log" >&2; fail "model_diff_fuzzer crashed without a divergence"; }
echo "emulate.sh: model_diff_fuzzer found the planted divergence in $((SECONDS - start)) s"
echo "emulate.sh: PASS"
