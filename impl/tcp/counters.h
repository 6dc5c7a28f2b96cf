// Stack counters, named like Linux's SNMP/netstat MIB counters so tcpref's
// numbers read like `nstat` output. Plain integers: the stack is
// single-threaded; a multi-threaded server keeps one Stack per thread and sums.
#pragma once

#include <cstdint>
#include <string_view>

namespace tcpref::tcp {

// X(name): every counter, in print order. Add new counters here only.
// Names follow Linux's MIB where one exists; the *Drop counters name the
// reasons Linux reports only as drop reasons, one per way a segment dies.
#define TCPREF_COUNTERS(X)    \
  X(InSegs)                   \
  X(OutSegs)                  \
  X(InErrs)                   \
  X(CsumErrors)               \
  X(InMalformed)              \
  X(OutRsts)                  \
  X(InRsts)                   \
  X(ActiveOpens)              \
  X(PassiveOpens)             \
  X(AttemptFails)             \
  X(EstabResets)              \
  X(CurrEstab)                \
  X(RetransSegs)              \
  X(ListenOverflows)          \
  X(ListenDrops)              \
  X(SyncookiesSent)           \
  X(SyncookiesRecv)           \
  X(SyncookiesFailed)         \
  X(TCPReqQFullDrop)          \
  X(TCPReqQFullDoCookies)     \
  X(TCPChallengeACK)          \
  X(TCPSYNChallenge)          \
  X(TCPTimeWaitOverflow)      \
  X(TCPTimeWaitReopen)        \
  X(TW)                       \
  X(TCPSynRetrans)            \
  X(TCPTimeouts)              \
  X(PAWSEstab)                \
  X(TCPACKSkippedChallenge)   \
  X(TCPAbortOnData)           \
  X(TCPAbortOnClose)          \
  X(NoSocket)                 \
  X(InAddrErrors)             \
  X(InHdrErrors)              \
  X(InTruncatedPkts)          \
  X(InCsumErrors)             \
  X(ReasmFails)               \
  X(InUnknownProtos)          \
  X(MartianSrcDrop)           \
  X(LandDrop)                 \
  X(ZeroPortDrop)             \
  X(TCPHeaderDrop)            \
  X(TCPBadOptionsDrop)        \
  X(TCPListenAckRst)          \
  X(Ip6InHdrErrors)           \
  X(Ip6InTruncatedPkts)       \
  X(Ip6InUnknownProtos)       \
  X(Ip6ReasmFails)            \
  X(EmbryonicRsts)            \
  X(TCPListenRstDrop)         \
  X(TCPListenSynFinDrop)      \
  X(TCPListenNoFlagDrop)      \
  X(TCPReqNoAckDrop)          \
  X(TCPReqBadAckRst)          \
  X(TCPReqOutOfOrderDrop)     \
  X(TCPMissingTimestampDrop)  \
  X(TCPRstOutOfWindowDrop)    \
  X(TCPOutOfWindowDrop)       \
  X(TCPNoAckDrop)             \
  X(TCPAckUnsentDrop)         \
  X(TCPAckTooOldDrop)         \
  X(TCPOFODrop)               \
  X(TCPRcvQDrop)              \
  X(TCPTimeWaitRstDrop)       \
  X(TCPTimeWaitSynDrop)       \
  X(TCPTimeWaitAck)           \
  X(TCPOFOQueue)              \
  X(DelayedACKs)              \
  X(TCPFastRetrans)           \
  X(TCPWinProbe)              \
  X(TCPLossProbes)            \
  X(TCPAbortOnTimeout)        \
  X(TCPFastOpenPassive)       \
  X(TCPFastOpenPassiveFail)   \
  X(TCPFastOpenPassiveAltKey) \
  X(TCPFastOpenCookieReqd)    \
  X(TCPFastOpenListenOverflow)

struct Counters {
#define TCPREF_COUNTER_FIELD(name) uint64_t name = 0;
  TCPREF_COUNTERS(TCPREF_COUNTER_FIELD)
#undef TCPREF_COUNTER_FIELD

  // Calls fn(std::string_view name, uint64_t value) for every counter.
  template <class Fn>
  void for_each(Fn&& fn) const {
#define TCPREF_COUNTER_VISIT(name) fn(std::string_view(#name), name);
    TCPREF_COUNTERS(TCPREF_COUNTER_VISIT)
#undef TCPREF_COUNTER_VISIT
  }
};

}  // namespace tcpref::tcp
