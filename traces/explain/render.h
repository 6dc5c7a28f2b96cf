// The explained capture as a self-contained HTML page (inline CSS and SVG, a
// few lines of inline script, nothing fetched) or as plain text for a
// terminal.
#pragma once

#include <string>

#include "traces/explain/explain.h"

namespace tcpref::traces {

[[nodiscard]] std::string render_html(const Explanation& x);
[[nodiscard]] std::string render_text(const Explanation& x);

// Seconds since the capture's first record: "1.005776".
std::string seconds(tcp::Time t);

// "LISTEN -> SYN-RECEIVED by kListenSynRequest [RFC 9293 §3.10.7.2]".
std::string step_summary(const ModelStep& s);

// What the model sends at a step, numbers relative to the model's ISS and
// IRS: "SYN-ACK seq=0 ack=1 <mss 1460 ws 7 sackOK ts>", a reset's RFC 9293
// form when there is no record, or "nothing".
std::string model_sends(const ModelStep& s);

// Where a server segment's step came from: "reply to #3", "close()", ...
std::string step_cause(const ModelStep& s, uint32_t row_number);

// One note as a line of text (without the verdict).
std::string note_line(const LadderNote& n, uint32_t row_number);

}  // namespace tcpref::traces
