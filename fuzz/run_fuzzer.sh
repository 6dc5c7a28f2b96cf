#!/usr/bin/env bash
# Runs a libFuzzer binary over a scratch copy of its seed corpus, with its
# dictionary and .options. Generated as <name>_run by cc_fuzz_test; use
#   bazel --output_base=$HOME/.cache/bazel-fuzz run --config=fuzz \
#     //fuzz:wire_fuzzer_run -- -max_total_time=300
# Arguments after "--" go to libFuzzer. Without a -max_total_time or -runs
# of your own the run stops after FUZZ_SECONDS (default 60) seconds.
# FUZZ_WORKDIR keeps the corpus and crash artifacts (default: a new /tmp dir).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

bin="" dict="" options="" seeds=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bin=*) bin="${1#--bin=}" ;;
    --dict=*) dict="${1#--dict=}" ;;
    --options=*) options="${1#--options=}" ;;
    --seeds) ;;
    --) shift; break ;;
    -h|--help) usage; exit 0 ;;
    *) seeds+=("$1") ;;
  esac
  shift
done

# The paths are runfiles paths, which `bazel run` makes the working directory.
[[ -x "$bin" ]] || { echo "run_fuzzer: no fuzzer binary '$bin' (use bazel run)" >&2; exit 2; }

name=$(basename "$bin")
work="${FUZZ_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/${name}.XXXXXX")}"
mkdir -p "$work/corpus"
[[ ${#seeds[@]} -gt 0 ]] && cp "${seeds[@]}" "$work/corpus/"

flags=(-artifact_prefix="$work/" -max_total_time="${FUZZ_SECONDS:-60}")
[[ -n "$dict" ]] && flags+=(-dict="$dict")
if [[ -n "$options" ]]; then
  # [libfuzzer] key = value → -key=value; the dict is passed above instead.
  while IFS= read -r flag; do flags+=("$flag"); done < <(awk '
    /^\[/ { in_lf = ($0 == "[libfuzzer]"); next }
    in_lf && /=/ {
      split($0, kv, "="); k = kv[1]; v = substr($0, index($0, "=") + 1)
      gsub(/[ \t]/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", v)
      if (k != "dict") print "-" k "=" v
    }' "$options")
fi

echo "run_fuzzer: corpus and artifacts in $work" >&2
exec "$bin" "${flags[@]}" "$@" "$work/corpus"
