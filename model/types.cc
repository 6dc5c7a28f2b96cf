#include "model/types.h"

namespace tcpref::model {

std::string_view name(TcpState s) {
  switch (s) {
    case TcpState::kClosed:
      return "CLOSED";
    case TcpState::kListen:
      return "LISTEN";
    case TcpState::kSynReceived:
      return "SYN-RECEIVED";
    case TcpState::kEstablishedQueued:
      return "ESTABLISHED-QUEUED";
    case TcpState::kEstablished:
      return "ESTABLISHED";
    case TcpState::kCloseWait:
      return "CLOSE-WAIT";
    case TcpState::kLastAck:
      return "LAST-ACK";
    case TcpState::kFinWait1:
      return "FIN-WAIT-1";
    case TcpState::kFinWait2:
      return "FIN-WAIT-2";
    case TcpState::kClosing:
      return "CLOSING";
    case TcpState::kTimeWait:
      return "TIME-WAIT";
    case TcpState::kCount:
      break;
  }
  return "INVALID-STATE";
}

std::string_view name(InputKind k) {
  switch (k) {
    case InputKind::kSegment:
      return "segment";
    case InputKind::kTimerSynAck:
      return "timer:syn-ack";
    case InputKind::kTimerTimeWait:
      return "timer:time-wait";
    case InputKind::kTimerCookieClock:
      return "timer:cookie-clock";
    case InputKind::kAppListen:
      return "app:listen";
    case InputKind::kAppAccept:
      return "app:accept";
    case InputKind::kAppClose:
      return "app:close";
    case InputKind::kAppCloseListener:
      return "app:close-listener";
    case InputKind::kOtherSyn:
      return "other:syn";
    case InputKind::kOtherExpire:
      return "other:request-expired";
    case InputKind::kOtherComplete:
      return "other:handshake-completed";
    case InputKind::kOtherAccept:
      return "other:accepted";
    case InputKind::kCount:
      break;
  }
  return "invalid-input";
}

std::string_view name(OutputKind k) {
  switch (k) {
    case OutputKind::kNone:
      return "none";
    case OutputKind::kSynAck:
      return "SYN-ACK";
    case OutputKind::kAck:
      return "ACK";
    case OutputKind::kChallengeAck:
      return "challenge-ACK";
    case OutputKind::kRst:
      return "RST";
    case OutputKind::kFin:
      return "FIN";
    case OutputKind::kCount:
      break;
  }
  return "invalid-output";
}

std::string_view name(AppEvent e) {
  switch (e) {
    case AppEvent::kNone:
      return "none";
    case AppEvent::kQueued:
      return "queued";
    case AppEvent::kAccepted:
      return "accepted";
    case AppEvent::kReset:
      return "reset";
    case AppEvent::kClosed:
      return "closed";
    case AppEvent::kAborted:
      return "aborted";
    case AppEvent::kCount:
      break;
  }
  return "invalid-event";
}

}  // namespace tcpref::model
