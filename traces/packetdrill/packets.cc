#include "traces/packetdrill/packets.h"

#include <cstdio>

#include "impl/wire/checksum.h"

namespace tcpref::packetdrill {
namespace {

void put16(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t* p, uint32_t v) {
  put16(p, v >> 16);
  put16(p + 2, v);
}
uint32_t get32(std::span<const uint8_t> p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

std::string encode_options(const std::vector<TcpOptionSpec>& options,
                           std::vector<uint8_t>& out) {
  using K = TcpOptionSpec::Kind;
  for (const TcpOptionSpec& o : options) {
    const size_t at = out.size();
    switch (o.kind) {
      case K::kNop:
        out.push_back(1);
        break;
      case K::kEol:
        out.push_back(0);
        break;
      case K::kMss:
        out.insert(out.end(), {2, 4, 0, 0});
        put16(&out[at + 2], o.value);
        break;
      case K::kWindowScale:
        out.insert(out.end(), {3, 3, static_cast<uint8_t>(o.value)});
        break;
      case K::kSackPermitted:
        out.insert(out.end(), {4, 2});
        break;
      case K::kSack:
        out.push_back(5);
        out.push_back(static_cast<uint8_t>(2 + 8 * o.sack_blocks.size()));
        for (const auto& [left, right] : o.sack_blocks) {
          out.resize(out.size() + 8);
          put32(&out[out.size() - 8], left);
          put32(&out[out.size() - 4], right);
        }
        break;
      case K::kTimestamp:
        out.insert(out.end(), {8, 10});
        out.resize(out.size() + 8);
        put32(&out[at + 2], o.ts_val);
        put32(&out[at + 6], o.ts_ecr);
        break;
      case K::kFastOpen:
      case K::kFastOpenExp: {
        if (!o.text.empty()) return "FO cookie '" + o.text + "' is not hex";
        const bool exp = o.kind == K::kFastOpenExp;
        out.push_back(exp ? 254 : 34);
        out.push_back(static_cast<uint8_t>((exp ? 4 : 2) + o.blob.size()));
        if (exp) out.insert(out.end(), {0xF9, 0x89});
        out.insert(out.end(), o.blob.begin(), o.blob.end());
        break;
      }
      case K::kMd5:
        if (!o.text.empty() || o.blob.size() != 16)
          return "md5 digest must be 16 hex bytes";
        out.insert(out.end(), {19, 18});
        out.insert(out.end(), o.blob.begin(), o.blob.end());
        break;
      case K::kUnknown:
        return "TCP option '" + o.text + "'";
    }
  }
  if (out.size() > 40) return "TCP options longer than 40 bytes";
  return "";
}

std::string build_inbound(const PacketSpec& spec, const Addressing& a,
                          const InboundFields& fields,
                          std::vector<uint8_t>& out) {
  std::vector<uint8_t> options;
  if (std::string why = encode_options(spec.options, options); !why.empty())
    return why;
  // packetdrill pads an unaligned list with zero (EOL) bytes.
  while (options.size() % 4 != 0) options.push_back(0);
  if (fields.ts_ecr) {
    for (const RawOption& o : split_options(options)) {
      if (o.kind == 8 && o.length == 10) {
        const size_t at = static_cast<size_t>(o.data.data() - options.data());
        put32(&options[at + 4], *fields.ts_ecr);
      }
    }
  }
  const size_t tcp_len = 20 + options.size() + spec.payload_len;
  const size_t total = 20 + tcp_len;
  if (total > 65535) return "packet longer than 65535 bytes";
  out.assign(total, 0);
  uint8_t* ip = out.data();
  ip[0] = 0x45;
  uint8_t tos = spec.tos.value_or(0);
  if (spec.ecn) tos = static_cast<uint8_t>((tos & ~3) | *spec.ecn);
  if (spec.ecn_ect01) tos = static_cast<uint8_t>((tos & ~3) | 1);
  ip[1] = tos;
  put16(ip + 2, static_cast<uint32_t>(total));
  put16(ip + 6, 0x4000);  // DF
  ip[8] = 64;
  ip[9] = 6;
  put32(ip + 12, a.remote_addr);
  put32(ip + 16, a.local_addr);
  put16(ip + 10, wire::internet_checksum({ip, 20}));
  uint8_t* tcp = ip + 20;
  put16(tcp, spec.ports ? spec.ports->first : a.remote_port);
  put16(tcp + 2, spec.ports ? spec.ports->second : a.local_port);
  put32(tcp + 4, fields.seq);
  put32(tcp + 8, fields.ack);
  tcp[12] = static_cast<uint8_t>(((20 + options.size()) / 4) << 4);
  if (spec.flags & tcp_flag::kAe) tcp[12] |= 1;
  tcp[13] = static_cast<uint8_t>(spec.flags & 0xff);
  put16(tcp + 14, spec.window.value_or(0));  // the parser requires one
  put16(tcp + 18, spec.urgent.value_or(0));
  std::copy(options.begin(), options.end(), tcp + 20);
  put16(tcp + 16,
        wire::tcp_checksum(a.remote_addr, a.local_addr, {tcp, tcp_len}));
  return "";
}

std::vector<RawOption> split_options(std::span<const uint8_t> bytes) {
  std::vector<RawOption> out;
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t kind = bytes[i];
    if (kind == 0 || kind == 1) {
      out.push_back({kind, 1, {}});
      ++i;
      continue;
    }
    if (i + 1 >= bytes.size() || bytes[i + 1] < 2 ||
        i + bytes[i + 1] > bytes.size()) {
      // Malformed: keep the rest as one blob so comparisons fail visibly.
      out.push_back(
          {kind, static_cast<uint8_t>(bytes.size() - i), bytes.subspan(i + 1)});
      break;
    }
    const uint8_t len = bytes[i + 1];
    out.push_back({kind, len, bytes.subspan(i + 2, len - 2)});
    i += len;
  }
  return out;
}

std::string options_to_string(std::span<const uint8_t> bytes) {
  std::string s;
  for (const RawOption& o : split_options(bytes)) {
    if (!s.empty()) s += ",";
    switch (o.kind) {
      case 0:
        s += "eol";
        break;
      case 1:
        s += "nop";
        break;
      case 2:
        s += o.data.size() == 2
                 ? "mss " + std::to_string((o.data[0] << 8) | o.data[1])
                 : "mss?";
        break;
      case 3:
        s += o.data.size() == 1 ? "wscale " + std::to_string(o.data[0])
                                : "wscale?";
        break;
      case 4:
        s += "sackOK";
        break;
      case 5:
        s += "sack";
        for (size_t i = 0; i + 8 <= o.data.size(); i += 8)
          s += " " + std::to_string(get32(o.data.subspan(i))) + ":" +
               std::to_string(get32(o.data.subspan(i + 4)));
        break;
      case 8:
        s += o.data.size() == 8
                 ? "TS val " + std::to_string(get32(o.data)) + " ecr " +
                       std::to_string(get32(o.data.subspan(4)))
                 : "TS?";
        break;
      default: {
        s += "kind" + std::to_string(o.kind);
        char hex[3];
        if (!o.data.empty()) s += " ";
        for (const uint8_t b : o.data) {
          std::snprintf(hex, sizeof hex, "%02x", b);
          s += hex;
        }
      }
    }
  }
  return s;
}

std::string flags_to_string(uint16_t flags) {
  std::string s;
  if (flags & tcp_flag::kSyn) s += 'S';
  if (flags & tcp_flag::kFin) s += 'F';
  if (flags & tcp_flag::kRst) s += 'R';
  if (flags & tcp_flag::kPsh) s += 'P';
  if (flags & tcp_flag::kUrg) s += 'U';
  if (flags & tcp_flag::kEce) s += 'E';
  if (flags & tcp_flag::kCwr) s += 'W';
  if (flags & tcp_flag::kAe) s += 'A';
  if (flags & tcp_flag::kAck) s += '.';
  if (s.empty()) s = "-";
  return s;
}

}  // namespace tcpref::packetdrill
