// The rows of the transition table: id, description (guard and action in
// words) and reference (RFC section, MODEL.md choice or Linux behaviour).
// step() reports which row fired, so coverage of the model can be measured;
// docs/MODEL.md lists the same rows and docs/model/ draws them.
#ifndef TCPREF_MODEL_TRANSITIONS_H_
#define TCPREF_MODEL_TRANSITIONS_H_

#include <cstdint>
#include <string_view>

namespace tcpref::model {

#define TCPREF_TRANSITIONS(X)                                                  \
  /* no record, no listener: RFC 9293 §3.10.7.1 */                            \
  X(kClosedRst, "CLOSED: RST dropped", "RFC 9293 §3.10.7.1")                   \
  X(kClosedReset, "CLOSED: any other segment answered with RST",               \
    "RFC 9293 §3.10.7.1")                                                      \
  /* listener: RFC 9293 §3.10.7.2, RFC 4987 */                                \
  X(kListenRst, "LISTEN: RST ignored", "RFC 9293 §3.10.7.2")                   \
  X(kListenAckCookie, "LISTEN: ACK with valid cookie creates child",           \
    "RFC 4987 §3.6")                                                           \
  X(kListenAckCookieOverflow, "LISTEN: valid cookie, accept queue full",       \
    "RFC 4987 §3.6; Linux")                                                    \
  X(kListenAckReset, "LISTEN: ACK without valid cookie answered with RST",     \
    "RFC 9293 §3.10.7.2")                                                      \
  X(kListenSynFin, "LISTEN: SYN+FIN dropped", "Linux (MODEL.md choice)")       \
  X(kListenSynAcceptQueueFull, "LISTEN: SYN dropped, accept queue full",       \
    "Linux sk_acceptq_is_full")                                                \
  X(kListenSynRequest, "LISTEN: SYN creates request sock, SYN-ACK",            \
    "RFC 9293 §3.10.7.2")                                                      \
  X(kListenSynQueueFullDrop, "LISTEN: SYN dropped, SYN queue full",            \
    "RFC 4987 §2.1; Linux")                                                    \
  X(kListenSynCookie, "LISTEN: SYN answered with cookie SYN-ACK",              \
    "RFC 4987 §3.6")                                                           \
  X(kListenNoSynNoAck, "LISTEN: segment without SYN or ACK dropped",           \
    "RFC 9293 §3.10.7.2")                                                      \
  /* request sock: RFC 9293 §3.10.7.4, RFC 5961 */                            \
  X(kSynRecvRstOutOfWindow, "SYN-RECEIVED: RST out of window dropped",         \
    "RFC 5961 §3.2")                                                           \
  X(kSynRecvRstExact, "SYN-RECEIVED: RST at RCV.NXT removes request",          \
    "RFC 5961 §3.2")                                                           \
  X(kSynRecvRstChallenge, "SYN-RECEIVED: RST in window, challenge ACK",        \
    "RFC 5961 §3.2")                                                           \
  X(kSynRecvDupSyn, "SYN-RECEIVED: retransmitted SYN, SYN-ACK again",          \
    "Linux (MODEL.md choice 7)")                                               \
  X(kSynRecvBadAck, "SYN-RECEIVED: unacceptable ACK answered with RST",        \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kSynRecvOutOfWindow, "SYN-RECEIVED: unacceptable SEQ, ACK sent",           \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kSynRecvSyn, "SYN-RECEIVED: SYN in window, RST and remove request",        \
    "Linux (RFC 9293 §3.10.7.4)")                                              \
  X(kSynRecvNoAck, "SYN-RECEIVED: segment without ACK dropped",                \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kSynRecvOutOfOrder, "SYN-RECEIVED: SEQ != RCV.NXT, ACK sent",              \
    "MODEL.md choice 9")                                                       \
  X(kSynRecvComplete, "SYN-RECEIVED: handshake completes, child queued",       \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kSynRecvOverflowDrop, "SYN-RECEIVED: accept queue full, ACK dropped",      \
    "Linux")                                                                   \
  X(kSynRecvOverflowRst, "SYN-RECEIVED: accept queue full, RST (abort)",       \
    "Linux tcp_abort_on_overflow")                                             \
  /* synchronized states: RFC 9293 §3.10.7.4, RFC 5961 */                     \
  X(kSyncRstExact, "synchronized: RST at RCV.NXT resets connection",           \
    "RFC 5961 §3.2")                                                           \
  X(kSyncRstChallenge, "synchronized: RST in window, challenge ACK",           \
    "RFC 5961 §3.2")                                                           \
  X(kSyncRstOutOfWindow, "synchronized: RST out of window dropped",            \
    "RFC 5961 §3.2")                                                           \
  X(kSyncSynChallenge, "synchronized: SYN answered with challenge ACK",        \
    "RFC 5961 §4.2")                                                           \
  X(kSyncOutOfWindow, "synchronized: unacceptable SEQ, ACK sent",              \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kSyncNoAck, "synchronized: segment without ACK dropped",                   \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kSyncAckUnacceptable, "synchronized: unacceptable ACK, ACK sent",          \
    "RFC 5961 §5.2")                                                           \
  X(kFinWaitDataAbort, "FIN-WAIT-1/2: data after close(), RST (abort)",        \
    "RFC 1122 §4.2.2.13")                                                      \
  X(kQueuedSegment, "ESTABLISHED-QUEUED: acceptable segment",                  \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kQueuedAfterFin, "ESTABLISHED-QUEUED: segment after peer FIN",             \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kEstablishedSegment, "ESTABLISHED: acceptable segment, FIN -> CLOSE-WAIT", \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kCloseWaitSegment, "CLOSE-WAIT: acceptable segment", "RFC 9293 §3.10.7.4") \
  X(kLastAckFinAcked, "LAST-ACK: FIN acked, connection closed",                \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kLastAckSegment, "LAST-ACK: acceptable segment, FIN not acked",            \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kFinWait1FinAckedFin, "FIN-WAIT-1: FIN acked and peer FIN, TIME-WAIT",     \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kFinWait1FinAcked, "FIN-WAIT-1: FIN acked, FIN-WAIT-2",                    \
    "RFC 9293 §3.10.7.4")                                                      \
  X(kFinWait1Fin, "FIN-WAIT-1: peer FIN, CLOSING", "RFC 9293 §3.10.7.4")       \
  X(kFinWait1Segment, "FIN-WAIT-1: acceptable segment", "RFC 9293 §3.10.7.4")  \
  X(kFinWait2Fin, "FIN-WAIT-2: peer FIN, TIME-WAIT", "RFC 9293 §3.10.7.4")     \
  X(kFinWait2Segment, "FIN-WAIT-2: acceptable segment", "RFC 9293 §3.10.7.4")  \
  X(kClosingFinAcked, "CLOSING: FIN acked, TIME-WAIT", "RFC 9293 §3.10.7.4")   \
  X(kClosingSegment, "CLOSING: acceptable segment, FIN not acked",             \
    "RFC 9293 §3.10.7.4")                                                      \
  /* TIME-WAIT: RFC 9293 §3.10.7.4, RFC 1337, RFC 6191 */                     \
  X(kTimeWaitRstIgnored1337, "TIME-WAIT: RST ignored (RFC 1337)",              \
    "RFC 1337 §3")                                                             \
  X(kTimeWaitRstKill, "TIME-WAIT: RST at RCV.NXT ends TIME-WAIT",              \
    "Linux tcp_rfc1337=0")                                                     \
  X(kTimeWaitRstIgnored, "TIME-WAIT: RST not at RCV.NXT dropped",              \
    "RFC 5961 §3.2")                                                           \
  X(kTimeWaitReopenRequest, "TIME-WAIT: SYN reopens, request sock",            \
    "RFC 6191 §2")                                                             \
  X(kTimeWaitReopenCookie, "TIME-WAIT: SYN reopens, cookie SYN-ACK",           \
    "RFC 6191 §2; RFC 4987 §3.6")                                              \
  X(kTimeWaitReopenDrop, "TIME-WAIT: SYN reopens, listener drops it",          \
    "RFC 6191 §2; Linux")                                                      \
  X(kTimeWaitReopenNoListener, "TIME-WAIT: reopening SYN, no listener",        \
    "RFC 5961 §4.2")                                                           \
  X(kTimeWaitSynChallenge, "TIME-WAIT: other SYN, challenge ACK",              \
    "RFC 5961 §4.2")                                                           \
  X(kTimeWaitBareAck, "TIME-WAIT: bare ACK at RCV.NXT dropped", "Linux")       \
  X(kTimeWaitAck, "TIME-WAIT: other segment (FIN again), ACK sent",            \
    "RFC 9293 §3.10.7.4")                                                      \
  /* timers */                                                                 \
  X(kSynAckRetransmit, "timer: SYN-ACK retransmitted", "RFC 6298 §5")          \
  X(kSynAckExpire, "timer: retries exhausted, request removed",                \
    "Linux tcp_synack_retries")                                                \
  X(kSynAckTimerIdle, "timer: SYN-ACK timer, no request", "-")                 \
  X(kTimeWaitExpire, "timer: TIME-WAIT ends", "RFC 9293 §3.10.8")              \
  X(kTimeWaitTimerIdle, "timer: TIME-WAIT timer, not in TIME-WAIT", "-")       \
  X(kCookieClockTick, "timer: cookie clock advances", "RFC 4987 §3.6")         \
  /* application */                                                            \
  X(kAppListenOpen, "listen(): listener opened", "RFC 9293 §3.10.1")           \
  X(kAppListenIgnored, "listen(): already listening, ignored",                 \
    "MODEL.md choice 17")                                                      \
  X(kAppAcceptChild, "accept(): tracked child accepted", "-")                  \
  X(kAppAcceptNothing, "accept(): tracked connection not queued", "-")         \
  X(kAppCloseEstablished, "close(): ESTABLISHED -> FIN-WAIT-1, FIN",           \
    "RFC 9293 §3.10.4")                                                        \
  X(kAppCloseCloseWait, "close(): CLOSE-WAIT -> LAST-ACK, FIN",                \
    "RFC 9293 §3.10.4")                                                        \
  X(kAppCloseIgnored, "close(): nothing to close", "RFC 9293 §3.10.4")         \
  X(kAppCloseListenerListen, "close listener: LISTEN -> CLOSED",               \
    "RFC 9293 §3.10.4")                                                        \
  X(kAppCloseListenerSynRecv, "close listener: request sock dropped",          \
    "Linux inet_csk_listen_stop")                                              \
  X(kAppCloseListenerQueued, "close listener: queued child reset",             \
    "RFC 9293 §3.10.5; Linux inet_csk_listen_stop")                            \
  X(kAppCloseListenerOther, "close listener: tracked connection kept",         \
    "Linux inet_csk_listen_stop")                                              \
  X(kAppCloseListenerIgnored, "close listener: not listening", "-")            \
  /* other 4-tuples, abstracted to counts */                                   \
  X(kOtherSynRequest, "other SYN: request sock created", "RFC 9293 §3.10.7.2") \
  X(kOtherSynNoRequest, "other SYN: dropped or answered with cookie",          \
    "RFC 4987 §3.6")                                                           \
  X(kOtherExpire, "other request expired", "-")                                \
  X(kOtherExpireNone, "other request expired: none exist", "-")                \
  X(kOtherComplete, "other request completed into accept queue", "-")          \
  X(kOtherCompleteOverflowRst, "other request: queue full, RST (abort)",       \
    "Linux tcp_abort_on_overflow")                                             \
  X(kOtherCompleteNone, "other request completion: none or queue full", "-")   \
  X(kOtherAccept, "other child accepted", "-")                                 \
  X(kOtherAcceptNone, "other child accepted: none queued", "-")                \
  /* out-of-range encodings, so the table is total over all 32-bit values */   \
  X(kInvalidInput, "input kind out of range: ignored", "-")                    \
  X(kInvalidState, "segment in out-of-range state: ignored", "-")

enum class Transition : uint32_t {
#define TCPREF_TRANSITION_ENUM(id, text, ref) id,
  TCPREF_TRANSITIONS(TCPREF_TRANSITION_ENUM)
#undef TCPREF_TRANSITION_ENUM
      kCount,
  kNoRow = kCount,  // reported only if no guard held (the table has a gap)
};

std::string_view name(Transition t);         // e.g. "kSynRecvBadAck"
std::string_view description(Transition t);  // one line, as in the table
// Where the row's rule comes from: an RFC section, a MODEL.md choice or the
// Linux behaviour it follows ("-" for bookkeeping rows).
std::string_view reference(Transition t);

// Deliberate bugs, one guard or action each, used to show the proofs can
// fail. kNone is the model.
enum class Mutation {
  kNone,
  kAcceptAnyAck,           // SYN-RECEIVED completes on any SEG.ACK
  kEchoUnofferedSack,      // SYN-ACK offers SACK without being asked
  kListenAcceptsSynFin,    // LISTEN treats SYN+FIN as a SYN
  kRstAnswersRst,          // CLOSED answers a RST with a RST
  kBadAckRstFromSndNxt,    // RST for a bad ACK uses SEQ=SND.NXT
  kInWindowRstResets,      // any in-window RST resets (RFC 793)
  kSynResetsConnection,    // in-window SYN resets (RFC 793)
  kAcceptQueueOffByOne,    // accept queue full only beyond backlog + 1
  kTimeWaitStaysHashed,    // reopening leaves the TIME-WAIT record
  kRstEndsTimeWait,        // RFC 1337 switch ignored
  kCookieMssRoundsUp,      // cookie encodes the next MSS up
  kDupSynRestartsRetries,  // duplicate SYN resets the retry count
  kOverlappingRstRows,     // two SYN-RECEIVED RST rows overlap
};

std::string_view name(Mutation m);

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_TRANSITIONS_H_
