#include "impl/wire/ipv6_extensions.h"

#include <algorithm>

#include "impl/wire/bytes.h"

namespace tcpref::wire {
namespace {

// Every extension header is a multiple of 8 bytes, at least 8 (RFC 8200 §4).
constexpr size_t kExtensionUnit = 8;

Checked<ExtensionWalk> fail(ParseError e) { return {e, {}}; }

// The length of a Hop-by-Hop, Routing or Destination Options header: Hdr Ext
// Len in 8-octet units, not counting the first 8 (RFC 8200 §4.3, §4.4, §4.6).
size_t tlv_header_length(std::span<const uint8_t> at) {
  return (size_t{at[1]} + 1) * kExtensionUnit;
}

}  // namespace

ParseError check_options_area(std::span<const uint8_t> options) {
  size_t i = 0;
  size_t padding_run = 0;
  size_t count = 0;
  while (i < options.size()) {
    const uint8_t type = options[i];
    if (type == kOptionPad1) {
      // RFC 8200 §4.2: Pad1 is a single byte with no length or data.
      if (++padding_run > kMaxPaddingRun) return ParseError::kIp6BadOption;
      ++i;
      continue;
    }
    if (i + 2 > options.size()) return ParseError::kIp6BadOption;
    const size_t data_length = options[i + 1];
    if (i + 2 + data_length > options.size()) return ParseError::kIp6BadOption;
    const std::span<const uint8_t> data = options.subspan(i + 2, data_length);
    if (type == kOptionPadN) {
      // RFC 4942 §2.1.9.5: PadN carries zeros and is only ever needed for
      // up to 7 bytes of alignment; anything else is a covert channel.
      padding_run += 2 + data_length;
      if (padding_run > kMaxPaddingRun ||
          std::any_of(data.begin(), data.end(), [](uint8_t b) { return b; })) {
        return ParseError::kIp6BadOption;
      }
    } else {
      padding_run = 0;
      if (++count > kMaxOptionsPerHeader) return ParseError::kIp6BadOption;
      // RFC 8200 §4.2: the two high bits of an unrecognised option's type
      // say what to do: 00 skip it; 01, 10, 11 discard the packet (10 and
      // 11 also send ICMP Parameter Problem, which a TCP endpoint's receive
      // path does not).
      if ((type >> 6) != 0) return ParseError::kIp6UnknownOption;
    }
    i += 2 + data_length;
  }
  return ParseError::kNone;
}

Checked<ExtensionWalk> walk_extension_headers(
    uint8_t first, std::span<const uint8_t> payload) {
  ExtensionWalk walk;
  uint8_t next = first;
  size_t at = 0;
  for (;;) {
    size_t length = 0;
    switch (next) {
      case next_header::kHopByHop:
        // RFC 8200 §4.3: Hop-by-Hop Options only immediately after the IPv6
        // header (§4.1); anywhere else the packet is discarded.
        if (walk.headers != 0) return fail(ParseError::kIp6HopByHopNotFirst);
        [[fallthrough]];
      case next_header::kDestinationOptions: {
        if (payload.size() - at < kExtensionUnit) {
          return fail(ParseError::kIp6ExtensionTruncated);
        }
        length = tlv_header_length(payload.subspan(at));
        if (payload.size() - at < length) {
          return fail(ParseError::kIp6ExtensionTruncated);
        }
        const ParseError e =
            check_options_area(payload.subspan(at + 2, length - 2));
        if (e != ParseError::kNone) return fail(e);
        break;
      }
      case next_header::kRouting:
        if (payload.size() - at < kExtensionUnit) {
          return fail(ParseError::kIp6ExtensionTruncated);
        }
        length = tlv_header_length(payload.subspan(at));
        if (payload.size() - at < length) {
          return fail(ParseError::kIp6ExtensionTruncated);
        }
        // RFC 8200 §4.4: Segments Left 0 → ignore the header (any type,
        // including the deprecated type 0, RFC 5095 §3) and go on; else
        // this node is not the final destination and, not being a router,
        // discards it (an unknown type would be discarded too).
        if (payload[at + 3] != 0) {
          return fail(ParseError::kIp6RoutingSegmentsLeft);
        }
        break;
      case next_header::kFragment: {
        // RFC 8200 §4.5: 8 bytes; offset (13 bits) and M in bytes 2-3.
        if (payload.size() - at < kExtensionUnit) {
          return fail(ParseError::kIp6ExtensionTruncated);
        }
        const uint16_t offset_and_m = load_be16(payload, at + 2);
        // RFC 6946 §4: an atomic fragment (offset 0, M 0) is processed as
        // a whole packet, never queued for reassembly; any other fragment
        // needs reassembly, which this stack does not do.
        const bool more_fragments = (offset_and_m & 0x0001) != 0;
        if ((offset_and_m >> 3) != 0 || more_fragments) {
          return fail(ParseError::kIpFragment);
        }
        walk.atomic_fragment = true;
        length = kExtensionUnit;
        break;
      }
      case next_header::kEsp:
      case next_header::kAuthentication:
      case next_header::kMobility:
      case next_header::kHip:
      case next_header::kShim6:
      case next_header::kExperiment1:
      case next_header::kExperiment2:
        // Extension headers (RFC 7045 §2) this endpoint cannot process:
        // ESP and AH would need a security association, the others a
        // protocol it does not speak; skipping them would accept what the
        // sender meant to protect or redirect.
        return fail(ParseError::kIp6UnsupportedExtension);
      default:
        // Not an extension header: the upper-layer header (or No Next
        // Header, 59) starts here.
        walk.protocol = next;
        walk.offset = at;
        return {ParseError::kNone, walk};
    }
    if (++walk.headers > kMaxExtensionHeaders) {
      return fail(ParseError::kIp6TooManyExtensions);
    }
    next = payload[at];
    at += length;
  }
}

}  // namespace tcpref::wire
