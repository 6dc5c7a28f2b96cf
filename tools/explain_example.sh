#!/usr/bin/env bash
# Regenerates docs/explain/: tcpref-explain's report of one committed trace
# (HTML, checked by //traces/explain:explain_test) and a screenshot of it
# taken with headless Chromium (chromium, in tools/setup.sh).
set -euo pipefail
case "${1:-}" in
  -h|--help)
    echo "Usage: tools/explain_example.sh"
    echo "Writes docs/explain/linux_client_closes.{html,txt,png} from traces/pcaps/linux_client_closes.pcap."
    exit 0 ;;
  "") ;;
  *) echo "explain_example.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
"${BAZEL:-bazel}" build //traces/explain:tcpref-explain
bin="$("${BAZEL:-bazel}" info bazel-bin 2>/dev/null)/traces/explain/tcpref-explain"
out=docs/explain
mkdir -p "$out"
trace=traces/pcaps/linux_client_closes.pcap
"$bin" -o "$out/linux_client_closes.html" "$trace"
"$bin" --text "$trace" >"$out/linux_client_closes.txt"
if command -v chromium >/dev/null; then
  home=$(mktemp -d)
  HOME="$home" timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --hide-scrollbars --window-size=1500,1000 --user-data-dir="$home/profile" \
    --screenshot="$PWD/$out/linux_client_closes.png" \
    "file://$PWD/$out/linux_client_closes.html" >/dev/null 2>&1
  rm -rf "$home"
else
  echo "explain_example.sh: chromium not installed; screenshot not updated" >&2
fi
echo "explain_example.sh: wrote $out/linux_client_closes.{html,txt,png}"
