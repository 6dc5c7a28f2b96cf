"""The Internet checksum (RFC 1071) and checksum repair for captured packets."""

import struct


def csum(data: bytes) -> int:
    """RFC 1071 one's-complement checksum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def fix_checksums(ip: bytes) -> bytes:
    """Recomputes both checksums of an IPv4/TCP packet. Captures on lo (and
    on NICs with offload) hold partial checksums the sender never finished."""
    ihl = (ip[0] & 0xF) * 4
    hdr = ip[:10] + b"\0\0" + ip[12:ihl]
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    seg = ip[ihl:16 + ihl] + b"\0\0" + ip[ihl + 18:]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(seg))
    seg = seg[:16] + struct.pack("!H", csum(pseudo + seg)) + seg[18:]
    return hdr + seg
