#include "traces/replay/wellformed.h"

#include <optional>

#include "impl/tcp/seq.h"

namespace tcpref::traces {

namespace {

using namespace wire::flags;

std::string u(uint32_t v) { return std::to_string(v); }

}  // namespace

std::vector<Violation> check_wellformed(const Connection& c) {
  std::vector<Violation> v;
  std::optional<wire::Segment> syn;    // the latest client SYN
  std::optional<uint32_t> synack_iss;  // the latest SYN-ACK's SEQ
  bool established = false;            // the client acked the SYN-ACK
  std::optional<uint32_t> snd_max;     // highest server SEQ + SEG.LEN
  const TraceSegment* last_client = nullptr;
  const TraceSegment* previous = nullptr;
  for (const TraceSegment& t : c.segments) {
    const wire::Segment& s = t.seg;
    if (t.from_client) {
      if (s.has(kSyn) && !s.has(kAck)) {
        syn = s;
        synack_iss.reset();
        established = false;
      } else if (s.has(kAck) && !s.has(kSyn) && !s.has(kRst) && synack_iss &&
                 s.ack == *synack_iss + 1) {
        established = true;
      }
      last_client = &t;
      previous = &t;
      continue;
    }
    if (s.has(kSyn) && s.has(kAck)) {
      if (!syn || s.ack != syn->seq + 1) {
        v.push_back({t.number, "W1 SYN-ACK acks ISN+1",
                     "SEG.ACK=" + u(s.ack) + ", the SYN's ISN+1=" +
                         (syn ? u(syn->seq + 1) : std::string("(no SYN)"))});
      }
      if (syn) {
        std::string extra;
        if (s.options.window_scale && !syn->options.window_scale)
          extra += " window-scale";
        if (s.options.sack_permitted && !syn->options.sack_permitted)
          extra += " SACK-permitted";
        if (s.options.timestamps && !syn->options.timestamps)
          extra += " timestamps";
        if (!extra.empty())
          v.push_back({t.number, "W2 SYN-ACK options only if offered",
                       "the SYN did not offer:" + extra});
      }
      synack_iss = s.seq;
    }
    if (!s.payload.empty() && !established) {
      v.push_back({t.number, "W3 no data before the handshake completes",
                   u(static_cast<uint32_t>(s.payload.size())) +
                       " bytes of text before the client acked the SYN-ACK"});
    }
    if (s.has(kRst)) {
      if (previous && previous->from_client && previous->seg.has(kRst)) {
        v.push_back({t.number, "W4 no RST in reply to a RST",
                     "answers the client RST #" + u(previous->number)});
      }
      bool form_ok = snd_max && s.seq == *snd_max;  // abort form
      if (last_client) {
        const wire::Segment& trig = last_client->seg;
        if (trig.has(kAck)) {
          form_ok = form_ok || s.seq == trig.ack;
        } else {
          form_ok = form_ok || (s.seq == 0 && s.has(kAck) &&
                                s.ack == trig.seq + trig.seg_len());
        }
      }
      if (!form_ok) {
        v.push_back(
            {t.number, "W5 RST form (RFC 9293 §3.10.7.1, §3.10.4)",
             "SEQ=" + u(s.seq) + " is neither the triggering SEG.ACK" +
                 (last_client ? " (" + u(last_client->seg.ack) + ")" : "") +
                 " nor SND.NXT" + (snd_max ? " (" + u(*snd_max) + ")" : "")});
      }
    }
    const uint32_t end = s.seq + s.seg_len();
    if (!s.has(kRst) &&
        (s.has(kSyn) || !snd_max || tcp::seq_after(end, *snd_max)))
      snd_max = end;
    previous = &t;
  }
  return v;
}

}  // namespace tcpref::traces
