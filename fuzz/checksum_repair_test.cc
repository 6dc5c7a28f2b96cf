#include "fuzz/checksum_repair.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "impl/wire/segment.h"

namespace tcpref::fuzz {
namespace {

std::vector<uint8_t> data_packet() {
  static const uint8_t kPayload[] = {'h', 'e', 'l', 'l', 'o'};
  wire::Segment s;
  s.src_addr = 0xC6120002;
  s.dst_addr = 0xC6120001;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = 7;
  s.ack = 9;
  s.flags = wire::flags::kAck | wire::flags::kPsh;
  s.window = 1000;
  s.options.mss = 1460;
  s.payload = kPayload;
  std::vector<uint8_t> p(wire::emitted_length(s));
  EXPECT_EQ(wire::emit(s, p), p.size());
  return p;
}

TEST(RepairChecksums, MutatedFieldsVerifyAgain) {
  std::vector<uint8_t> p = data_packet();
  p[8] ^= 0x10;   // TTL: IPv4 header checksum now wrong
  p[24] ^= 0x80;  // sequence number: TCP checksum now wrong
  p.back() ^= 1;  // payload
  ASSERT_EQ(wire::parse_packet(p).error, wire::ParseError::kIpBadChecksum);
  repair_checksums(p);
  const wire::PacketParse r = wire::parse_packet(p);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_EQ(r.segment.seq, 7u ^ 0x80000000u);
}

TEST(RepairChecksums, ValidPacketIsUnchanged) {
  std::vector<uint8_t> p = data_packet();
  const std::vector<uint8_t> before = p;
  repair_checksums(p);
  EXPECT_EQ(p, before);
}

TEST(RepairChecksums, LinkPaddingIsNotSummed) {
  std::vector<uint8_t> p = data_packet();
  p.insert(p.end(), {0xAA, 0xBB, 0xCC});
  p[30] ^= 1;  // ack number
  repair_checksums(p);
  EXPECT_TRUE(wire::parse_packet(p).ok());
}

TEST(RepairChecksums, LeavesWhatItCannotLocate) {
  std::vector<uint8_t> p = data_packet();
  p[0] = 0x4F;  // IHL 15: 60 bytes, past this 49-byte packet
  p[30] ^= 1;
  const std::vector<uint8_t> before = p;
  repair_checksums(p);
  EXPECT_EQ(p, before);
  std::vector<uint8_t> tiny = {0x45, 0, 0};
  repair_checksums(tiny);
  EXPECT_EQ(tiny, (std::vector<uint8_t>{0x45, 0, 0}));
}

}  // namespace
}  // namespace tcpref::fuzz
