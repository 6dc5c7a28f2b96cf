#!/usr/bin/env bash
# Records the Linux kernel's server in handshake scenarios beyond
# fuzz/pcaps into traces/pcaps/linux_NAME.pcap, each with NAME.conf (the
# server settings the checker needs; see docs/TRACES.md).
#
# Network safety: re-executes itself inside a private network namespace
# (unshare -n) with only lo, addresses 198.18.0.1 (server) and 198.18.0.2
# (client) from 198.18.0.0/15; nothing leaves the namespace. Needs root.
# Every peer runs under `timeout`; every loop is bounded.
#
# Usage: traces/tools/record.sh [OUT_DIR]   (default: traces/pcaps)
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "record.sh: needs root (network namespace, tcpdump)" >&2; exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../pcaps}")
if [[ "${TCPREF_IN_NETNS:-}" != 1 ]]; then
  mkdir -p "$out"
  exec env TCPREF_IN_NETNS=1 unshare -n "$0" "$out"
fi

SERVER=198.18.0.1
CLIENT=198.18.0.2
ip link set lo mtu 1500 up
ip addr add "$SERVER/32" dev lo
ip addr add "$CLIENT/32" dev lo
PY=/usr/bin/python3  # Debian's, with scapy

# One scenario: server and client programs (Python), bounded by timeout.
peer() {
  timeout 15 "$PY" - "$@" <<'PY'
import socket, struct, sys, time
role, scenario, server, client = sys.argv[1:5]
def listener(backlog=8):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((server, 80)); s.listen(backlog)
    print("listening", flush=True)
    return s
if role == "server":
    if scenario == "backlog_overflow":   # never accepts; closes after 6 s
        s = listener(0); time.sleep(6); s.close(); time.sleep(0.5); sys.exit()
    if scenario == "rst_in_syn_recv":
        s = listener(); time.sleep(3); sys.exit()
    s = listener()
    for _ in range(2 if scenario == "time_wait_reopen" else 1):
        c, _ = s.accept(); c.settimeout(5)
        c.recv(4096); c.sendall(b"hello\n"); c.close()   # server closes first
    time.sleep(0.5)
    sys.exit()
if scenario == "backlog_overflow":
    socks = []
    for i in range(3):                    # backlog 0 admits one child
        c = socket.socket(); c.setblocking(False)
        c.bind((client, 41000 + i))
        try: c.connect((server, 80))
        except BlockingIOError: pass
        socks.append(c); time.sleep(0.2)
    time.sleep(7); sys.exit()
if scenario == "rst_in_syn_recv":
    # A SYN from scapy: the client kernel has no socket, so it answers the
    # SYN-ACK with RST (SEQ = ISN+1, exactly RCV.NXT in SYN-RECEIVED).
    from scapy.all import IP, TCP, send
    send(IP(src=client, dst=server)/TCP(sport=42000, dport=80, flags="S",
         seq=1000, options=[("MSS", 1460)]), verbose=False)
    time.sleep(1); sys.exit()
rounds = 2 if scenario == "time_wait_reopen" else 1
for i in range(rounds):
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((client, 43000))                # the same 4-tuple both times
    c.connect((server, 80))
    c.sendall(b"GET / HTTP/1.0\r\n\r\n"); c.settimeout(5)
    while c.recv(4096): pass
    c.close(); time.sleep(0.5)
PY
}

record() {
  local name=$1 scenario=$2 conf=$3
  shift 3
  for kv in "$@"; do sysctl -qw "net.ipv4.$kv"; done
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
  printf '# traces/tools/record.sh %s: sysctl %s\n%b' "$scenario" "$*" "$conf" \
    > "$out/linux_$name.conf"
  sysctl -qw net.ipv4.tcp_syncookies=1 net.ipv4.tcp_timestamps=1 \
    net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1
  echo "recorded $out/linux_$name.pcap ($(stat -c %s "$out/linux_$name.pcap") bytes)"
}

record syncookies_no_ts server_closes 'syncookies=2\nbacklog=8\n' \
  tcp_syncookies=2 tcp_timestamps=0
record no_window_scaling server_closes 'backlog=8\n' tcp_window_scaling=0
record time_wait_reopen time_wait_reopen 'backlog=8\n'
record rst_in_syn_recv rst_in_syn_recv 'backlog=8\n'
record backlog_overflow backlog_overflow 'syncookies=0\nbacklog=0\n' tcp_syncookies=0
record backlog_overflow_cookies backlog_overflow 'syncookies=1\nbacklog=0\n' tcp_syncookies=1
