#include "impl/wire/generators.h"

#include <algorithm>

namespace tcpref::wire {
namespace {

template <class T>
T any() {
  return *rc::gen::arbitrary<T>();
}

void add_fast_open(TcpOptions& o) {
  const size_t room = kMaxOptionBytes - options_length(o);
  FastOpenCookie c;
  c.experimental = any<bool>();
  const size_t base = c.experimental ? 4 : 2;  // kind, length (+ magic)
  if (room < base) return;
  // Room is a multiple of 4, so base + length ≤ room keeps the padded
  // option inside it.
  const size_t max_cookie = std::min(kMaxTfoCookie, room - base);
  if (max_cookie >= 4 && any<bool>()) {
    c.length =
        static_cast<uint8_t>(*rc::gen::inRange<size_t>(4, max_cookie + 1));
    for (size_t i = 0; i < c.length; ++i) c.bytes[i] = any<uint8_t>();
  }
  o.fast_open = c;
}

void add_sack_blocks(TcpOptions& o) {
  const size_t room = kMaxOptionBytes - options_length(o);
  if (room < 12) return;  // NOP NOP kind length + one block
  const size_t max_blocks = std::min(kMaxSackBlocks, (room - 4) / 8);
  o.sack_block_count =
      static_cast<uint8_t>(*rc::gen::inRange<size_t>(0, max_blocks + 1));
  for (size_t i = 0; i < o.sack_block_count; ++i) {
    o.sack_blocks[i] = SackBlock{any<uint32_t>(), any<uint32_t>()};
  }
}

}  // namespace

rc::Gen<TcpOptions> gen_emittable_options() {
  return rc::gen::exec([] {
    TcpOptions o;
    if (any<bool>()) o.mss = any<uint16_t>();
    if (any<bool>()) o.window_scale = any<uint8_t>();
    o.sack_permitted = any<bool>();
    if (any<bool>())
      o.timestamps = Timestamps{any<uint32_t>(), any<uint32_t>()};
    // SACK blocks and the TFO cookie compete for what is left; either may
    // claim it first so both large SACK lists and large cookies occur.
    const bool fast_open_first = any<bool>();
    if (fast_open_first && any<bool>()) add_fast_open(o);
    add_sack_blocks(o);
    if (!fast_open_first && any<bool>()) add_fast_open(o);
    return o;
  });
}

rc::Gen<Segment> gen_segment_headers() {
  return rc::gen::exec([] {
    Segment s;
    s.src_addr = any<uint32_t>();
    s.dst_addr = any<uint32_t>();
    s.tos = any<uint8_t>();
    s.ttl = any<uint8_t>();
    s.ip_id = any<uint16_t>();
    s.dont_fragment = any<bool>();
    s.src_port = any<uint16_t>();
    s.dst_port = any<uint16_t>();
    s.seq = any<uint32_t>();
    s.ack = any<uint32_t>();
    s.flags = any<uint8_t>();
    s.window = any<uint16_t>();
    s.urgent = any<uint16_t>();
    s.options = *gen_emittable_options();
    return s;
  });
}

rc::Gen<Segment> gen_segment6_headers() {
  return rc::gen::exec([] {
    Segment s = *gen_segment_headers();
    s.ip_version = 6;
    s.src_addr = 0;
    s.dst_addr = 0;
    s.ip_id = 0;
    s.dont_fragment = true;
    for (uint8_t& b : s.src6) b = any<uint8_t>();
    for (uint8_t& b : s.dst6) b = any<uint8_t>();
    s.flow_label = any<uint32_t>() & 0xfffff;
    return s;
  });
}

rc::Gen<std::vector<uint8_t>> gen_payload(size_t max) {
  return rc::gen::exec([max] {
    const size_t n = *rc::gen::inRange<size_t>(0, max + 1);
    return *rc::gen::container<std::vector<uint8_t>>(
        n, rc::gen::arbitrary<uint8_t>());
  });
}

std::ostream& operator<<(std::ostream& os, const TcpOptions& o) {
  os << "{";
  if (o.mss) os << " mss=" << *o.mss;
  if (o.window_scale) os << " ws=" << int{*o.window_scale};
  if (o.sack_permitted) os << " sackOK";
  if (o.timestamps) {
    os << " ts=" << o.timestamps->tsval << "/" << o.timestamps->tsecr;
  }
  for (const SackBlock& b : o.sacks()) {
    os << " sack=" << b.left << "-" << b.right;
  }
  if (o.fast_open) {
    os << " tfo" << (o.fast_open->experimental ? "(254)" : "(34)")
       << " len=" << int{o.fast_open->length};
  }
  if (o.unknown_count) os << " unknown=" << int{o.unknown_count};
  return os << " }";
}

namespace {
void print_v6(std::ostream& os, const Ipv6Bytes& a) {
  const auto flags = os.flags();
  os << std::hex;
  for (size_t i = 0; i < a.size(); i += 2) {
    os << (i ? ":" : "[") << (unsigned{a[i]} << 8 | a[i + 1]);
  }
  os.flags(flags);
  os << "]";
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const Segment& s) {
  os << "{ ";
  if (s.is_v6()) {
    print_v6(os, s.src6);
    os << ":" << s.src_port << " > ";
    print_v6(os, s.dst6);
    os << ":" << s.dst_port << " flow=" << s.flow_label;
  } else {
    os << s.src_addr << ":" << s.src_port << " > " << s.dst_addr << ":"
       << s.dst_port << " id=" << s.ip_id << " df=" << s.dont_fragment;
  }
  return os << " tos=" << int{s.tos} << " ttl=" << int{s.ttl}
            << " seq=" << s.seq << " ack=" << s.ack << " flags=" << int{s.flags}
            << " win=" << s.window << " urg=" << s.urgent
            << " options=" << s.options << " payload=" << s.payload.size()
            << "B }";
}

}  // namespace tcpref::wire
