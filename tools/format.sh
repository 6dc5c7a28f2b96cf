#!/usr/bin/env bash
# Formats (or with --check, verifies) every C++ file tracked by git with the
# repository's .clang-format. Vendored code (third_party/, fuzz/vendor/) keeps
# its upstream formatting.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=(-i)
case "${1:-}" in
  --check) mode=(--dry-run --Werror) ;;
  -h|--help) echo "Usage: tools/format.sh [--check]"; echo "Formats tracked *.h/*.cc (not third_party/, fuzz/vendor/) with clang-format;"; echo "--check fails on any change needed."; exit 0 ;;
  "") ;;
  *) echo "format.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
git ls-files -z -- '*.h' '*.cc' ':!:third_party/**' ':!:fuzz/vendor/**' | xargs -0 -r clang-format "${mode[@]}"
