"""Runs tcpref-server in the caller's (private) network namespace and talks
to it with the kernel's own TCP. Every wait is bounded; addresses are in
198.18.0.0/15 only."""

import ctypes
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

SERVER_ADDR = "198.18.0.1"
PEER = "198.18.0.2/24"
TUN = "tcpref0"


def server_binary():
    for path in ("impl/server/tcpref-server",
                 os.path.join(os.environ.get("TEST_SRCDIR", ""),
                              "tcpref/impl/server/tcpref-server")):
        if os.access(path, os.X_OK):
            return path
    sys.exit("tcpref-server binary not found")


def _die_with_parent():
    # prctl(PR_SET_PDEATHSIG, SIGKILL): the server never outlives the test.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def require_private_netns():
    """Refuses to run in a namespace with any interface but lo: the tests
    must never touch a real network."""
    names = [name for _, name in socket.if_nameindex()]
    check(names == ["lo"], "not in a fresh network namespace (interfaces: "
          f"{names}); run under `unshare -n`")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)


class Server:
    """tcpref-server on TUN tcpref0 at 198.18.0.1, kernel side 198.18.0.2."""

    def __init__(self, mode, port, *extra, ready_timeout=10):
        cmd = [server_binary(), "--tun", TUN, "--addr", SERVER_ADDR,
               "--port", str(port), "--mode", mode, "--configure-peer", PEER,
               *extra]
        print("+", " ".join(cmd), flush=True)
        self.port = port
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     preexec_fn=_die_with_parent)
        self.lines = queue.Queue()
        self.stderr = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        line = self._line(ready_timeout)
        check(line is not None and line.startswith("READY"),
              f"no READY line (got {line!r}; stderr: {self.stderr})")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _pump_err(self):
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip("\n"))

    def _line(self, timeout):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def _read_counters(self, timeout):
        deadline = time.monotonic() + timeout
        counters, started = {}, False
        while time.monotonic() < deadline:
            line = self._line(deadline - time.monotonic())
            if line is None:
                break
            if line.startswith("#tcpref"):
                started = True
            elif started and line == "":
                return counters
            elif started:
                name, value = line.split()
                counters[name] = int(value)
        raise AssertionError("no counter block from the server")

    def counters(self):
        """Counters now (SIGUSR1), as {"TcpExtListenOverflows": 3, ...};
        zero counters are absent: use .get(name, 0)."""
        self.proc.send_signal(signal.SIGUSR1)
        return self._read_counters(10)

    def stop(self):
        """SIGTERM; the server must exit 0 and print its final counters."""
        self.proc.send_signal(signal.SIGTERM)
        counters = self._read_counters(15)
        code = self.proc.wait(timeout=15)
        check(code == 0, f"server exited {code}; stderr: {self.stderr}")
        print("final counters:", counters, flush=True)
        return counters

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


def expect_counter(counters, name, expected):
    got = counters.get(name, 0)
    check(got == expected, f"{name} is {got}, expected {expected}")


def expect_at_least(counters, name, minimum):
    got = counters.get(name, 0)
    check(got >= minimum, f"{name} is {got}, expected at least {minimum}")


def run(case):
    """Runs case() in the namespace; prints PASS or the failure."""
    require_private_netns()
    started = time.monotonic()
    case()
    print(f"PASS {case.__name__} in {time.monotonic() - started:.1f}s",
          flush=True)
