#!/usr/bin/env bash
# The README's run command: tcpref's reference server on a TUN device in a
# private network namespace, talked to by the kernel's own clients.
#
# Installs missing packages, builds tcpref-server, creates network namespace
# tcpref-demo-<pid> with TUN device tcpref0 (server 198.18.0.1, kernel side
# 198.18.0.2/24), starts the server in http mode, fetches / and /metrics with
# curl, runs a burst of concurrent connections, prints what happened, and
# removes the namespace and the server. Keeps the pcap, the server log and
# tcpref-explain's report of the pcap (report.html) in out/demo/. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
Usage: tools/demo.sh [--burst N] [--impair SPEC] [--no-setup] [--help]

Runs tcpref-server (http mode) on a TUN device inside a private network
namespace it creates, then has the kernel's own TCP clients use it: curl
fetches / and /metrics, N concurrent connections (default 200) follow, and a
summary prints the handshakes completed, the server's counters and where the
pcap is. Ends by itself; removes the namespace and stops the server on exit
or Ctrl-C. Output: out/demo/{tcpref.pcap,server.log,report.html}: the
report is the pcap as a ladder diagram checked against the model
(tcpref-explain, docs/EXPLAIN.md). Needs root.

  --burst N       concurrent connections in the burst (1-1000, default 200)
  --impair SPEC   impairment for the server's TUN loop, e.g.
                  loss=3%,reorder=5%,duplicate=1%,seed=1 (default none)
  --no-setup      do not run tools/setup.sh (packages already installed)
  --help          show this text
USAGE
}

burst=200
impair=""
setup=1
while [ $# -gt 0 ]; do
  case "$1" in
    --burst) burst="${2:?--burst needs a number}"; shift 2 ;;
    --impair) impair="${2:?--impair needs a spec}"; shift 2 ;;
    --no-setup) setup=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$burst" =~ ^[0-9]+$ ]] || [ "$burst" -lt 1 ] || [ "$burst" -gt 1000 ]; then
  echo "demo.sh: --burst must be 1-1000" >&2; exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "demo.sh: needs root (network namespace and TUN device)" >&2; exit 1
fi

say() { printf '\n== %s\n' "$*"; }

if [ "$setup" -eq 1 ]; then
  say "installing missing packages (tools/setup.sh)"
  tools/setup.sh
fi

say "building tcpref-server and tcpref-explain (bazel build --config=opt)"
bazel build --config=opt //impl/server:tcpref-server //traces/explain:tcpref-explain
bin_dir="$(bazel info --config=opt bazel-bin 2>/dev/null)"
server_bin="$bin_dir/impl/server/tcpref-server"
explain_bin="$bin_dir/traces/explain/tcpref-explain"
[ -x "$server_bin" ] || { echo "demo.sh: $server_bin not built" >&2; exit 1; }

out="out/demo"
mkdir -p "$out"
pcap="$out/tcpref.pcap"
log="$out/server.log"
report="$out/report.html"
rm -f "$pcap" "$log" "$report"

ns="tcpref-demo-$$"
server_pid=""
cleanup() {
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null
  fi
  ip netns delete "$ns" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$ns" "$@"; }

say "creating network namespace $ns (198.18.0.0/24 inside it only)"
ip netns add "$ns"
in_ns ip link set lo up

say "starting tcpref-server"
args=(--tun tcpref0 --addr 198.18.0.1 --port 80 --mode http
      --metrics-port 9100 --configure-peer 198.18.0.2/24 --pcap "$pcap")
[ -n "$impair" ] && args+=(--impair "$impair")
echo "ip netns exec $ns $server_bin ${args[*]}"
# ip netns exec execs the server itself, so $! is the server's pid.
ip netns exec "$ns" "$server_bin" "${args[@]}" >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^READY' "$log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
grep '^READY' "$log" || { echo "demo.sh: server never became ready" >&2; cat "$log" >&2; exit 1; }

failed=0
say "curl http://198.18.0.1/"
in_ns curl -sS --max-time 10 http://198.18.0.1/ || failed=1

say "curl http://198.18.0.1:9100/metrics (samples, first lines)"
if metrics="$(in_ns curl -sS --max-time 10 http://198.18.0.1:9100/metrics)"; then
  grep -v '^#' <<<"$metrics" | head -n 12
else
  failed=1
fi

say "burst: $burst concurrent connections (curl, 10 s limit each)"
codes="$(in_ns bash -c '
  for i in $(seq '"$burst"'); do
    curl -s -o /dev/null --max-time 10 -w "%{http_code}\n" http://198.18.0.1/ &
  done
  wait' || true)"
ok=$(grep -c '^200$' <<<"$codes" || true)
echo "$ok of $burst requests answered 200 OK"

say "stopping the server (SIGTERM)"
kill -TERM "$server_pid"
for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
wait "$server_pid" && status=0 || status=$?
server_pid=""
echo "server exited with status $status"

counter() { awk -v n="$1" '$1 == n { v = $2 } END { print v + 0 }' "$log"; }
say "what happened"
echo "handshakes completed (TcpPassiveOpens): $(counter TcpPassiveOpens)"
echo "connections served (TcprefAppAccepted): $(counter TcprefAppAccepted)"
echo "segments in/out: $(counter TcpInSegs)/$(counter TcpOutSegs)," \
     "resets sent: $(counter TcpOutRsts), retransmitted: $(counter TcpRetransSegs)"
echo "listen overflows: $(counter TcpExtListenOverflows)," \
     "SYN cookies sent: $(counter TcpExtSyncookiesSent)"
echo
echo "final counters (nstat form, zeros omitted):"
sed -n '/^# counters (exit)/,/^$/p' "$log"
if command -v tshark >/dev/null; then
  packets=$(tshark -r "$pcap" 2>/dev/null | wc -l)
  malformed=$(tshark -r "$pcap" -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null | wc -l)
  echo "pcap: $pcap ($packets packets, $malformed malformed or in error per tshark)"
else
  echo "pcap: $pcap"
fi
echo "server log: $log"
# The capture against the model: the demo server runs with tcpref-server's
# defaults (docs/TRACES.md, server=tcpref).
if "$explain_bin" --set server=tcpref -o "$report" "$pcap"; then
  echo "report: $report (open it in a browser; --text for a terminal:" \
       "$explain_bin --text --set server=tcpref $pcap)"
else
  echo "demo: tcpref-explain could not read $pcap" >&2
  failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$ok" -ne "$burst" ]; then
  echo "demo: FAILED (see above and $log)"
  exit 1
fi
echo "demo: OK"
