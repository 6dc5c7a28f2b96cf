#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/ (plain python3, no scapy):
hand-written cases below plus the kernel's own traffic from fuzz/pcaps/
(recorded by record_pcaps.sh, converted by kernel_pcaps.py).

wire_fuzzer and options_fuzzer files are named "<Expected>-<what>":
Expected is the to_string() of the ParseError or OptionsError the parser
must return, "None" for an accepted input. handshake_fuzzer files are named
"<RecordKind>-<what>": the record client 0's 4-tuple must end in (None,
RequestSock, ChildQueued, Socket, TimeWait; "Any" is not checked).
fuzz:seeds_test checks those names, so these independent encoders and the
C++ code keep each other honest. packet_fuzzer files are packet records
(a 16-bit length, then the packet); model_diff_fuzzer files are refinement
scenarios (fdp.ModelDiff).

Usage: fuzz/tools/make_seeds.py [--out DIR] [--pcaps DIR]
"""

import argparse
import pathlib
import shutil
import struct

import kernel_pcaps
from inet import csum
import fdp
from fdp import (ABORT, ACK_ABSOLUTE, ACK_ISS, ACK_SND_NXT, CLOSE,
                 SEQ_CLIENT_ISN, SEQ_RCV_NXT, Handshake, ModelDiff)

CLIENT = bytes([198, 18, 0, 1])
SERVER = bytes([198, 18, 0, 2])

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


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


CLIENT6 = bytes.fromhex("20010002000000000000000000000001")  # 2001:2::1
SERVER6 = bytes.fromhex("20010002000000000000000000000002")  # 2001:2::2


def tcp6(sport, dport, seq, ack, flags, window, opts=b"", payload=b"",
         src=CLIENT6, dst=SERVER6, csum_v4_style=False):
    """A TCP segment with its checksum over the RFC 8200 §8.1 pseudo-header
    (or, to make a wrong one, over a 12-byte IPv4-style one)."""
    seg = tcp(sport, dport, seq, ack, flags, window, opts, payload,
              src=bytes(4), dst=bytes(4))
    seg = seg[:16] + b"\0\0" + seg[18:]
    if csum_v4_style:
        pseudo = src[:4] + dst[:4] + struct.pack("!BBH", 0, 6, len(seg))
    else:
        pseudo = src + dst + struct.pack("!I", len(seg)) + bytes([0, 0, 0, 6])
    return seg[:16] + struct.pack("!H", csum(pseudo + seg)) + seg[18:]


def ipv6(payload, src=CLIENT6, dst=SERVER6, next_header=6, hop_limit=64,
         tclass=0, flow=0, payload_length=None, ext=b"", first=None):
    """An IPv6 packet; `ext` (extension headers) goes before `payload` and
    `first` is then the fixed header's Next Header."""
    body = ext + payload
    if payload_length is None:
        payload_length = len(body)
    nh = next_header if first is None else first
    return struct.pack("!IHBB", 6 << 28 | tclass << 20 | flow, payload_length,
                       nh, hop_limit) + src + dst + body


def opts_hdr(next_header, options=b""):
    """Hop-by-Hop or Destination Options with `options`, padded to 8n."""
    pad = (8 - (2 + len(options)) % 8) % 8
    if pad == 1:
        options += b"\0"
    elif pad:
        options += bytes([1, pad - 2]) + bytes(pad - 2)
    return bytes([next_header, (2 + len(options)) // 8 - 1]) + options


def routing_hdr(next_header, rtype, segments_left):
    return bytes([next_header, 2, rtype, segments_left, 0, 0, 0, 0]) + \
        SERVER6


def fragment_hdr(next_header, offset=0, more=False, ident=0x12345678):
    return struct.pack("!BBHI", next_header, 0, offset << 3 | int(more),
                       ident)


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
    yield "IpBadVersion-v5", ipv4(tcp(1, 2, 3, 4, ACK, 5), version=5)
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


# ---- packet_fuzzer: records for the stack's listeners --------------------

FUZZ_SERVER = bytes([198, 18, 0, 1])  # fuzz/fuzz_stack.h
FUZZ_CLIENT = bytes([198, 18, 0, 2])


def to_stack(sport, dport, seq, ack, flags, window=64240, opts=b"",
             payload=b""):
    return ipv4(tcp(sport, dport, seq, ack, flags, window, opts, payload,
                    src=FUZZ_CLIENT, dst=FUZZ_SERVER),
                src=FUZZ_CLIENT, dst=FUZZ_SERVER)


def packet_seeds():
    frame = kernel_pcaps.frame
    syn = to_stack(40000, 80, 1000, 0, SYN, opts=LINUX_SYN)
    yield "syn_linux", frame([syn])
    yield "syn_ecn", frame([to_stack(40000, 80, 1000, 0, SYN | ECE | CWR,
                                     opts=LINUX_SYN)])
    yield "syn_cookie_port", frame([to_stack(40000, 443, 1000, 0, SYN,
                                             opts=LINUX_SYN)])
    yield "syn_then_rst", frame([syn, to_stack(40000, 80, 1001, 0, RST)])
    yield "syn_then_guessed_ack", frame([syn, to_stack(40000, 80, 1001, 1,
                                                       ACK, opts=TS_ONLY)])
    yield "syn_flood", frame([to_stack(40000 + i, 80, 1000 + i, 0, SYN,
                                       opts=LINUX_SYN) for i in range(4)])
    yield "ack_no_socket", frame([to_stack(40000, 81, 5, 6, ACK)])
    yield "rst_no_socket", frame([to_stack(40000, 81, 5, 0, RST)])
    yield "syn_fin", frame([to_stack(40000, 80, 5, 0, SYN | FIN)])
    yield "syn_data_tfo", frame([to_stack(40000, 80, 5, 0, SYN, opts=opt_mss()
                                          + opt_tfo(bytes(8)),
                                          payload=b"early")])
    yield "bad_checksum", frame([flip(syn, 30)])


# ---- handshake_fuzzer: scripts named by client 0's final record ---------

GET = b"GET / HTTP/1.1\r\nHost: 198.18.0.1\r\n\r\n"


def handshake_seeds():
    syn = dict(seq=(SEQ_CLIENT_ISN, 0), ack=(ACK_ABSOLUTE, 0))
    final_ack = dict(seq=(SEQ_RCV_NXT, 0), ack=(ACK_ISS, 1))
    linux = dict(mss=1460, ws=7, sack_permitted=True, ts=(0, 0))

    def open_(h, client=0, **opts):
        h.segment(client, SYN, **syn, **opts)
        return h.segment(client, ACK, **final_ack,
                         ts=(0, 0) if "ts" in opts else None)

    yield "RequestSock-syn", Handshake().segment(0, SYN, **syn).bytes()
    yield "RequestSock-syn_linux_options", Handshake().segment(
        0, SYN, **syn, **linux).bytes()
    yield "RequestSock-syn_data", Handshake().segment(
        0, SYN, **syn, payload=b"data in SYN").bytes()
    yield "ChildQueued-plain", open_(Handshake()).bytes()
    yield "ChildQueued-linux_options", open_(Handshake(), **linux).bytes()
    yield "ChildQueued-ecn", open_(Handshake().segment(
        0, SYN | ECE | CWR, **syn, mss=1460)).bytes()
    yield "Socket-accepted", open_(Handshake()).accept().bytes()
    yield "Socket-data_read", open_(Handshake(), **linux).accept().segment(
        0, PSH | ACK, ts=(0, 0), payload=GET).read(0, 100).bytes()
    # The server closes first: FIN-WAIT-1, then the client's FIN+ACK.
    yield "TimeWait-server_closes_first", open_(Handshake()).accept().call(
        CLOSE, 0).segment(0, FIN | ACK).bytes()
    # The client closes first: CLOSE-WAIT, LAST-ACK, then CLOSED.
    yield "None-client_closes_first", open_(Handshake()).accept().segment(
        0, FIN | ACK).call(CLOSE, 0).segment(0, ACK).bytes()
    yield "None-abort", open_(Handshake()).accept().call(ABORT, 0).bytes()
    yield "None-rst_in_syn_received", Handshake().segment(
        0, SYN, **syn).segment(0, RST, seq=(SEQ_RCV_NXT, 0)).bytes()
    # RFC 5961 §3.2: an in-window RST that is not exact gets a challenge ACK.
    yield "Socket-rst_challenge_ack", open_(Handshake()).accept().segment(
        0, RST, seq=(SEQ_RCV_NXT, 1)).bytes()
    yield "None-rst_established", open_(Handshake()).accept().segment(
        0, RST, seq=(SEQ_RCV_NXT, 0)).bytes()
    yield "None-synack_retries_exhausted", Handshake(
        synack_retries=1).segment(0, SYN, **syn).advance(1000).advance(
        2000).advance(4000).advance(8000).bytes()
    yield "ChildQueued-syncookie_always", open_(
        Handshake(cookies=2), **linux).bytes()
    # SYN queue of one: client 1 fills it, client 0 gets a cookie.
    yield "ChildQueued-syncookie_when_full", Handshake(
        syn_queue_limit=1).segment(1, SYN, **syn).segment(
        0, SYN, **syn, mss=1460).segment(0, ACK, ack=(ACK_SND_NXT, 0)).bytes()
    # No cookies: client 0's SYN finds the SYN queue full and is dropped.
    yield "None-syn_queue_full_no_cookies", Handshake(
        syn_queue_limit=1, cookies=0).segment(1, SYN, **syn).segment(
        0, SYN, **syn).bytes()
    # Backlog 0 admits one child; a SYN is then dropped (Linux drops SYNs
    # while the accept queue is full).
    yield "None-syn_while_accept_queue_full", open_(open_(
        Handshake(backlog=0, syn_queue_limit=4), client=1)).bytes()

    # Both SYNs first; client 1's child fills the queue, client 0's final ACK
    # overflows: dropped (the request sock stays) or reset.
    def overflow(h):
        return h.segment(1, SYN, **syn).segment(0, SYN, **syn).segment(
            1, ACK, **final_ack).segment(0, ACK, **final_ack)

    yield "RequestSock-accept_queue_overflow_drop", overflow(
        Handshake(backlog=0, syn_queue_limit=4)).bytes()
    yield "None-accept_queue_overflow_reset", overflow(
        Handshake(backlog=0, syn_queue_limit=4, overflow_reset=True)).bytes()
    yield "None-close_listener", open_(Handshake()).close_listener().bytes()
    yield "RequestSock-relisten", open_(Handshake()).close_listener().listen(
        ).segment(0, SYN, seq=(SEQ_CLIENT_ISN, 5000),
                  ack=(ACK_ABSOLUTE, 0)).bytes()
    yield "None-time_wait_expires", open_(Handshake()).accept().call(
        CLOSE, 0).segment(0, FIN | ACK).advance(61000).bytes()


# ---- fast_open_fuzzer: TCP Fast Open (RFC 7413), named like the above ----


def fast_open_seeds():
    syn = dict(seq=(SEQ_CLIENT_ISN, 0), ack=(ACK_ABSOLUTE, 0))
    data = b"GET / HTTP/1.1\r\n\r\n"

    def with_cookie(h, exp=False):
        """Client 0 asks for a cookie, then resets the request sock: it now
        holds the cookie the stack gave it."""
        return h.segment(0, SYN, **syn, mss=1460, tfo="request",
                         tfo_exp=exp).segment(0, RST, seq=(SEQ_RCV_NXT, 0))

    yield "RequestSock-tfo_cookie_request", Handshake(
        fast_open=(1, False)).segment(0, SYN, **syn, tfo="request").bytes()
    # §4.2.2: a valid cookie with data makes a child at once (SYN-RECEIVED,
    # queued for accept, the data readable).
    yield "ChildQueued-tfo_valid_cookie_data", with_cookie(
        Handshake(fast_open=(1, False))).segment(
        0, SYN, seq=(SEQ_CLIENT_ISN, 7), ack=(ACK_ABSOLUTE, 0), tfo="last",
        payload=data).bytes()
    yield "ChildQueued-tfo_experimental_option", with_cookie(
        Handshake(fast_open=(1, False)), exp=True).segment(
        0, SYN, seq=(SEQ_CLIENT_ISN, 7), ack=(ACK_ABSOLUTE, 0), tfo="last",
        tfo_exp=True, payload=data).bytes()
    # ... accepted, read, and the ACK of the SYN-ACK completes it.
    yield "Socket-tfo_child_accepted_and_acked", with_cookie(
        Handshake(fast_open=(1, False))).segment(
        0, SYN, seq=(SEQ_CLIENT_ISN, 7), ack=(ACK_ABSOLUTE, 0), tfo="last",
        payload=data).accept().read(0, 100).segment(
        0, ACK, ack=(ACK_SND_NXT, 0)).bytes()
    yield "None-tfo_child_reset", with_cookie(
        Handshake(fast_open=(1, False))).segment(
        0, SYN, seq=(SEQ_CLIENT_ISN, 7), ack=(ACK_ABSOLUTE, 0), tfo="last",
        payload=data).segment(0, RST, seq=(SEQ_RCV_NXT, 0)).bytes()
    # A wrong cookie: an ordinary handshake, the data not acknowledged.
    yield "RequestSock-tfo_wrong_cookie", Handshake(
        fast_open=(1, False)).segment(0, SYN, **syn, tfo=bytes(range(8)),
                                      payload=data).bytes()
    # Cookie not required: any SYN with the option and data.
    yield "ChildQueued-tfo_cookie_not_required", Handshake(
        fast_open=(1, True)).segment(0, SYN, **syn, tfo="request",
                                     payload=data).bytes()
    # The TFO queue holds one: client 1's child takes it, client 0 falls
    # back to an ordinary handshake.
    yield "RequestSock-tfo_queue_full", Handshake(
        fast_open=(1, True), syn_queue_limit=4).segment(
        1, SYN, **syn, tfo="request", payload=data).segment(
        0, SYN, **syn, tfo="request", payload=data).bytes()


# ---- model_diff_fuzzer: refinement scenarios ----------------------------

def model_diff_seeds():
    f = fdp
    ts_syn = (f.MD_TS_ARBITRARY, 1000)
    ts_next = (f.MD_TS_NEWER, 1)

    def handshake(m, ack_base=f.MD_ACK_SND_NXT):
        m.segment(syn=True, mss=1460, ts=ts_syn)
        return m.segment(ack=True, ack_number=(ack_base, 0), ts=ts_next)

    # The handshake in every standard configuration (8-11 answer every SYN
    # with a cookie); with the planted bug the others diverge at the final
    # ACK (model_diff_planted_test).
    cookies_always = range(8, 12)
    for config in range(f.MD_CONFIGS):
        ack_base = (f.MD_ACK_COOKIE if config in cookies_always
                    else f.MD_ACK_SND_NXT)
        yield f"handshake_accept_close_c{config}", handshake(
            ModelDiff(config), ack_base).step(f.MD_ACCEPT).step(
            f.MD_CLOSE).bytes()
    yield "cookie_always", ModelDiff(8).segment(syn=True, mss=1460).segment(
        ack=True, ack_number=(f.MD_ACK_COOKIE, 0)).bytes()
    yield "rst_in_syn_received", ModelDiff(0).segment(
        syn=True, ts=ts_syn).segment(rst=True).bytes()
    yield "synack_expiry", ModelDiff(0).segment(syn=True).advance(
        f.MD_TO_SYNACK).advance(f.MD_TO_SYNACK).advance(
        f.MD_TO_SYNACK).bytes()
    yield "time_wait", handshake(ModelDiff(0)).step(f.MD_ACCEPT).step(
        f.MD_CLOSE).segment(ack=True, fin=True, ts=ts_next).advance(
        f.MD_TO_TIME_WAIT).bytes()
    yield "syn_queue_full_cookie", ModelDiff(4).step(f.MD_OTHER_SYN).step(
        f.MD_OTHER_SYN).step(f.MD_OTHER_SYN).segment(syn=True, mss=1460,
                                                     ts=ts_syn).bytes()
    yield "accept_queue_overflow_reset", ModelDiff(1).step(
        f.MD_OTHER_SYN).segment(syn=True).step(f.MD_OTHER_COMPLETE).segment(
        ack=True).bytes()
    yield "close_listener_relisten", handshake(ModelDiff(0)).step(
        f.MD_CLOSE_LISTENER).step(f.MD_LISTEN).segment(
        syn=True, seq=(f.MD_SEQ_RCV_NXT, 100)).bytes()
    yield "paws_old_data", handshake(ModelDiff(0)).segment(
        ack=True, length=10, ts=(f.MD_TS_OLDER, 0)).bytes()
    yield "rst_challenge_ack", handshake(ModelDiff(0)).segment(
        rst=True, seq=(f.MD_SEQ_RCV_NXT, 1)).bytes()
    yield "data_and_fin", handshake(ModelDiff(0)).segment(
        ack=True, length=100, ts=ts_next).segment(
        ack=True, fin=True, seq=(f.MD_SEQ_RCV_NXT, 0), ts=ts_next).step(
        f.MD_ACCEPT).step(f.MD_CLOSE).bytes()


def wire6_seeds():
    """IPv6 (RFC 8200): the fixed header, each extension header kind and
    each rejection of the walk. In wire_fuzzer's corpus."""
    syn = tcp6(40000, 80, 0x01020304, 0, SYN, 64800, LINUX_SYN)
    ack = tcp6(40000, 80, 0x01020305, 0xA0B0C0D1, ACK, 502, TS_ONLY)
    TCP, HBH, RT, FRAG, DST = 6, 0, 43, 44, 60
    yield "None-v6_syn", ipv6(syn, tclass=0x02, flow=0x54321)
    yield "None-v6_synack", ipv6(
        tcp6(80, 40000, 0xA0B0C0D0, 0x01020305, SYN | ACK, 64800,
             LINUX_SYNACK, src=SERVER6, dst=CLIENT6), src=SERVER6,
        dst=CLIENT6)
    yield "None-v6_data", ipv6(tcp6(40000, 80, 0x01020305, 0xA0B0C0D1,
                                    PSH | ACK, 502, TS_ONLY,
                                    b"GET / HTTP/1.1\r\n\r\n"))
    yield "None-v6_link_padding", ipv6(ack) + bytes(4)
    router_alert = bytes([5, 2, 0, 0])
    yield "None-v6_hop_by_hop", ipv6(ack, first=HBH,
                                     ext=opts_hdr(TCP, router_alert))
    yield "None-v6_dst_options_skip", ipv6(
        ack, first=DST, ext=opts_hdr(TCP, bytes([0x1e, 3, 1, 2, 3])))
    yield "None-v6_routing_sl0", ipv6(ack, first=RT,
                                      ext=routing_hdr(TCP, 4, 0))
    yield "None-v6_atomic_fragment", ipv6(ack, first=FRAG,
                                          ext=fragment_hdr(TCP))
    yield "None-v6_full_chain", ipv6(
        ack, first=HBH,
        ext=opts_hdr(DST, router_alert) + opts_hdr(RT) +
        routing_hdr(FRAG, 0, 0) + fragment_hdr(DST) + opts_hdr(TCP))

    yield "Ip6Truncated-39_bytes", ipv6(syn)[:39]
    yield "Ip6BadPayloadLength-too_long", ipv6(syn, payload_length=len(syn) + 1)
    yield "Ip6ExtensionTruncated-hdr_ext_len", ipv6(
        ack, first=DST, ext=bytes([TCP, 200]) + bytes([1, 4, 0, 0, 0, 0]))
    yield "Ip6ExtensionTruncated-short", ipv6(b"", first=FRAG,
                                              ext=fragment_hdr(TCP)[:6])
    yield "Ip6HopByHopNotFirst-after_dst_options", ipv6(
        ack, first=DST, ext=opts_hdr(HBH) + opts_hdr(TCP))
    yield "Ip6TooManyExtensions-nine_dst_options", ipv6(
        ack, first=DST, ext=opts_hdr(DST) * 8 + opts_hdr(TCP))
    yield "Ip6BadOption-padn_not_zero", ipv6(
        ack, first=DST, ext=bytes([TCP, 0, 1, 4, 0, 0, 0, 1]))
    yield "Ip6BadOption-padding_run_8", ipv6(
        ack, first=HBH, ext=bytes([TCP, 1, 1, 12]) + bytes(12))
    yield "Ip6BadOption-past_end", ipv6(
        ack, first=DST, ext=bytes([TCP, 0, 0x1e, 9, 0, 0, 0, 0]))
    yield "Ip6UnknownOption-action_10", ipv6(
        ack, first=DST, ext=opts_hdr(TCP, bytes([0x80, 2, 0, 0])))
    yield "Ip6UnknownOption-jumbo", ipv6(
        ack, first=HBH, ext=opts_hdr(TCP, bytes([0xc2, 4, 0, 1, 0, 0])))
    yield "Ip6RoutingSegmentsLeft-srh", ipv6(ack, first=RT,
                                             ext=routing_hdr(TCP, 4, 1))
    yield "IpFragment-v6_first", ipv6(ack, first=FRAG,
                                      ext=fragment_hdr(TCP, 0, True))
    yield "IpFragment-v6_last", ipv6(ack, first=FRAG,
                                     ext=fragment_hdr(TCP, 185, False))
    yield "Ip6UnsupportedExtension-esp", ipv6(bytes(16), next_header=50)
    yield "Ip6UnsupportedExtension-ah", ipv6(ack, first=DST,
                                             ext=opts_hdr(51) + bytes(16))
    yield "NotTcp-v6_icmpv6", ipv6(bytes([128, 0, 0, 0, 0, 1, 0, 1]),
                                   next_header=58)
    yield "NotTcp-v6_no_next_header", ipv6(b"", next_header=59)
    yield "TcpTruncated-v6_12_bytes", ipv6(ack[:12])
    yield "TcpBadChecksum-v6_payload_flipped", flip(
        ipv6(tcp6(1, 2, 3, 4, PSH | ACK, 5, payload=b"data")), 63)
    yield "TcpBadChecksum-v6_ipv4_pseudo_header", ipv6(
        tcp6(1, 2, 3, 4, ACK, 5, csum_v4_style=True))
    yield "TcpBadOptions-v6_zero_length", ipv6(
        tcp6(1, 2, 3, 4, SYN, 5, bytes([2, 0, 1, 1])))


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
    p.add_argument("--pcaps", type=pathlib.Path, default=here / "pcaps",
                   help="kernel captures to convert (default: %(default)s)")
    args = p.parse_args()
    converted = {}
    for fuzzer, fname, data in kernel_pcaps.seeds(args.pcaps):
        converted.setdefault(fuzzer, []).append((fname, data))
    for name, hand in (("wire_fuzzer", list(wire_seeds()) +
                        list(wire6_seeds())),
                       ("options_fuzzer", options_seeds()),
                       ("packet_fuzzer", packet_seeds()),
                       ("handshake_fuzzer", handshake_seeds()),
                       ("fast_open_fuzzer", fast_open_seeds()),
                       ("model_diff_fuzzer", model_diff_seeds())):
        write(args.out, name, list(hand) + converted.get(name, []))


if __name__ == "__main__":
    main()
