#!/usr/bin/env bash
# Regenerates docs/model/: the model's state diagram as Graphviz dot, derived
# from the transition table (//proofs/diagram:model_diagram), and its SVG
# renderings (Debian's graphviz). //proofs/diagram:diagram_test fails when
# the committed .dot files differ from what the table generates.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    echo "Usage: tools/model_diagram.sh"
    echo "Writes docs/model/*.dot from the transition table and docs/model/*.svg with dot(1)."
    exit 0 ;;
  "") ;;
  *) echo "model_diagram.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
command -v dot >/dev/null || { echo "model_diagram.sh: dot not found (tools/setup.sh installs graphviz)" >&2; exit 1; }
out="$PWD/docs/model"
"${BAZEL:-bazel}" run //proofs/diagram:model_diagram -- --out "$out"
for f in "$out"/*.dot; do
  dot -Tsvg "$f" -o "${f%.dot}.svg"
done
echo "model_diagram.sh: wrote $(ls "$out"/*.dot | wc -l) diagrams to docs/model/"
