// No socket (RFC 9293 §3.10.7.1) and validation: what happens to a packet
// no one wants, or that is malformed.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;

// RFC 9293 §3.10.7.1, no ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>,
// with SYN counted in SEG.LEN.
TEST(NoSocket, SynToClosedPortGetsRstAck) {
  Harness h;
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kSyn, .window = 100}),
            Verdict::kDroppedNoSocket);
  h.ExpectSent({.seq = 0, .ack = kIrs + 1, .flags = kRst | kAck});
  EXPECT_EQ(h.counters().NoSocket, 1u);
  EXPECT_EQ(h.counters().OutRsts, 1u);
}

// RFC 9293 §3.10.7.1, no ACK: data and FIN both count in SEG.LEN.
TEST(NoSocket, DataAndFinCountInAck) {
  Harness h;
  const std::array<uint8_t, 7> data{};
  h.Send({.seq = kIrs, .flags = kFin | kPsh, .window = 100, .payload = data});
  h.ExpectSent({.seq = 0, .ack = kIrs + 8, .flags = kRst | kAck});
}

// RFC 9293 §3.10.7.1, with ACK: <SEQ=SEG.ACK><CTL=RST>.
TEST(NoSocket, AckToClosedPortGetsRstFromAck) {
  Harness h;
  h.Send({.seq = kIrs, .ack = 0xdeadbeef, .flags = kAck, .window = 100});
  h.ExpectSent({.seq = 0xdeadbeef, .flags = kRst});
}

// RFC 9293 §3.10.7.1: a RST is never answered.
TEST(NoSocket, RstIsNeverAnswered) {
  Harness h;
  EXPECT_EQ(h.Send({.seq = kIrs, .flags = kRst}), Verdict::kDroppedNoSocket);
  EXPECT_EQ(h.Send({.seq = kIrs, .ack = 5, .flags = kRst | kAck}),
            Verdict::kDroppedNoSocket);
  h.ExpectNothingSent();
}

// A listener on another port does not catch the segment.
TEST(NoSocket, OtherPortIsClosed) {
  Harness h;
  h.Listen();
  h.Send(
      {.dst_port = kServerPort + 1, .seq = kIrs, .flags = kSyn, .window = 100});
  h.ExpectSent({.src_port = kServerPort + 1,
                .seq = 0,
                .ack = kIrs + 1,
                .flags = kRst | kAck});
}

// Validation: a bad TCP checksum is counted (InSegs, CsumErrors, InErrs)
// and dropped without reply.
TEST(Validation, BadChecksumIsCountedAndDropped) {
  Harness h;
  h.Listen();
  wire::Segment s{.src_addr = kClientAddr,
                  .dst_addr = kServerAddr,
                  .src_port = kClientPort,
                  .dst_port = kServerPort,
                  .seq = kIrs,
                  .flags = kSyn,
                  .window = 100};
  std::vector<uint8_t> packet(wire::emitted_length(s));
  ASSERT_EQ(wire::emit(s, packet), packet.size());
  packet[20 + 4] ^= 0x01;  // flip a bit of the sequence number
  EXPECT_EQ(h.SendBytes(packet), Verdict::kDroppedMalformed);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().CsumErrors, 1u);
  EXPECT_EQ(h.counters().InErrs, 1u);
  EXPECT_EQ(h.counters().InSegs, 1u);
  EXPECT_EQ(h.counters().InMalformed, 1u);
}

// Validation: every truncation of a valid packet is dropped, never
// answered, and counted.
TEST(Validation, TruncatedPacketsAreDropped) {
  Harness h;
  h.Listen();
  wire::Segment s{.src_addr = kClientAddr,
                  .dst_addr = kServerAddr,
                  .src_port = kClientPort,
                  .dst_port = kServerPort,
                  .seq = kIrs,
                  .flags = kSyn,
                  .window = 100,
                  .options = {.mss = 1460}};
  std::vector<uint8_t> packet(wire::emitted_length(s));
  ASSERT_EQ(wire::emit(s, packet), packet.size());
  // The empty packet has no storage at all (a null span), and every other
  // prefix an exactly-sized heap copy: a read past the end faults (or trips
  // ASan) instead of reading the rest of `packet`.
  EXPECT_EQ(h.SendBytes(std::span<const uint8_t>{}),
            Verdict::kDroppedMalformed);
  for (size_t n = 1; n < packet.size(); ++n) {
    const std::vector<uint8_t> prefix(packet.begin(), packet.begin() + n);
    EXPECT_EQ(h.SendBytes(prefix), Verdict::kDroppedMalformed);
  }
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().InMalformed, packet.size());
}

// RFC 1122 §4.2.3.10: no replies to or connections from broadcast or
// multicast addresses.
TEST(Validation, BadAddressesAreDropped) {
  Harness h;
  h.Listen({}, {0, kServerPort});
  EXPECT_EQ(
      h.Send(
          {.src_addr = 0xE0000001, .seq = kIrs, .flags = kSyn, .window = 100}),
      Verdict::kDroppedMalformed);
  EXPECT_EQ(
      h.Send(
          {.dst_addr = 0xFFFFFFFF, .seq = kIrs, .flags = kSyn, .window = 100}),
      Verdict::kDroppedMalformed);
  EXPECT_EQ(
      h.Send(
          {.dst_addr = 0xE00000FB, .seq = kIrs, .flags = kSyn, .window = 100}),
      Verdict::kDroppedMalformed);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().MartianSrcDrop, 1u);  // the multicast source
  EXPECT_EQ(h.counters().InAddrErrors, 2u);    // the two destinations
}

}  // namespace
}  // namespace tcpref::tcp
