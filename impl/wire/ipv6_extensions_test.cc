#include "impl/wire/ipv6_extensions.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;
namespace nh = next_header;

// An options header (Hop-by-Hop or Destination Options) carrying `options`,
// padded with PadN/Pad1 to a multiple of 8 (RFC 8200 §4.2).
Bytes options_header(uint8_t next, Bytes options) {
  const size_t used = 2 + options.size();
  const size_t pad = (8 - used % 8) % 8;
  if (pad == 1) {
    options.push_back(kOptionPad1);
  } else if (pad >= 2) {
    options.push_back(kOptionPadN);
    options.push_back(static_cast<uint8_t>(pad - 2));
    options.insert(options.end(), pad - 2, 0);
  }
  Bytes h = {next, static_cast<uint8_t>((2 + options.size()) / 8 - 1)};
  h.insert(h.end(), options.begin(), options.end());
  return h;
}

// A Routing header of `type` with one address and `segments_left`.
Bytes routing_header(uint8_t next, uint8_t type, uint8_t segments_left) {
  Bytes h = {next, 2, type, segments_left, 0, 0, 0, 0};
  h.insert(h.end(), 16, 0x20);
  return h;
}

Bytes fragment_header(uint8_t next, uint16_t offset_units, bool more) {
  const uint16_t v = static_cast<uint16_t>(offset_units << 3 | (more ? 1 : 0));
  return {next,
          0,
          static_cast<uint8_t>(v >> 8),
          static_cast<uint8_t>(v),
          0xde,
          0xad,
          0xbe,
          0xef};
}

// A chain of headers followed by a 20-byte stand-in for TCP.
Bytes chain(std::initializer_list<Bytes> headers) {
  Bytes out;
  for (const Bytes& h : headers) out.insert(out.end(), h.begin(), h.end());
  out.insert(out.end(), 20, 0x77);
  return out;
}

Checked<ExtensionWalk> walk(uint8_t first, const Bytes& payload) {
  return walk_extension_headers(first, payload);
}

ParseError error_of(uint8_t first, const Bytes& payload) {
  return walk(first, payload).error;
}

// ---- accepted chains -----------------------------------------------------

TEST(ExtensionWalk, NoExtensionHeaders) {
  const Checked<ExtensionWalk> w = walk(nh::kTcp, chain({}));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w.view.protocol, nh::kTcp);
  EXPECT_EQ(w.view.offset, 0u);
  EXPECT_EQ(w.view.headers, 0);
  EXPECT_FALSE(w.view.atomic_fragment);
}

TEST(ExtensionWalk, RecommendedOrderIsWalkedToTcp) {
  // RFC 8200 §4.1: Hop-by-Hop, Destination Options, Routing, Fragment,
  // Destination Options, upper layer.
  const Bytes p = chain({options_header(nh::kDestinationOptions, {}),
                         options_header(nh::kRouting, {}),
                         routing_header(nh::kFragment, 4, 0),
                         fragment_header(nh::kDestinationOptions, 0, false),
                         options_header(nh::kTcp, {})});
  const Checked<ExtensionWalk> w = walk(nh::kHopByHop, p);
  ASSERT_TRUE(w.ok()) << to_string(w.error);
  EXPECT_EQ(w.view.protocol, nh::kTcp);
  EXPECT_EQ(w.view.offset, 8u + 8 + 24 + 8 + 8);
  EXPECT_EQ(w.view.headers, 5);
  EXPECT_TRUE(w.view.atomic_fragment);
}

TEST(ExtensionWalk, LongOptionsHeaderLengthIsInEightByteUnits) {
  // Router Alert (type 5, action 00) and a 20-byte skippable option: 2 + 4 +
  // 22 = 28, padded to 32 bytes (Hdr Ext Len 3).
  Bytes big = {0x1e, 20};
  big.insert(big.end(), 20, 0xab);
  Bytes options = {0x05, 2, 0, 0};
  options.insert(options.end(), big.begin(), big.end());
  const Bytes h = options_header(nh::kTcp, options);
  ASSERT_EQ(h.size(), 32u);
  EXPECT_EQ(h[1], 3);
  const Checked<ExtensionWalk> w = walk(nh::kHopByHop, chain({h}));
  ASSERT_TRUE(w.ok()) << to_string(w.error);
  EXPECT_EQ(w.view.offset, 32u);
}

TEST(ExtensionWalk, NoNextHeaderAndOtherProtocolsEndTheWalk) {
  // The caller decides: only TCP is delivered (parse_packet: kNotTcp).
  for (const uint8_t p : {nh::kNoNextHeader, nh::kIcmpv6, uint8_t{17}}) {
    const Checked<ExtensionWalk> w =
        walk(nh::kDestinationOptions, chain({options_header(p, {})}));
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w.view.protocol, p);
    EXPECT_EQ(w.view.offset, 8u);
  }
}

TEST(ExtensionWalk, RoutingWithNoSegmentsLeftIsIgnoredWhateverItsType) {
  // RFC 8200 §4.4; type 0 is deprecated (RFC 5095) but with Segments Left 0
  // it is ignored like any other.
  for (const uint8_t type : {0, 2, 3, 4, 200}) {
    EXPECT_TRUE(
        walk(nh::kRouting, chain({routing_header(nh::kTcp, type, 0)})).ok())
        << int{type};
  }
}

TEST(ExtensionWalk, AtomicFragmentIsAWholePacket) {
  // RFC 6946 §4; the reserved fields are ignored on receipt (RFC 8200 §4.5).
  Bytes f = fragment_header(nh::kTcp, 0, false);
  f[1] = 0xff;
  f[3] |= 0x06;
  const Checked<ExtensionWalk> w = walk(nh::kFragment, chain({f}));
  ASSERT_TRUE(w.ok()) << to_string(w.error);
  EXPECT_TRUE(w.view.atomic_fragment);
  EXPECT_EQ(w.view.offset, 8u);
}

TEST(ExtensionWalk, DestinationOptionsMayRepeatUpToTheBound) {
  Bytes p;
  for (size_t i = 0; i < kMaxExtensionHeaders; ++i) {
    const Bytes h = options_header(
        i + 1 == kMaxExtensionHeaders ? nh::kTcp : nh::kDestinationOptions, {});
    p.insert(p.end(), h.begin(), h.end());
  }
  p.insert(p.end(), 20, 0);
  const Checked<ExtensionWalk> w = walk(nh::kDestinationOptions, p);
  ASSERT_TRUE(w.ok()) << to_string(w.error);
  EXPECT_EQ(w.view.headers, kMaxExtensionHeaders);
}

// ---- one test per rejection ----------------------------------------------

TEST(ExtensionWalkError, HopByHopNotFirst) {
  EXPECT_EQ(error_of(nh::kDestinationOptions,
                     chain({options_header(nh::kHopByHop, {}),
                            options_header(nh::kTcp, {})})),
            ParseError::kIp6HopByHopNotFirst);
  // Twice, even back to back.
  EXPECT_EQ(error_of(nh::kHopByHop, chain({options_header(nh::kHopByHop, {}),
                                           options_header(nh::kTcp, {})})),
            ParseError::kIp6HopByHopNotFirst);
}

TEST(ExtensionWalkError, TooManyExtensions) {
  Bytes p;
  for (size_t i = 0; i <= kMaxExtensionHeaders; ++i) {
    const Bytes h = options_header(nh::kDestinationOptions, {});
    p.insert(p.end(), h.begin(), h.end());
  }
  p.insert(p.end(), 20, 0);
  EXPECT_EQ(error_of(nh::kDestinationOptions, p),
            ParseError::kIp6TooManyExtensions);
}

TEST(ExtensionWalkError, ChainsThatNeverEndAreBounded) {
  // Every header names another; the payload ends mid-chain or the bound
  // stops it, whichever comes first, and nothing is read past the payload.
  Bytes p;
  for (int i = 0; i < 100; ++i) {
    const Bytes h = fragment_header(nh::kFragment, 0, false);
    p.insert(p.end(), h.begin(), h.end());
  }
  EXPECT_EQ(error_of(nh::kFragment, p), ParseError::kIp6TooManyExtensions);
  EXPECT_EQ(error_of(nh::kFragment, Bytes(p.begin(), p.begin() + 20)),
            ParseError::kIp6ExtensionTruncated);
}

TEST(ExtensionWalkError, ExtensionTruncated) {
  const Bytes h = options_header(nh::kTcp, {});
  // Fewer than 8 bytes for each kind.
  for (const uint8_t kind :
       {nh::kHopByHop, nh::kDestinationOptions, nh::kRouting, nh::kFragment}) {
    EXPECT_EQ(error_of(kind, Bytes(h.begin(), h.begin() + 7)),
              ParseError::kIp6ExtensionTruncated)
        << int{kind};
    EXPECT_EQ(error_of(kind, {}), ParseError::kIp6ExtensionTruncated);
  }
  // Hdr Ext Len past the payload.
  Bytes long_header = h;
  long_header[1] = 1;  // 16 bytes claimed, 8 present
  EXPECT_EQ(error_of(nh::kDestinationOptions, long_header),
            ParseError::kIp6ExtensionTruncated);
  Bytes r = routing_header(nh::kTcp, 4, 0);
  r[1] = 3;  // 32 bytes claimed, 24 present
  EXPECT_EQ(error_of(nh::kRouting, r), ParseError::kIp6ExtensionTruncated);
}

TEST(ExtensionWalkError, RoutingSegmentsLeft) {
  for (const uint8_t type : {0, 2, 4}) {
    EXPECT_EQ(
        error_of(nh::kRouting, chain({routing_header(nh::kTcp, type, 1)})),
        ParseError::kIp6RoutingSegmentsLeft)
        << int{type};
  }
}

TEST(ExtensionWalkError, NonAtomicFragments) {
  // No reassembly: first fragment (M=1), middle, last (M=0, offset ≠ 0).
  EXPECT_EQ(
      error_of(nh::kFragment, chain({fragment_header(nh::kTcp, 0, true)})),
      ParseError::kIpFragment);
  EXPECT_EQ(
      error_of(nh::kFragment, chain({fragment_header(nh::kTcp, 185, true)})),
      ParseError::kIpFragment);
  EXPECT_EQ(
      error_of(nh::kFragment, chain({fragment_header(nh::kTcp, 1, false)})),
      ParseError::kIpFragment);
}

TEST(ExtensionWalkError, UnsupportedExtension) {
  for (const uint8_t kind :
       {nh::kEsp, nh::kAuthentication, nh::kMobility, nh::kHip, nh::kShim6,
        nh::kExperiment1, nh::kExperiment2}) {
    EXPECT_EQ(error_of(kind, chain({})), ParseError::kIp6UnsupportedExtension)
        << int{kind};
    // Also after another header.
    EXPECT_EQ(
        error_of(nh::kDestinationOptions, chain({options_header(kind, {})})),
        ParseError::kIp6UnsupportedExtension)
        << int{kind};
  }
}

// ---- options (RFC 8200 §4.2) ----------------------------------------------

ParseError options_error(const Bytes& area) { return check_options_area(area); }

TEST(ExtensionOptions, PaddingAndSkippableOptionsPass) {
  EXPECT_EQ(options_error({}), ParseError::kNone);
  EXPECT_EQ(options_error({0, 0, 0, 0, 0, 0}), ParseError::kNone);
  EXPECT_EQ(options_error({1, 4, 0, 0, 0, 0}), ParseError::kNone);
  EXPECT_EQ(options_error({0x05, 2, 0, 0, 1, 0}), ParseError::kNone);
  // An option with action 00 and any data is skipped by its length.
  EXPECT_EQ(options_error({0x3f, 4, 1, 2, 3, 4}), ParseError::kNone);
}

TEST(ExtensionOptions, UnknownOptionActionsDiscard) {
  // 01 discard; 10 discard + ICMP; 11 discard + ICMP unless multicast.
  for (const uint8_t type : {0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xff}) {
    EXPECT_EQ(options_error({type, 4, 0, 0, 0, 0}),
              ParseError::kIp6UnknownOption)
        << int{type};
  }
  // Jumbo Payload (RFC 2675: 0xC2) is one of them: no jumbograms here.
  const Bytes jumbo = options_header(nh::kTcp, {0xc2, 4, 0, 1, 0, 0});
  EXPECT_EQ(error_of(nh::kHopByHop, chain({jumbo})),
            ParseError::kIp6UnknownOption);
}

TEST(ExtensionOptions, MalformedTlvs) {
  // A type byte with no length byte.
  EXPECT_EQ(options_error({0x05}), ParseError::kIp6BadOption);
  // Data past the area.
  EXPECT_EQ(options_error({0x05, 5, 0, 0, 0, 0}), ParseError::kIp6BadOption);
  EXPECT_EQ(options_error({1, 5, 0, 0, 0, 0}), ParseError::kIp6BadOption);
}

TEST(ExtensionOptions, PaddingRunsAndContent) {
  // RFC 4942 §2.1.9.5 / RFC 8504 §5.3: at most 7 bytes of padding in a row,
  // PadN carries zeros.
  EXPECT_EQ(options_error(Bytes(7, 0)), ParseError::kNone);
  EXPECT_EQ(options_error(Bytes(8, 0)), ParseError::kIp6BadOption);
  EXPECT_EQ(options_error({1, 5, 0, 0, 0, 0, 0}), ParseError::kNone);
  EXPECT_EQ(options_error({1, 6, 0, 0, 0, 0, 0, 0}), ParseError::kIp6BadOption);
  EXPECT_EQ(options_error({0, 1, 5, 0, 0, 0, 0, 0}),
            ParseError::kIp6BadOption);  // Pad1 + PadN(7) = 8
  EXPECT_EQ(options_error({1, 2, 0, 1}), ParseError::kIp6BadOption);
  // An option between two runs resets the count.
  EXPECT_EQ(options_error({1, 4, 0, 0, 0, 0, 0x05, 2, 0, 0, 1, 4, 0, 0, 0, 0}),
            ParseError::kNone);
}

TEST(ExtensionOptions, OptionCountIsBounded) {
  Bytes area;
  for (size_t i = 0; i < kMaxOptionsPerHeader; ++i) {
    area.insert(area.end(), {0x1e, 0});
  }
  EXPECT_EQ(options_error(area), ParseError::kNone);
  area.insert(area.end(), {0x1e, 0});
  EXPECT_EQ(options_error(area), ParseError::kIp6BadOption);
}

TEST(ExtensionOptions, BadOptionsRejectTheWalk) {
  // Through the walk, in both option headers.
  for (const uint8_t kind : {nh::kHopByHop, nh::kDestinationOptions}) {
    Bytes h = options_header(nh::kTcp, {0x80, 0});
    EXPECT_EQ(error_of(kind, chain({h})), ParseError::kIp6UnknownOption);
    h = {nh::kTcp, 0, 1, 4, 0, 0, 9, 0};  // PadN with a non-zero byte
    EXPECT_EQ(error_of(kind, chain({h})), ParseError::kIp6BadOption);
  }
}

}  // namespace
}  // namespace tcpref::wire
