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
    case ParseError::kCount:
      break;
  }
  return "Unknown";
}

}  // namespace tcpref::wire
