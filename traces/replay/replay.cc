#include "traces/replay/replay.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <tuple>

namespace tcpref::traces {

namespace {

using namespace wire::flags;

constexpr tcp::Time kTimerJitter = std::chrono::milliseconds(1);

struct TupleLess {
  bool operator()(const tcp::FourTuple& a, const tcp::FourTuple& b) const {
    return std::tie(a.local.addr, a.local.port, a.remote.addr, a.remote.port) <
           std::tie(b.local.addr, b.local.port, b.remote.addr, b.remote.port);
  }
};

class Collect : public tcp::PacketSink {
 public:
  void send(std::span<const uint8_t> ip) override {
    packets.emplace_back(ip.begin(), ip.end());
  }
  std::vector<std::vector<uint8_t>> packets;
};

// What one incarnation of a connection's two servers said, and how their
// numbers relate. A SYN with a new ISN on the same 4-tuple (a reopen from
// TIME-WAIT) starts the next incarnation, with its own socket and ISSes.
struct Pair {
  const Connection* conn = nullptr;
  std::optional<uint32_t> client_isn;
  std::vector<const TraceSegment*> recorded;
  std::vector<std::vector<uint8_t>> ours;  // tcpref's packets
  std::optional<uint32_t> rec_iss, our_iss, rec_ts, our_ts;
  std::optional<uint32_t> written_to;  // recorded SEQ past the text written
  tcp::SocketId socket;
};

template <class T>
std::string opt(const std::optional<T>& v) {
  return v ? std::to_string(*v) : "absent";
}

tcp::StackConfig stack_config(const Trace& trace, const ServerConfig& c) {
  tcp::StackConfig s;
  s.rfc1337 = c.rfc1337;
  s.isn_key.fill(0x11);
  s.cookie_key.fill(0x22);
  // As the recorded server announced itself in its first SYN-ACK.
  for (const ListenerTrace& l : trace.listeners) {
    for (const Connection& conn : l.connections) {
      const wire::Segment* syn = nullptr;
      for (const TraceSegment& t : conn.segments) {
        const wire::Segment& g = t.seg;
        if (t.from_client && g.has(kSyn)) syn = &g;
        if (t.from_client || !syn || !(g.has(kSyn) && g.has(kAck))) continue;
        if (g.options.mss) s.mtu = static_cast<uint16_t>(*g.options.mss + 40);
        if (syn->options.window_scale && g.options.window_scale)
          s.window_scale = *g.options.window_scale;
        if (syn->options.sack_permitted) s.sack = g.options.sack_permitted;
        if (syn->options.timestamps)
          s.timestamps = g.options.timestamps.has_value();
        return s;
      }
    }
  }
  return s;
}

tcp::ListenOptions listen_options(const ServerConfig& c) {
  tcp::ListenOptions o;
  o.backlog = c.backlog;
  o.syn_queue_limit = syn_queue_limit(c);
  o.syn_cookies = static_cast<tcp::SynCookieMode>(c.syncookies);
  o.overflow = c.abort_on_overflow ? tcp::OverflowPolicy::kReset
                                   : tcp::OverflowPolicy::kDrop;
  o.synack_retries = static_cast<uint8_t>(c.synack_retries);
  return o;
}

class Replayer {
 public:
  Replayer(const Trace& trace, const ServerConfig& c)
      : trace_(trace), stack_(stack_config(trace, c), sink_) {
    for (const ListenerTrace& l : trace.listeners) {
      listeners_.push_back(stack_.listen(l.server, listen_options(c)));
      listener_closed_.push_back(false);
      for (const Connection& conn : l.connections)
        pairs_[conn.tuple].push_back(incarnation_of(&conn));
    }
  }

  ReplayReport run() {
    std::vector<std::pair<const TraceSegment*, size_t>> events;
    for (size_t i = 0; i < trace_.listeners.size(); ++i)
      for (const Connection& c : trace_.listeners[i].connections)
        for (const TraceSegment& t : c.segments) events.push_back({&t, i});
    std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
      return a.first->number < b.first->number;
    });
    for (const auto& [t, li] : events) {
      // The recording server's timers may fire a little before its own pcap
      // stamps say they are due (its clock is read before it stamps), so
      // tcpref's clock is a jitter ahead at each recorded server segment.
      now_ = std::max(now_, t->from_client ? t->time : t->time + kTimerJitter);
      stack_.advance(now_);
      collect();
      const tcp::FourTuple tuple = tuple_of(*t);
      if (t->from_client) {
        client(tuple, *t);
      } else {
        Pair& p = pairs_[tuple].back();
        p.recorded.push_back(t);
        application(p, *t, tuple, li);
      }
      collect();
    }
    for (auto& [tuple, incarnations] : pairs_)
      for (const Pair& p : incarnations) compare(tuple, p);
    return report_;
  }

 private:
  static Pair incarnation_of(const Connection* conn) {
    Pair p;
    p.conn = conn;
    return p;
  }

  static tcp::FourTuple tuple_of(const TraceSegment& t) {
    const wire::Segment& s = t.seg;
    return t.from_client ? tcp::FourTuple{{s.dst_addr, s.dst_port},
                                          {s.src_addr, s.src_port}}
                         : tcp::FourTuple{{s.src_addr, s.src_port},
                                          {s.dst_addr, s.dst_port}};
  }

  // tcpref's packets so far, to the current incarnation of their connection.
  void collect() {
    for (std::vector<uint8_t>& ip : sink_.packets) {
      wire::PacketParse r = wire::parse_packet(ip);
      if (!r.ok()) continue;
      const wire::Segment& s = r.segment;
      const tcp::FourTuple tuple{{s.src_addr, s.src_port},
                                 {s.dst_addr, s.dst_port}};
      std::vector<Pair>& incarnations = pairs_[tuple];
      if (incarnations.empty()) incarnations.emplace_back();
      Pair& p = incarnations.back();
      if (s.has(kSyn) && s.has(kAck)) {
        p.our_iss = s.seq;
        if (s.options.timestamps) p.our_ts = s.options.timestamps->tsval;
      }
      ++report_.tcpref_replies;
      p.ours.push_back(std::move(ip));
    }
    sink_.packets.clear();
  }

  void client(const tcp::FourTuple& tuple, const TraceSegment& t) {
    wire::Segment s = t.seg;
    std::vector<Pair>& incarnations = pairs_[tuple];
    if (s.has(kSyn) && !s.has(kAck)) {
      // A retransmitted SYN keeps its ISN; a new ISN is a new connection on
      // the same 4-tuple (RFC 9293 §3.6.1: reopened from TIME-WAIT).
      if (incarnations.back().client_isn &&
          *incarnations.back().client_isn != s.seq) {
        incarnations.push_back(incarnation_of(incarnations.back().conn));
      }
      incarnations.back().client_isn = s.seq;
    }
    const Pair& p = incarnations.back();
    if (s.has(kAck) && p.rec_iss && p.our_iss) s.ack += *p.our_iss - *p.rec_iss;
    if (s.options.timestamps && p.rec_ts && p.our_ts)
      s.options.timestamps->tsecr += *p.our_ts - *p.rec_ts;
    std::vector<uint8_t> buf(wire::kMaxHeaders + s.payload.size());
    const size_t n = wire::emit(s, buf);
    if (n == 0) return;
    ++report_.client_packets;
    (void)stack_.receive({buf.data(), n}, now_);
  }

  // The recorded server's application, as its segments show it.
  void application(Pair& p, const TraceSegment& t, const tcp::FourTuple& tuple,
                   size_t li) {
    const wire::Segment& s = t.seg;
    const tcp::ListenerId listener = listeners_[li];
    ++report_.recorded_replies;
    if (s.has(kSyn) && s.has(kAck)) {
      p.rec_iss = s.seq;
      if (s.options.timestamps) p.rec_ts = s.options.timestamps->tsval;
    }
    if (s.has(kRst) && !p.socket.valid() && !listener_closed_[li] &&
        stack_.inspect(tuple).kind == tcp::RecordKind::kChildQueued) {
      // Only the listener's close resets a child nobody accepted.
      stack_.close_listener(listener, now_);
      listener_closed_[li] = true;
      return;
    }
    const bool acts =
        !s.payload.empty() || s.has(kFin) || (s.has(kRst) && p.socket.valid());
    if (!acts) return;
    if (!p.socket.valid()) accept_until(tuple, listener, now_);
    if (!p.socket.valid()) return;
    drain(p, now_);  // the recorded application read what it was sent
    if (!s.payload.empty()) write(p, t);
    if (s.has(kFin)) (void)stack_.close(p.socket, now_);
    if (s.has(kRst)) (void)stack_.abort(p.socket, now_);
  }

  void drain(Pair& p, tcp::Time now) {
    uint8_t buf[4096];
    for (int i = 0; i < 1024; ++i) {
      if (stack_.read(p.socket, buf, now).bytes == 0) return;
    }
  }

  // One write() per recorded push: the text of `t` and of the server
  // segments that continue it, up to the first with PSH (the sender sets PSH
  // where a write ends, RFC 9293 §3.9.1). A retransmission of text already
  // written is not written again.
  void write(Pair& p, const TraceSegment& t) {
    const uint32_t end_of_t =
        t.seg.seq + static_cast<uint32_t>(t.seg.payload.size());
    if (p.written_to && static_cast<int32_t>(end_of_t - *p.written_to) <= 0)
      return;
    std::vector<uint8_t> text(t.seg.payload.begin(), t.seg.payload.end());
    uint32_t next = end_of_t;
    bool pushed = t.seg.has(kPsh);
    const std::span<const TraceSegment> rest =
        p.conn ? std::span(p.conn->segments) : std::span<const TraceSegment>{};
    for (const TraceSegment& u : rest) {
      if (pushed) break;
      if (u.number <= t.number || u.from_client) continue;
      if (u.seg.has(kSyn) || u.seg.seq != next) continue;
      text.insert(text.end(), u.seg.payload.begin(), u.seg.payload.end());
      next += static_cast<uint32_t>(u.seg.payload.size());
      pushed = u.seg.has(kPsh) || u.seg.has(kFin);
    }
    (void)stack_.write(p.socket, text, now_);
    p.written_to = next;
  }

  // Accepts children until the one of `tuple`, giving each accepted socket
  // to the current incarnation of its connection.
  void accept_until(const tcp::FourTuple& tuple, tcp::ListenerId listener,
                    tcp::Time now) {
    for (int i = 0; i < 4096; ++i) {
      tcp::SocketId id = stack_.accept(listener, now);
      if (!id.valid()) return;
      std::optional<tcp::FourTuple> got = stack_.tuple(id);
      if (!got) continue;
      std::vector<Pair>& incarnations = pairs_[*got];
      if (incarnations.empty()) incarnations.emplace_back();
      incarnations.back().socket = id;
      if (*got == tuple) return;
    }
  }

  void differ(const tcp::FourTuple& tuple, uint32_t packet, std::string field,
              std::string expected, std::string got) {
    report_.differences.push_back(
        {packet, tuple, std::move(field), std::move(expected), std::move(got)});
  }

  static bool bare_ack(const wire::Segment& s) {
    return (s.flags & (kSyn | kFin | kRst | kAck)) == kAck && s.payload.empty();
  }

  // Pairs the two servers' segments in order. A bare ACK on one side only
  // is ACK timing (delayed, or merged into the next segment): skipped and
  // counted, not a difference.
  void compare(const tcp::FourTuple& tuple, const Pair& p) {
    size_t i = 0, j = 0;  // recorded, ours
    while (i < p.recorded.size() || j < p.ours.size()) {
      if (j >= p.ours.size()) {
        const TraceSegment* r = p.recorded[i++];
        differ(tuple, r->number, "segment", flags_string(r->seg), "nothing");
        continue;
      }
      wire::PacketParse ours = wire::parse_packet(p.ours[j]);
      if (i >= p.recorded.size()) {
        ++j;
        differ(tuple, 0, "extra segment", "nothing",
               flags_string(ours.segment));
        continue;
      }
      const wire::Segment& r = p.recorded[i]->seg;
      const wire::Segment& o = ours.segment;
      if (bare_ack(r) != bare_ack(o)) {
        ++report_.ack_timing;
        (bare_ack(r) ? i : j) += 1;
        continue;
      }
      ++i;
      ++j;
      ++report_.compared;
      const uint32_t at = p.recorded[i - 1]->number;
      auto field = [&](const char* name, const std::string& e,
                       const std::string& g) {
        if (e != g) differ(tuple, at, name, e, g);
      };
      field("flags", flags_string(r), flags_string(o));
      if (!r.has(kRst) || r.seq != 0) {
        field("seq (relative to ISS)",
              std::to_string(r.seq - p.rec_iss.value_or(0)),
              std::to_string(o.seq - p.our_iss.value_or(0)));
      }
      if (r.has(kAck))
        field("ack", std::to_string(r.ack), std::to_string(o.ack));
      field("text length", std::to_string(r.payload.size()),
            std::to_string(o.payload.size()));
      field("mss", opt(r.options.mss), opt(o.options.mss));
      field("window scale", opt(r.options.window_scale),
            opt(o.options.window_scale));
      field("sackOK", std::to_string(r.options.sack_permitted),
            std::to_string(o.options.sack_permitted));
      field("timestamps", std::to_string(r.options.timestamps.has_value()),
            std::to_string(o.options.timestamps.has_value()));
      if (r.options.timestamps && o.options.timestamps) {
        field("tsecr", std::to_string(r.options.timestamps->tsecr),
              std::to_string(o.options.timestamps->tsecr));
      }
    }
  }

  const Trace& trace_;
  Collect sink_;
  tcp::Stack stack_;
  std::vector<tcp::ListenerId> listeners_;
  std::vector<bool> listener_closed_;  // by the recorded application
  // Per 4-tuple, its incarnations in order (the last is current).
  std::map<tcp::FourTuple, std::vector<Pair>, TupleLess> pairs_;
  tcp::Time now_{0};  // tcpref's clock: the pcap's, never going back
  ReplayReport report_;
};

}  // namespace

ReplayReport replay(const Trace& trace, const ServerConfig& c) {
  return Replayer(trace, c).run();
}

std::string to_string(const ReplayDifference& d) {
  std::string where =
      d.packet ? "#" + std::to_string(d.packet) : "after the trace";
  return where + " " + to_string(d.tuple.remote) + ": " + d.field +
         ": recorded " + d.expected + ", tcpref " + d.got;
}

}  // namespace tcpref::traces
