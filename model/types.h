// The model's vocabulary: states, input kinds, output kinds, app events,
// listener options. Values are stored in D::Word fields, so each enum has a
// fixed uint32_t encoding and a printable name.
#ifndef TCPREF_MODEL_TYPES_H_
#define TCPREF_MODEL_TYPES_H_

#include <cstdint>
#include <string_view>

namespace tcpref::model {

// The tracked 4-tuple as the server sees it (RFC 9293 §3.3.2). CLOSED and
// LISTEN both mean "no record for this 4-tuple"; they differ in whether the
// listener exists. kEstablishedQueued is a child in the accept queue.
// kEstablishedQueued..kClosing are contiguous: the established-table states.
enum class TcpState : uint32_t {
  kClosed,
  kListen,
  kSynReceived,
  kEstablishedQueued,
  kEstablished,
  kCloseWait,
  kLastAck,
  kFinWait1,
  kFinWait2,
  kClosing,
  kTimeWait,
  kCount,
};

enum class InputKind : uint32_t {
  kSegment,           // a segment for the tracked 4-tuple
  kTimerSynAck,       // request sock's SYN-ACK retransmission timer fired
  kTimerTimeWait,     // TIME-WAIT (2*MSL) timer fired
  kTimerCookieClock,  // the SYN-cookie clock advanced one tick (64 s)
  kAppListen,         // listen(backlog)
  kAppAccept,         // accept(): take the tracked child if it is queued
  kAppClose,          // close() on the accepted connection
  kAppCloseListener,  // close() on the listening socket
  kOtherSyn,          // a SYN from another 4-tuple reached the listener
  kOtherExpire,       // another request sock expired
  kOtherComplete,     // another request sock completed its handshake
  kOtherAccept,       // accept() took another queued child
  kCount,
};

enum class OutputKind : uint32_t {
  kNone,
  kSynAck,
  kAck,           // ACK <SEQ=SND.NXT><ACK=RCV.NXT> (RFC 9293 §3.10.7.4)
  kChallengeAck,  // same wire form, sent for RFC 5961 §3.2/§4.2 reasons
  kRst,
  kFin,  // FIN|ACK <SEQ=SND.NXT><ACK=RCV.NXT>
  kCount,
};

enum class AppEvent : uint32_t {
  kNone,
  kQueued,    // a child entered the accept queue (accept will succeed)
  kAccepted,  // accept() returned the tracked connection
  kReset,     // the connection was reset by the peer
  kClosed,    // the connection finished closing (LAST-ACK acked)
  kAborted,   // the listener closed with the child still queued
  kCount,
};

// net.ipv4.tcp_syncookies: 0 off, 1 when the SYN queue is full, 2 always.
enum class CookieMode : uint32_t { kOff, kWhenFull, kAlways };

std::string_view name(TcpState s);
std::string_view name(InputKind k);
std::string_view name(OutputKind k);
std::string_view name(AppEvent e);

// Constants of the model (documented in docs/MODEL.md).
inline constexpr uint32_t kMaxBacklog = 4096;    // net.core.somaxconn
inline constexpr uint32_t kDefaultMss = 536;     // RFC 9293 §3.7.1
inline constexpr uint32_t kMaxWindowScale = 14;  // RFC 7323 §2.3
// Linux __cookie_v4_check: a cookie MAX_SYNCOOKIE_AGE (2) ticks old is stale.
inline constexpr uint32_t kMaxCookieAge = 1;        // cookie clock ticks
inline constexpr uint32_t kTimeWaitIssGap = 65537;  // new ISS past SND.NXT
// Floor for the peer's MSS, so a tiny option cannot force tiny segments
// (CVE-2019-11479; Linux's tcp_min_snd_mss is 48, impl/tcp uses 64).
inline constexpr uint32_t kMinMss = 64;
// Eight cookie MSS levels (Linux has four: 536, 1300, 1440, 1460); the first
// is kMinMss, so every offer has an entry at or below it.
inline constexpr uint32_t kCookieMssTable[] = {64,   536,  1200, 1300,
                                               1380, 1440, 1452, 1460};
inline constexpr uint32_t kCookieMssLevels = 8;

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_TYPES_H_
