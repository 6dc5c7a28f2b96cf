// The rows of the transition table. step() reports which row fired, so
// coverage of the model can be measured; docs/MODEL.md lists the same rows.
#ifndef TCPREF_MODEL_TRANSITIONS_H_
#define TCPREF_MODEL_TRANSITIONS_H_

#include <cstdint>
#include <string_view>

namespace tcpref::model {

#define TCPREF_TRANSITIONS(X)                                                  \
  /* no record, no listener: RFC 9293 §3.10.7.1 */                            \
  X(kClosedRst, "CLOSED: RST dropped")                                         \
  X(kClosedReset, "CLOSED: any other segment answered with RST")               \
  /* listener: RFC 9293 §3.10.7.2, RFC 4987 */                                \
  X(kListenRst, "LISTEN: RST ignored")                                         \
  X(kListenAckCookie, "LISTEN: ACK with valid cookie creates child")           \
  X(kListenAckCookieOverflow, "LISTEN: valid cookie, accept queue full")       \
  X(kListenAckReset, "LISTEN: ACK without valid cookie answered with RST")     \
  X(kListenSynFin, "LISTEN: SYN+FIN dropped")                                  \
  X(kListenSynAcceptQueueFull, "LISTEN: SYN dropped, accept queue full")       \
  X(kListenSynRequest, "LISTEN: SYN creates request sock, SYN-ACK")            \
  X(kListenSynQueueFullDrop, "LISTEN: SYN dropped, SYN queue full")            \
  X(kListenSynCookie, "LISTEN: SYN answered with cookie SYN-ACK")              \
  X(kListenNoSynNoAck, "LISTEN: segment without SYN or ACK dropped")           \
  /* request sock: RFC 9293 §3.10.7.4, RFC 5961 */                            \
  X(kSynRecvRstOutOfWindow, "SYN-RECEIVED: RST out of window dropped")         \
  X(kSynRecvRstExact, "SYN-RECEIVED: RST at RCV.NXT removes request")          \
  X(kSynRecvRstChallenge, "SYN-RECEIVED: RST in window, challenge ACK")        \
  X(kSynRecvDupSyn, "SYN-RECEIVED: retransmitted SYN, SYN-ACK again")          \
  X(kSynRecvBadAck, "SYN-RECEIVED: unacceptable ACK answered with RST")        \
  X(kSynRecvOutOfWindow, "SYN-RECEIVED: unacceptable SEQ, ACK sent")           \
  X(kSynRecvSyn, "SYN-RECEIVED: SYN in window, RST and remove request")        \
  X(kSynRecvNoAck, "SYN-RECEIVED: segment without ACK dropped")                \
  X(kSynRecvOutOfOrder, "SYN-RECEIVED: SEQ != RCV.NXT, ACK sent")              \
  X(kSynRecvComplete, "SYN-RECEIVED: handshake completes, child queued")       \
  X(kSynRecvOverflowDrop, "SYN-RECEIVED: accept queue full, ACK dropped")      \
  X(kSynRecvOverflowRst, "SYN-RECEIVED: accept queue full, RST (abort)")       \
  /* synchronized states: RFC 9293 §3.10.7.4, RFC 5961 */                     \
  X(kSyncRstExact, "synchronized: RST at RCV.NXT resets connection")           \
  X(kSyncRstChallenge, "synchronized: RST in window, challenge ACK")           \
  X(kSyncRstOutOfWindow, "synchronized: RST out of window dropped")            \
  X(kSyncSynChallenge, "synchronized: SYN answered with challenge ACK")        \
  X(kSyncOutOfWindow, "synchronized: unacceptable SEQ, ACK sent")              \
  X(kSyncNoAck, "synchronized: segment without ACK dropped")                   \
  X(kSyncAckUnacceptable, "synchronized: unacceptable ACK, ACK sent")          \
  X(kFinWaitDataAbort, "FIN-WAIT-1/2: data after close(), RST (abort)")        \
  X(kQueuedSegment, "ESTABLISHED-QUEUED: acceptable segment")                  \
  X(kQueuedAfterFin, "ESTABLISHED-QUEUED: segment after peer FIN")             \
  X(kEstablishedSegment, "ESTABLISHED: acceptable segment, FIN -> CLOSE-WAIT") \
  X(kCloseWaitSegment, "CLOSE-WAIT: acceptable segment")                       \
  X(kLastAckFinAcked, "LAST-ACK: FIN acked, connection closed")                \
  X(kLastAckSegment, "LAST-ACK: acceptable segment, FIN not acked")            \
  X(kFinWait1FinAckedFin, "FIN-WAIT-1: FIN acked and peer FIN, TIME-WAIT")     \
  X(kFinWait1FinAcked, "FIN-WAIT-1: FIN acked, FIN-WAIT-2")                    \
  X(kFinWait1Fin, "FIN-WAIT-1: peer FIN, CLOSING")                             \
  X(kFinWait1Segment, "FIN-WAIT-1: acceptable segment")                        \
  X(kFinWait2Fin, "FIN-WAIT-2: peer FIN, TIME-WAIT")                           \
  X(kFinWait2Segment, "FIN-WAIT-2: acceptable segment")                        \
  X(kClosingFinAcked, "CLOSING: FIN acked, TIME-WAIT")                         \
  X(kClosingSegment, "CLOSING: acceptable segment, FIN not acked")             \
  /* TIME-WAIT: RFC 9293 §3.10.7.4, RFC 1337, RFC 6191 */                     \
  X(kTimeWaitRstIgnored1337, "TIME-WAIT: RST ignored (RFC 1337)")              \
  X(kTimeWaitRstKill, "TIME-WAIT: RST at RCV.NXT ends TIME-WAIT")              \
  X(kTimeWaitRstIgnored, "TIME-WAIT: RST not at RCV.NXT dropped")              \
  X(kTimeWaitReopenRequest, "TIME-WAIT: SYN reopens, request sock")            \
  X(kTimeWaitReopenCookie, "TIME-WAIT: SYN reopens, cookie SYN-ACK")           \
  X(kTimeWaitReopenDrop, "TIME-WAIT: SYN reopens, listener drops it")          \
  X(kTimeWaitReopenNoListener, "TIME-WAIT: reopening SYN, no listener")        \
  X(kTimeWaitSynChallenge, "TIME-WAIT: other SYN, challenge ACK")              \
  X(kTimeWaitBareAck, "TIME-WAIT: bare ACK at RCV.NXT dropped")                \
  X(kTimeWaitAck, "TIME-WAIT: other segment (FIN again), ACK sent")            \
  /* timers */                                                                 \
  X(kSynAckRetransmit, "timer: SYN-ACK retransmitted")                         \
  X(kSynAckExpire, "timer: retries exhausted, request removed")                \
  X(kSynAckTimerIdle, "timer: SYN-ACK timer, no request")                      \
  X(kTimeWaitExpire, "timer: TIME-WAIT ends")                                  \
  X(kTimeWaitTimerIdle, "timer: TIME-WAIT timer, not in TIME-WAIT")            \
  X(kCookieClockTick, "timer: cookie clock advances")                          \
  /* application */                                                            \
  X(kAppListenOpen, "listen(): listener opened")                               \
  X(kAppListenIgnored, "listen(): already listening, ignored")                 \
  X(kAppAcceptChild, "accept(): tracked child accepted")                       \
  X(kAppAcceptNothing, "accept(): tracked connection not queued")              \
  X(kAppCloseEstablished, "close(): ESTABLISHED -> FIN-WAIT-1, FIN")           \
  X(kAppCloseCloseWait, "close(): CLOSE-WAIT -> LAST-ACK, FIN")                \
  X(kAppCloseIgnored, "close(): nothing to close")                             \
  X(kAppCloseListenerListen, "close listener: LISTEN -> CLOSED")               \
  X(kAppCloseListenerSynRecv, "close listener: request sock dropped")          \
  X(kAppCloseListenerQueued, "close listener: queued child reset")             \
  X(kAppCloseListenerOther, "close listener: tracked connection kept")         \
  X(kAppCloseListenerIgnored, "close listener: not listening")                 \
  /* other 4-tuples, abstracted to counts */                                   \
  X(kOtherSynRequest, "other SYN: request sock created")                       \
  X(kOtherSynNoRequest, "other SYN: dropped or answered with cookie")          \
  X(kOtherExpire, "other request expired")                                     \
  X(kOtherExpireNone, "other request expired: none exist")                     \
  X(kOtherComplete, "other request completed into accept queue")               \
  X(kOtherCompleteOverflowRst, "other request: queue full, RST (abort)")       \
  X(kOtherCompleteNone, "other request completion: none or queue full")        \
  X(kOtherAccept, "other child accepted")                                      \
  X(kOtherAcceptNone, "other child accepted: none queued")                     \
  /* out-of-range encodings, so the table is total over all 32-bit values */   \
  X(kInvalidInput, "input kind out of range: ignored")                         \
  X(kInvalidState, "segment in out-of-range state: ignored")

enum class Transition : uint32_t {
#define TCPREF_TRANSITION_ENUM(id, text) id,
  TCPREF_TRANSITIONS(TCPREF_TRANSITION_ENUM)
#undef TCPREF_TRANSITION_ENUM
      kCount,
  kNoRow = kCount,  // reported only if no guard held (the table has a gap)
};

std::string_view name(Transition t);         // e.g. "kSynRecvBadAck"
std::string_view description(Transition t);  // one line, as in the table

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
