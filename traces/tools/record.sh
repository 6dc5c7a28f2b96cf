#!/usr/bin/env bash
# Records the Linux kernel's server in handshake scenarios beyond
# fuzz/pcaps into traces/pcaps/linux_NAME.pcap, each with NAME.conf (the
# server settings the checker needs; see docs/TRACES.md).
#
# Network safety: re-executes itself inside a private network namespace
# (unshare -n) with only lo, addresses 198.18.0.1 (server) and 198.18.0.2
# (client) from 198.18.0.0/15; nothing leaves the namespace, and the
# iptables rules two scenarios need live and die with it. Needs root and
# iptables-legacy (Debian package iptables). Every peer runs under
# `timeout`; every loop is bounded.
#
# Usage: traces/tools/record.sh [OUT_DIR [NAME...]]
#        (default: traces/pcaps, every scenario)
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "record.sh: needs root (network namespace, tcpdump)" >&2; exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../pcaps}")
if [[ "${TCPREF_IN_NETNS:-}" != 1 ]]; then
  mkdir -p "$out"
  exec env TCPREF_IN_NETNS=1 unshare -n "$0" "$out" "${@:2}"
fi
only=("${@:2}")

SERVER=198.18.0.1
CLIENT=198.18.0.2
ip link set lo mtu 1500 up
ip addr add "$SERVER/32" dev lo
ip addr add "$CLIENT/32" dev lo
PY=/usr/bin/python3  # Debian's, with scapy
IPT=iptables-legacy  # this kernel has x_tables, not nf_tables

peer() { timeout 90 "$PY" "$here/peer.py" "$@"; }

# Packet drops a scenario needs, inside this namespace only.
drops() {
  case "$1" in
    syn_retransmit)  # the client never sees the first SYN-ACK (it is captured)
      $IPT -A INPUT -p tcp -s "$SERVER" --sport 80 --tcp-flags SYN,ACK SYN,ACK \
        -m quota --quota 60 -j DROP ;;
    synack_retransmit|request_expiry|syn_queue_overflow)  # the client kernel's RST never leaves (nor is captured)
      $IPT -A OUTPUT -p tcp -s "$CLIENT" --tcp-flags RST RST -j DROP ;;
  esac
}

record() {
  local name=$1 scenario=$2 conf=$3
  shift 3
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $name " ]]; then return; fi
  for kv in "$@"; do sysctl -qw "net.ipv4.$kv"; done
  drops "$scenario"
  tcpdump -i lo --immediate-mode -U -s 0 -w "$out/linux_$name.pcap" 'tcp' 2>/dev/null &
  local dump=$!
  sleep 1
  coproc SERVER_PEER { peer server "$scenario" "$SERVER" "$CLIENT"; }
  local server_pid=$SERVER_PEER_PID  # bash unsets it when the coproc ends
  read -r -t 5 _ <&"${SERVER_PEER[0]}" || true
  peer client "$scenario" "$SERVER" "$CLIENT" || true
  wait "$server_pid" || true
  sleep 0.3
  kill "$dump"; wait "$dump" || true
  $IPT -F
  printf '# traces/tools/record.sh %s: sysctl %s\n%b' "$scenario" "$*" "$conf" \
    > "$out/linux_$name.conf"
  sysctl -qw net.ipv4.tcp_syncookies=1 net.ipv4.tcp_timestamps=1 \
    net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_synack_retries=5
  echo "recorded $out/linux_$name.pcap ($(stat -c %s "$out/linux_$name.pcap") bytes)"
}

record syncookies_no_ts server_closes 'syncookies=2\nbacklog=8\n' \
  tcp_syncookies=2 tcp_timestamps=0
record no_window_scaling server_closes 'backlog=8\n' tcp_window_scaling=0
record time_wait_reopen time_wait_reopen 'backlog=8\n'
record rst_in_syn_recv rst_in_syn_recv 'backlog=8\n'
record backlog_overflow backlog_overflow 'syncookies=0\nbacklog=0\nsyn_queue_limit=1\n' tcp_syncookies=0
record backlog_overflow_cookies backlog_overflow 'syncookies=1\nbacklog=0\nsyn_queue_limit=1\n' tcp_syncookies=1
record syn_retransmit syn_retransmit 'backlog=8\n'
record synack_retransmit synack_retransmit 'backlog=8\nsynack_retries=2\n' \
  tcp_synack_retries=2
record request_expiry request_expiry 'backlog=8\nsynack_retries=2\n' \
  tcp_synack_retries=2
record time_wait_expiry time_wait_expiry 'backlog=8\n'
record syn_queue_overflow syn_queue_overflow 'syncookies=0\nbacklog=2\n' tcp_syncookies=0
record syn_queue_overflow_cookies syn_queue_overflow 'syncookies=1\nbacklog=2\n' tcp_syncookies=1
