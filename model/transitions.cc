#include "model/transitions.h"

namespace tcpref::model {

std::string_view name(Transition t) {
  switch (t) {
#define TCPREF_TRANSITION_NAME(id, text, ref) \
  case Transition::id:                        \
    return #id;
    TCPREF_TRANSITIONS(TCPREF_TRANSITION_NAME)
#undef TCPREF_TRANSITION_NAME
    case Transition::kNoRow:
      break;
  }
  return "kNoRow";
}

std::string_view description(Transition t) {
  switch (t) {
#define TCPREF_TRANSITION_TEXT(id, text, ref) \
  case Transition::id:                        \
    return text;
    TCPREF_TRANSITIONS(TCPREF_TRANSITION_TEXT)
#undef TCPREF_TRANSITION_TEXT
    case Transition::kNoRow:
      break;
  }
  return "no row matched";
}

std::string_view reference(Transition t) {
  switch (t) {
#define TCPREF_TRANSITION_REF(id, text, ref) \
  case Transition::id:                       \
    return ref;
    TCPREF_TRANSITIONS(TCPREF_TRANSITION_REF)
#undef TCPREF_TRANSITION_REF
    case Transition::kNoRow:
      break;
  }
  return "-";
}

std::string_view name(Mutation m) {
  switch (m) {
    case Mutation::kNone:
      return "none";
    case Mutation::kAcceptAnyAck:
      return "accept-any-ack";
    case Mutation::kEchoUnofferedSack:
      return "echo-unoffered-sack";
    case Mutation::kListenAcceptsSynFin:
      return "listen-accepts-syn-fin";
    case Mutation::kRstAnswersRst:
      return "rst-answers-rst";
    case Mutation::kBadAckRstFromSndNxt:
      return "bad-ack-rst-from-snd-nxt";
    case Mutation::kInWindowRstResets:
      return "in-window-rst-resets";
    case Mutation::kSynResetsConnection:
      return "syn-resets-connection";
    case Mutation::kAcceptQueueOffByOne:
      return "accept-queue-off-by-one";
    case Mutation::kTimeWaitStaysHashed:
      return "time-wait-stays-hashed";
    case Mutation::kRstEndsTimeWait:
      return "rst-ends-time-wait";
    case Mutation::kCookieMssRoundsUp:
      return "cookie-mss-rounds-up";
    case Mutation::kDupSynRestartsRetries:
      return "dup-syn-restarts-retries";
    case Mutation::kOverlappingRstRows:
      return "overlapping-rst-rows";
  }
  return "unknown";
}

}  // namespace tcpref::model
