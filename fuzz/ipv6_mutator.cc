#include "fuzz/ipv6_mutator.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <random>
#include <span>
#include <utility>

#include "impl/wire/checksum.h"
#include "impl/wire/ipv6_extensions.h"

namespace tcpref::fuzz {
namespace {

namespace nh = wire::next_header;

constexpr size_t kMaxSplitHeaders = 16;
constexpr size_t kFixed = 40;

bool is_tlv_header(uint8_t kind) {
  return kind == nh::kHopByHop || kind == nh::kDestinationOptions ||
         kind == nh::kRouting;
}

using Rng = std::minstd_rand;

size_t pick(Rng& rng, size_t n) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}
uint8_t any_byte(Rng& rng) { return static_cast<uint8_t>(pick(rng, 256)); }

// Option types worth trying (RFC 8200 §4.2): padding, skippable (action 00:
// Router Alert, Tunnel Encapsulation Limit, an unassigned one), and one of
// each discarding action (01, 10, 11 with Jumbo Payload).
constexpr std::array<uint8_t, 9> kOptionTypes = {0x00, 0x01, 0x05, 0x04, 0x1e,
                                                 0x4d, 0x8a, 0xc2, 0xff};

std::vector<uint8_t> random_options(Rng& rng, size_t area) {
  std::vector<uint8_t> o;
  while (o.size() < area) {
    const size_t room = area - o.size();
    const uint8_t type = kOptionTypes[pick(rng, kOptionTypes.size())];
    if (type == wire::kOptionPad1 || room < 2) {
      o.push_back(wire::kOptionPad1);
      continue;
    }
    // Mostly lengths that fit; sometimes one that runs past the area.
    size_t len = pick(rng, std::min<size_t>(room - 1, 10));
    if (pick(rng, 8) == 0) len = room - 2 + 1 + pick(rng, 4);
    o.push_back(type);
    o.push_back(static_cast<uint8_t>(len));
    for (size_t i = 0; i < len && o.size() < area; ++i) {
      // PadN carries zeros, except now and then.
      o.push_back(
          type == wire::kOptionPadN && pick(rng, 8) != 0 ? 0 : any_byte(rng));
    }
  }
  o.resize(area);
  return o;
}

Ipv6Chain::Header random_header(Rng& rng) {
  constexpr std::array<uint8_t, 9> kKinds = {
      nh::kHopByHop, nh::kDestinationOptions, nh::kRouting,
      nh::kFragment, nh::kDestinationOptions, nh::kAuthentication,
      nh::kEsp,      nh::kMobility,           nh::kNoNextHeader};
  Ipv6Chain::Header h;
  h.kind = kKinds[pick(rng, kKinds.size())];
  if (h.kind == nh::kFragment) {
    // Atomic most of the time (RFC 6946), else a real fragment.
    const uint16_t v = pick(rng, 4) == 0
                           ? static_cast<uint16_t>(pick(rng, 65536))
                           : static_cast<uint16_t>(pick(rng, 4) << 1);
    h.bytes = {0,
               any_byte(rng),
               static_cast<uint8_t>(v >> 8),
               static_cast<uint8_t>(v),
               any_byte(rng),
               any_byte(rng),
               any_byte(rng),
               any_byte(rng)};
    return h;
  }
  const size_t units = pick(rng, 3);
  h.bytes.assign((units + 1) * 8, 0);
  h.bytes[1] = static_cast<uint8_t>(units);
  if (h.kind == nh::kRouting) {
    h.bytes[2] = static_cast<uint8_t>(pick(rng, 5));     // type 0..4
    h.bytes[3] = pick(rng, 4) == 0 ? any_byte(rng) : 0;  // Segments Left
    for (size_t i = 8; i < h.bytes.size(); ++i) h.bytes[i] = any_byte(rng);
  } else {
    const std::vector<uint8_t> o = random_options(rng, h.bytes.size() - 2);
    std::copy(o.begin(), o.end(), h.bytes.begin() + 2);
  }
  return h;
}

void mutate_field(Ipv6Chain::Header& h, Rng& rng) {
  if (h.bytes.size() < 4) return;
  switch (pick(rng, 4)) {
    case 0:  // Hdr Ext Len: by one, or anything
      h.bytes[1] =
          pick(rng, 2) ? static_cast<uint8_t>(h.bytes[1] + 1) : any_byte(rng);
      break;
    case 1:  // Segments Left / fragment offset high byte / an option type
      h.bytes[3] = any_byte(rng);
      break;
    case 2:  // fragment offset and M
      h.bytes[2] = any_byte(rng);
      h.bytes[3] = static_cast<uint8_t>(h.bytes[3] ^ 1);
      break;
    default:
      if (h.kind == nh::kHopByHop || h.kind == nh::kDestinationOptions) {
        const std::vector<uint8_t> o = random_options(rng, h.bytes.size() - 2);
        std::copy(o.begin(), o.end(), h.bytes.begin() + 2);
      }
      break;
  }
}

}  // namespace

bool split_ipv6(const uint8_t* packet, size_t size, Ipv6Chain& out) {
  if (size < kFixed || (packet[0] >> 4) != 6) return false;
  out = {};
  out.fixed.assign(packet, packet + kFixed);
  size_t at = kFixed;
  uint8_t next = packet[6];
  while (out.headers.size() < kMaxSplitHeaders && at < size &&
         (is_tlv_header(next) || next == nh::kFragment)) {
    size_t len = 8;
    if (is_tlv_header(next) && at + 1 < size) {
      len = (size_t{packet[at + 1]} + 1) * 8;
    }
    len = std::min(len, size - at);
    Ipv6Chain::Header h{next, {packet + at, packet + at + len}};
    next = packet[at];
    at += len;
    out.headers.push_back(std::move(h));
  }
  out.upper = next;
  out.rest.assign(packet + at, packet + size);
  return true;
}

std::vector<uint8_t> join_ipv6(const Ipv6Chain& c) {
  std::vector<uint8_t> p = c.fixed;
  p.resize(kFixed);
  p[6] = c.headers.empty() ? c.upper : c.headers[0].kind;
  for (size_t i = 0; i < c.headers.size(); ++i) {
    std::vector<uint8_t> b = c.headers[i].bytes;
    if (!b.empty()) {
      b[0] = i + 1 < c.headers.size() ? c.headers[i + 1].kind : c.upper;
    }
    p.insert(p.end(), b.begin(), b.end());
  }
  const size_t tcp_at = p.size();
  p.insert(p.end(), c.rest.begin(), c.rest.end());
  const size_t payload = std::min<size_t>(p.size() - kFixed, 0xffff);
  p[4] = static_cast<uint8_t>(payload >> 8);
  p[5] = static_cast<uint8_t>(payload);
  if (c.upper == nh::kTcp && c.rest.size() >= 20 &&
      p.size() - kFixed <= 0xffff) {
    std::array<uint8_t, 16> src;
    std::array<uint8_t, 16> dst;
    std::memcpy(src.data(), p.data() + 8, 16);
    std::memcpy(dst.data(), p.data() + 24, 16);
    const std::span<uint8_t> tcp = std::span(p).subspan(tcp_at);
    const uint16_t sum = wire::tcp_checksum(src, dst, tcp);
    tcp[16] = static_cast<uint8_t>(sum >> 8);
    tcp[17] = static_cast<uint8_t>(sum);
  }
  return p;
}

void mutate_ipv6(Ipv6Chain& c, uint32_t seed) {
  Rng rng(seed == 0 ? 1 : seed);
  const size_t n = c.headers.size();
  switch (pick(rng, 7)) {
    case 0:  // insert
      c.headers.insert(
          c.headers.begin() + static_cast<ptrdiff_t>(pick(rng, n + 1)),
          random_header(rng));
      break;
    case 1:  // remove
      if (n)
        c.headers.erase(c.headers.begin() +
                        static_cast<ptrdiff_t>(pick(rng, n)));
      break;
    case 2:  // swap (e.g. Hop-by-Hop out of first place)
      if (n >= 2) std::swap(c.headers[pick(rng, n)], c.headers[pick(rng, n)]);
      break;
    case 3:  // duplicate
      if (n) {
        const size_t i = pick(rng, n);
        const Ipv6Chain::Header h = c.headers[i];
        c.headers.insert(c.headers.begin() + static_cast<ptrdiff_t>(i), h);
      }
      break;
    case 4:  // a field of one header
      if (n) mutate_field(c.headers[pick(rng, n)], rng);
      break;
    case 5: {  // the upper layer
      constexpr std::array<uint8_t, 5> kUpper = {
          nh::kTcp, nh::kTcp, 17, nh::kIcmpv6, nh::kNoNextHeader};
      c.upper = kUpper[pick(rng, kUpper.size())];
      break;
    }
    default:  // a run of the same header up to and past the walk's bound
      if (n) {
        const Ipv6Chain::Header h = c.headers[pick(rng, n)];
        const size_t copies = 1 + pick(rng, wire::kMaxExtensionHeaders + 1);
        c.headers.insert(c.headers.end(), copies, h);
      }
      break;
  }
}

size_t mutate_ipv6_packet(uint8_t* data, size_t size, size_t max_size,
                          uint32_t seed) {
  Ipv6Chain c;
  if (!split_ipv6(data, size, c)) return 0;
  mutate_ipv6(c, seed);
  const std::vector<uint8_t> out = join_ipv6(c);
  if (out.size() > max_size) return 0;
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace tcpref::fuzz
