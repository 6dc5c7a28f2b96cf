"""Writes inputs for handshake_fuzzer: the inverse of FuzzedDataProvider.

FuzzedDataProvider hands out byte arrays from the front of the input and
integers from the back (most significant byte first, value = min + raw).
FdpWriter records values in the order the decoder asks for them and lays the
bytes out so the decoder reads them back. Handshake mirrors
fuzz/handshake_driver.cc step by step; //fuzz:seeds_test replays every seed
and checks the record its name promises, so the two cannot drift apart
silently.
"""

# fuzz/handshake_driver.cc: StepKind, SeqBase, AckBase, opt::*.
SEGMENT, ADVANCE, ACCEPT, READ, WRITE, SHUTDOWN, CLOSE, ABORT, \
    CLOSE_LISTENER, LISTEN = range(10)
STEP_MAX = LISTEN
SEQ_RCV_NXT, SEQ_CLIENT_ISN, SEQ_ABSOLUTE = range(3)
ACK_ISS, ACK_SND_NXT, ACK_ABSOLUTE = range(3)
OPT_MSS, OPT_WS, OPT_SACK_PERM, OPT_TS, OPT_SACK, OPT_ECT, OPT_TFO, \
    OPT_TFO_EXP = (1 << i for i in range(8))
# CookieChoice, for fast_open_fuzzer (the fast_open variant).
COOKIE_REQUEST, COOKIE_LAST_GIVEN, COOKIE_WRONG = range(3)
COOKIE_MAX = COOKIE_WRONG
MAX_PAYLOAD = 1024
MAX_ADVANCE_MS = 1 << 17
CLIENTS = 4
HANDLES = 8

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128


class FdpWriter:
    def __init__(self):
        self.front = bytearray()
        self.back = bytearray()  # in the order the decoder consumes it

    def integral(self, lo, hi, value, size):
        """ConsumeIntegralInRange<T>(lo, hi) returning value; size=sizeof(T)."""
        assert lo <= value <= hi, (lo, value, hi)
        span, raw = hi - lo, value - lo
        count, shift = 0, 0
        while shift < 8 * size and (span >> shift) > 0:
            count += 1
            shift += 8
        for i in reversed(range(count)):
            self.back.append((raw >> (8 * i)) & 0xFF)

    def u8(self, v):
        self.integral(0, 0xFF, v, 1)

    def u16(self, v):
        self.integral(0, 0xFFFF, v, 2)

    def u32(self, v):
        self.integral(0, 0xFFFFFFFF, v & 0xFFFFFFFF, 4)

    def i8(self, v):
        self.integral(-128, 127, v, 1)

    def i16(self, v):
        self.integral(-32768, 32767, v, 2)

    def boolean(self, v):
        self.u8(1 if v else 0)

    def enum(self, v, max_value):
        self.integral(0, max_value, v, 4)

    def data(self, b):
        self.front += b

    def bytes(self):
        return bytes(self.front) + bytes(reversed(self.back))


class Handshake:
    """One handshake_fuzzer input, built step by step."""

    def __init__(self, timestamps=True, sack=True, ecn=True, rfc1337=True,
                 window_scale=7, backlog=1, syn_queue_limit=2, cookies=1,
                 overflow_reset=False, synack_retries=5, fast_open=None):
        """fast_open: (queue_length, cookie_not_required) for
        fast_open_fuzzer; None for handshake_fuzzer."""
        w = self.w = FdpWriter()
        self.fast_open = fast_open is not None
        w.boolean(timestamps)
        w.boolean(sack)
        w.boolean(ecn)
        w.boolean(rfc1337)
        w.integral(0, 14, window_scale, 1)
        w.integral(0, 3, backlog, 4)
        w.integral(1, 4, syn_queue_limit, 4)
        w.integral(0, 2, cookies, 1)  # off, when SYN queue full, always
        w.boolean(overflow_reset)
        w.integral(0, 5, synack_retries, 1)
        if fast_open is not None:
            w.integral(1, 3, fast_open[0], 4)
            w.boolean(fast_open[1])

    def segment(self, client, flags, seq=(SEQ_RCV_NXT, 0),
                ack=(ACK_SND_NXT, 0), window=65535, mss=None, ws=None,
                sack_permitted=False, ts=None, sack=None, ect=False,
                tfo=None, tfo_exp=False, payload=b""):
        """seq/ack: (base, offset). ts: (tsval offset from the client's
        clock, tsecr offset from the last TSval heard). sack: one block as
        (left, right) offsets from SND.NXT. tfo (fast_open only): "request",
        "last" (the cookie the stack gave this client) or 8 wrong bytes;
        tfo_exp: as kind 254."""
        assert tfo is None or self.fast_open
        w = self.w
        w.enum(SEGMENT, STEP_MAX)
        w.integral(0, CLIENTS - 1, client, 8)
        w.u8(flags)
        for base, off in (seq, ack):
            w.enum(base, 2)
            if base == 2:
                w.u32(off)
            else:
                w.i16(off)
        w.u16(window)
        opts = ((OPT_MSS if mss is not None else 0) |
                (OPT_WS if ws is not None else 0) |
                (OPT_SACK_PERM if sack_permitted else 0) |
                (OPT_TS if ts is not None else 0) |
                (OPT_SACK if sack is not None else 0) |
                (OPT_ECT if ect else 0) |
                (OPT_TFO if tfo is not None else 0) |
                (OPT_TFO_EXP if tfo_exp else 0))
        w.u8(opts)
        if mss is not None:
            w.u16(mss)
        if ws is not None:
            w.u8(ws)
        if ts is not None:
            w.i8(ts[0])
            w.i8(ts[1])
        if sack is not None:
            w.i16(sack[0])
            w.i16(sack[1])
        if tfo == "request":
            w.enum(COOKIE_REQUEST, COOKIE_MAX)
        elif tfo == "last":
            w.enum(COOKIE_LAST_GIVEN, COOKIE_MAX)
        elif tfo is not None:
            assert len(tfo) == 8
            w.enum(COOKIE_WRONG, COOKIE_MAX)
            for b in tfo:
                w.u8(b)
        assert len(payload) <= MAX_PAYLOAD
        w.integral(0, MAX_PAYLOAD, len(payload), 2)
        w.data(payload)
        return self

    def advance(self, ms):
        self.w.enum(ADVANCE, STEP_MAX)
        self.w.integral(1, MAX_ADVANCE_MS, ms, 4)
        return self

    def accept(self):
        self.w.enum(ACCEPT, STEP_MAX)
        return self

    def read(self, handle, n):
        self.w.enum(READ, STEP_MAX)
        self.w.integral(0, HANDLES - 1, handle, 8)
        self.w.integral(0, 4096, n, 8)
        return self

    def write(self, handle, data):
        self.w.enum(WRITE, STEP_MAX)
        self.w.integral(0, HANDLES - 1, handle, 8)
        self.w.integral(0, MAX_PAYLOAD, len(data), 2)
        self.w.data(data)
        return self

    def call(self, kind, handle):
        """SHUTDOWN, CLOSE or ABORT on an accepted handle."""
        self.w.enum(kind, STEP_MAX)
        self.w.integral(0, HANDLES - 1, handle, 8)
        return self

    def close_listener(self):
        self.w.enum(CLOSE_LISTENER, STEP_MAX)
        return self

    def listen(self):
        self.w.enum(LISTEN, STEP_MAX)
        return self

    def bytes(self):
        return self.w.bytes()



# fuzz/model_diff_input.cc over refinement/scenario.h's enums.
(MD_SEGMENT, MD_OTHER_SYN, MD_OTHER_COMPLETE, MD_ACCEPT, MD_CLOSE,
 MD_CLOSE_LISTENER, MD_LISTEN, MD_ADVANCE) = range(8)
MD_STEP_KINDS = 8
MD_SEQ_RCV_NXT, MD_SEQ_IRS, MD_SEQ_WINDOW_END, MD_SEQ_HALF_SPACE, \
    MD_SEQ_ARBITRARY = range(5)
MD_ACK_SND_NXT, MD_ACK_SND_UNA, MD_ACK_OLDEST, MD_ACK_HALF_SPACE, \
    MD_ACK_COOKIE, MD_ACK_ARBITRARY = range(6)
MD_TS_NONE, MD_TS_NEWER, MD_TS_SAME, MD_TS_OLDER, MD_TS_ARBITRARY = range(5)
MD_TO_NEXT_TIMER, MD_TO_SYNACK, MD_TO_TIME_WAIT, MD_TO_COOKIE_EPOCH = range(4)
MD_CONFIGS = 13  # refinement::standard_configs()
MD_MAX_PAYLOAD = 200


class ModelDiff:
    """One model_diff_fuzzer input: a standard config and a Scenario."""

    def __init__(self, config=0, client_isn=0x10000000):
        w = self.w = FdpWriter()
        w.integral(0, MD_CONFIGS - 1, config, 8)
        w.u32(client_isn)

    def _kind(self, kind):
        self.w.integral(0, MD_STEP_KINDS - 1, kind, 1)
        return self

    def segment(self, syn=False, ack=False, rst=False, fin=False,
                seq=(MD_SEQ_RCV_NXT, 0), ack_number=(MD_ACK_SND_NXT, 0),
                length=0, window=65535, mss=None, ws=None,
                sack_permitted=False, ts=(MD_TS_NONE, 0)):
        w = self._kind(MD_SEGMENT).w
        w.u8(syn | ack << 1 | rst << 2 | fin << 3)
        for (base, off), arbitrary, count in ((seq, MD_SEQ_ARBITRARY, 5),
                                              (ack_number, MD_ACK_ARBITRARY,
                                               6)):
            w.integral(0, count - 1, base, 1)
            if base == arbitrary:
                w.u32(off)
            else:
                w.i16(off)
        w.integral(0, MD_MAX_PAYLOAD, length, 2)
        w.u16(window)
        w.u8((mss is not None) | (ws is not None) << 1 | sack_permitted << 2)
        if mss is not None:
            w.u16(mss)
        if ws is not None:
            w.integral(0, 15, ws, 1)
        w.integral(0, 4, ts[0], 1)
        if ts[0] == MD_TS_NEWER:
            w.integral(1, 0x7FFFFFFF, ts[1], 4)
        elif ts[0] == MD_TS_ARBITRARY:
            w.u32(ts[1])
        return self

    def step(self, kind):
        """A step without arguments (other clients, accept, close, ...)."""
        return self._kind(kind)

    def advance(self, to=MD_TO_NEXT_TIMER):
        self._kind(MD_ADVANCE).w.integral(0, 3, to, 1)
        return self

    def bytes(self):
        return self.w.bytes()
