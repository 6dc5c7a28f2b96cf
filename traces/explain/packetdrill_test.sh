#!/usr/bin/env bash
# The packetdrill runner's --pcap output rendered by tcpref-explain: every
# packet of a passing and of a failing script becomes a ladder row.
set -euo pipefail
pd=traces/packetdrill/packetdrill
explain=traces/explain/tcpref-explain
data=traces/packetdrill/testdata
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*"; exit 1; }

# render SCRIPT WANT_STATUS
render() {
  local name=$1 want=$2 rc=0
  "$pd" --pcap "$tmp/$name.pcap" "$data/$name.pkt" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$tmp/$name.out" "$tmp/$name.err"; fail "$name: exit $rc, want $want"; }
  local n
  n=$(sed -n 's/^packetdrill: wrote \([0-9]*\) packets.*/\1/p' "$tmp/$name.err")
  [ -n "$n" ] && [ "$n" -gt 0 ] || fail "$name: no packets written"
  "$explain" --text "$tmp/$name.pcap" >"$tmp/$name.txt"
  local rows
  rows=$(grep -c -- '->|$\||<-' "$tmp/$name.txt" || true)
  [ "$rows" -eq "$n" ] || { cat "$tmp/$name.txt"; fail "$name: $rows ladder rows, want $n"; }
  "$explain" -o "$tmp/$name.html" "$tmp/$name.pcap" 2>/dev/null
  [ "$(grep -o '<tr class="seg ' "$tmp/$name.html" | wc -l)" -eq "$n" ] || fail "$name: HTML rows"
  echo "$name: $n packets, $rows rows"
}
render server_basic 0
# The script expects a wrong ACK; the stack's SYN-ACK is still the model's.
render mutant_wrong_ack 1
grep -q "agrees: the model's SYN-ACK" "$tmp/mutant_wrong_ack.txt" || fail "mutant_wrong_ack: SYN-ACK not checked"
"$pd" --pcap "$tmp/x.pcap" "$data/server_basic.pkt" "$data/time_wait.pkt" >/dev/null 2>&1 && fail "--pcap with two scripts accepted"
echo PASS
