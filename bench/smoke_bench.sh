#!/usr/bin/env bash
# Runs a Google Benchmark binary briefly; fails if it fails or reports no
# benchmark.
set -euo pipefail
out="$("$1" --benchmark_min_time=0.001 2>&1)" || { echo "$out"; exit 1; }
echo "$out"
grep -q '^BM_' <<<"$out" || { echo "no benchmark ran" >&2; exit 1; }
