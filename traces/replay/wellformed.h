// Rules every server segment must keep, checked on the wire alone (no model
// state): what the model's proofs establish for the model, asked of the
// recorded server directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "traces/replay/trace.h"

namespace tcpref::traces {

struct Violation {
  uint32_t number = 0;  // pcap record of the offending server segment
  std::string rule;     // e.g. "W1 SYN-ACK acks ISN+1"
  std::string detail;
};

// W1 a SYN-ACK acknowledges the latest SYN's ISN+1 (RFC 9293 §3.10.7.2;
//    property 2).
// W2 a SYN-ACK carries window scale, SACK-permitted or timestamps only if
//    the SYN offered it (RFC 7323 §1.3, §3.2; RFC 2018 §2; property 2).
// W3 no server text before the client acknowledged the SYN-ACK (RFC 9293
//    §3.10.7.2: data is only sent once ESTABLISHED).
// W4 no RST in reply to a RST (RFC 9293 §3.10.7; property 4).
// W5 a RST has one of the RFC 9293 forms: answering a segment with ACK,
//    <SEQ=SEG.ACK> (§3.10.7.1); answering one without, <SEQ=0><ACK=SEG.SEQ+
//    SEG.LEN><CTL=RST,ACK>; or aborting, <SEQ=SND.NXT> (§3.10.4).
[[nodiscard]] std::vector<Violation> check_wellformed(const Connection& c);

}  // namespace tcpref::traces
