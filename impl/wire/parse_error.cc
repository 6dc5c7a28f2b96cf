#include "impl/wire/parse_error.h"

namespace tcpref::wire {

std::string_view to_string(ParseError e) {
  switch (e) {
    case ParseError::kNone:
      return "None";
    case ParseError::kIpTruncated:
      return "IpTruncated";
    case ParseError::kIpBadVersion:
      return "IpBadVersion";
    case ParseError::kIpBadIhl:
      return "IpBadIhl";
    case ParseError::kIpBadTotalLength:
      return "IpBadTotalLength";
    case ParseError::kIpBadChecksum:
      return "IpBadChecksum";
    case ParseError::kIpFragment:
      return "IpFragment";
    case ParseError::kNotTcp:
      return "NotTcp";
    case ParseError::kTcpTruncated:
      return "TcpTruncated";
    case ParseError::kTcpBadDataOffset:
      return "TcpBadDataOffset";
    case ParseError::kTcpDataOffsetPastEnd:
      return "TcpDataOffsetPastEnd";
    case ParseError::kTcpBadChecksum:
      return "TcpBadChecksum";
    case ParseError::kTcpBadOptions:
      return "TcpBadOptions";
    case ParseError::kIp6Truncated:
      return "Ip6Truncated";
    case ParseError::kIp6BadPayloadLength:
      return "Ip6BadPayloadLength";
    case ParseError::kIp6ExtensionTruncated:
      return "Ip6ExtensionTruncated";
    case ParseError::kIp6HopByHopNotFirst:
      return "Ip6HopByHopNotFirst";
    case ParseError::kIp6TooManyExtensions:
      return "Ip6TooManyExtensions";
    case ParseError::kIp6BadOption:
      return "Ip6BadOption";
    case ParseError::kIp6UnknownOption:
      return "Ip6UnknownOption";
    case ParseError::kIp6RoutingSegmentsLeft:
      return "Ip6RoutingSegmentsLeft";
    case ParseError::kIp6UnsupportedExtension:
      return "Ip6UnsupportedExtension";
    case ParseError::kCount:
      break;
  }
  return "Unknown";
}

}  // namespace tcpref::wire
