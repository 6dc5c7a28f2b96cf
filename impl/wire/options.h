// TCP options: parse and emit (RFC 9293 §3.1, §3.2; RFC 7323; RFC 2018;
// RFC 7413 for TFO). Unknown kinds are skipped by their length
// (RFC 9293 MUST-68); an illegal length (0, 1, or running past the option
// space) makes the whole option list invalid (MUST-7, MUST-64, MUST-69).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace tcpref::wire {

enum class OptionKind : uint8_t {
  kEol = 0,
  kNop = 1,
  kMss = 2,
  kWindowScale = 3,
  kSackPermitted = 4,
  kSack = 5,
  kTimestamps = 8,
  kFastOpen = 34,               // RFC 7413
  kFastOpenExperimental = 254,  // RFC 6994 experiment id 0xF989
};

inline constexpr size_t kMaxOptionBytes = 40;
inline constexpr size_t kMaxSackBlocks = 4;
inline constexpr size_t kMaxTfoCookie = 16;  // RFC 7413 §4.1.1: 4..16 bytes

struct Timestamps {
  uint32_t tsval = 0;
  uint32_t tsecr = 0;
  friend bool operator==(const Timestamps&, const Timestamps&) = default;
};

struct SackBlock {
  uint32_t left = 0;   // first sequence number of the block
  uint32_t right = 0;  // sequence number just past the block
  friend bool operator==(const SackBlock&, const SackBlock&) = default;
};

struct FastOpenCookie {
  bool experimental = false;  // kind 254 + magic 0xF989 instead of kind 34
  uint8_t length = 0;         // 0 = cookie request
  std::array<uint8_t, kMaxTfoCookie> bytes{};
  friend bool operator==(const FastOpenCookie&,
                         const FastOpenCookie&) = default;
};

// The options of one segment, decoded. Fixed size: parsing never allocates.
struct TcpOptions {
  std::optional<uint16_t> mss;
  std::optional<uint8_t> window_scale;  // as sent; the receiver caps it at 14
  bool sack_permitted = false;
  std::optional<Timestamps> timestamps;
  uint8_t sack_block_count = 0;
  std::array<SackBlock, kMaxSackBlocks> sack_blocks{};
  std::optional<FastOpenCookie> fast_open;
  uint8_t unknown_count = 0;  // unknown kinds skipped (not re-emitted)

  std::span<const SackBlock> sacks() const {
    return {sack_blocks.data(), sack_block_count};
  }
  friend bool operator==(const TcpOptions&, const TcpOptions&) = default;
};

enum class OptionsError : uint8_t {
  kNone = 0,
  kZeroOrOneLength,    // a kind other than EOL/NOP with length 0 or 1
  kPastEnd,            // length runs past the option space, or no length byte
  kBadFixedLength,     // MSS≠4, WS≠3, SACK-permitted≠2, TS≠10
  kBadSackLength,      // SACK length not 2+8n with 1≤n≤4
  kBadFastOpenLength,  // TFO cookie not 0 or 4..16 bytes, or bad magic length
};

// Counter-label name of each error (e.g. "OptPastEnd").
[[nodiscard]] std::string_view to_string(OptionsError e);

struct OptionsParse {
  OptionsError error = OptionsError::kNone;
  TcpOptions options;
  bool ok() const { return error == OptionsError::kNone; }
};

// Parses the option bytes of a TCP header (the bytes after the fixed 20).
// Reads only inside `bytes`; never allocates, throws or aborts.
[[nodiscard]] OptionsParse parse_options(std::span<const uint8_t> bytes);

// Emits options in the conventional Linux order (MSS, SACK-permitted or NOPs,
// timestamps, window scale, SACK blocks, TFO), padded with NOP/EOL to a
// multiple of 4. Returns the number of bytes written (≤ 40), or 0 with nothing
// written if they do not fit in `out` or in 40 bytes.
[[nodiscard]] size_t emit_options(const TcpOptions& options,
                                  std::span<uint8_t> out);

// Bytes emit_options would write (a multiple of 4), or >40 if too many or
// not emittable (more than 4 SACK blocks, TFO cookie not 0 or 4..16 bytes).
[[nodiscard]] size_t options_length(const TcpOptions& options);

}  // namespace tcpref::wire
