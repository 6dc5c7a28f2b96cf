// Why a packet was rejected, shared by the IPv4 and TCP views and
// parse_packet. Each reason maps to one drop counter.
#pragma once

#include <cstdint>
#include <string_view>

namespace tcpref::wire {

enum class ParseError : uint8_t {
  kNone = 0,
  kIpTruncated,           // fewer than 20 bytes (IPv4) or no version byte
  kIpBadVersion,          // version neither 4 nor 6
  kIpBadIhl,              // IHL < 5 or IHL·4 > buffer
  kIpBadTotalLength,      // total length < IHL·4 or > buffer
  kIpBadChecksum,         // IPv4 header checksum fails
  kIpFragment,            // MF set or fragment offset ≠ 0 (no reassembly)
  kNotTcp,                // protocol ≠ 6
  kTcpTruncated,          // fewer than 20 bytes of TCP
  kTcpBadDataOffset,      // doff < 5
  kTcpDataOffsetPastEnd,  // doff·4 > TCP length
  kTcpBadChecksum,
  kTcpBadOptions,  // see OptionsError
  // IPv6 (RFC 8200); kIpBadVersion, kIpFragment and kNotTcp apply too.
  kIp6Truncated,             // fewer than 40 bytes
  kIp6BadPayloadLength,      // 40 + payload length > buffer
  kIp6ExtensionTruncated,    // an extension header runs past the payload
  kIp6HopByHopNotFirst,      // Hop-by-Hop Options not right after the header
  kIp6TooManyExtensions,     // more than kMaxExtensionHeaders
  kIp6BadOption,             // malformed option TLV, padding or option count
  kIp6UnknownOption,         // unrecognised option whose action says discard
  kIp6RoutingSegmentsLeft,   // Routing header with Segments Left ≠ 0
  kIp6UnsupportedExtension,  // AH, ESP, Mobility, HIP, Shim6, 253, 254
  kCount,
};

// A stable CamelCase name for each reason ("IpBadIhl", "TcpBadChecksum"),
// usable as a counter label.
[[nodiscard]] std::string_view to_string(ParseError e);

// A view that passed its structural checks, or the reason it did not. The
// view's accessors may be used only when ok().
template <class View>
struct Checked {
  ParseError error = ParseError::kNone;
  View view;
  bool ok() const { return error == ParseError::kNone; }
};

}  // namespace tcpref::wire
