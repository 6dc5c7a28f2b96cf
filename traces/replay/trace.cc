#include "traces/replay/trace.h"

#include <map>
#include <sstream>
#include <tuple>

namespace tcpref::traces {

namespace {

using Key = std::tuple<uint32_t, uint16_t, uint32_t, uint16_t>;

Key key_of(const wire::Segment& s) {
  return {s.src_addr, s.src_port, s.dst_addr, s.dst_port};
}
Key reverse(const Key& k) {
  return {std::get<2>(k), std::get<3>(k), std::get<0>(k), std::get<1>(k)};
}

bool is_syn(const wire::Segment& s) {
  return s.has(wire::flags::kSyn) && !s.has(wire::flags::kAck);
}

}  // namespace

Trace split_trace(std::vector<RawPacket> packets) {
  Trace t;
  t.packets = std::move(packets);
  // Parse once, remembering each 4-tuple's first SYN (its receiver is the
  // server).
  struct Parsed {
    const RawPacket* raw;
    wire::Segment seg;
  };
  std::vector<Parsed> parsed;
  std::map<Key, bool> client_side;  // direction key -> sent by the client
  for (const RawPacket& p : t.packets) {
    wire::PacketParse r =
        wire::parse_packet(p.ip, wire::ParseOptions{.verify_checksums = false});
    if (!r.ok()) {
      if (r.error == wire::ParseError::kNotTcp) {
        ++t.not_tcp;
      } else {
        ++t.malformed;
      }
      continue;
    }
    const Key k = key_of(r.segment);
    if (is_syn(r.segment) && !client_side.contains(k) &&
        !client_side.contains(reverse(k))) {
      client_side[k] = true;
      client_side[reverse(k)] = false;
    }
    parsed.push_back({&p, r.segment});
  }
  std::map<std::pair<uint32_t, uint16_t>, size_t> listener_index;
  std::map<Key, std::pair<size_t, size_t>> connection_index;
  for (const Parsed& p : parsed) {
    const Key k = key_of(p.seg);
    auto side = client_side.find(k);
    if (side == client_side.end()) {
      ++t.no_syn;
      continue;
    }
    const bool from_client = side->second;
    const Key ck = from_client ? k : reverse(k);  // client → server direction
    const tcp::Endpoint client{std::get<0>(ck), std::get<1>(ck)};
    const tcp::Endpoint server{std::get<2>(ck), std::get<3>(ck)};
    auto [li, new_listener] = listener_index.try_emplace(
        {server.addr, server.port}, t.listeners.size());
    if (new_listener) t.listeners.push_back({server, {}});
    ListenerTrace& l = t.listeners[li->second];
    auto [ci, new_connection] = connection_index.try_emplace(
        ck, std::make_pair(li->second, l.connections.size()));
    if (new_connection) l.connections.push_back({{server, client}, {}});
    Connection& c =
        t.listeners[ci->second.first].connections[ci->second.second];
    c.segments.push_back({p.raw->number, p.raw->time, from_client, p.seg});
  }
  return t;
}

std::string to_string(const tcp::Endpoint& e) {
  std::ostringstream os;
  os << (e.addr >> 24) << '.' << (e.addr >> 16 & 255) << '.'
     << (e.addr >> 8 & 255) << '.' << (e.addr & 255) << ':' << e.port;
  return os.str();
}

std::string flags_string(const wire::Segment& s) {
  using namespace wire::flags;
  std::string f;
  if (s.has(kSyn)) f += 'S';
  if (s.has(kFin)) f += 'F';
  if (s.has(kRst)) f += 'R';
  if (s.has(kPsh)) f += 'P';
  if (s.has(kAck)) f += '.';
  if (s.has(kEce)) f += 'E';
  if (s.has(kCwr)) f += 'W';
  return f.empty() ? "none" : f;
}

std::string options_string(const wire::Segment& s) {
  std::string o;
  if (s.options.mss) o += " mss " + std::to_string(*s.options.mss);
  if (s.options.window_scale)
    o += " ws " + std::to_string(*s.options.window_scale);
  if (s.options.sack_permitted) o += " sackOK";
  if (s.options.timestamps)
    o += " ts " + std::to_string(s.options.timestamps->tsval) + "/" +
         std::to_string(s.options.timestamps->tsecr);
  for (const wire::SackBlock& b : s.options.sacks()) {
    o += " sack " + std::to_string(b.left) + "-" + std::to_string(b.right);
  }
  if (s.options.fast_open) o += " tfo";
  return o.empty() ? o : o.substr(1);
}

std::string describe(const TraceSegment& t, uint32_t client_isn,
                     uint32_t server_isn) {
  using namespace wire::flags;
  const wire::Segment& s = t.seg;
  const uint32_t my_isn = t.from_client ? client_isn : server_isn;
  const uint32_t peer_isn = t.from_client ? server_isn : client_isn;
  std::ostringstream os;
  os << '#' << t.number << ' ' << (t.from_client ? "c>s " : "s>c ");
  os << flags_string(s) << " seq=" << s.seq - my_isn;
  if (s.has(kAck)) os << " ack=" << s.ack - peer_isn;
  os << " len=" << s.payload.size() << " win=" << s.window;
  if (const std::string o = options_string(s); !o.empty()) {
    os << " <" << o << ">";
  }
  os << " @" << t.time.count() / 1000 << "." << t.time.count() % 1000 / 100
     << "ms";
  return os.str();
}

}  // namespace tcpref::traces
