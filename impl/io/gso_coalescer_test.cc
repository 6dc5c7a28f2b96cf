#include "impl/io/gso_coalescer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "impl/io/test_packets.h"

namespace tcpref::io {
namespace {

using testing::get16;
using testing::get32;
using testing::ones_complement;
using testing::put16;
using testing::put32;

constexpr uint32_t kServer = 0xc6120001, kClient = 0xc6120002;
constexpr uint8_t kAck = 0x10, kPsh = 0x08, kFin = 0x01, kSyn = 0x02;

// An IPv4/TCP segment with a timestamp option (TCP header 32 bytes) and
// complete checksums, as the stack emits it.
std::vector<uint8_t> segment(uint32_t seq, size_t payload, uint8_t flags,
                             uint32_t tsval = 7, uint16_t window = 512) {
  std::vector<uint8_t> p(20 + 32 + payload, 'd');
  std::fill_n(p.begin(), 52, 0);
  p[0] = 0x45;
  put16(p, 2, static_cast<uint16_t>(p.size()));
  p[6] = 0x40;
  p[8] = 64;
  p[9] = 6;
  put32(p, 12, kServer);
  put32(p, 16, kClient);
  put16(p, 10, 0);
  put16(p, 10, ones_complement(std::span(p).first(20)));
  put16(p, 20, 7);
  put16(p, 22, 40000);
  put32(p, 24, seq);
  put32(p, 28, 1000);
  p[32] = 8 << 4;
  p[33] = flags;
  put16(p, 34, window);
  put16(p, 36, 0);
  put16(p, 38, 0);
  p[40] = 1;
  p[41] = 1;
  p[42] = 8;
  p[43] = 10;
  put32(p, 44, tsval);
  put32(p, 48, 3);
  const uint32_t pseudo = (kServer >> 16) + (kServer & 0xffff) +
                          (kClient >> 16) + (kClient & 0xffff) + 6 +
                          static_cast<uint32_t>(p.size() - 20);
  put16(p, 36, ones_complement(std::span(p).subspan(20), pseudo));
  return p;
}

struct Frame {
  VnetHeader header;
  std::vector<uint8_t> packet;
};

class Recorder : public DeviceWriter {
 public:
  void write_frame(const VnetHeader& h, std::span<const uint8_t> p) override {
    frames.push_back({h, {p.begin(), p.end()}});
  }
  std::vector<Frame> frames;
};

class GsoCoalescerTest : public ::testing::Test {
 protected:
  Recorder out;
  GsoCoalescer gso{out};
};

TEST_F(GsoCoalescerTest, ABurstBecomesOneSuperSegmentForTheKernelToCut) {
  for (uint32_t i = 0; i < 3; ++i) gso.add(segment(100 + i * 1000, 1000, kAck));
  gso.add(segment(3100, 400, kAck | kPsh));
  EXPECT_TRUE(out.frames.empty());  // held until the batch ends
  gso.flush();
  ASSERT_EQ(out.frames.size(), 1u);
  const Frame& f = out.frames[0];
  EXPECT_EQ(f.header.flags, VnetHeader::kNeedsCsum);
  EXPECT_EQ(f.header.gso_type, VnetHeader::kGsoTcpV4);
  EXPECT_EQ(f.header.gso_size, 1000);
  EXPECT_EQ(f.header.hdr_len, 52);
  EXPECT_EQ(f.header.csum_start, 20);
  EXPECT_EQ(f.header.csum_offset, 16);
  ASSERT_EQ(f.packet.size(), 52u + 3400);
  EXPECT_EQ(get16(f.packet, 2), 52 + 3400);
  EXPECT_EQ(ones_complement(std::span(f.packet).first(20)), 0)
      << "IPv4 header checksum";
  EXPECT_EQ(get32(f.packet, 24), 100u);
  EXPECT_EQ(f.packet[33], kAck | kPsh);  // the last segment's PSH
  // The partial checksum: the pseudo-header sum over the whole segment.
  const uint32_t pseudo = (kServer >> 16) + (kServer & 0xffff) +
                          (kClient >> 16) + (kClient & 0xffff) + 6 + 32 + 3400;
  EXPECT_EQ(get16(f.packet, 36), (pseudo & 0xffff) + (pseudo >> 16));
  EXPECT_EQ(gso.super_segments(), 1u);
  EXPECT_EQ(gso.segments_joined(), 4u);
}

TEST_F(GsoCoalescerTest, ALoneSegmentGoesOutUnchangedWithoutOffload) {
  const auto s = segment(100, 1000, kAck);
  gso.add(s);
  gso.flush();
  ASSERT_EQ(out.frames.size(), 1u);
  EXPECT_EQ(out.frames[0].header.flags, 0);
  EXPECT_EQ(out.frames[0].header.gso_type, VnetHeader::kGsoNone);
  EXPECT_EQ(out.frames[0].packet, s);
}

TEST_F(GsoCoalescerTest, ControlSegmentsAndPureAcksGoOutAloneInOrder) {
  gso.add(segment(100, 1000, kAck));
  gso.add(segment(1100, 0, kAck | kFin));
  gso.add(segment(5, 0, kSyn | kAck));
  gso.add(segment(1101, 0, kAck));
  gso.flush();
  ASSERT_EQ(out.frames.size(), 4u);
  EXPECT_EQ(get32(out.frames[0].packet, 24), 100u);
  EXPECT_EQ(out.frames[1].packet[33], kAck | kFin);
  EXPECT_EQ(out.frames[2].packet[33], kSyn | kAck);
  for (const Frame& f : out.frames) EXPECT_EQ(f.header.gso_type, 0);
}

TEST_F(GsoCoalescerTest, WhatDiffersEndsTheSuperSegment) {
  // A gap in sequence, a new timestamp, a new window, after PSH, after a
  // short segment, and a longer segment than the first: six frames.
  gso.add(segment(100, 1000, kAck));
  gso.add(segment(2100, 1000, kAck));                   // gap
  gso.add(segment(3100, 1000, kAck, /*tsval=*/8));      // TS moved
  gso.add(segment(4100, 1000, kAck, 8, /*window=*/9));  // window moved
  gso.add(segment(5100, 1000, kAck | kPsh, 8, 9));      // joins, then ends it
  gso.add(segment(6100, 500, kAck, 8, 9));              // after PSH: new
  gso.add(segment(6600, 500, kAck, 8, 9));              // joins (same size)
  gso.add(segment(7100, 100, kAck, 8, 9));              // short: joins, ends
  gso.add(segment(7200, 100, kAck, 8, 9));              // after short: new
  gso.flush();
  std::vector<size_t> sizes;
  for (const Frame& f : out.frames) sizes.push_back(f.packet.size() - 52);
  EXPECT_EQ(sizes, (std::vector<size_t>{1000, 1000, 1000, 2000, 1100, 100}));
}

TEST_F(GsoCoalescerTest, NeverPastSixtyFourKilobytes) {
  for (uint32_t i = 0; i < 80; ++i) gso.add(segment(i * 1000, 1000, kAck));
  gso.flush();
  ASSERT_EQ(out.frames.size(), 2u);
  EXPECT_LE(out.frames[0].packet.size(), 65535u);
  EXPECT_EQ(out.frames[0].packet.size() - 52 + out.frames[1].packet.size() - 52,
            80000u);
}

TEST(VnetHeader, LittleEndianFieldsRoundTrip) {
  const VnetHeader h{.flags = 1,
                     .gso_type = 1,
                     .hdr_len = 52,
                     .gso_size = 1448,
                     .csum_start = 20,
                     .csum_offset = 16};
  uint8_t b[VnetHeader::kSize];
  h.write(b);
  EXPECT_EQ(b[4], 1448 & 0xff);
  EXPECT_EQ(b[5], 1448 >> 8);
  const VnetHeader r = VnetHeader::read(b);
  EXPECT_EQ(r.gso_size, 1448);
  EXPECT_EQ(r.hdr_len, 52);
  EXPECT_EQ(r.csum_start, 20);
  EXPECT_EQ(r.csum_offset, 16);
  EXPECT_EQ(r.flags, 1);
  EXPECT_EQ(r.gso_type, 1);
}

}  // namespace
}  // namespace tcpref::io
