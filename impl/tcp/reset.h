// RST generation (RFC 9293 §3.10.7.1 and §3.10.7.2): the reply to a segment
// that no connection wants, or that a listener or request sock rejects.
#pragma once

#include <optional>

#include "impl/wire/segment.h"

namespace tcpref::tcp {

// The RST answering `in`, or nullopt if `in` is itself a RST (never reset a
// reset). With ACK: <SEQ=SEG.ACK><CTL=RST>; without: <SEQ=0>
// <ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (SYN and FIN count in SEG.LEN).
[[nodiscard]] std::optional<wire::Segment> reset_for(const wire::Segment& in);

}  // namespace tcpref::tcp
