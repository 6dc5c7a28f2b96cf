"""The two ends of one recorded scenario (record.sh, record_tcpref.sh).

Usage: peer.py server|client SCENARIO SERVER_ADDR CLIENT_ADDR

The server role is Linux's own listener (record.sh); with tcpref-server the
server is tcpref and only the client role runs. The client is the kernel's
TCP client, or scapy (Debian's /usr/bin/python3) where a scenario needs a
SYN no kernel socket sent. Every wait is bounded; callers also run this
under `timeout`.
"""

import socket
import struct
import sys
import time

PORT = 80
REQUEST = b"GET / HTTP/1.0\r\n\r\n"


def listener(server, backlog=8):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((server, PORT))
    s.listen(backlog)
    print("listening", flush=True)
    return s


def serve(server, scenario):
    if scenario == "backlog_overflow":  # never accepts; closes after 6 s
        s = listener(server, 0)
        time.sleep(6)
        s.close()
        time.sleep(0.5)
        return
    if scenario == "syn_queue_overflow":  # never accepts; closes at 2.5 s
        s = listener(server, 2)
        time.sleep(2.5)
        s.close()
        time.sleep(1.5)
        return
    if scenario in ("rst_in_syn_recv", "synack_retransmit", "request_expiry"):
        s = listener(server)  # never accepts
        time.sleep({"rst_in_syn_recv": 3, "synack_retransmit": 10}.get(scenario, 11))
        return
    s = listener(server)
    for _ in range(2 if scenario == "time_wait_reopen" else 1):
        c, _ = s.accept()
        c.settimeout(5)
        c.recv(4096)
        c.sendall(b"hello\n")
        c.close()  # the server closes first
    time.sleep(63 if scenario == "time_wait_expiry" else 0.5)


def fetch(server, client, port=0, reset=False):
    """One request; the server closes first (or we reset, SO_LINGER 0)."""
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((client, port))
    c.settimeout(5)
    c.connect((server, PORT))
    c.sendall(REQUEST)
    if reset:
        c.recv(4096)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    else:
        while c.recv(4096):
            pass
    c.close()


def scapy_syn(server, client, sport):
    """A SYN no kernel socket sent: the kernel answers the SYN-ACK with RST
    (SEQ = ISN + 1, RCV.NXT in SYN-RECEIVED) unless the caller drops it."""
    from scapy.all import IP, TCP, L3RawSocket, conf, send

    conf.L3socket = L3RawSocket  # routed by the kernel: works on lo and TUN
    send(
        IP(src=client, dst=server)
        / TCP(sport=sport, dport=PORT, flags="S", seq=1000, options=[("MSS", 1460)]),
        verbose=False,
    )


def synack_iss(raw, sport, deadline):
    """The ISS of the first SYN-ACK to `sport` seen on `raw` by `deadline`."""
    while time.monotonic() < deadline:
        try:
            ip = raw.recv(65535)
        except socket.timeout:
            return None
        tcp = ip[(ip[0] & 15) * 4 :]
        src, dst = struct.unpack("!HH", tcp[:4])
        if src == PORT and dst == sport and tcp[13] & 0x12 == 0x12:
            return struct.unpack("!I", tcp[4:8])[0]
    return None


def scapy_ack(server, client, sport, iss):
    from scapy.all import IP, TCP, L3RawSocket, conf, send

    conf.L3socket = L3RawSocket
    send(
        IP(src=client, dst=server)
        / TCP(sport=sport, dport=PORT, flags="A", seq=1001, ack=(iss + 1) % 2**32),
        verbose=False,
    )


def syn_flood(server, client):
    """Four SYNs no socket sent, 50 ms apart, on a listen(2) server whose SYN
    queue takes three: the fourth finds it full (a cookie, or a drop); an ACK
    answers the last SYN-ACK, if any."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    raw.settimeout(1)
    last = 42103
    for sport in range(42100, last + 1):
        scapy_syn(server, client, sport)
        time.sleep(0.05)
    iss = synack_iss(raw, last, time.monotonic() + 0.5)
    if iss is not None:
        scapy_ack(server, client, last, iss)
    time.sleep(3)


def late_ack(server, client, sport, delay):
    """SYN, then the ACK of the SYN-ACK `delay` seconds later (after the
    request expired). The SYN-ACK is read from a raw socket (a copy of every
    TCP segment this host receives; works on lo and TUN alike)."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    raw.settimeout(3)
    scapy_syn(server, client, sport)
    iss = synack_iss(raw, sport, time.monotonic() + 3)
    if iss is None:
        sys.exit("late_ack: no SYN-ACK")
    time.sleep(delay)
    scapy_ack(server, client, sport, iss)
    time.sleep(0.5)


def connect(server, client, scenario):
    if scenario == "backlog_overflow":
        socks = []
        for i in range(3):  # backlog 0 admits one child
            c = socket.socket()
            c.setblocking(False)
            c.bind((client, 41000 + i))
            try:
                c.connect((server, PORT))
            except BlockingIOError:
                pass
            socks.append(c)
            time.sleep(0.2)
        time.sleep(7)
        for c in socks:  # abort (RST if still open): frees the ports at once
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
        time.sleep(0.2)
        return
    if scenario == "rst_in_syn_recv":
        scapy_syn(server, client, 42000)
        time.sleep(1)
        return
    if scenario == "synack_retransmit":  # the client never ACKs
        scapy_syn(server, client, 42001)
        time.sleep(9)
        return
    if scenario == "syn_queue_overflow":
        syn_flood(server, client)
        return
    if scenario == "request_expiry":  # 2 retries: expired 7 s after the SYN
        late_ack(server, client, 42002, 9.5)
        return
    if scenario == "time_wait_expiry":
        # The server's TIME-WAIT (60 s) answers an out-of-window ACK with an
        # ACK; once it has expired, the listener answers it with a RST.
        fetch(server, client, port=43001)
        time.sleep(62)
        from scapy.all import IP, TCP, L3RawSocket, conf, send

        conf.L3socket = L3RawSocket
        send(
            IP(src=client, dst=server)
            / TCP(sport=43001, dport=PORT, flags="A", seq=12345, ack=1),
            verbose=False,
        )
        time.sleep(0.5)
        return
    if scenario == "time_wait_reopen":
        for _ in range(2):  # the same 4-tuple both times
            fetch(server, client, port=43000)
            time.sleep(0.5)
        return
    fetch(server, client, reset=scenario == "client_resets")
    time.sleep(0.5)


def main():
    role, scenario, server, client = sys.argv[1:5]
    if role == "server":
        serve(server, scenario)
    else:
        connect(server, client, scenario)


if __name__ == "__main__":
    main()
