"""Reads the kernel-to-kernel handshakes in fuzz/pcaps/ (record_pcaps.sh)
and turns each TCP flow into seeds: the client's packets as packet_fuzzer
records, the whole exchange as a handshake_fuzzer script, and every packet
as a wire_fuzzer input. Plain struct parsing, no scapy.
"""

import pathlib
import struct

from fdp import (ACK, ACK_ABSOLUTE, ACK_SND_NXT, FIN, RST, SEQ_CLIENT_ISN,
                 SEQ_RCV_NXT, SYN, Handshake)
from inet import fix_checksums

SERVER_PORT = 80
LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL = 1, 101, 113


def read_pcap(path):
    """Yields (seconds, ip_packet) for every IPv4 packet in a classic pcap,
    with its checksums recomputed."""
    data = pathlib.Path(path).read_bytes()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: not a pcap file")
    nanos = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    skip = {LINKTYPE_ETHERNET: 14, LINKTYPE_RAW: 0, LINKTYPE_LINUX_SLL: 16}
    if linktype not in skip:
        raise ValueError(f"{path}: link type {linktype} not supported")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        ip = frame[skip[linktype]:]
        if len(ip) >= 20 and ip[0] >> 4 == 4:
            total = struct.unpack("!H", ip[2:4])[0]
            yield sec + frac / (1e9 if nanos else 1e6), fix_checksums(
                ip[:total])


def parse(ip):
    """The fields of one IPv4/TCP packet that the converters need."""
    ihl = (ip[0] & 0xF) * 4
    tcp = ip[ihl:]
    sport, dport, seq, ack, doff_byte, flags, window = struct.unpack(
        "!HHIIBBH", tcp[:16])
    doff = (doff_byte >> 4) * 4
    return {
        "tos": ip[1], "src": ip[12:16], "dst": ip[16:20],
        "sport": sport, "dport": dport, "seq": seq, "ack": ack,
        "flags": flags, "window": window,
        "options": parse_options(tcp[20:doff]), "payload": tcp[doff:],
    }


def parse_options(b):
    opts, i = {}, 0
    while i < len(b):
        kind = b[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        length = b[i + 1]
        body = b[i + 2:i + length]
        if kind == 2:
            opts["mss"] = struct.unpack("!H", body)[0]
        elif kind == 3:
            opts["ws"] = body[0]
        elif kind == 4:
            opts["sack_permitted"] = True
        elif kind == 8:
            opts["ts"] = struct.unpack("!II", body)
        i += length
    return opts


def flows(path):
    """Groups a capture into flows to port 80: (client_port, [(t, ip, p)])."""
    by_port = {}
    for t, ip in read_pcap(path):
        if ip[9] != 6:
            continue
        p = parse(ip)
        client_port = p["sport"] if p["dport"] == SERVER_PORT else p["dport"]
        by_port.setdefault(client_port, []).append((t, ip, p))
    return sorted(by_port.items())


def frame(packets):
    """packet_fuzzer records: 16-bit length, then the packet."""
    return b"".join(struct.pack("!H", len(p)) + p for p in packets)


def handshake_script(packets, cookies):
    """The flow as client 0's segments; seq/ack rebased onto what the
    stack under test says (RCV.NXT, SND.NXT), so the script completes the
    handshake with whatever ISS the stack picks. Returns (bytes, expected
    record kind of client 0 at the end)."""
    h = Handshake(cookies=cookies, backlog=3, syn_queue_limit=4)
    client_nxt = server_nxt = None
    established = reset = False
    last_t = packets[0][0]
    for t, _, p in packets:
        from_client = p["dport"] == SERVER_PORT
        end = p["seq"] + len(p["payload"]) + bool(p["flags"] & SYN) + \
            bool(p["flags"] & FIN)
        if not from_client:
            server_nxt = end & 0xFFFFFFFF
            continue
        ms = int((t - last_t) * 1000)
        if ms >= 1:
            h.advance(ms)
            last_t = t
        f = p["flags"]
        if f & SYN:
            seq = (SEQ_CLIENT_ISN, 0)
        else:
            seq = (SEQ_RCV_NXT, to_i16(p["seq"] - client_nxt))
        if f & ACK and server_nxt is not None:
            ack = (ACK_SND_NXT, to_i16(p["ack"] - server_nxt))
            established |= not f & (SYN | RST)
        else:
            ack = (ACK_ABSOLUTE, 0)
        reset |= bool(f & RST) and established
        o = p["options"]
        h.segment(0, f, seq=seq, ack=ack, window=p["window"],
                  mss=o.get("mss"), ws=o.get("ws"),
                  sack_permitted=o.get("sack_permitted", False),
                  ts=(0, 0) if "ts" in o else None,
                  ect=bool(p["tos"] & 3), payload=p["payload"])
        if client_nxt is None or f & SYN or \
                to_i32(end - client_nxt) > 0:
            client_nxt = end & 0xFFFFFFFF
    # Nobody accepts in these scripts: the child stays in the accept queue
    # (in CLOSE-WAIT after the client's FIN) unless the client reset it.
    expected = "None" if reset else ("ChildQueued" if established else "Any")
    return h.bytes(), expected


def to_i32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >> 31 else v


def to_i16(v):
    v = to_i32(v)
    if not -32768 <= v <= 32767:
        raise ValueError(f"offset {v} does not fit the script's int16")
    return v


def seeds(pcap_dir):
    """Yields (fuzzer, file name, bytes) for every pcap under pcap_dir."""
    for path in sorted(pathlib.Path(pcap_dir).glob("*.pcap")):
        name = path.stem
        for n, (client_port, packets) in enumerate(flows(path)):
            tag = f"pcap_{name}" + (f"_{n}" if n else "")
            client = [ip for _, ip, p in packets if p["dport"] == SERVER_PORT]
            yield "packet_fuzzer", f"{tag}", frame(client)
            script, expected = handshake_script(
                packets, cookies=2 if "syncookies" in name else 1)
            yield "handshake_fuzzer", f"{expected}-{tag}", script
            for i, (_, ip, _) in enumerate(packets):
                yield "wire_fuzzer", f"None-{tag}_{i:02d}", ip
