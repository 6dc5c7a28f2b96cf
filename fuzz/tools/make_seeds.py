#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/ (plain python3, no scapy).

Each file is named "<Expected>-<what>": Expected is the to_string() of the
ParseError (wire_fuzzer) or OptionsError (options_fuzzer) the parser must
return, "None" for an accepted input. fuzz:seeds_test checks those names, so
this independent encoder and the C++ parser keep each other honest.

Usage: fuzz/tools/make_seeds.py [--out DIR]   (default: fuzz/corpus)
"""

import argparse
import pathlib
import shutil
import struct

CLIENT = bytes([198, 18, 0, 1])
SERVER = bytes([198, 18, 0, 2])

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


def csum(data: bytes) -> int:
    """RFC 1071 one's-complement checksum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


# ---- TCP options --------------------------------------------------------

def opt_mss(v=1460):
    return struct.pack("!BBH", 2, 4, v)


def opt_ws(v=7):
    return bytes([3, 3, v])


def opt_sack_perm():
    return bytes([4, 2])


def opt_ts(val, ecr):
    return struct.pack("!BBII", 8, 10, val, ecr)


def opt_sack(*blocks):
    body = b"".join(struct.pack("!II", l, r) for l, r in blocks)
    return bytes([5, 2 + len(body)]) + body


def opt_tfo(cookie=b""):
    return bytes([34, 2 + len(cookie)]) + cookie


def opt_tfo_exp(cookie=b""):
    return bytes([254, 4 + len(cookie), 0xF9, 0x89]) + cookie


NOP = b"\x01"
EOL = b"\x00"


def pad4(opts: bytes) -> bytes:
    return opts + EOL * (-len(opts) % 4)


LINUX_SYN = opt_mss(1460) + opt_sack_perm() + opt_ts(0x1A2B3C4D, 0) + NOP + opt_ws(7)
LINUX_SYNACK = opt_mss(1460) + opt_sack_perm() + opt_ts(7, 0x1A2B3C4D) + NOP + opt_ws(10)
TS_ONLY = NOP + NOP + opt_ts(0x1A2B3C4E, 7)

# ---- packets ------------------------------------------------------------


def tcp(sport, dport, seq, ack, flags, window, opts=b"", payload=b"",
        src=CLIENT, dst=SERVER, doff=None, urgent=0):
    opts = pad4(opts)
    if doff is None:
        doff = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags,
                      window, 0, urgent) + opts
    seg = hdr + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(seg))
    c = csum(pseudo + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def ipv4(payload, src=CLIENT, dst=SERVER, proto=6, ttl=64, ident=0x1234,
         flags_frag=0x4000, tos=0, ip_opts=b"", total=None, version=4,
         ihl=None):
    ip_opts = pad4(ip_opts)
    if ihl is None:
        ihl = (20 + len(ip_opts)) // 4
    if total is None:
        total = 20 + len(ip_opts) + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, tos, total, ident,
                      flags_frag, ttl, proto, 0, src, dst) + ip_opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def flip(data: bytes, index: int, mask: int = 0x01) -> bytes:
    b = bytearray(data)
    b[index] ^= mask
    return bytes(b)


def wire_seeds():
    syn = ipv4(tcp(40000, 80, 0x01020304, 0, SYN, 64240, LINUX_SYN))
    yield "None-syn_linux", syn
    yield "None-syn_ecn", ipv4(tcp(40001, 80, 1, 0, SYN | ECE | CWR, 64240,
                                   LINUX_SYN))
    yield "None-synack", ipv4(tcp(80, 40000, 0xA0B0C0D0, 0x01020305,
                                  SYN | ACK, 65160, LINUX_SYNACK,
                                  src=SERVER, dst=CLIENT), src=SERVER,
                              dst=CLIENT)
    yield "None-ack", ipv4(tcp(40000, 80, 0x01020305, 0xA0B0C0D1, ACK, 502,
                               TS_ONLY))
    yield "None-data", ipv4(tcp(40000, 80, 0x01020305, 0xA0B0C0D1,
                                PSH | ACK, 502, TS_ONLY,
                                b"GET / HTTP/1.1\r\nHost: 198.18.0.2\r\n\r\n"))
    yield "None-fin", ipv4(tcp(40000, 80, 9, 10, FIN | ACK, 502))
    yield "None-rst", ipv4(tcp(40000, 80, 9, 0, RST, 0))
    yield "None-urgent", ipv4(tcp(40000, 80, 9, 10, URG | ACK, 502,
                                  payload=b"!", urgent=1))
    yield "None-sack_blocks", ipv4(tcp(40000, 80, 9, 10, ACK, 502,
                                       NOP + NOP + opt_sack((100, 200),
                                                            (300, 400),
                                                            (500, 600))))
    # Regression (found by wire_fuzzer): a second SACK option must replace
    # every block of the first.
    yield "None-repeated_sack", ipv4(tcp(40000, 80, 9, 10, ACK, 502,
                                         opt_sack((1, 2), (3, 4)) +
                                         opt_sack((5, 6))))
    yield "None-tfo_request", ipv4(tcp(40002, 80, 5, 0, SYN, 64240,
                                       opt_mss() + opt_tfo()))
    yield "None-tfo_cookie", ipv4(tcp(40002, 80, 5, 0, SYN, 64240,
                                      opt_mss() + opt_tfo(bytes(range(8))),
                                      b"early data"))
    yield "None-tfo_exp_cookie", ipv4(tcp(40003, 80, 5, 0, SYN, 64240,
                                          opt_mss() +
                                          opt_tfo_exp(bytes(range(16)))))
    yield "None-unknown_options", ipv4(tcp(40004, 80, 5, 0, SYN, 64240,
                                           bytes([19, 6, 1, 2, 3, 4]) +
                                           opt_mss() + bytes([99, 2])))
    yield "None-ip_options", ipv4(tcp(40005, 80, 5, 0, SYN, 64240, opt_mss()),
                                  ip_opts=NOP * 3 + EOL)
    yield "None-link_padding", syn + bytes(6)

    yield "IpTruncated-19_bytes", syn[:19]
    yield "IpBadVersion-v6", ipv4(tcp(1, 2, 3, 4, ACK, 5), version=6)
    yield "IpBadIhl-ihl4", ipv4(tcp(1, 2, 3, 4, ACK, 5), ihl=4)
    yield "IpBadIhl-ihl15_short", ipv4(b"", ihl=15)
    yield "IpBadTotalLength-too_long", ipv4(tcp(1, 2, 3, 4, ACK, 5),
                                            total=200)
    yield "IpBadTotalLength-too_short", ipv4(tcp(1, 2, 3, 4, ACK, 5),
                                             total=12)
    yield "IpBadChecksum-ttl_flipped", flip(syn, 8)
    yield "IpFragment-more_fragments", ipv4(tcp(1, 2, 3, 4, ACK, 5),
                                            flags_frag=0x2000)
    yield "IpFragment-offset", ipv4(tcp(1, 2, 3, 4, ACK, 5), flags_frag=0x0001)
    yield "NotTcp-udp", ipv4(struct.pack("!HHHH", 53, 53, 8, 0), proto=17)
    yield "TcpTruncated-12_bytes", ipv4(tcp(1, 2, 3, 4, ACK, 5)[:12])
    yield "TcpBadDataOffset-doff4", ipv4(tcp(1, 2, 3, 4, ACK, 5, doff=4))
    yield "TcpDataOffsetPastEnd-doff15", ipv4(tcp(1, 2, 3, 4, ACK, 5,
                                                  doff=15))
    yield "TcpBadChecksum-payload_flipped", flip(
        ipv4(tcp(1, 2, 3, 4, PSH | ACK, 5, payload=b"data")), 43)
    yield "TcpBadOptions-zero_length", ipv4(tcp(1, 2, 3, 4, SYN, 5,
                                                bytes([2, 0, 1, 1])))
    yield "TcpBadOptions-past_end", ipv4(tcp(1, 2, 3, 4, SYN, 5,
                                             NOP * 3 + bytes([8])))


def options_seeds():
    yield "None-empty", b""
    yield "None-linux_syn", LINUX_SYN
    yield "None-linux_synack", LINUX_SYNACK
    yield "None-ts_only", TS_ONLY
    yield "None-sack_4_blocks", opt_sack((1, 2), (3, 4), (5, 6), (7, 8))
    yield "None-tfo_request", opt_tfo()
    yield "None-tfo_cookie_16", opt_tfo(bytes(range(16)))
    yield "None-tfo_exp_cookie_4", opt_tfo_exp(b"\xaa\xbb\xcc\xdd")
    yield "None-other_experiment", bytes([254, 6, 0x12, 0x34, 0, 0])
    yield "None-unknown_and_unaligned", (NOP + opt_ws(14) + bytes([99, 3, 0]) +
                                         opt_mss(536))
    yield "None-eol_then_garbage", opt_sack_perm() + EOL + bytes([2, 0, 0xff])
    yield "OptZeroOrOneLength-mss_len0", bytes([2, 0])
    yield "OptZeroOrOneLength-unknown_len1", bytes([99, 1, 1, 1])
    yield "OptPastEnd-no_length_byte", NOP * 3 + bytes([2])
    yield "OptPastEnd-ts_cut", opt_ts(1, 2)[:7]
    yield "OptBadFixedLength-mss_len3", bytes([2, 3, 0])
    yield "OptBadFixedLength-ws_len4", bytes([3, 4, 0, 0])
    yield "OptBadSackLength-no_blocks", bytes([5, 2])
    yield "OptBadSackLength-odd", bytes([5, 9]) + bytes(7)
    yield "OptBadFastOpenLength-cookie3", opt_tfo(b"abc")
    yield "OptBadFastOpenLength-exp_no_magic", bytes([254, 2])


def write(out: pathlib.Path, name: str, seeds):
    d = out / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    count = 0
    for fname, data in seeds:
        (d / fname).write_bytes(data)
        count += 1
    print(f"{d}: {count} seeds")


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=pathlib.Path, default=here / "corpus",
                   help="corpus root (default: %(default)s)")
    args = p.parse_args()
    write(args.out, "wire_fuzzer", wire_seeds())
    write(args.out, "options_fuzzer", options_seeds())


if __name__ == "__main__":
    main()
