#!/usr/bin/env bash
# Records tcpref-server in the scenarios record.sh records for Linux, into
# traces/pcaps/tcpref_NAME.pcap (the server's own --pcap: every packet its
# stack received and sent), each with NAME.conf (docs/TRACES.md).
#
# Network safety: re-executes itself inside a private network namespace
# (unshare -n). tcpref-server creates TUN device tcpref0 there as in
# tools/demo.sh: server 198.18.0.1, kernel client 198.18.0.2/24, both in
# 198.18.0.0/15; nothing leaves the namespace, and the iptables rules two
# scenarios need live and die with it. Only the server this script started
# is signalled (by pid). Needs root and iptables-legacy (Debian package
# iptables). Every peer runs under `timeout`; every loop is bounded.
#
# Usage: traces/tools/record_tcpref.sh [OUT_DIR [NAME...]]
#        (default: traces/pcaps, every scenario)
# TCPREF_SERVER=path/to/tcpref-server skips the build; BAZEL overrides the
# bazel command used to build it (e.g. "bazel --output_base=DIR").
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "record_tcpref.sh: needs root (network namespace, TUN)" >&2; exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../pcaps}")
if [[ "${TCPREF_IN_NETNS:-}" != 1 ]]; then
  if [ -z "${TCPREF_SERVER:-}" ]; then
    bazel=${BAZEL:-bazel}
    (cd "$here/../.." && $bazel build --config=opt //impl/server:tcpref-server)
    TCPREF_SERVER="$(cd "$here/../.." && $bazel info --config=opt bazel-bin 2>/dev/null)/impl/server/tcpref-server"
  fi
  [ -x "$TCPREF_SERVER" ] || { echo "record_tcpref.sh: no $TCPREF_SERVER" >&2; exit 1; }
  mkdir -p "$out"
  exec env TCPREF_IN_NETNS=1 TCPREF_SERVER="$TCPREF_SERVER" unshare -n "$0" "$out" "${@:2}"
fi
only=("${@:2}")

SERVER=198.18.0.1
CLIENT=198.18.0.2
ip link set lo up
PY=/usr/bin/python3  # Debian's, with scapy
IPT=iptables-legacy  # this kernel has x_tables, not nf_tables

peer() { timeout 90 "$PY" "$here/peer.py" "$@"; }

# Packet drops a scenario needs, on the kernel (client) side of tcpref0.
drops() {
  case "$1" in
    syn_retransmit)
      # The client never sees tcpref's first two SYN-ACKs (the second is its
      # 1 s timer's, just before the client's own 1 s SYN timer), so it
      # retransmits its SYN. 60 bytes each (MSS, SACK, TS, WS).
      $IPT -A INPUT -p tcp -s "$SERVER" --sport 80 --tcp-flags SYN,ACK SYN,ACK \
        -m quota --quota 120 -j DROP ;;
    synack_retransmit|request_expiry|syn_queue_overflow)  # the client kernel's RST never reaches tcpref
      $IPT -A OUTPUT -p tcp -s "$CLIENT" --tcp-flags RST RST -j DROP ;;
  esac
}

server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT

# record NAME SCENARIO MODE CONF [SERVER_FLAG... --] [CLIENT_SYSCTL...]
record() {
  local name=$1 scenario=$2 mode=$3 conf=$4
  shift 4
  local flags=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then return; fi
  for kv in "$@"; do sysctl -qw "net.ipv4.$kv"; done
  local log="$out/tcpref_$name.log" pcap="$out/tcpref_$name.pcap"
  rm -f "$pcap"
  "$TCPREF_SERVER" --tun tcpref0 --addr "$SERVER" --port 80 --mode "$mode" \
    --configure-peer "$CLIENT/24" --pcap "$pcap" "${flags[@]}" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q '^READY' "$log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^READY' "$log"; then
    echo "record_tcpref.sh: $name: server not ready" >&2; cat "$log" >&2
    stop_server; return 1
  fi
  drops "$scenario"
  peer client "$scenario" "$SERVER" "$CLIENT" || true
  sleep 0.3
  stop_server
  $IPT -F
  rm -f "$log"
  printf '# traces/tools/record_tcpref.sh %s: tcpref-server --mode %s %s; client sysctl %s\nserver=tcpref\n%b' \
    "$scenario" "$mode" "${flags[*]}" "$*" "$conf" > "$out/tcpref_$name.conf"
  sysctl -qw net.ipv4.tcp_timestamps=1 net.ipv4.tcp_window_scaling=1
  echo "recorded $pcap ($(stat -c %s "$pcap") bytes)"
}

record server_closes server_closes close ''
record client_resets client_resets echo ''
record syncookies_no_ts server_closes close 'syncookies=2\n' \
  --syncookies always -- tcp_timestamps=0
record no_window_scaling server_closes close '' -- tcp_window_scaling=0
record time_wait_reopen time_wait_reopen close ''
record rst_in_syn_recv rst_in_syn_recv close ''
record backlog_overflow backlog_overflow hold 'syncookies=0\nbacklog=0\n' \
  --backlog 0 --syncookies off --
record backlog_overflow_cookies backlog_overflow hold 'syncookies=1\nbacklog=0\n' \
  --backlog 0 --syncookies auto --
record syn_retransmit syn_retransmit close ''
record synack_retransmit synack_retransmit close 'synack_retries=2\n' \
  --synack-retries 2 --
record request_expiry request_expiry close 'synack_retries=2\n' \
  --synack-retries 2 --
record time_wait_expiry time_wait_expiry close ''
record syn_queue_overflow syn_queue_overflow hold 'syncookies=0\nbacklog=2\nsyn_queue_limit=3\n' \
  --backlog 2 --syn-backlog 3 --syncookies off --
record syn_queue_overflow_cookies syn_queue_overflow hold 'syncookies=1\nbacklog=2\nsyn_queue_limit=3\n' \
  --backlog 2 --syn-backlog 3 --syncookies auto --
