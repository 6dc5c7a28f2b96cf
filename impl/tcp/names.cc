// Printable names of the Stack API's enums.
#include "impl/tcp/stack.h"

namespace tcpref::tcp {

std::string_view to_string(Error e) {
  switch (e) {
    case Error::kOk:
      return "Ok";
    case Error::kWouldBlock:
      return "WouldBlock";
    case Error::kBadHandle:
      return "BadHandle";
    case Error::kAddressInUse:
      return "AddressInUse";
    case Error::kNoMemory:
      return "NoMemory";
    case Error::kInvalidArgument:
      return "InvalidArgument";
    case Error::kNotConnected:
      return "NotConnected";
    case Error::kConnectionReset:
      return "ConnectionReset";
    case Error::kClosed:
      return "Closed";
    case Error::kTimedOut:
      return "TimedOut";
  }
  return "?";
}

std::string_view to_string(TcpState s) {
  switch (s) {
    case TcpState::kClosed:
      return "CLOSED";
    case TcpState::kListen:
      return "LISTEN";
    case TcpState::kSynSent:
      return "SYN-SENT";
    case TcpState::kSynReceived:
      return "SYN-RECEIVED";
    case TcpState::kEstablished:
      return "ESTABLISHED";
    case TcpState::kFinWait1:
      return "FIN-WAIT-1";
    case TcpState::kFinWait2:
      return "FIN-WAIT-2";
    case TcpState::kCloseWait:
      return "CLOSE-WAIT";
    case TcpState::kClosing:
      return "CLOSING";
    case TcpState::kLastAck:
      return "LAST-ACK";
    case TcpState::kTimeWait:
      return "TIME-WAIT";
  }
  return "?";
}

}  // namespace tcpref::tcp
