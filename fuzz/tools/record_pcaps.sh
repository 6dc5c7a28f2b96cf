#!/usr/bin/env bash
# Records the Linux kernel's own TCP handshakes (kernel client → kernel
# server) into fuzz/pcaps/*.pcap, the real traffic the seed corpora are made
# from (fuzz/tools/make_seeds.py converts them). The kernel's client talking
# to tcpref itself comes from tools/demo.sh instead:
#   tools/demo.sh --burst 3 && cp out/demo/tcpref.pcap fuzz/pcaps/tcpref_server_http.pcap
#
# Runs in a private network namespace it creates itself (unshare -n) on lo,
# with 198.18.0.1 (server) and 198.18.0.2 (client) from the RFC 2544 range;
# nothing leaves the namespace. Needs root (CAP_NET_ADMIN) and tcpdump.
# Every scenario is bounded by `timeout`.
#
# Usage: fuzz/tools/record_pcaps.sh [OUT_DIR]   (default: fuzz/pcaps)
set -euo pipefail

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

# One kernel server + one kernel client exchange. SCENARIO picks what each
# side does; the client binds to $CLIENT so the tuple is 198.18.0.2 → .1:80.
peer() {
  timeout 10 python3 - "$@" <<'PY'
import socket, struct, sys, time
role, scenario, server, client = sys.argv[1:5]
if role == "server":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((server, 80))
    s.listen(8)
    print("listening", flush=True)
    c, _ = s.accept()
    c.settimeout(5)
    data = c.recv(4096)
    if scenario == "server_closes":
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        c.close()
    else:
        while True:  # echo until the client closes or resets
            try:
                if data:
                    c.sendall(data)
                data = c.recv(4096)
            except OSError:
                break
            if not data:
                break
        c.close()
    time.sleep(0.2)
else:
    c = socket.socket()
    c.bind((client, 0))
    c.connect((server, 80))
    c.sendall(b"GET / HTTP/1.0\r\nHost: 198.18.0.1\r\n\r\n")
    c.settimeout(5)
    if scenario == "client_resets":
        c.recv(4096)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    elif scenario == "server_closes":
        while c.recv(4096):
            pass
        c.close()
    else:  # client closes first
        c.recv(4096)
        c.shutdown(socket.SHUT_WR)
        while c.recv(4096):
            pass
        c.close()
PY
}

record() {
  local name=$1 scenario=$2
  shift 2
  for kv in "$@"; do sysctl -qw "net.ipv4.$kv"; done
  tcpdump -i lo --immediate-mode -U -s 256 -w "$out/$name.pcap" 'tcp' 2>/dev/null &
  local dump=$!
  sleep 1
  coproc SERVER_PEER { peer server "$scenario" "$SERVER" "$CLIENT"; }
  read -r -t 5 _ <&"${SERVER_PEER[0]}"
  peer client "$scenario" "$SERVER" "$CLIENT"
  wait "$SERVER_PEER_PID" || true
  sleep 0.3
  kill "$dump"
  wait "$dump" || true
  sysctl -qw net.ipv4.tcp_syncookies=1 net.ipv4.tcp_timestamps=1 \
    net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_ecn=2
  echo "recorded $out/$name.pcap ($(stat -c %s "$out/$name.pcap") bytes)"
}

record client_closes client_closes
record server_closes server_closes
record client_resets client_resets
record syncookies client_closes tcp_syncookies=2
record no_options client_closes tcp_timestamps=0 tcp_sack=0 tcp_window_scaling=0
record ecn client_closes tcp_ecn=1
