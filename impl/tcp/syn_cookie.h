// SYN cookies (RFC 4987 §3.6): the listener answers a SYN without keeping
// state, encoding what it must remember in the ISS of its SYN-ACK and, when
// timestamps are on, in the low bits of its TSval. Our own encoding:
//
//   ISS   = epoch mod 4 (2 bits) | MSS index (3 bits) | timestamps (1 bit)
//           | MAC (26 bits)
//   TSval = (ts_clock rounded down to 64) | wscale+1 (4 bits, 0 = none)
//           | SACK-permitted << 4 | ECN << 5, then + the connection's offset
//
// MAC = SipHash-2-4 under a per-epoch key (derived from cookie_key, so keys
// rotate every epoch) over 4-tuple, IRS, MSS index, and the TSval bits with a
// timestamps flag, so a peer cannot alter any encoded option. An epoch is
// 64 s and a cookie is accepted in its own epoch or the next: cookies older
// than 128 s (about two minutes, Linux's MAX_SYNCOOKIE_AGE) are stale.
#pragma once

#include <array>
#include <cstdint>

#include "impl/tcp/stack.h"
#include "impl/tcp/syn_options.h"

namespace tcpref::tcp {

// Eight MSS levels (Linux has four: 536, 1300, 1440, 1460); 64 is kMinMss
// so a peer with a tiny MSS never gets a larger one back.
inline constexpr std::array<uint16_t, 8> kCookieMssTable = {
    64, 536, 1200, 1300, 1380, 1440, 1452, 1460};
inline constexpr Time kCookieEpoch = std::chrono::seconds(64);
inline constexpr uint32_t kCookieTsBitsMask = 0x3f;

enum class CookieCheck : uint8_t { kOk, kStale, kBadMac };

class SynCookies {
 public:
  explicit SynCookies(const std::array<uint8_t, 16>& key) : key_(key) {}

  // The largest table MSS not above `mss`.
  [[nodiscard]] static uint8_t mss_index(uint16_t mss);

  // The option bits a timestamped cookie carries, and back.
  [[nodiscard]] static uint8_t ts_bits(const SynOptions& o);
  static void apply_ts_bits(uint8_t bits, const StackConfig& config,
                            SynOptions& o);
  // TSval (before the connection's offset) carrying `bits`, never ahead of
  // the clock: like Linux's cookie_init_timestamp, step back one period.
  [[nodiscard]] static uint32_t tsval(uint32_t ts_now, uint8_t bits);

  // The ISS for a SYN with initial sequence `irs`.
  [[nodiscard]] uint32_t make(const FourTuple& tuple, uint32_t irs,
                              uint8_t mss_index, bool ts_ok, uint8_t ts_bits,
                              Time now);

  struct Result {
    CookieCheck check = CookieCheck::kBadMac;
    uint16_t mss = 0;
  };
  // Whether the cookie was made for a timestamped SYN; only then do the
  // ACK's TSecr bits mean anything (RFC 7323 §3.2: otherwise ignore TSopt).
  [[nodiscard]] static bool has_timestamps(uint32_t cookie);

  // Checks cookie = SEG.ACK − 1 for the ACK of a SYN with `irs`; `ts_bits`
  // (from TSecr) count only if has_timestamps(cookie).
  [[nodiscard]] Result check(const FourTuple& tuple, uint32_t irs,
                             uint32_t cookie, uint8_t ts_bits, Time now);

 private:
  struct EpochKey {
    uint64_t epoch = UINT64_MAX;
    std::array<uint8_t, 16> key{};
  };
  const std::array<uint8_t, 16>& epoch_key(uint64_t epoch);
  uint32_t mac(const FourTuple& tuple, uint32_t irs, uint8_t mss_index,
               bool ts_ok, uint8_t ts_bits, uint64_t epoch);

  std::array<uint8_t, 16> key_;
  std::array<EpochKey, 4> keys_{};  // cache, slot = epoch mod 4
};

}  // namespace tcpref::tcp
