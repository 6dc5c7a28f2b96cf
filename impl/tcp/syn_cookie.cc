#include "impl/tcp/syn_cookie.h"

#include <sodium.h>

#include <cstring>

#include "impl/tcp/seq.h"
#include "impl/tcp/tuple_hash.h"

namespace tcpref::tcp {

namespace {
constexpr uint32_t kMacBits = 26;
constexpr uint32_t kTsBit = 1u << kMacBits;
constexpr uint32_t kMssShift = kMacBits + 1;
constexpr uint32_t kMacMask = (1u << kMacBits) - 1;

uint64_t epoch_of(Time now) {
  return static_cast<uint64_t>(now.count()) /
         static_cast<uint64_t>(kCookieEpoch.count());
}
}  // namespace

uint8_t SynCookies::mss_index(uint16_t mss) {
  uint8_t i = kCookieMssTable.size() - 1;
  while (i > 0 && kCookieMssTable[i] > mss) --i;
  return i;
}

uint8_t SynCookies::ts_bits(const SynOptions& o) {
  uint8_t bits = o.wscale_ok ? static_cast<uint8_t>(o.snd_wscale + 1) : 0;
  if (o.sack_ok) bits |= 1 << 4;
  if (o.ecn_ok) bits |= 1 << 5;
  return bits;
}

void SynCookies::apply_ts_bits(uint8_t bits, const StackConfig& config,
                               SynOptions& o) {
  const uint8_t ws = bits & 0x0f;
  o.wscale_ok = ws != 0;
  o.snd_wscale = o.wscale_ok ? static_cast<uint8_t>(ws - 1) : 0;
  o.rcv_wscale =
      o.wscale_ok ? std::min(config.window_scale, kMaxWindowScale) : 0;
  // A bit set for an option we no longer offer cannot be honoured; the MAC
  // already proved we set it, so this only matters across config changes.
  o.sack_ok = (bits & (1 << 4)) != 0 && config.sack;
  o.ecn_ok = (bits & (1 << 5)) != 0 && config.ecn;
}

uint32_t SynCookies::tsval(uint32_t ts_now, uint8_t bits) {
  uint32_t v = (ts_now & ~kCookieTsBitsMask) | (bits & kCookieTsBitsMask);
  if (seq_after(v, ts_now)) v -= kCookieTsBitsMask + 1;
  return v;
}

const std::array<uint8_t, 16>& SynCookies::epoch_key(uint64_t epoch) {
  EpochKey& slot = keys_[epoch & 3];
  if (slot.epoch != epoch) {
    uint8_t in[8];
    for (int i = 0; i < 8; ++i) in[i] = static_cast<uint8_t>(epoch >> (8 * i));
    crypto_generichash(slot.key.data(), slot.key.size(), in, sizeof in,
                       key_.data(), key_.size());
    slot.epoch = epoch;
  }
  return slot.key;
}

uint32_t SynCookies::mac(const FourTuple& tuple, uint32_t irs,
                         uint8_t mss_index, bool ts_ok, uint8_t ts_bits,
                         uint64_t epoch) {
  uint8_t in[12 + 4 + 3];
  const std::array<uint8_t, 12> t = tuple_bytes(tuple);
  std::memcpy(in, t.data(), t.size());
  for (int i = 0; i < 4; ++i) in[12 + i] = static_cast<uint8_t>(irs >> (8 * i));
  in[16] = mss_index;
  in[17] = ts_ok ? 1 : 0;
  in[18] = ts_ok ? (ts_bits & kCookieTsBitsMask) : 0;
  uint8_t out[crypto_shorthash_siphash24_BYTES];
  crypto_shorthash_siphash24(out, in, sizeof in, epoch_key(epoch).data());
  uint32_t m;
  std::memcpy(&m, out, sizeof m);
  return m & kMacMask;
}

uint32_t SynCookies::make(const FourTuple& tuple, uint32_t irs,
                          uint8_t mss_index, bool ts_ok, uint8_t ts_bits,
                          Time now) {
  const uint64_t epoch = epoch_of(now);
  return static_cast<uint32_t>((epoch & 3) << 30) |
         (static_cast<uint32_t>(mss_index & 7) << kMssShift) |
         (ts_ok ? kTsBit : 0) |
         mac(tuple, irs, mss_index, ts_ok, ts_bits, epoch);
}

bool SynCookies::has_timestamps(uint32_t cookie) {
  return (cookie & kTsBit) != 0;
}

SynCookies::Result SynCookies::check(const FourTuple& tuple, uint32_t irs,
                                     uint32_t cookie, uint8_t ts_bits,
                                     Time now) {
  const uint64_t current = epoch_of(now);
  const uint64_t age = (current - (cookie >> 30)) & 3;
  if (age > 1 || age > current) return {CookieCheck::kStale, 0};
  const auto index = static_cast<uint8_t>((cookie >> kMssShift) & 7);
  const bool ts_ok = has_timestamps(cookie);
  const uint32_t expected =
      mac(tuple, irs, index, ts_ok, ts_ok ? ts_bits : 0, current - age);
  if ((cookie & kMacMask) != expected) return {CookieCheck::kBadMac, 0};
  return {CookieCheck::kOk, kCookieMssTable[index]};
}

}  // namespace tcpref::tcp
