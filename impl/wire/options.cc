#include "impl/wire/options.h"

#include <algorithm>

#include "impl/wire/bytes.h"

namespace tcpref::wire {
namespace {

constexpr uint8_t kind(OptionKind k) { return static_cast<uint8_t>(k); }

// RFC 7413 §4.1.1 / RFC 6994: the shared experimental kind carries TFO when
// its two-byte ExID is 0xF989.
constexpr uint16_t kFastOpenMagic = 0xF989;
constexpr size_t kMinTfoCookie = 4;

bool tfo_cookie_length_ok(size_t n) {
  return n == 0 || (n >= kMinTfoCookie && n <= kMaxTfoCookie);
}

FastOpenCookie make_cookie(bool experimental, std::span<const uint8_t> c) {
  FastOpenCookie cookie;
  cookie.experimental = experimental;
  cookie.length = static_cast<uint8_t>(c.size());
  std::copy(c.begin(), c.end(), cookie.bytes.begin());
  return cookie;
}

// Decodes one option whose kind and length bytes are already checked; `body`
// is the value after them. A repeated option replaces the earlier one.
OptionsError decode(uint8_t k, std::span<const uint8_t> body, TcpOptions& o) {
  switch (k) {
    case kind(OptionKind::kMss):
      if (body.size() != 2) return OptionsError::kBadFixedLength;
      o.mss = load_be16(body, 0);
      return OptionsError::kNone;
    case kind(OptionKind::kWindowScale):
      if (body.size() != 1) return OptionsError::kBadFixedLength;
      o.window_scale = body[0];
      return OptionsError::kNone;
    case kind(OptionKind::kSackPermitted):
      if (!body.empty()) return OptionsError::kBadFixedLength;
      o.sack_permitted = true;
      return OptionsError::kNone;
    case kind(OptionKind::kTimestamps):
      if (body.size() != 8) return OptionsError::kBadFixedLength;
      o.timestamps = Timestamps{load_be32(body, 0), load_be32(body, 4)};
      return OptionsError::kNone;
    case kind(OptionKind::kSack): {
      // RFC 2018 §3: length 2 + 8n.
      const size_t n = body.size() / 8;
      if (body.size() % 8 != 0 || n == 0 || n > kMaxSackBlocks) {
        return OptionsError::kBadSackLength;
      }
      o.sack_blocks = {};  // a repeated SACK option replaces the whole list
      for (size_t b = 0; b < n; ++b) {
        o.sack_blocks[b] = {load_be32(body, 8 * b), load_be32(body, 8 * b + 4)};
      }
      o.sack_block_count = static_cast<uint8_t>(n);
      return OptionsError::kNone;
    }
    case kind(OptionKind::kFastOpen):
      if (!tfo_cookie_length_ok(body.size())) {
        return OptionsError::kBadFastOpenLength;
      }
      o.fast_open = make_cookie(false, body);
      return OptionsError::kNone;
    case kind(OptionKind::kFastOpenExperimental): {
      if (body.size() < 2) return OptionsError::kBadFastOpenLength;
      if (load_be16(body, 0) != kFastOpenMagic) break;  // another experiment
      const auto cookie = body.subspan(2);
      if (!tfo_cookie_length_ok(cookie.size())) {
        return OptionsError::kBadFastOpenLength;
      }
      o.fast_open = make_cookie(true, cookie);
      return OptionsError::kNone;
    }
    default:
      break;
  }
  // RFC 9293 §3.1 MUST-68: an unknown kind is skipped by its length.
  if (o.unknown_count < UINT8_MAX) ++o.unknown_count;
  return OptionsError::kNone;
}

size_t round_up4(size_t n) { return (n + 3) & ~size_t{3}; }

size_t fast_open_length(const FastOpenCookie& c) {
  return round_up4((c.experimental ? 4 : 2) + size_t{c.length});
}

}  // namespace

OptionsParse parse_options(std::span<const uint8_t> bytes) {
  OptionsParse result;
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t k = bytes[i];
    if (k == kind(OptionKind::kEol)) break;  // RFC 9293 §3.1: rest is padding
    if (k == kind(OptionKind::kNop)) {
      ++i;
      continue;
    }
    // RFC 9293 §3.1 MUST-64/MUST-7: every other kind has a length byte,
    // which covers kind and length and must stay inside the option space.
    OptionsError error = OptionsError::kNone;
    if (i + 1 >= bytes.size()) {
      error = OptionsError::kPastEnd;
    } else if (bytes[i + 1] < 2) {
      error = OptionsError::kZeroOrOneLength;
    } else if (bytes[i + 1] > bytes.size() - i) {
      error = OptionsError::kPastEnd;
    } else {
      const size_t len = bytes[i + 1];
      error = decode(k, bytes.subspan(i + 2, len - 2), result.options);
      i += len;
    }
    if (error != OptionsError::kNone) return OptionsParse{error, {}};
  }
  return result;
}

size_t options_length(const TcpOptions& o) {
  constexpr size_t kUnemittable = kMaxOptionBytes + 1;
  size_t n = 0;
  if (o.mss) n += 4;
  if (o.timestamps) {
    n += 12;  // SACK-permitted or NOP NOP, then the 10-byte option
  } else if (o.sack_permitted) {
    n += 4;
  }
  if (o.window_scale) n += 4;
  if (o.sack_block_count > kMaxSackBlocks) return kUnemittable;
  if (o.sack_block_count > 0) n += 4 + 8 * size_t{o.sack_block_count};
  if (o.fast_open) {
    if (!tfo_cookie_length_ok(o.fast_open->length)) return kUnemittable;
    n += fast_open_length(*o.fast_open);
  }
  return n;
}

size_t emit_options(const TcpOptions& o, std::span<uint8_t> out) {
  const size_t total = options_length(o);
  if (total > kMaxOptionBytes || total > out.size()) return 0;
  constexpr uint8_t kNop = kind(OptionKind::kNop);
  size_t i = 0;
  auto put = [&](uint8_t b) { out[i++] = b; };
  if (o.mss) {
    put(kind(OptionKind::kMss));
    put(4);
    store_be16(out, i, *o.mss);
    i += 2;
  }
  if (o.timestamps) {
    if (o.sack_permitted) {
      put(kind(OptionKind::kSackPermitted));
      put(2);
    } else {
      put(kNop);
      put(kNop);
    }
    put(kind(OptionKind::kTimestamps));
    put(10);
    store_be32(out, i, o.timestamps->tsval);
    store_be32(out, i + 4, o.timestamps->tsecr);
    i += 8;
  } else if (o.sack_permitted) {
    put(kNop);
    put(kNop);
    put(kind(OptionKind::kSackPermitted));
    put(2);
  }
  if (o.window_scale) {
    put(kNop);
    put(kind(OptionKind::kWindowScale));
    put(3);
    put(*o.window_scale);
  }
  if (o.sack_block_count > 0) {
    put(kNop);
    put(kNop);
    put(kind(OptionKind::kSack));
    put(static_cast<uint8_t>(2 + 8 * o.sack_block_count));
    for (const SackBlock& b : o.sacks()) {
      store_be32(out, i, b.left);
      store_be32(out, i + 4, b.right);
      i += 8;
    }
  }
  if (o.fast_open) {
    const FastOpenCookie& c = *o.fast_open;
    if (c.experimental) {
      put(kind(OptionKind::kFastOpenExperimental));
      put(static_cast<uint8_t>(4 + c.length));
      store_be16(out, i, kFastOpenMagic);
      i += 2;
    } else {
      put(kind(OptionKind::kFastOpen));
      put(static_cast<uint8_t>(2 + c.length));
    }
    for (size_t b = 0; b < c.length; ++b) put(c.bytes[b]);
  }
  while (i < total) put(kNop);  // pad to a 32-bit boundary
  return total;
}

std::string_view to_string(OptionsError e) {
  switch (e) {
    case OptionsError::kNone:
      return "None";
    case OptionsError::kZeroOrOneLength:
      return "OptZeroOrOneLength";
    case OptionsError::kPastEnd:
      return "OptPastEnd";
    case OptionsError::kBadFixedLength:
      return "OptBadFixedLength";
    case OptionsError::kBadSackLength:
      return "OptBadSackLength";
    case OptionsError::kBadFastOpenLength:
      return "OptBadFastOpenLength";
  }
  return "Unknown";
}

}  // namespace tcpref::wire
