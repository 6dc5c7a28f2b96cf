#include "impl/wire/options.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "impl/wire/generators.h"

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes emit_bytes(const TcpOptions& o) {
  Bytes out(kMaxOptionBytes, 0xee);
  out.resize(emit_options(o, out));
  return out;
}

OptionsError error_of(const Bytes& b) { return parse_options(b).error; }

// ---- parse: one test per kind ---------------------------------------------

TEST(ParseOptions, EmptyIsValidAndEmpty) {
  const OptionsParse p = parse_options({});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options, TcpOptions{});
}

TEST(ParseOptions, Mss) {
  const OptionsParse p = parse_options(Bytes{2, 4, 0x05, 0xb4});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.mss, 1460);
}

TEST(ParseOptions, WindowScaleKeepsValueAsSent) {
  const OptionsParse p = parse_options(Bytes{3, 3, 200});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.window_scale, 200);
}

TEST(ParseOptions, SackPermitted) {
  const OptionsParse p = parse_options(Bytes{4, 2});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.options.sack_permitted);
}

TEST(ParseOptions, Timestamps) {
  const OptionsParse p =
      parse_options(Bytes{8, 10, 0xde, 0xad, 0xbe, 0xef, 0, 0, 1, 2});
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.options.timestamps.has_value());
  EXPECT_EQ(p.options.timestamps->tsval, 0xdeadbeefu);
  EXPECT_EQ(p.options.timestamps->tsecr, 0x0102u);
}

TEST(ParseOptions, SackBlocks) {
  const OptionsParse p = parse_options(
      Bytes{5, 18, 0, 0, 0, 1, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 5});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p.options.sack_block_count, 2);
  EXPECT_EQ(p.options.sack_blocks[0], (SackBlock{1, 9}));
  EXPECT_EQ(p.options.sack_blocks[1], (SackBlock{0xfffffff0, 5}));
}

TEST(ParseOptions, FourSackBlocksFit) {
  Bytes b = {5, 34};
  b.resize(34, 7);
  const OptionsParse p = parse_options(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.sack_block_count, 4);
  EXPECT_EQ(p.options.sack_blocks[3], (SackBlock{0x07070707, 0x07070707}));
}

TEST(ParseOptions, FastOpenRequestAndCookie) {
  OptionsParse p = parse_options(Bytes{34, 2});
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.options.fast_open.has_value());
  EXPECT_FALSE(p.options.fast_open->experimental);
  EXPECT_EQ(p.options.fast_open->length, 0);

  p = parse_options(Bytes{34, 6, 0xa1, 0xa2, 0xa3, 0xa4});
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.options.fast_open.has_value());
  EXPECT_EQ(p.options.fast_open->length, 4);
  EXPECT_EQ(p.options.fast_open->bytes[3], 0xa4);
  EXPECT_EQ(p.options.fast_open->bytes[4], 0);
}

TEST(ParseOptions, FastOpenExperimentalForm) {
  Bytes b = {254, 20, 0xf9, 0x89};
  for (uint8_t i = 0; i < 16; ++i) b.push_back(i);
  const OptionsParse p = parse_options(b);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p.options.fast_open.has_value());
  EXPECT_TRUE(p.options.fast_open->experimental);
  EXPECT_EQ(p.options.fast_open->length, 16);
  EXPECT_EQ(p.options.fast_open->bytes[15], 15);
}

TEST(ParseOptions, OtherExperimentIsSkippedAsUnknown) {
  const OptionsParse p = parse_options(Bytes{254, 6, 0x12, 0x34, 0xaa, 0xbb});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p.options.fast_open.has_value());
  EXPECT_EQ(p.options.unknown_count, 1);
}

TEST(ParseOptions, UnknownKindsAreSkippedByLength) {
  // RFC 9293 MUST-68. Kind 19 (MD5) and 99 hide bytes that look like MSS.
  const OptionsParse p =
      parse_options(Bytes{19, 6, 2, 4, 0, 1, 99, 2, 2, 4, 0x05, 0xb4});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.unknown_count, 2);
  EXPECT_EQ(p.options.mss, 1460);
}

TEST(ParseOptions, UnknownCountSaturates) {
  Bytes b;
  for (int i = 0; i < 300; ++i) b.insert(b.end(), {99, 2});
  const OptionsParse p = parse_options(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.unknown_count, 255);
}

TEST(ParseOptions, NopsAnywhereAndUnaligned) {
  const OptionsParse p =
      parse_options(Bytes{1, 3, 3, 9, 1, 1, 1, 2, 4, 0x02, 0x18, 1});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.window_scale, 9);
  EXPECT_EQ(p.options.mss, 536);
}

TEST(ParseOptions, EolEndsTheListAndHidesWhatFollows) {
  // What follows EOL is padding, even when it would be invalid as options.
  const OptionsParse p = parse_options(Bytes{4, 2, 0, 2, 0, 0xff});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.options.sack_permitted);
  EXPECT_FALSE(p.options.mss.has_value());
}

TEST(ParseOptions, RepeatedOptionLastOneWins) {
  const OptionsParse p = parse_options(Bytes{2, 4, 0, 1, 2, 4, 0, 2});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.options.mss, 2);
}

TEST(ParseOptions, RepeatedSackReplacesTheWholeList) {
  // Found by wire_fuzzer: blocks of the first list must not linger.
  const OptionsParse p =
      parse_options(Bytes{5, 18, 0, 0, 0, 1,  0, 0, 0, 2, 0, 0, 0, 3,
                          0, 0,  0, 4, 5, 10, 0, 0, 0, 5, 0, 0, 0, 6});
  ASSERT_TRUE(p.ok());
  TcpOptions expected;
  expected.sack_block_count = 1;
  expected.sack_blocks[0] = {5, 6};
  EXPECT_EQ(p.options, expected);
}

// ---- parse: one test per rejection ----------------------------------------

TEST(ParseOptionsError, ZeroOrOneLength) {
  EXPECT_EQ(error_of({2, 0}), OptionsError::kZeroOrOneLength);
  EXPECT_EQ(error_of({5, 1, 0, 0}), OptionsError::kZeroOrOneLength);
  EXPECT_EQ(error_of({99, 0, 1, 1}), OptionsError::kZeroOrOneLength);
  EXPECT_EQ(error_of({1, 1, 254, 1}), OptionsError::kZeroOrOneLength);
}

TEST(ParseOptionsError, PastEnd) {
  EXPECT_EQ(error_of({2}), OptionsError::kPastEnd);  // no length byte
  EXPECT_EQ(error_of({1, 1, 1, 8}), OptionsError::kPastEnd);
  EXPECT_EQ(error_of({2, 4, 5}), OptionsError::kPastEnd);
  EXPECT_EQ(error_of({1, 8, 10, 0, 0, 0, 0, 0, 0, 0}), OptionsError::kPastEnd);
  EXPECT_EQ(error_of({99, 5, 1, 2}), OptionsError::kPastEnd);
  EXPECT_EQ(error_of({3, 255, 1}), OptionsError::kPastEnd);
}

TEST(ParseOptionsError, BadFixedLength) {
  EXPECT_EQ(error_of({2, 3, 0}), OptionsError::kBadFixedLength);
  EXPECT_EQ(error_of({2, 6, 0, 0, 0, 0}), OptionsError::kBadFixedLength);
  EXPECT_EQ(error_of({3, 2}), OptionsError::kBadFixedLength);
  EXPECT_EQ(error_of({3, 4, 7, 0}), OptionsError::kBadFixedLength);
  EXPECT_EQ(error_of({4, 3, 0}), OptionsError::kBadFixedLength);
  EXPECT_EQ(error_of({8, 8, 0, 0, 0, 0, 0, 0}), OptionsError::kBadFixedLength);
  EXPECT_EQ(error_of({8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            OptionsError::kBadFixedLength);
}

TEST(ParseOptionsError, BadSackLength) {
  EXPECT_EQ(error_of({5, 2}), OptionsError::kBadSackLength);  // no block
  EXPECT_EQ(error_of({5, 9, 0, 0, 0, 0, 0, 0, 0}),
            OptionsError::kBadSackLength);
  EXPECT_EQ(error_of({5, 14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
            OptionsError::kBadSackLength);
  Bytes five_blocks = {5, 42};
  five_blocks.resize(42, 0);  // longer than a real option space can be
  EXPECT_EQ(error_of(five_blocks), OptionsError::kBadSackLength);
}

TEST(ParseOptionsError, BadFastOpenLength) {
  EXPECT_EQ(error_of({34, 3, 0}), OptionsError::kBadFastOpenLength);
  EXPECT_EQ(error_of({34, 5, 0, 0, 0}), OptionsError::kBadFastOpenLength);
  Bytes long_cookie = {34, 19};
  long_cookie.resize(19, 1);  // 17-byte cookie
  EXPECT_EQ(error_of(long_cookie), OptionsError::kBadFastOpenLength);
  EXPECT_EQ(error_of({254, 2}), OptionsError::kBadFastOpenLength);  // no magic
  EXPECT_EQ(error_of({254, 3, 0xf9}), OptionsError::kBadFastOpenLength);
  EXPECT_EQ(error_of({254, 5, 0xf9, 0x89, 1}),
            OptionsError::kBadFastOpenLength);
}

TEST(ParseOptionsError, FailureCarriesNoPartialOptions) {
  const OptionsParse p = parse_options(Bytes{2, 4, 5, 0xb4, 3, 0});
  EXPECT_EQ(p.error, OptionsError::kZeroOrOneLength);
  EXPECT_EQ(p.options, TcpOptions{});
}

TEST(ParseOptionsError, NamesAreDistinctCounterLabels) {
  EXPECT_EQ(to_string(OptionsError::kPastEnd), "OptPastEnd");
  EXPECT_EQ(to_string(OptionsError::kBadFastOpenLength),
            "OptBadFastOpenLength");
  EXPECT_NE(to_string(OptionsError::kBadFixedLength),
            to_string(OptionsError::kBadSackLength));
}

// ---- emit ------------------------------------------------------------------

TEST(EmitOptions, LinuxSynLayout) {
  TcpOptions o;
  o.mss = 1460;
  o.sack_permitted = true;
  o.timestamps = Timestamps{0x01020304, 0};
  o.window_scale = 7;
  EXPECT_EQ(emit_bytes(o), (Bytes{2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2,
                                  3, 4, 0,    0,    0, 0, 1, 3,  3, 7}));
  EXPECT_EQ(options_length(o), 20u);
}

TEST(EmitOptions, EachOptionAlone) {
  TcpOptions o;
  o.sack_permitted = true;
  EXPECT_EQ(emit_bytes(o), (Bytes{1, 1, 4, 2}));

  o = {};
  o.timestamps = Timestamps{1, 2};
  EXPECT_EQ(emit_bytes(o), (Bytes{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}));

  o = {};
  o.window_scale = 14;
  EXPECT_EQ(emit_bytes(o), (Bytes{1, 3, 3, 14}));

  o = {};
  o.sack_block_count = 1;
  o.sack_blocks[0] = {0x10, 0x20};
  EXPECT_EQ(emit_bytes(o), (Bytes{1, 1, 5, 10, 0, 0, 0, 0x10, 0, 0, 0, 0x20}));
}

TEST(EmitOptions, FastOpenFormsArePaddedToWords) {
  TcpOptions o;
  o.fast_open = FastOpenCookie{};
  EXPECT_EQ(emit_bytes(o), (Bytes{34, 2, 1, 1}));

  o.fast_open->experimental = true;
  EXPECT_EQ(emit_bytes(o), (Bytes{254, 4, 0xf9, 0x89}));

  o.fast_open = FastOpenCookie{false, 5, {9, 8, 7, 6, 5}};
  EXPECT_EQ(emit_bytes(o), (Bytes{34, 7, 9, 8, 7, 6, 5, 1}));
}

TEST(EmitOptions, NothingIsEmpty) {
  EXPECT_EQ(options_length({}), 0u);
  EXPECT_TRUE(emit_bytes({}).empty());
}

TEST(EmitOptions, TooLongWritesNothing) {
  TcpOptions o;
  o.mss = 1;
  o.timestamps = Timestamps{};
  o.sack_block_count = 4;  // 4 + 12 + 36 = 52 bytes
  EXPECT_GT(options_length(o), kMaxOptionBytes);
  Bytes out(64, 0xee);
  EXPECT_EQ(emit_options(o, out), 0u);
  EXPECT_EQ(out, Bytes(64, 0xee));
}

TEST(EmitOptions, SmallBufferWritesNothing) {
  TcpOptions o;
  o.mss = 1460;
  o.window_scale = 2;
  Bytes out(7, 0xee);
  EXPECT_EQ(emit_options(o, out), 0u);
  EXPECT_EQ(out, Bytes(7, 0xee));
}

TEST(EmitOptions, UnemittableValuesWriteNothing) {
  TcpOptions o;
  o.fast_open = FastOpenCookie{false, 3, {}};
  EXPECT_GT(options_length(o), kMaxOptionBytes);
  EXPECT_TRUE(emit_bytes(o).empty());
  o = {};
  o.sack_block_count = 5;
  EXPECT_GT(options_length(o), kMaxOptionBytes);
  EXPECT_TRUE(emit_bytes(o).empty());
}

// ---- properties
// --------------------------------------------------------------

RC_GTEST_PROP(OptionsProperty, EmitThenParseIsIdentity, ()) {
  const TcpOptions o = *gen_emittable_options();
  const Bytes b = emit_bytes(o);
  RC_ASSERT(b.size() == options_length(o));
  RC_ASSERT(b.size() % 4 == 0);
  RC_ASSERT(b.size() <= kMaxOptionBytes);
  const OptionsParse p = parse_options(b);
  RC_ASSERT(p.ok());
  RC_ASSERT(p.options == o);
}

// One option as it appears on the wire, without alignment padding.
void append_option(Bytes& out, uint8_t kind, const Bytes& body) {
  out.push_back(kind);
  out.push_back(static_cast<uint8_t>(2 + body.size()));
  out.insert(out.end(), body.begin(), body.end());
}

Bytes be(uint32_t v, int width) {
  Bytes b;
  for (int i = width - 1; i >= 0; --i)
    b.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return b;
}

// Each known option of `o` as its own unpadded byte string.
std::vector<Bytes> known_option_items(const TcpOptions& o) {
  std::vector<Bytes> items;
  auto add = [&](uint8_t kind, const Bytes& body) {
    items.emplace_back();
    append_option(items.back(), kind, body);
  };
  if (o.mss) add(2, be(*o.mss, 2));
  if (o.window_scale) add(3, {*o.window_scale});
  if (o.sack_permitted) add(4, {});
  if (o.timestamps) {
    Bytes body = be(o.timestamps->tsval, 4);
    const Bytes ecr = be(o.timestamps->tsecr, 4);
    body.insert(body.end(), ecr.begin(), ecr.end());
    add(8, body);
  }
  if (o.sack_block_count) {
    Bytes body;
    for (const SackBlock& s : o.sacks()) {
      for (uint32_t v : {s.left, s.right}) {
        const Bytes w = be(v, 4);
        body.insert(body.end(), w.begin(), w.end());
      }
    }
    add(5, body);
  }
  if (o.fast_open) {
    Bytes body;
    if (o.fast_open->experimental) body = {0xf9, 0x89};
    body.insert(body.end(), o.fast_open->bytes.begin(),
                o.fast_open->bytes.begin() + o.fast_open->length);
    add(o.fast_open->experimental ? 254 : 34, body);
  }
  return items;
}

// A NOP, or an option of an unknown kind (possibly kind 254 with another
// experiment's ExID), at most `room` bytes long.
Bytes gen_filler(size_t room, int& unknowns) {
  if (room < 2 || *rc::gen::arbitrary<bool>()) return {1};
  Bytes body = *rc::gen::container<Bytes>(
      *rc::gen::inRange<size_t>(0, std::min<size_t>(room - 2, 8) + 1),
      rc::gen::arbitrary<uint8_t>());
  uint8_t kind = *rc::gen::suchThat<uint8_t>(
      [](uint8_t k) { return k > 5 && k != 8 && k != 34 && k != 254; });
  if (body.size() >= 2 && *rc::gen::arbitrary<bool>()) {
    kind = 254;
    if (body[0] == 0xf9 && body[1] == 0x89) body[1] = 0x8a;
  }
  Bytes out;
  append_option(out, kind, body);
  ++unknowns;
  return out;
}

RC_GTEST_PROP(OptionsProperty, AnyOrderAndAlignmentParsesTheSame, ()) {
  TcpOptions expected = *gen_emittable_options();
  std::vector<Bytes> items = known_option_items(expected);
  size_t used = 0;
  for (const Bytes& i : items) used += i.size();
  RC_ASSERT(used <= kMaxOptionBytes);
  int unknowns = 0;
  const int fillers = *rc::gen::inRange(0, 12);
  for (int f = 0; f < fillers && used < kMaxOptionBytes; ++f) {
    items.push_back(gen_filler(kMaxOptionBytes - used, unknowns));
    used += items.back().size();
  }
  // Shuffle by random sort keys.
  const auto keys = *rc::gen::container<std::vector<uint32_t>>(
      items.size(), rc::gen::arbitrary<uint32_t>());
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  Bytes wire;
  for (size_t i : order)
    wire.insert(wire.end(), items[i].begin(), items[i].end());
  // Sometimes end with EOL and arbitrary padding bytes after it.
  if (wire.size() < kMaxOptionBytes && *rc::gen::arbitrary<bool>()) {
    wire.push_back(0);
    while (wire.size() < kMaxOptionBytes) {
      wire.push_back(*rc::gen::arbitrary<uint8_t>());
    }
  }
  expected.unknown_count = static_cast<uint8_t>(unknowns);
  const OptionsParse p = parse_options(wire);
  RC_ASSERT(p.ok());
  RC_ASSERT(p.options == expected);
}

RC_GTEST_PROP(OptionsProperty, ArbitraryBytesParseInBoundsAndReEmit, ()) {
  // An exactly-sized heap buffer: ASan flags any read past it.
  const Bytes b = *rc::gen::container<Bytes>(
      *rc::gen::inRange<size_t>(0, kMaxOptionBytes + 1),
      rc::gen::arbitrary<uint8_t>());
  const OptionsParse p = parse_options(b);
  if (!p.ok()) {
    RC_ASSERT(p.options == TcpOptions{});
    return;
  }
  // Whatever parsed re-emits (unknown kinds dropped) to the same values.
  // Options that fit unpadded may not fit once emitted with alignment NOPs;
  // those are legal to receive but not to emit.
  RC_PRE(options_length(p.options) <= kMaxOptionBytes);
  TcpOptions known = p.options;
  known.unknown_count = 0;
  const OptionsParse again = parse_options(emit_bytes(known));
  RC_ASSERT(again.ok());
  RC_ASSERT(again.options == known);
}

}  // namespace
}  // namespace tcpref::wire
