"""Attack cases against tcpref-server over TUN, each in the private network
namespace its test wrapper created (see BUILD). Each case states the attack,
the defence, and what the legitimate side must see.

Usage: attacks.py CASE        (see CASES at the bottom)"""

import os
import socket
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
        with Server("echo", ECHO_PORT, "--max-connections", str(table)) as s:
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


CASES = {f.__name__: f for f in (idle_exhaustion, header_timeout,
                                  idle_timeout, memory_follows_use)}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit(f"usage: attacks.py {{{','.join(CASES)}}}")
    run(CASES[sys.argv[1]])
