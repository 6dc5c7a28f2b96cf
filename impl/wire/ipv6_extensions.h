// The IPv6 extension-header walk (RFC 8200 §4): from the fixed header's Next
// Header to the upper-layer header, checking each header on the way. A TCP
// endpoint processes Hop-by-Hop and Destination Options (skipping options
// whose action bits allow it), accepts a Routing header only with Segments
// Left 0, and an atomic fragment (RFC 6946) as an unfragmented packet; it
// does not reassemble, verify AH or decrypt ESP. The walk is bounded
// (RFC 8504 §5.3 lets a host limit headers, options and padding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "impl/wire/parse_error.h"

namespace tcpref::wire {

// Next Header values (IANA "Assigned Internet Protocol Numbers").
namespace next_header {
inline constexpr uint8_t kHopByHop = 0;
inline constexpr uint8_t kTcp = 6;
inline constexpr uint8_t kRouting = 43;
inline constexpr uint8_t kFragment = 44;
inline constexpr uint8_t kEsp = 50;
inline constexpr uint8_t kAuthentication = 51;
inline constexpr uint8_t kIcmpv6 = 58;
inline constexpr uint8_t kNoNextHeader = 59;
inline constexpr uint8_t kDestinationOptions = 60;
inline constexpr uint8_t kMobility = 135;
inline constexpr uint8_t kHip = 139;
inline constexpr uint8_t kShim6 = 140;
inline constexpr uint8_t kExperiment1 = 253;  // RFC 3692
inline constexpr uint8_t kExperiment2 = 254;
}  // namespace next_header

// Option types with a meaning to the walk (RFC 8200 §4.2).
inline constexpr uint8_t kOptionPad1 = 0;
inline constexpr uint8_t kOptionPadN = 1;

// Bounds (RFC 8504 §5.3). A legitimate chain for a host has at most six
// headers (Hop-by-Hop, Destination Options, Routing, Fragment, AH,
// Destination Options, RFC 8200 §4.1); options: Linux's max_hbh_opts_number
// and max_dst_opts_number default; padding: RFC 8504 §5.3 / RFC 4942
// §2.1.9.5 (more than 7 bytes in a row is never needed for alignment).
inline constexpr size_t kMaxExtensionHeaders = 8;
inline constexpr size_t kMaxOptionsPerHeader = 8;
inline constexpr size_t kMaxPaddingRun = 7;

struct ExtensionWalk {
  uint8_t protocol = 0;  // the upper-layer Next Header value
  size_t offset = 0;     // of the upper-layer header in the IPv6 payload
  uint8_t headers = 0;   // extension headers walked
  bool atomic_fragment = false;  // a Fragment header with offset 0, M 0
};

// Walks `payload` (the IPv6 payload) starting with `first` (the fixed
// header's Next Header). Reasons: kIp6ExtensionTruncated,
// kIp6HopByHopNotFirst, kIp6TooManyExtensions, kIp6BadOption,
// kIp6UnknownOption, kIp6RoutingSegmentsLeft, kIpFragment,
// kIp6UnsupportedExtension. Reads nothing outside `payload`.
[[nodiscard]] Checked<ExtensionWalk> walk_extension_headers(
    uint8_t first, std::span<const uint8_t> payload);

// Checks the options area of a Hop-by-Hop or Destination Options header
// (after its two-byte Next Header / Hdr Ext Len): kIp6BadOption for a
// malformed TLV or padding, kIp6UnknownOption for an option whose action
// bits say discard (we recognise no option but padding).
[[nodiscard]] ParseError check_options_area(std::span<const uint8_t> options);

}  // namespace tcpref::wire
