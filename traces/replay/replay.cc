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

// What one connection's two servers said, and how their numbers relate.
struct Pair {
  std::vector<const TraceSegment*> recorded;
  std::vector<std::vector<uint8_t>> ours;  // tcpref's packets
  std::optional<uint32_t> rec_iss, our_iss, rec_ts, our_ts;
  tcp::SocketId socket;
};

std::string flags_of(const wire::Segment& s) {
  std::string f;
  if (s.has(kSyn)) f += 'S';
  if (s.has(kFin)) f += 'F';
  if (s.has(kRst)) f += 'R';
  if (s.has(kPsh)) f += 'P';
  if (s.has(kAck)) f += '.';
  if (s.has(kEce)) f += 'E';
  if (s.has(kCwr)) f += 'W';
  return f;
}

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
  o.syn_queue_limit = c.syn_queue_limit == 0 ? c.backlog : c.syn_queue_limit;
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
      stack_.advance(t->time);
      collect();
      const tcp::FourTuple tuple = tuple_of(*t);
      Pair& p = pairs_[tuple];
      if (t->from_client) {
        client(p, *t);
      } else {
        p.recorded.push_back(t);
        application(p, *t, tuple, listeners_[li]);
      }
      collect();
    }
    for (auto& [tuple, p] : pairs_) compare(tuple, p);
    return report_;
  }

 private:
  static tcp::FourTuple tuple_of(const TraceSegment& t) {
    const wire::Segment& s = t.seg;
    return t.from_client ? tcp::FourTuple{{s.dst_addr, s.dst_port},
                                          {s.src_addr, s.src_port}}
                         : tcp::FourTuple{{s.src_addr, s.src_port},
                                          {s.dst_addr, s.dst_port}};
  }

  // tcpref's packets so far, to their connections.
  void collect() {
    for (std::vector<uint8_t>& ip : sink_.packets) {
      wire::PacketParse r = wire::parse_packet(ip);
      if (!r.ok()) continue;
      const wire::Segment& s = r.segment;
      const tcp::FourTuple tuple{{s.src_addr, s.src_port},
                                 {s.dst_addr, s.dst_port}};
      Pair& p = pairs_[tuple];
      if (s.has(kSyn) && s.has(kAck)) {
        p.our_iss = s.seq;
        if (s.options.timestamps) p.our_ts = s.options.timestamps->tsval;
      }
      ++report_.tcpref_replies;
      p.ours.push_back(std::move(ip));
    }
    sink_.packets.clear();
  }

  void client(Pair& p, const TraceSegment& t) {
    wire::Segment s = t.seg;
    if (s.has(kSyn) && !s.has(kAck)) {
      p.rec_iss.reset();
      p.our_iss.reset();
    }
    if (s.has(kAck) && p.rec_iss && p.our_iss) s.ack += *p.our_iss - *p.rec_iss;
    if (s.options.timestamps && p.rec_ts && p.our_ts)
      s.options.timestamps->tsecr += *p.our_ts - *p.rec_ts;
    std::vector<uint8_t> buf(wire::kMaxHeaders + s.payload.size());
    const size_t n = wire::emit(s, buf);
    if (n == 0) return;
    ++report_.client_packets;
    (void)stack_.receive({buf.data(), n}, t.time);
  }

  // The recorded server's application, as its segments show it.
  void application(Pair& p, const TraceSegment& t, const tcp::FourTuple& tuple,
                   tcp::ListenerId listener) {
    const wire::Segment& s = t.seg;
    ++report_.recorded_replies;
    if (s.has(kSyn) && s.has(kAck)) {
      p.rec_iss = s.seq;
      if (s.options.timestamps) p.rec_ts = s.options.timestamps->tsval;
    }
    const bool acts =
        !s.payload.empty() || s.has(kFin) || (s.has(kRst) && p.socket.valid());
    if (!acts) return;
    if (!p.socket.valid()) accept_until(tuple, listener, t.time);
    if (!p.socket.valid()) return;
    drain(p, t.time);  // the recorded application read what it was sent
    if (!s.payload.empty() && !written(p, s)) {
      (void)stack_.write(p.socket, s.payload, t.time);
      p_written_[&p] = s.seq + static_cast<uint32_t>(s.payload.size());
    }
    if (s.has(kFin)) (void)stack_.close(p.socket, t.time);
    if (s.has(kRst)) (void)stack_.abort(p.socket, t.time);
  }

  void drain(Pair& p, tcp::Time now) {
    uint8_t buf[4096];
    for (int i = 0; i < 1024; ++i) {
      if (stack_.read(p.socket, buf, now).bytes == 0) return;
    }
  }

  // A retransmission of text already written is not written again.
  bool written(Pair& p, const wire::Segment& s) {
    auto it = p_written_.find(&p);
    return it != p_written_.end() &&
           static_cast<int32_t>(
               s.seq + static_cast<uint32_t>(s.payload.size()) - it->second) <=
               0;
  }

  void accept_until(const tcp::FourTuple& tuple, tcp::ListenerId listener,
                    tcp::Time now) {
    for (int i = 0; i < 4096; ++i) {
      tcp::SocketId id = stack_.accept(listener, now);
      if (!id.valid()) return;
      std::optional<tcp::FourTuple> got = stack_.tuple(id);
      if (!got) continue;
      pairs_[*got].socket = id;
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
        differ(tuple, r->number, "segment", flags_of(r->seg), "nothing");
        continue;
      }
      wire::PacketParse ours = wire::parse_packet(p.ours[j]);
      if (i >= p.recorded.size()) {
        ++j;
        differ(tuple, 0, "extra segment", "nothing", flags_of(ours.segment));
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
      field("flags", flags_of(r), flags_of(o));
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
  std::map<tcp::FourTuple, Pair, TupleLess> pairs_;
  std::map<const Pair*, uint32_t> p_written_;
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
