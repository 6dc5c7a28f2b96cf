#include "traces/packetdrill/match.h"

#include <algorithm>
#include <cstdlib>

#include "traces/packetdrill/packets.h"

namespace tcpref::packetdrill {
namespace {

uint16_t be16(const uint8_t* x) {
  return static_cast<uint16_t>((x[0] << 8) | x[1]);
}
uint32_t be32(const uint8_t* x) {
  return (uint32_t{be16(x)} << 16) | be16(x + 2);
}

MatchResult mismatched(std::string reason) {
  return {MatchResult::Kind::kMismatch, std::move(reason)};
}

MatchResult match_options(const PacketSpec& spec, const Actual& a,
                          const MatchRules& rules, ScriptSpace& space) {
  std::vector<uint8_t> want;
  if (std::string why = encode_options(spec.options, want); !why.empty())
    return {MatchResult::Kind::kUnsupported, why};
  const auto bad = [&](const std::string& what) {
    return mismatched(what + ": expected <" + options_to_string(want) +
                      "> got <" + options_to_string(a.options) + ">");
  };
  const std::vector<RawOption> w = split_options(want);
  const std::vector<RawOption> g = split_options(a.options);
  if (w.size() != g.size()) return bad("TCP options differ");
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i].kind != g[i].kind || w[i].length != g[i].length)
      return bad("TCP options differ");
    if (w[i].kind != 8) {
      if (!std::equal(w[i].data.begin(), w[i].data.end(), g[i].data.begin()))
        return bad("TCP option " + std::to_string(w[i].kind) + " value");
      continue;
    }
    const uint32_t script_val = be32(w[i].data.data());
    const uint32_t script_ecr = be32(w[i].data.data() + 4);
    const uint32_t val = be32(g[i].data.data());
    const uint32_t ecr = be32(g[i].data.data() + 4);
    if (!space.first_ts) space.first_ts = std::make_pair(script_val, val);
    space.ts_map[script_val] = val;
    // Stricter than packetdrill, which ignores ecr: a stack must echo the
    // peer's TS.Recent (RFC 7323 §4.3), so a wrong ecr is a failure.
    if (ecr != script_ecr) return bad(mismatch("TS ecr", script_ecr, ecr));
    if (rules.ts_tick_us > 0) {
      const uint32_t in_script =
          space.first_ts->first + (val - space.first_ts->second);
      const int64_t diff =
          std::abs(static_cast<int32_t>(in_script - script_val));
      if (diff * rules.ts_tick_us > rules.tolerance_us)
        return bad(mismatch("TS val", script_val, in_script));
    }
  }
  return {};
}

}  // namespace

Actual decode(std::span<const uint8_t> b, int64_t at_us,
              const ScriptSpace& space) {
  Actual a;
  a.at_us = at_us;
  const size_t ihl = (b[0] & 0x0f) * size_t{4};
  const uint8_t* t = b.data() + ihl;
  a.tos = b[1];
  a.src = be32(b.data() + 12);
  a.dst = be32(b.data() + 16);
  a.sport = be16(t);
  a.dport = be16(t + 2);
  a.flags = static_cast<uint16_t>(t[13] | ((t[12] & 1) << 8));
  const bool syn = a.flags & tcp_flag::kSyn;
  a.seq =
      be32(t + 4) - space.local_isn_live + (syn ? space.local_isn_script : 0);
  a.ack = be32(t + 8) - (syn ? 0 : space.remote_isn);
  a.window = be16(t + 14);
  const size_t doff = (t[12] >> 4) * size_t{4};
  a.options.assign(t + 20, t + doff);
  const size_t total = be16(b.data() + 2);
  a.payload_len = static_cast<uint32_t>(total - ihl - doff);
  const auto payload = b.subspan(ihl + doff, total - ihl - doff);
  a.payload_zero = std::all_of(payload.begin(), payload.end(),
                               [](uint8_t x) { return x == 0; });
  return a;
}

std::string describe(const Actual& a) {
  std::string s = flags_to_string(a.flags) + " " + std::to_string(a.seq) + ":" +
                  std::to_string(a.seq + a.payload_len) + "(" +
                  std::to_string(a.payload_len) + ")";
  if (a.flags & tcp_flag::kAck) s += " ack " + std::to_string(a.ack);
  s += " win " + std::to_string(a.window);
  if (!a.options.empty()) s += " <" + options_to_string(a.options) + ">";
  return s;
}

std::string mismatch(std::string_view field, uint64_t want, uint64_t got) {
  return "expected " + std::string(field) + " " + std::to_string(want) +
         " got " + std::to_string(got);
}

MatchResult match_packet(const PacketSpec& spec, const Actual& a,
                         const MatchRules& rules, ScriptSpace& space) {
  const uint16_t want_port =
      spec.ports ? spec.ports->second : rules.remote_port;
  if (a.dst != rules.remote_addr || a.dport != want_port)
    return mismatched("outbound packet " + describe(a) + " is for port " +
                      std::to_string(a.dport) +
                      ", not the script's connection (port " +
                      std::to_string(want_port) + ")");
  if (a.flags != spec.flags)
    return mismatched("expected flags " + flags_to_string(spec.flags) +
                      " got " + flags_to_string(a.flags) + " (" + describe(a) +
                      ")");
  if (a.seq != spec.seq_start)
    return mismatched(mismatch("seq", spec.seq_start, a.seq) + " (" +
                      describe(a) + ")");
  if ((spec.flags & tcp_flag::kAck) || spec.ack) {
    const uint32_t want = spec.ack.value_or(0);
    if (a.ack != want)
      return mismatched(mismatch("ack", want, a.ack) + " (" + describe(a) +
                        ")");
  }
  if (spec.window && a.window != *spec.window)
    return mismatched(mismatch("win", *spec.window, a.window));
  if (spec.ecn || spec.ecn_ect01) {
    const uint8_t got = a.tos & 3;
    const bool ok = spec.ecn_ect01 ? (got == 1 || got == 2) : got == *spec.ecn;
    if (!ok)
      return mismatched(mismatch("IP ECN field", spec.ecn.value_or(1), got));
  }
  if (a.payload_len != spec.payload_len)
    return mismatched(
        mismatch("payload length", spec.payload_len, a.payload_len) + " (" +
        describe(a) + ")");
  if (!a.payload_zero)
    return mismatched("outbound payload differs from the zeros written");
  if (!spec.options_any) return match_options(spec, a, rules, space);
  return {};
}

}  // namespace tcpref::packetdrill
