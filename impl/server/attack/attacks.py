"""Attack cases against tcpref-server over TUN, each in the private network
namespace its test wrapper created (see BUILD). Each case states the attack,
the defence, and what the legitimate side must see.

Usage: attacks.py CASE        (see CASES at the bottom)"""

import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))

from harness import (SERVER_ADDR, Server, check, expect_counter,  # noqa: E402
                     run, server_binary)

HTTP_PORT = 80
ECHO_PORT = 7


def curl_timed(path="/", limit=5):
    """GET path; returns the seconds it took (fails beyond `limit`)."""
    started = time.monotonic()
    r = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                        "--max-time", str(limit),
                        f"http://{SERVER_ADDR}{path}"],
                       capture_output=True, text=True, timeout=limit + 5)
    took = time.monotonic() - started
    check(r.returncode == 0 and r.stdout == "200",
          f"curl {path}: exit {r.returncode}, code {r.stdout!r}, "
          f"{r.stderr.strip()} after {took:.2f}s")
    return took


def open_idle(count, port, timeout=10):
    """`count` connections that send nothing; bounded by `timeout`."""
    deadline = time.monotonic() + timeout
    conns = []
    for _ in range(count):
        check(time.monotonic() < deadline, "opening idle connections hung")
        s = socket.create_connection((SERVER_ADDR, port), timeout=5)
        conns.append(s)
    return conns


def wait_counter(server, name, at_least, timeout):
    deadline = time.monotonic() + timeout
    c = {}
    while time.monotonic() < deadline:
        c = server.counters()
        if c.get(name, 0) >= at_least:
            return c
        time.sleep(0.1)
    raise AssertionError(f"{name} stayed {c.get(name, 0)}, expected at least "
                         f"{at_least} within {timeout}s")


def count_reset(conns, timeout):
    """How many of `conns` the server reset (read sees ECONNRESET or EOF)."""
    reset = 0
    for s in conns:
        s.settimeout(timeout)
        try:
            if s.recv(1) == b"":
                reset += 1
        except (ConnectionResetError, BrokenPipeError):
            reset += 1
        except socket.timeout:
            pass
        finally:
            s.close()
    return reset


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


# --- cases ---

def idle_exhaustion():
    """One client holds three times --max-connections idle connections (the
    attack that stopped the server in issue 13). Defence: a newcomer sheds
    the connection idle the longest. A new client is served within 5 s."""
    limit = 64
    with Server("http", HTTP_PORT, "--max-connections", str(limit),
                "--header-timeout", "60s") as server:
        idle = open_idle(3 * limit, HTTP_PORT)
        c = wait_counter(server, "TcprefAppShed", 2 * limit, 10)
        expect_counter(c, "TcprefAppShed", 2 * limit)
        expect_counter(c, "TcprefAppOpen", limit)
        took = [curl_timed("/") for _ in range(20)]
        print(f"FIGURE idle_exhaustion: {3 * limit} idle connections held "
              f"against --max-connections {limit}; 20 new GETs served, "
              f"slowest {max(took):.3f}s, median "
              f"{sorted(took)[len(took) // 2]:.3f}s", flush=True)
        check(max(took) < 5, f"a new client waited {max(took):.2f}s")
        # The first GET shed one more idle connection; the others found
        # the slot the previous GET freed.
        c = server.counters()
        expect_counter(c, "TcprefAppShed", 2 * limit + 1)
        expect_counter(c, "TcpExtListenOverflows", 0)
        for s in idle:
            s.close()
        server.stop()


def header_timeout():
    """Slowloris: connections that never finish their request head.
    Defence: --header-timeout resets each one; nothing is left open."""
    with Server("http", HTTP_PORT, "--header-timeout", "1s") as server:
        idle = open_idle(40, HTTP_PORT)
        idle[0].sendall(b"GET / HTTP/1.1\r\nHost: a\r\n")  # never ends
        c = wait_counter(server, "TcprefAppHeaderTimeouts", 40, 5)
        expect_counter(c, "TcprefAppOpen", 0)
        reset = count_reset(idle, 2)
        check(reset == 40, f"only {reset} of 40 saw the reset")
        curl_timed("/")
        server.stop()


def idle_timeout():
    """Idle connections in echo mode. Defence: --idle-timeout resets a
    connection that moves no byte; one that keeps talking survives."""
    with Server("echo", ECHO_PORT, "--idle-timeout", "1s") as server:
        idle = open_idle(20, ECHO_PORT)
        talker = socket.create_connection((SERVER_ADDR, ECHO_PORT), timeout=5)
        for i in range(12):  # 3 s of a byte every 250 ms
            talker.sendall(b"%d" % (i % 10))
            check(talker.recv(1) == b"%d" % (i % 10), "echo lost a byte")
            time.sleep(0.25)
        c = wait_counter(server, "TcprefAppIdleTimeouts", 20, 5)
        expect_counter(c, "TcprefAppOpen", 1)  # the talker
        reset = count_reset(idle, 2)
        check(reset == 20, f"only {reset} of 20 saw the reset")
        talker.close()
        server.stop()


def memory_follows_use():
    """A huge --max-connections costs nothing until used, live connections
    do cost memory, and a table the machine could never hold is refused."""
    r = subprocess.run([server_binary(), "--tun", "tcpref0", "--addr",
                        SERVER_ADDR, "--port", "80",
                        "--max-connections", "1048576"],
                       capture_output=True, text=True, timeout=10)
    check(r.returncode == 2, f"exit {r.returncode} for 2^20 connections")
    lines = r.stderr.strip().splitlines()
    check(len(lines) == 1 and "--max-connections 1048576" in lines[0]
          and "this machine's" in lines[0],
          f"not one clear line: {r.stderr!r}")
    rss = {}
    for table in (100, 8000):
        # --no-offload: the wait below counts MSS-sized segments, which TSO
        # would deliver as fewer, larger ones.
        with Server("echo", ECHO_PORT, "--max-connections", str(table),
                    "--no-offload") as s:
            time.sleep(0.3)
            rss[table] = rss_kib(s.proc.pid)
            if table == 8000:
                # 200 live connections, each with 64 KiB echoed back that
                # the client does not read: the stack holds it.
                conns = open_idle(200, ECHO_PORT)
                for c in conns:
                    c.sendall(b"x" * 65536)
                wait_counter(s, "TcpInSegs", 200 * 45, 10)
                time.sleep(0.5)
                rss["live"] = rss_kib(s.proc.pid)
                for c in conns:
                    c.close()
            s.stop()
    print(f"FIGURE memory: RSS {rss[100]} KiB at --max-connections 100, "
          f"{rss[8000]} KiB at 8000, {rss['live']} KiB with 200 live "
          "connections holding 64 KiB each", flush=True)
    # 7,900 more slots (worst case some 13 GB more) cost under 8 MiB.
    check(rss[8000] - rss[100] < 8 * 1024,
          f"RSS grew {rss[8000] - rss[100]} KiB with the table size")
    # 200 × 64 KiB held: at least 12.5 MiB more.
    check(rss["live"] - rss[8000] > 200 * 64,
          f"RSS grew only {rss['live'] - rss[8000]} KiB with live data")


# --- raw packets into the server's TUN queue -------------------------------

ETH_P_IP = 0x0800
SPOOF = "198.19.{}.{}"  # spoofed sources: 198.19.0.0/16 only
KERNEL_SIDE = "198.18.0.2"


def _sum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _csum(data):
    return (~_sum16(data)) & 0xFFFF


def ipv4(src, dst, payload, proto=6, flags_frag=0x4000, ihl=5, version=4,
         total=None, fix=True):
    """An IPv4 header (+ payload) with a correct checksum unless fix=False."""
    total = 4 * ihl + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, total, 1,
                      flags_frag, 64, proto, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr += b"\0" * max(0, 4 * ihl - 20)
    if fix:
        c = _csum(hdr)
        hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
    return hdr + payload


def tcp(src, dst, sport, dport, flags, seq=1000, ack=0, options=b"",
        doff=None, payload=b"", fix=True):
    doff = (20 + len(options)) // 4 if doff is None else doff
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags,
                      65535, 0, 0) + options + payload
    if fix:
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
            "!BBH", 0, 6, len(seg))
        c = _csum(pseudo + seg)
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    return seg


FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20
MSS = b"\x02\x04\x05\xb4"


class Injector:
    """Writes raw IPv4 packets into tcpref0: the TUN driver hands them to
    the server as if the kernel had routed them, unchanged (no checksum or
    length repair, unlike a raw IP socket)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                                  socket.htons(ETH_P_IP))
        self.sock.bind(("tcpref0", ETH_P_IP))

    def send(self, packet):
        self.sock.sendto(packet, ("tcpref0", ETH_P_IP))

    def close(self):
        self.sock.close()


def syn_from(src, port=HTTP_PORT, sport=40000, **kw):
    return ipv4(src, SERVER_ADDR, tcp(src, SERVER_ADDR, sport, port, SYN,
                                      options=MSS, **kw))


def malformed_classes():
    """(name, packet, counter that must move by one). Sources are spoofed
    (198.19.0.0/16) unless the class is about the source."""
    s, d, p = "198.19.1.1", SERVER_ADDR, HTTP_PORT
    good_tcp = tcp(s, d, 40001, p, SYN, options=MSS)
    syn = ipv4(s, d, good_tcp)
    bad_ipsum = bytearray(syn)
    bad_ipsum[10] ^= 1
    bad_tcpsum = bytearray(syn)
    bad_tcpsum[37] ^= 1
    return [
        ("IP truncated", syn[:12], "IpInTruncatedPkts"),
        ("IP version 5", ipv4(s, d, good_tcp, version=5), "IpInHdrErrors"),
        ("IHL 4", ipv4(s, d, good_tcp, ihl=4), "IpInHdrErrors"),
        ("IHL past the end", ipv4(s, d, b"", ihl=15)[:40], "IpInHdrErrors"),
        ("total length past the end",
         ipv4(s, d, good_tcp, total=len(syn) + 8), "IpInHdrErrors"),
        ("total length below IHL", ipv4(s, d, good_tcp, total=12),
         "IpInHdrErrors"),
        ("IP checksum", bytes(bad_ipsum), "IpInCsumErrors"),
        ("fragment, MF", ipv4(s, d, good_tcp, flags_frag=0x2000),
         "IpReasmFails"),
        ("fragment, offset", ipv4(s, d, good_tcp, flags_frag=0x0010),
         "IpReasmFails"),
        ("UDP", ipv4(s, d, good_tcp, proto=17), "IpInUnknownProtos"),
        ("TCP truncated", ipv4(s, d, good_tcp[:12]), "TcpExtTCPHeaderDrop"),
        ("doff 4", ipv4(s, d, tcp(s, d, 40001, p, SYN, doff=4)),
         "TcpExtTCPHeaderDrop"),
        ("doff past the end", ipv4(s, d, tcp(s, d, 40001, p, SYN, doff=15)),
         "TcpExtTCPHeaderDrop"),
        ("TCP checksum", bytes(bad_tcpsum), "TcpCsumErrors"),
        ("option length 0",
         ipv4(s, d, tcp(s, d, 40001, p, SYN, options=b"\x02\x00\x00\x00")),
         "TcpExtTCPBadOptionsDrop"),
        ("option past the end",
         ipv4(s, d, tcp(s, d, 40001, p, SYN, options=b"\x01\x01\x08\x0a")),
         "TcpExtTCPBadOptionsDrop"),
        ("MSS length 3",
         ipv4(s, d, tcp(s, d, 40001, p, SYN, options=b"\x02\x03\x05\x00")),
         "TcpExtTCPBadOptionsDrop"),
        ("source 0/8", syn_from("0.1.2.3"), "TcprefMartianSrcDrop"),
        ("source 127/8", syn_from("127.0.0.1"), "TcprefMartianSrcDrop"),
        ("source multicast", syn_from("224.0.0.1"), "TcprefMartianSrcDrop"),
        ("source class E", syn_from("240.0.0.1"), "TcprefMartianSrcDrop"),
        ("source broadcast", syn_from("255.255.255.255"),
         "TcprefMartianSrcDrop"),
        ("LAND", ipv4(d, d, tcp(d, d, p, p, SYN, options=MSS)),
         "TcprefLandDrop"),
        ("not our address",
         ipv4(s, "198.18.0.9", tcp(s, "198.18.0.9", 40001, p, SYN)),
         "IpInAddrErrors"),
        ("port 0", ipv4(s, d, tcp(s, d, 0, p, SYN)), "TcprefZeroPortDrop"),
        ("SYN+FIN", ipv4(s, d, tcp(s, d, 40001, p, SYN | FIN)),
         "TcpExtTCPListenSynFinDrop"),
        ("SYN+RST", ipv4(s, d, tcp(s, d, 40001, p, SYN | RST)),
         "TcpExtTCPListenRstDrop"),
        ("no flags", ipv4(s, d, tcp(s, d, 40001, p, 0)),
         "TcpExtTCPListenNoFlagDrop"),
        ("FIN+PSH+URG (xmas)", ipv4(s, d, tcp(s, d, 40001, p, FIN | PSH | URG)),
         "TcpExtTCPListenNoFlagDrop"),
        ("ACK without a cookie", ipv4(s, d, tcp(s, d, 40001, p, ACK, ack=7)),
         "TcpExtTCPListenAckRst"),
    ]


def malformed_catalog():
    """Thirty classes of malformed or martian packets written straight into
    the TUN queue. Defence: each is dropped with its own counter, before
    any state is created. Service continues."""
    with Server("http", HTTP_PORT) as server:
        inject = Injector()
        classes = malformed_classes()
        check(len(classes) >= 25, "the catalog lost classes")
        for name, packet, counter in classes:
            before = server.counters()
            inject.send(packet)
            deadline = time.monotonic() + 5
            while True:
                after = server.counters()
                if after.get("TcprefTunPacketsIn", 0) > \
                        before.get("TcprefTunPacketsIn", 0) or \
                        time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            moved = {k: after.get(k, 0) - before.get(k, 0)
                     for k in set(after) | set(before)
                     if after.get(k, 0) != before.get(k, 0)}
            check(moved.get(counter) == 1,
                  f"{name}: {counter} moved {moved.get(counter, 0)}; "
                  f"moved: {moved}")
            for state in ("TcpPassiveOpens", "TcprefListenSynQueue",
                          "TcpExtSyncookiesSent", "TcprefAppAccepted"):
                check(state not in moved, f"{name} created state: {moved}")
            print(f"dropped: {name:28} {counter}", flush=True)
        inject.close()
        curl_timed("/")
        c = server.stop()
    expect_counter(c, "TcpPassiveOpens", 1)  # the curl


def loadgen_binary():
    for path in ("bench/side_by_side/loadgen",
                 os.path.join(os.environ.get("TEST_SRCDIR", ""),
                              "tcpref/bench/side_by_side/loadgen")):
        if os.access(path, os.X_OK):
            return path
    sys.exit("loadgen binary not found")


def flood_at(rate, seconds):
    """loadgen: 2 threads of connect/echo/close while a third writes spoofed
    SYNs from 198.19.0.0/16 at `rate` per second (bounded by `seconds`)."""
    r = subprocess.run([loadgen_binary(), "connections", "--server",
                        f"{SERVER_ADDR}:{ECHO_PORT}", "--threads", "2",
                        "--seconds", str(seconds), "--flood", str(rate)],
                       capture_output=True, text=True, timeout=seconds + 30)
    for line in r.stdout.splitlines():
        if line.startswith("RESULT "):
            return {k: float(v) for k, v in
                    (kv.split("=") for kv in line.split()[1:])}
    raise AssertionError(f"loadgen failed: {r.stderr.strip()}")


def syn_flood():
    """Spoofed SYN flood at fixed offered rates. Defence: SYN cookies once
    the SYN queue is full (RFC 4987 §3.6). Legitimate clients: >= 99 %
    of their connections succeed at every rate."""
    with Server("echo", ECHO_PORT) as server:
        for rate in (1000, 5000, 20000):
            before = server.counters()
            r = flood_at(rate, 2)
            after = server.counters()
            total = r["ok"] + r["failed"]
            success = r["ok"] / total if total else 0
            cookies = after.get("TcpExtSyncookiesSent", 0) - \
                before.get("TcpExtSyncookiesSent", 0)
            print(f"FIGURE syn_flood: offered {rate} spoofed SYN/s "
                  f"(written {r['flood_written'] / r['seconds']:.0f}/s) for "
                  f"{r['seconds']:.1f}s: legitimate {int(r['ok'])} ok, "
                  f"{int(r['failed'])} failed ({100 * success:.2f} %), "
                  f"{r['conn_per_s']:.0f} conn/s; {cookies} SYN cookies sent",
                  flush=True)
            check(total > 0 and success >= 0.99,
                  f"at {rate} SYN/s only {100 * success:.2f} % succeeded")
            check(r["flood_written"] >= 0.5 * rate * r["seconds"],
                  f"the flood wrote {r['flood_written']} at {rate}/s")
            if rate >= 5000:
                check(cookies > 0, "the SYN queue never overflowed")
        server.stop()


def zero_window_hold(clients=100, orphan_retries=3):
    """Clients with a tiny receive buffer send a request whose answer they
    never read, and keep the connection open: their window stays zero and
    their kernel answers every probe. The server's app (close mode: echo
    the 1400-byte request, then close) has closed, so each socket is an orphan with data
    behind a zero window. Defence: its window probes count against
    --orphan-retries (Linux tcp_orphan_retries), then RST. All are reclaimed
    within the bound; service continues."""
    with Server("close", ECHO_PORT, "--orphan-retries",
                str(orphan_retries)) as server:
        conns = []
        started = time.monotonic()
        for _ in range(clients):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)  # the minimum
            s.settimeout(5)
            s.connect((SERVER_ADDR, ECHO_PORT))
            # One segment (the app reads once), larger than the window.
            s.sendall(b"q" * 1400)
            conns.append(s)
        # RTO 200 ms doubling: probes at 0.2, 0.4, 0.8, 1.6 s after the
        # window closed, then RST: under 4 s for 3 retries (bound 15 s).
        c = wait_counter(server, "TcpExtTCPAbortOnTimeout", clients, 15)
        took = time.monotonic() - started
        expect_counter(c, "TcpExtTCPAbortOnTimeout", clients)
        expect_counter(c, "TcpCurrEstab", 0)
        probes = c.get("TcpExtTCPWinProbe", 0)
        check(probes >= clients, f"only {probes} window probes: the windows "
              "never closed, so nothing was held")
        expect_counter(c, "TcpOutRsts", clients)
        for s in conns:
            s.close()
        print(f"FIGURE zero_window_hold: {clients} clients (SO_RCVBUF "
              f"minimum) hold a zero window answering every probe; "
              f"--orphan-retries {orphan_retries}: all {clients} reset and "
              f"reclaimed {took:.1f}s after the first connect", flush=True)
        curl_echo = socket.create_connection((SERVER_ADDR, ECHO_PORT), 5)
        curl_echo.sendall(b"still here")
        check(curl_echo.recv(64) == b"still here", "service stopped")
        curl_echo.close()
        server.stop()


CASES = {f.__name__: f for f in (idle_exhaustion, header_timeout,
                                  idle_timeout, memory_follows_use,
                                  malformed_catalog, syn_flood,
                                  zero_window_hold)}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit(f"usage: attacks.py {{{','.join(CASES)}}}")
    run(CASES[sys.argv[1]])
