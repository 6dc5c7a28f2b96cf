#include "impl/wire/tcp_header.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "impl/wire/checksum.h"

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;

TcpHeader example_header() {
  return TcpHeader{.src_port = 40000,
                   .dst_port = 80,
                   .seq = 0x11223344,
                   .ack = 0xaabbccdd,
                   .data_offset = 6,
                   .flags = flags::kSyn | flags::kAck | flags::kEce,
                   .window = 65535,
                   .urgent = 7};
}

// Header with 4 option bytes and a 3-byte payload.
Bytes example_segment() {
  Bytes b(27, 0);
  write_tcp_header(example_header(), std::span(b).first<kTcpMinHeader>());
  b[20] = 1;
  b[21] = 3;
  b[22] = 3;
  b[23] = 7;
  b[24] = 'a';
  b[25] = 'b';
  b[26] = 'c';
  return b;
}

TEST(TcpHeaderView, WriterAndAccessorsAgree) {
  const Bytes b = example_segment();
  const Checked<TcpHeaderView> tcp = TcpHeaderView::parse(b);
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp.view.src_port(), 40000);
  EXPECT_EQ(tcp.view.dst_port(), 80);
  EXPECT_EQ(tcp.view.seq(), 0x11223344u);
  EXPECT_EQ(tcp.view.ack(), 0xaabbccddu);
  EXPECT_EQ(tcp.view.data_offset(), 6);
  EXPECT_EQ(tcp.view.header_length(), 24u);
  EXPECT_EQ(tcp.view.reserved(), 0);
  EXPECT_EQ(tcp.view.flags(), flags::kSyn | flags::kAck | flags::kEce);
  EXPECT_EQ(tcp.view.window(), 65535);
  EXPECT_EQ(tcp.view.checksum(), 0);
  EXPECT_EQ(tcp.view.urgent(), 7);
  EXPECT_EQ(Bytes(tcp.view.options().begin(), tcp.view.options().end()),
            (Bytes{1, 3, 3, 7}));
  EXPECT_EQ(Bytes(tcp.view.payload().begin(), tcp.view.payload().end()),
            (Bytes{'a', 'b', 'c'}));
}

TEST(TcpHeaderView, WriterLayout) {
  const Bytes b = example_segment();
  EXPECT_EQ(Bytes(b.begin(), b.begin() + 20),
            (Bytes{0x9c, 0x40, 0,    80,   0x11, 0x22, 0x33, 0x44, 0xaa, 0xbb,
                   0xcc, 0xdd, 0x60, 0x52, 0xff, 0xff, 0,    0,    0,    7}));
}

TEST(TcpHeaderView, ReservedBitsDoNotLeakIntoFlags) {
  Bytes b = example_segment();
  b[12] |= 0x0f;  // RFC 9293 §3.1: reserved, ignored on receive
  const Checked<TcpHeaderView> tcp = TcpHeaderView::parse(b);
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp.view.reserved(), 0x0f);
  EXPECT_EQ(tcp.view.data_offset(), 6);
  EXPECT_EQ(tcp.view.flags(), flags::kSyn | flags::kAck | flags::kEce);
}

TEST(TcpHeaderView, Truncated) {
  const Bytes b = example_segment();
  EXPECT_EQ(TcpHeaderView::parse(std::span(b).first(19)).error,
            ParseError::kTcpTruncated);
}

TEST(TcpHeaderView, BadDataOffset) {
  Bytes b = example_segment();
  for (uint8_t doff = 0; doff < 5; ++doff) {
    b[12] = static_cast<uint8_t>(doff << 4);
    EXPECT_EQ(TcpHeaderView::parse(b).error, ParseError::kTcpBadDataOffset);
  }
}

TEST(TcpHeaderView, DataOffsetPastEnd) {
  Bytes b = example_segment();
  b[12] = 0x70;  // 28 bytes of header in a 27-byte segment
  EXPECT_EQ(TcpHeaderView::parse(b).error, ParseError::kTcpDataOffsetPastEnd);
  b[12] = 0xf0;
  EXPECT_EQ(TcpHeaderView::parse(b).error, ParseError::kTcpDataOffsetPastEnd);
}

TEST(TcpHeaderView, HeaderFillingTheSegmentHasEmptyPayload) {
  Bytes b = example_segment();
  b.resize(24);
  const Checked<TcpHeaderView> tcp = TcpHeaderView::parse(b);
  ASSERT_TRUE(tcp.ok());
  EXPECT_TRUE(tcp.view.payload().empty());
}

TEST(TcpHeaderView, FilledChecksumVerifies) {
  Bytes b = example_segment();
  fill_tcp_checksum(0xc6120001, 0xc6120002, b);
  EXPECT_NE(TcpHeaderView::parse(b).view.checksum(), 0);
  EXPECT_TRUE(tcp_checksum_ok(0xc6120001, 0xc6120002, b));
  EXPECT_FALSE(tcp_checksum_ok(0xc6120001, 0xc6120003, b));
}

}  // namespace
}  // namespace tcpref::wire
