"""Integration cases: Linux's own TCP clients against tcpref-server over TUN,
each in the private network namespace the test wrapper created. Each case
checks that the server's counters agree with what the clients saw.

Usage: cases.py CASE   (see CASES at the bottom)"""

import errno
import fcntl
import hashlib
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time

from harness import (SERVER_ADDR, Server, check, expect_at_least,
                     expect_counter, run)

ECHO_PORT = 7
HTTP_PORT = 80


def curl(path, *extra):
    r = subprocess.run(["curl", "-sS", "--max-time", "10", *extra,
                        f"http://{SERVER_ADDR}{path}"],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 0, f"curl {path} failed: {r.stderr}")
    return r.stdout


def echo_once(payload, timeout=10):
    with socket.create_connection((SERVER_ADDR, ECHO_PORT),
                                  timeout=timeout) as s:
        s.sendall(payload)
        s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    check(got == payload, f"echo mismatch: sent {len(payload)} bytes, "
          f"got {len(got)}")


def wait_for(server, name, value, timeout):
    """Polls the counters until `name` equals `value`."""
    deadline = time.monotonic() + timeout
    counters = {}
    while time.monotonic() < deadline:
        counters = server.counters()
        if counters.get(name, 0) == value:
            return counters
        time.sleep(0.2)
    raise AssertionError(f"{name} stayed {counters.get(name, 0)}, "
                         f"expected {value} within {timeout}s")


# --- cases ---

METRICS_PORT = 9100


def http_curl():
    with Server("http", HTTP_PORT, "--metrics-port", str(METRICS_PORT)) \
            as server:
        page = curl("/")
        check("tcpref reference server" in page, f"unexpected page: {page!r}")
        # The service port has no /metrics (a side channel, SECURITY.md).
        code = curl("/metrics", "-o", "/dev/null", "-w", "%{http_code}")
        check(code == "404", f"service port /metrics answered {code}")
        metrics = curl(f":{METRICS_PORT}/metrics")
        check("# TYPE tcpref_tcp_PassiveOpens counter" in metrics,
              f"no PassiveOpens in /metrics: {metrics[:300]!r}")
        values = dict(line.split() for line in metrics.splitlines()
                      if line and not line.startswith("#"))
        # The /metrics connection itself was the third one accepted.
        check(values.get("tcpref_tcp_PassiveOpens") == "3",
              f"/metrics says PassiveOpens={values.get('tcpref_tcp_PassiveOpens')}")
        headers = curl("/", "-I")
        check(headers.startswith("HTTP/1.1 200 OK"), f"HEAD: {headers!r}")
        wait_for(server, "TcpCurrEstab", 0, 10)
        c = server.stop()
    expect_counter(c, "TcpPassiveOpens", 4)
    expect_counter(c, "TcprefAppAccepted", 4)
    expect_counter(c, "TcpExtListenOverflows", 0)
    expect_counter(c, "TcpInErrs", 0)


def echo_roundtrip():
    with Server("echo", ECHO_PORT) as server:
        r = subprocess.run(["nc", "-N", "-w", "10", SERVER_ADDR,
                            str(ECHO_PORT)], input=b"hello from nc\n",
                           capture_output=True, timeout=20)
        check(r.stdout == b"hello from nc\n",
              f"nc got {r.stdout!r} (stderr {r.stderr!r})")
        echo_once(b"hello from a python socket")
        wait_for(server, "TcpCurrEstab", 0, 10)
        c = server.stop()
    expect_counter(c, "TcpPassiveOpens", 2)
    expect_counter(c, "TcprefAppAccepted", 2)
    expect_counter(c, "TcpEstabResets", 0)


def many_connections():
    with Server("echo", ECHO_PORT) as server:
        for i in range(1000):
            echo_once(b"sequential %04d" % i, timeout=5)
        errors = []

        def one(i):
            try:
                echo_once(b"concurrent %03d" % i, timeout=20)
            except Exception as e:  # reported below
                errors.append(f"{i}: {e!r}")

        threads = [threading.Thread(target=one, args=(i,)) for i in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        check(not any(t.is_alive() for t in threads), "clients hung")
        check(not errors, f"{len(errors)} concurrent clients failed: "
              f"{errors[:5]}")
        wait_for(server, "TcpCurrEstab", 0, 10)
        c = server.stop()
    expect_counter(c, "TcpPassiveOpens", 1200)
    expect_counter(c, "TcprefAppAccepted", 1200)
    expect_counter(c, "TcpExtListenOverflows", 0)
    expect_counter(c, "TcpExtListenDrops", 0)
    expect_counter(c, "TcpEstabResets", 0)


def transfer(*extra):
    size = 50 * 1024 * 1024
    data = random.Random(8).randbytes(size)
    want = hashlib.sha256(data).hexdigest()
    with Server("echo", ECHO_PORT, *extra) as server:
        s = socket.create_connection((SERVER_ADDR, ECHO_PORT), timeout=60)
        sent_error = []

        def send():
            try:
                view = memoryview(data)
                for off in range(0, size, 256 * 1024):
                    s.sendall(view[off:off + 256 * 1024])
                s.shutdown(socket.SHUT_WR)
            except Exception as e:  # reported below
                sent_error.append(repr(e))

        sender = threading.Thread(target=send)
        started = time.monotonic()
        sender.start()
        digest, received = hashlib.sha256(), 0
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            digest.update(chunk)
            received += len(chunk)
        sender.join(timeout=60)
        s.close()
        elapsed = time.monotonic() - started
        print(f"echoed {received} bytes in {elapsed:.1f}s "
              f"({received / elapsed / 1e6:.1f} MB/s)", flush=True)
        check(not sent_error, f"sender failed: {sent_error}")
        check(received == size, f"received {received} of {size} bytes")
        check(digest.hexdigest() == want, "SHA-256 of the echo differs")
        wait_for(server, "TcpCurrEstab", 0, 10)
        c = server.stop()
    expect_counter(c, "TcprefAppAccepted", 1)
    expect_at_least(c, "TcprefTunBytesIn", size)
    expect_at_least(c, "TcprefTunBytesOut", size)
    return c


def transfer_clean():
    c = transfer()
    expect_counter(c, "TcpEstabResets", 0)


def transfer_impaired():
    c = transfer("--impair", "loss=3%,reorder=5%,duplicate=1%,seed=20")
    # The impairment happened in both directions and the stack repaired it.
    for name in ("TcprefImpairInDropped", "TcprefImpairOutDropped",
                 "TcprefImpairInDuplicated", "TcprefImpairOutDuplicated",
                 "TcprefImpairInReordered", "TcprefImpairOutReordered",
                 "TcpRetransSegs"):
        expect_at_least(c, name, 1)


def tcp_checksum(src, dst, segment):
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(segment))
    data = pseudo + segment + (b"\0" if len(segment) % 2 else b"")
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


GHOST = socket.inet_aton("198.18.0.3")  # on the link, held by nobody
SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10


def ghost_packet(seq, ack, flags, payload=b"", sport=40000):
    """An IPv4/TCP packet from 198.18.0.3, which no interface holds: replies
    to it are dropped by the kernel, so it is a client that vanished."""
    dst = socket.inet_aton(SERVER_ADDR)
    tcp = struct.pack("!HHIIBBHHH", sport, ECHO_PORT, seq, ack, 5 << 4, flags,
                      65535, 0, 0) + payload
    tcp = tcp[:16] + struct.pack("!H", tcp_checksum(GHOST, dst, tcp)) + tcp[18:]
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000,
                       64, 6, 0, GHOST, dst) + tcp


def send_raw(packet):
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw.sendto(packet, (SERVER_ADDR, 0))
    raw.close()


class ServerToGhost:
    """Sniffs the TUN device for the server's packets to 198.18.0.3."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                                  socket.htons(3))  # ETH_P_ALL
        self.sock.bind(("tcpref0", 0))

    def next(self, timeout):
        """(seq, ack, flags, payload) of the next one, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.sock], [], [],
                                        max(0, deadline - time.monotonic()))
            if not ready:
                break
            p = self.sock.recv(65536)
            if len(p) < 40 or p[9] != 6 or p[16:20] != GHOST:
                continue
            ihl = (p[0] & 15) * 4
            seq, ack, off_flags = struct.unpack("!IIH", p[ihl + 4:ihl + 14])
            payload = p[ihl + (off_flags >> 12) * 4:]
            return seq, ack, off_flags & 0xFF, payload
        return None


def half_open():
    """A SYN from a client that vanishes at once: the SYN-ACKs go unanswered
    and the request sock must go after --synack-retries."""
    with Server("echo", ECHO_PORT, "--synack-retries", "2") as server:
        sniff = ServerToGhost()
        send_raw(ghost_packet(12345, 0, SYN))
        wait_for(server, "TcprefListenSynQueue", 1, 3)
        # 1 s, then 2 s, then 4 s after the last retransmission: ~7 s.
        c = wait_for(server, "TcprefListenSynQueue", 0, 15)
        synacks = 0
        while (p := sniff.next(0.1)) is not None:
            synacks += p[2] == SYN | ACK
        check(synacks == 3, f"{synacks} SYN-ACKs, expected 1 + 2 retries")
        expect_counter(c, "TcpExtTCPSynRetrans", 2)
        c = server.stop()
    expect_counter(c, "TcpPassiveOpens", 0)
    expect_counter(c, "TcprefAppAccepted", 0)


def vanished_client():
    """A client connects, sends data and FIN, and vanishes. The server
    (discard) closes; its FIN is never acknowledged, so after
    --orphan-retries retransmissions the connection is reset and freed."""
    with Server("discard", ECHO_PORT, "--orphan-retries", "2") as server:
        sniff = ServerToGhost()
        send_raw(ghost_packet(1000, 0, SYN))
        p = sniff.next(3)
        check(p is not None and p[2] == SYN | ACK, f"no SYN-ACK: {p}")
        isn = p[0]
        data = b"here and then gone"
        send_raw(ghost_packet(1001, isn + 1, PSH | ACK, data))
        send_raw(ghost_packet(1001 + len(data), isn + 1, FIN | ACK))
        fins, rst, deadline = 0, False, time.monotonic() + 15
        while not rst and time.monotonic() < deadline:
            p = sniff.next(deadline - time.monotonic())
            if p is None:
                break
            fins += bool(p[2] & FIN)
            rst = bool(p[2] & RST)
        check(fins == 3, f"{fins} FINs from the server, expected 1 + 2 retries")
        check(rst, "the server never gave up with a RST")
        c = server.stop()
    expect_counter(c, "TcpPassiveOpens", 1)
    expect_counter(c, "TcprefAppAccepted", 1)
    expect_counter(c, "TcpOutRsts", 1)
    expect_counter(c, "TcpRetransSegs", 2)
    expect_counter(c, "TcpCurrEstab", 0)


def unacked_bytes(s):
    return struct.unpack("i", fcntl.ioctl(s, termios.TIOCOUTQ, b"\0" * 4))[0]


def overflow(*extra):
    """--mode hold --backlog 2: the accept queue admits 3 children. Ten SYNs
    reach the server in one batch (it is stopped while the clients connect),
    so all ten get SYN-ACKs and the last seven final ACKs find the queue
    full. Returns what each client saw and the server's counters."""
    clients = []
    with Server("hold", ECHO_PORT, "--backlog", "2", *extra) as server:
        server.proc.send_signal(signal.SIGSTOP)
        try:
            for _ in range(10):
                s = socket.socket()
                s.setblocking(False)
                check(s.connect_ex((SERVER_ADDR, ECHO_PORT)) ==
                      errno.EINPROGRESS, "non-blocking connect did not start")
                clients.append(s)
            time.sleep(0.2)
        finally:
            server.proc.send_signal(signal.SIGCONT)
        time.sleep(0.3)
        state = []
        for s in clients:
            _, writable, _ = select.select([], [s], [], 0)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if not writable:
                state.append("connecting")
            elif err != 0:
                state.append(f"reset ({errno.errorcode.get(err, err)})")
            else:
                try:
                    s.send(b"x")
                    state.append("connected")
                except OSError as e:
                    state.append(f"reset ({e.strerror})")
        time.sleep(0.3)  # well under the 1 s SYN-ACK retransmission
        for i, s in enumerate(clients):
            if state[i] == "connected":
                try:
                    s.recv(1)
                except BlockingIOError:
                    pass  # no data: expected, the server never reads
                except OSError as e:
                    state[i] = f"reset ({e.strerror})"
                    continue
                state[i] = "served" if unacked_bytes(s) == 0 else "unacked"
        print("clients:", state, flush=True)
        c = server.counters()
        server.stop()
    for s in clients:
        s.close()
    check(state.count("served") == 3,
          f"{state.count('served')} clients served, expected 3 (backlog 2)")
    expect_counter(c, "TcprefListenAcceptQueue", 3)
    expect_counter(c, "TcpPassiveOpens", 3)
    expect_counter(c, "TcprefAppAccepted", 0)
    # Each of the other seven final ACKs (and data) met a full queue.
    expect_at_least(c, "TcpExtListenOverflows", 7)
    return state, c


def backlog_overflow():
    # The kernel client thinks the seven are established; their data is
    # never acknowledged (the server ignores the ACKs, Linux's default).
    state, _ = overflow()
    check(state.count("unacked") == 7, f"expected 7 unacked: {state}")


def backlog_overflow_abort():
    # tcp_abort_on_overflow: the seven final ACKs are answered with RST.
    state, c = overflow("--abort-on-overflow")
    resets = sum(1 for s in state if s.startswith("reset"))
    check(resets == 7, f"expected 7 resets: {state}")
    expect_at_least(c, "TcpOutRsts", 7)


def syncookies_always():
    """Every SYN answered with a cookie; every final ACK makes a child. The
    clients' data must be acknowledged: the connections really exist."""
    with Server("discard", ECHO_PORT, "--syncookies", "always") as server:
        for i in range(20):
            with socket.create_connection((SERVER_ADDR, ECHO_PORT),
                                          timeout=10) as s:
                s.sendall(b"cookie %02d" % i)
                deadline = time.monotonic() + 5
                while unacked_bytes(s) and time.monotonic() < deadline:
                    time.sleep(0.01)
                check(unacked_bytes(s) == 0, f"client {i}: data never acked")
        check(server.counters().get("TcprefListenSynQueue", 0) == 0,
              "cookies must not create request socks")
        wait_for(server, "TcpCurrEstab", 0, 10)
        c = server.stop()
    expect_at_least(c, "TcpExtSyncookiesSent", 20)
    expect_counter(c, "TcpExtSyncookiesRecv", 20)
    expect_counter(c, "TcpExtSyncookiesFailed", 0)
    expect_counter(c, "TcpPassiveOpens", 20)
    expect_counter(c, "TcprefAppAccepted", 20)


CASES = {f.__name__: f for f in (
    http_curl, echo_roundtrip, many_connections, transfer_clean,
    transfer_impaired, half_open, vanished_client, backlog_overflow, backlog_overflow_abort,
    syncookies_always)}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        sys.exit(f"usage: cases.py {{{','.join(CASES)}}}")
    run(CASES[sys.argv[1]])
