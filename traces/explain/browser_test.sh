#!/usr/bin/env bash
# Renders reports with tcpref-explain and looks at them as a person would,
# in headless Chromium (Debian's chromium, file:// only, no network): the
# page has one ladder row per TCP segment of the capture, its script ran
# without errors, the screenshot is mostly not blank, and a capture that
# disagrees with the model shows red rows (and one that agrees shows none).
set -euo pipefail

explain=traces/explain/tcpref-explain
ink=traces/explain/png_ink.py
pcaps=traces/pcaps
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
export HOME="$tmp/home"  # chromium writes its profile under HOME
mkdir -p "$HOME"

command -v chromium >/dev/null || { echo "FAIL: chromium not installed (tools/setup.sh)"; exit 1; }

fail() { echo "FAIL: $*"; exit 1; }

chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-extensions --disable-background-networking \
    --user-data-dir="$tmp/profile" "$@"
}

# TCP segments in a capture, counted by tshark (independent of our parser).
segments() {
  if command -v tshark >/dev/null; then
    tshark -r "$1" -Y tcp -T fields -e frame.number 2>/dev/null | wc -l
  else
    echo "$2"
  fi
}

# check NAME PCAP EXPECTED_ROWS WANT_RED [--set ...]
check() {
  local name=$1 pcap=$2 rows=$3 want_red=$4
  shift 4
  local html="$tmp/$name.html"
  "$explain" "$@" -o "$html" "$pcap"
  # Self-contained: nothing to fetch.
  if grep -Eiq '(src|href)=|https?://|<link|@import|url\(' "$html"; then
    fail "$name: the page references an external resource"
  fi
  chrome --enable-logging=stderr --v=0 --dump-dom "file://$html" \
    >"$tmp/$name.dom" 2>"$tmp/$name.log"
  if grep 'CONSOLE' "$tmp/$name.log" | grep -Eiq 'uncaught|error'; then
    grep CONSOLE "$tmp/$name.log"
    fail "$name: script error in the page"
  fi
  grep -q 'data-ready="1"' "$tmp/$name.dom" || fail "$name: the page's script did not run to the end"
  local seen
  seen=$({ grep -o '<tr class="seg ' "$tmp/$name.dom" || true; } | wc -l)
  [ "$seen" -eq "$rows" ] || fail "$name: $seen ladder rows in the DOM, want $rows (one per TCP segment)"
  grep -q "data-rows=\"$rows\"" "$tmp/$name.dom" || fail "$name: the page counted other than $rows rows"
  local bad
  bad=$({ grep -o '<tr class="[^"]* bad"' "$tmp/$name.dom" || true; } | wc -l)
  chrome --hide-scrollbars --window-size=1500,1100 \
    --screenshot="$tmp/$name.png" "file://$html" >/dev/null 2>&1
  [ -s "$tmp/$name.png" ] || fail "$name: no screenshot"
  read -r w h inked red < <(python3 "$ink" "$tmp/$name.png")
  echo "$name: $seen rows, $bad red rows, screenshot ${w}x${h}, $inked inked pixels, $red red"
  # The ladder, its labels and the notes cover well over 3% of the page.
  [ "$inked" -gt $((w * h * 3 / 100)) ] || fail "$name: screenshot nearly blank ($inked of $((w * h)) pixels)"
  if [ "$want_red" = yes ]; then
    [ "$bad" -ge 1 ] || fail "$name: no row marked as a disagreement"
    [ "$red" -gt 1000 ] || fail "$name: no red on screen for the disagreement"
  else
    [ "$bad" -eq 0 ] || fail "$name: $bad rows marked red on a trace that agrees"
    # The legend's red swatch is 144 pixels.
    [ "$red" -lt 300 ] || fail "$name: red on screen for a trace that agrees"
  fi
  cp "$tmp/$name.png" "${TEST_UNDECLARED_OUTPUTS_DIR:-$tmp}/" 2>/dev/null || true
}

p="$pcaps/linux_client_closes.pcap"
check agrees "$p" "$(segments "$p" 10)" no
# The same server told it may retransmit its SYN-ACK never: the model then
# removes the request at the timer and the recorded retransmission disagrees.
p="$pcaps/linux_synack_retransmit.pcap"
check disagrees "$p" "$(segments "$p" 4)" yes --set synack_retries=0
echo PASS
