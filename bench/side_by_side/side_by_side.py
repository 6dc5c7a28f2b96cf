#!/usr/bin/env python3
"""Side-by-side benchmark: the same client (loadgen) against a Linux epoll
server reached over a veth pair in another network namespace and against
tcpref-server over TUN, one workload after the other in one run, with the
ratio tcpref / Linux per row.

Everything runs in namespaces this script creates (it re-executes itself
under `unshare --net`); addresses are 198.18.0.0/15 only, spoofed SYN
sources 198.19.0.0/16. Every step is bounded in time. Needs root.

Build first (from the repository root), then run:
    bazel build --config=opt //bench/side_by_side:all //impl/server:tcpref-server
    bench/side_by_side/side_by_side.py [--quick] [--json FILE]
"""

import argparse
import ctypes
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time

TCPREF_ADDR = "198.18.0.1"  # tcpref-server on TUN; kernel side .0.2
TCPREF_PEER = "198.18.0.2/24"
LINUX_ADDR = "198.18.1.1"  # epoll_server behind veth; client side .1.2
LINUX_PEER = "198.18.1.2"
PORTS = {"echo": 7, "discard": 9, "source": 19}
TUN = "sbs-tun"
VETH_CLIENT, VETH_SERVER = "sbs-c", "sbs-s"


def die(message):
    sys.exit(f"side_by_side: {message}")


def find_binary(label_path, bin_dirs):
    """A built binary: under --bin-dir, bazel-bin, or the test runfiles."""
    for base in bin_dirs:
        path = os.path.join(base, label_path)
        if os.access(path, os.X_OK):
            return path
    die(f"{label_path} not found (build it: bazel build --config=opt "
        "//bench/side_by_side:all //impl/server:tcpref-server)")


def _die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PDEATHSIG


def run(*cmd):
    subprocess.run(cmd, check=True, timeout=20)


def sysctl(name, value):
    with open("/proc/sys/" + name.replace(".", "/"), "w") as f:
        f.write(value)


class Process:
    """A child that prints a line starting with READY once it serves."""

    def __init__(self, cmd, ready_timeout=10):
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     preexec_fn=_die_with_parent)
        self.cmd = cmd

    def wait_ready(self, timeout=10, word="READY"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith(word):
                return
        self.stop()
        die(f"{self.cmd[0]} did not start: {self.proc.stderr.read().strip()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def setup_client_namespace():
    names = [name for _, name in __import__("socket").if_nameindex()]
    if names != ["lo"]:
        die(f"not in a fresh network namespace (interfaces {names})")
    run("ip", "link", "set", "lo", "up")
    # Short connections from one address: ports come back after 1 s with
    # timestamps (tcp_tw_reuse) from the widest range, so TIME-WAIT on the
    # client side never runs out of ports.
    sysctl("net.ipv4.ip_local_port_range", "1024 65535")
    sysctl("net.ipv4.tcp_tw_reuse", "1")


def start_linux_server(bins):
    """epoll_server in a namespace of its own, behind a veth pair."""
    # The veth end moves into the child's namespace only once the child is
    # in it (it says NETNS), else it would stay in ours.
    script = (
        "echo NETNS; for i in $(seq 200); do ip link show {s} >/dev/null 2>&1 && break; "
        "sleep 0.05; done; "
        "ip link set lo up && ip addr add {addr}/24 dev {s} && "
        "ip link set {s} up && ip route add default via {peer} && "
        "echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter && "
        "echo 0 > /proc/sys/net/ipv4/conf/{s}/rp_filter && "
        "exec {bin} --addr {addr} --echo {echo} --discard {discard} "
        "--source {source}").format(
            s=VETH_SERVER, addr=LINUX_ADDR, peer=LINUX_PEER,
            bin=bins["epoll_server"], **PORTS)
    server = Process(["unshare", "--net", "--", "sh", "-c", script])
    server.wait_ready(word="NETNS")
    run("ip", "link", "add", VETH_CLIENT, "type", "veth", "peer", "name",
        VETH_SERVER)
    run("ip", "link", "set", VETH_SERVER, "netns", str(server.proc.pid))
    run("ip", "addr", "add", LINUX_PEER + "/24", "dev", VETH_CLIENT)
    run("ip", "link", "set", VETH_CLIENT, "up")
    server.wait_ready()
    return server


def start_tcpref(bins, mode, threads, extra):
    server = Process([bins["tcpref-server"], "--tun", TUN, "--addr",
                      TCPREF_ADDR, "--port", str(PORTS[mode]), "--mode", mode,
                      "--configure-peer", TCPREF_PEER, "--threads",
                      str(threads), "--max-connections", "16384", *extra])
    server.wait_ready()
    return server


def loadgen(bins, *args, timeout):
    out = subprocess.run([bins["loadgen"], *args], capture_output=True,
                         text=True, timeout=timeout)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return {k: float(v) for k, v in
                    (kv.split("=") for kv in line.split()[1:])}
    die(f"loadgen {' '.join(args)} failed: {out.stderr.strip()}")


def settle(seconds):
    """Lets request socks, TIME-WAIT ports and queues of the last step
    drain so one step does not load the next."""
    time.sleep(seconds)


def merge(results):
    """Rounds of one side summed: counts and seconds add, rates follow."""
    total = {k: sum(r[k] for r in results) for k in results[0]}
    if "conn_per_s" in total:
        total["conn_per_s"] = total["ok"] / total["seconds"]
        total["flood_per_s"] = total["flood_written"] / total["seconds"]
    else:
        total["mb_per_s"] = total["bytes"] / 1e6 / total["seconds"]
        total["ok"] = all(r["ok"] for r in results)
    return total


def side_by_side(plan, step):
    """`step(side, addr)` for Linux and tcpref in alternation, `rounds`
    times, so both sides see the same background load."""
    results = {"linux": [], "tcpref": []}
    for _ in range(plan["rounds"]):
        for side, addr in (("linux", LINUX_ADDR), ("tcpref", TCPREF_ADDR)):
            results[side].append(step(addr))
            settle(plan["settle"])
    return {side: merge(r) for side, r in results.items()}


def measure(plan, bins, threads):
    rows = []
    linux = start_linux_server(bins)
    try:
        tcpref = start_tcpref(bins, "echo", threads, plan["tcpref_args"])
        for name, kind, arg in plan["echo"]:
            if plan["only"] not in name:
                continue
            client_threads = arg if kind == "conn" else 4
            flood = [] if kind == "conn" or arg is None else ["--flood", str(arg)]
            pair = side_by_side(plan, lambda addr: loadgen(
                bins, "connections", "--server", f"{addr}:{PORTS['echo']}",
                "--threads", str(client_threads), "--seconds",
                str(plan["seconds"]), *flood, timeout=plan["seconds"] + 30))
            rows.append({"name": name, "kind": kind, **pair})
            print(render_row(rows[-1]), flush=True)
        tcpref.stop()
        for mode, cmd in (("discard", "upload"), ("source", "download")):
            if plan["only"] not in cmd:
                continue
            tcpref = start_tcpref(bins, mode, threads, plan["tcpref_args"])
            pair = side_by_side(plan, lambda addr: loadgen(
                bins, cmd, "--server", f"{addr}:{PORTS[mode]}", "--bytes",
                str(plan["bulk_bytes"]), "--timeout", "10", timeout=120))
            tcpref.stop()
            rows.append({"name": f"{plan['rounds']} × {plan['bulk_bytes'] // 10**6}"
                                 f" MB {cmd}, MB/s", "kind": "bulk", **pair})
            print(render_row(rows[-1]), flush=True)
    finally:
        linux.stop()
    return rows


def value(row, side):
    r = row[side]
    return r["mb_per_s"] if row["kind"] == "bulk" else r["conn_per_s"]


def cell(row, side, clean):
    r = row[side]
    if row["kind"] == "bulk":
        return f"{r['mb_per_s']:,.0f}"
    rate = r["conn_per_s"]
    text = f"{rate / 1000:.1f} k" if rate >= 1000 else f"{rate:.0f}"
    if row["kind"] == "flood":
        tries = r["ok"] + r["failed"]
        success = f"{100 * r['ok'] / tries:.1f} %" if tries else "-"
        share = 100 * rate / clean[side] if clean.get(side) else 0
        text += (f" ({share:.0f} % of clean, {success} ok; flood "
                 f"{r['flood_per_s'] / 1000:.0f} k/s)")
    return text


def ratio(row):
    lin = value(row, "linux")
    return f"{value(row, 'tcpref') / lin:.2f}" if lin else "-"


def render_row(row, clean=None):
    return (f"| {row['name']} | {cell(row, 'linux', clean or {})} | "
            f"{cell(row, 'tcpref', clean or {})} | {ratio(row)} |")


def render_table(rows):
    clean = {}
    for row in rows:
        if row["name"].startswith("legit conn/s, no flood"):
            clean = {s: row[s]["conn_per_s"] for s in ("linux", "tcpref")}
    lines = ["| workload | Linux (veth) | tcpref (TUN) | ratio |",
             "|---|---|---|---|"]
    lines += [render_row(row, clean) for row in rows]
    return "\n".join(lines)


def render_document(results):
    """The generated section of docs/PERFORMANCE.md for one --json file."""
    label = f"{results['label']}; " if results.get("label") else ""
    return (f"{label}{results['machine']}; tcpref-server --threads "
            f"{results['threads']}.\n\n{render_table(results['rows'])}")


def make_plan(quick, only):
    seconds = 0.3 if quick else 1
    floods = [("legit conn/s, no flood (4 threads)", None),
              ("legit conn/s, 20 k SYN/s spoofed flood", 20000),
              ("legit conn/s, 40 k SYN/s spoofed flood", 40000),
              ("legit conn/s, fastest flood one core writes", "max")]
    if quick:
        floods = [floods[0], floods[1], floods[3]]
    return {
        "seconds": seconds,
        "only": only,
        "tcpref_args": [],
        "rounds": 1 if quick else 3,
        "settle": 0.2 if quick else 0.5,
        "bulk_bytes": 2 * 10**6 if quick else 200 * 10**6,
        "echo": [(f"connections/s, {t} client thread{'s' * (t > 1)}", "conn",
                  t) for t in ((1, 4) if quick else (1, 4, 16))] +
                [(name, "flood", arg) for name, arg in floods],
    }


def machine():
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    return (f"{os.cpu_count()} cores, Linux {platform.release()}, load "
            f"average {load} at the start")


SECTION = re.compile(r"(<!-- BEGIN GENERATED side_by_side:([\w.-]+) -->\n)"
                     r"(.*?)(<!-- END GENERATED side_by_side:\2 -->)", re.S)


def sync_doc(doc_path, results_dir, write):
    """Each `side_by_side:NAME` section of the doc is the rendering of
    RESULTS_DIR/NAME.json. Returns the names of stale sections (and
    rewrites them when `write`)."""
    with open(doc_path) as f:
        text = f.read()
    stale = []

    def render(match):
        with open(os.path.join(results_dir, match.group(2) + ".json")) as f:
            body = render_document(json.load(f)) + "\n"
        if body != match.group(3):
            stale.append(match.group(2))
        return match.group(1) + body + match.group(4)

    new_text = SECTION.sub(render, text)
    if not SECTION.search(text):
        die(f"{doc_path} has no side_by_side section")
    if write and stale:
        with open(doc_path, "w") as f:
            f.write(new_text)
    return stale


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="tiny counts: a smoke run of a few seconds")
    parser.add_argument("--threads", type=int, default=1,
                        help="tcpref-server --threads (multi-queue TUN)")
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="only the workloads whose name holds TEXT "
                             "(e.g. upload, flood, client thread)")
    parser.add_argument("--tcpref-arg", action="append", default=[],
                        help="one more argument for tcpref-server "
                             "(repeat; e.g. --tcpref-arg=--no-offload)")
    parser.add_argument("--bin-dir", action="append", default=[],
                        help="where the built binaries are (default: "
                             "bazel-bin, or the test's runfiles)")
    parser.add_argument("--render", metavar="JSON",
                        help="print the table of a --json file and exit")
    parser.add_argument("--check-doc", nargs=2, metavar=("DOC", "RESULTS"),
                        help="fail when a generated table in DOC differs "
                             "from its RESULTS/NAME.json; exit")
    parser.add_argument("--update-doc", nargs=2, metavar=("DOC", "RESULTS"),
                        help="rewrite DOC's generated tables; exit")
    parser.add_argument("--label", default="",
                        help="what was measured (e.g. a commit), kept in --json")
    parser.add_argument("--in-namespace", action="store_true",
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check_doc or args.update_doc:
        stale = sync_doc(*(args.check_doc or args.update_doc),
                         write=bool(args.update_doc))
        if stale and args.check_doc:
            die(f"stale tables in {args.check_doc[0]}: {', '.join(stale)} "
                f"(run --update-doc {' '.join(args.check_doc)})")
        return
    if args.render:
        with open(args.render) as f:
            print(render_document(json.load(f)))
        return
    if os.geteuid() != 0:
        die("needs root (network namespaces, TUN, raw sockets)")
    if not args.in_namespace:
        cmd = ["timeout", "--kill-after=10", "900", "unshare", "--net", "--",
               sys.executable, "-u", os.path.abspath(__file__),
               "--in-namespace", *sys.argv[1:]]
        sys.exit(subprocess.call(cmd))
    if not 1 <= args.threads <= 16:
        die("--threads wants 1..16")
    bin_dirs = args.bin_dir + ["bazel-bin", os.path.join(
        os.environ.get("TEST_SRCDIR", ""), "tcpref")]
    bins = {name: os.path.abspath(find_binary(path, bin_dirs)) for name, path in (
        ("loadgen", "bench/side_by_side/loadgen"),
        ("epoll_server", "bench/side_by_side/epoll_server"),
        ("tcpref-server", "impl/server/tcpref-server"))}
    setup_client_namespace()
    started = time.monotonic()
    machine_line = machine()
    print(f"# {machine_line}", flush=True)
    plan = make_plan(args.quick, args.only)
    plan["tcpref_args"] = args.tcpref_arg
    rows = measure(plan, bins, args.threads)
    print(f"\n{render_table(rows)}\n\n# {time.monotonic() - started:.0f} s",
          flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine_line, "threads": args.threads,
                       "label": args.label, "quick": args.quick,
                       "rows": rows}, f, indent=1)
    for row in rows:  # a smoke run must at least have worked
        if row["kind"] == "bulk" and not all(row[s]["ok"] for s in
                                             ("linux", "tcpref")):
            die(f"{row['name']}: a transfer did not complete")
        if row["kind"] == "conn" and not all(row[s]["ok"] > 0 for s in
                                             ("linux", "tcpref")):
            die(f"{row['name']}: no connection completed")


if __name__ == "__main__":
    main()
