#!/usr/bin/env bash
# tcpref-explain's command line: --help, reports to stdout and to a file,
# and a one-line error (exit 2) for each kind of bad input.
set -euo pipefail
explain=traces/explain/tcpref-explain
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*"; exit 1; }

"$explain" --help | grep -q '^Usage: tcpref-explain' || fail "--help"

# Bad input: exit 2, exactly one line on stderr naming the problem.
bad() {
  local want=$1
  shift
  local rc=0
  "$explain" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [ "$rc" -eq 2 ] || fail "$*: exit $rc, want 2"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "$*: not one line"; }
  grep -q "^tcpref-explain: .*$want" "$tmp/err" || { cat "$tmp/err"; fail "$*: no '$want'"; }
  [ ! -s "$tmp/out" ] || fail "$*: wrote a report"
}
bad "no capture given"
bad "unknown option" --bogus traces/pcaps/linux_ecn.pcap
bad "No such file" "$tmp/missing.pcap"
echo "not a capture" >"$tmp/text.pcap"
bad "unknown file format" "$tmp/text.pcap"
head -c 150 traces/pcaps/linux_ecn.pcap >"$tmp/truncated.pcap"
bad "truncated" "$tmp/truncated.pcap"
# A pcap header with link type 147 (USER0) and no packets.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x93\x00\x00\x00' >"$tmp/user0.pcap"
bad "unsupported link type 147" "$tmp/user0.pcap"
bad "syncookies" --set syncookies=7 traces/pcaps/linux_ecn.pcap

# Reports: HTML on stdout, text with --text, a file with -o.
"$explain" traces/pcaps/linux_ecn.pcap >"$tmp/r.html"
grep -q '^<!DOCTYPE html>' "$tmp/r.html" || fail "HTML on stdout"
"$explain" --text traces/pcaps/linux_ecn.pcap >"$tmp/r.txt"
grep -q '^RESULT OK' "$tmp/r.txt" || fail "--text RESULT line"
[ "$(grep -c -- '->|$\||<-' "$tmp/r.txt")" -eq 10 ] || fail "--text: want 10 segment lines"
"$explain" -o "$tmp/f.html" traces/pcaps/linux_ecn.pcap 2>"$tmp/err"
cmp -s "$tmp/f.html" "$tmp/r.html" || fail "-o writes what stdout shows"
grep -q 'wrote .*1 connections, 10 segments, all agree' "$tmp/err" || { cat "$tmp/err"; fail "-o summary"; }
echo PASS
