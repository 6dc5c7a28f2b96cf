// Segments from a TUN with offloads: a TSO super-segment carries more than
// one MSS of data, and its TCP checksum field holds only the pseudo-header
// sum (virtio-net NEEDS_CSUM); receive() trusts it only when told the
// device vouches for it.
#include <gtest/gtest.h>

#include <vector>

#include "impl/tcp/testing/harness.h"

namespace tcpref::tcp {
namespace {

using namespace testing;

constexpr uint32_t kSeq = kIrs + 1;
constexpr size_t kSuper = 40000;  // 27 MSS of 1460 and some

// The client's super-segment as the kernel hands it over with checksum
// offload: the checksum field holds the folded pseudo-header sum only.
std::vector<uint8_t> SuperSegment(uint32_t ack,
                                  const std::vector<uint8_t>& data) {
  const wire::Segment s{.src_addr = kClientAddr,
                        .dst_addr = kServerAddr,
                        .src_port = kClientPort,
                        .dst_port = kServerPort,
                        .seq = kSeq,
                        .ack = ack,
                        .flags = kAck | kPsh,
                        .window = 65535,
                        .payload = data};
  std::vector<uint8_t> p(wire::emitted_length(s));
  EXPECT_EQ(wire::emit(s, p), p.size());
  uint32_t sum = (kClientAddr >> 16) + (kClientAddr & 0xffff) +
                 (kServerAddr >> 16) + (kServerAddr & 0xffff) + 6 +
                 static_cast<uint32_t>(p.size() - 20);
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  p[36] = static_cast<uint8_t>(sum >> 8);
  p[37] = static_cast<uint8_t>(sum);
  return p;
}

struct Established {
  SocketId socket;
  uint32_t iss;
};

Established Establish(Harness& h) {
  const ListenerId l = h.Listen();
  const uint32_t iss = h.Handshake();
  return {h.stack().accept(l, h.now()), iss};
}

TEST(Offload, TrustedSuperSegmentIsTakenWholeAndAckedOnce) {
  Harness h;
  const Established c = Establish(h);
  std::vector<uint8_t> data(kSuper);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(h.stack().receive(SuperSegment(c.iss + 1, data), h.now(),
                              Checksum::kTrustedDevice),
            Verdict::kAccepted);
  // RFC 9293 §3.10.7.4: RCV.NXT advances over the whole text; one ACK.
  h.ExpectSent({.seq = c.iss + 1,
                .ack = kSeq + static_cast<uint32_t>(kSuper),
                .flags = kAck,
                .window = 64 * 1024 - kSuper});
  h.ExpectNothingSent();
  std::vector<uint8_t> out(kSuper + 1);
  const IoResult r = h.stack().read(c.socket, out, h.now());
  ASSERT_EQ(r.bytes, kSuper);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), out.begin()));
  // RFC 9293 §3.8.6.2.2: the read reopened the window: a window update.
  h.ExpectSent({.seq = c.iss + 1,
                .ack = kSeq + static_cast<uint32_t>(kSuper),
                .flags = kAck,
                .window = 65535});
  EXPECT_EQ(h.counters().CsumErrors, 0u);
}

TEST(Offload, PartialChecksumIsDroppedUnlessTheDeviceVouches) {
  Harness h;
  const Established c = Establish(h);
  const std::vector<uint8_t> data(kSuper, 'x');
  EXPECT_EQ(h.stack().receive(SuperSegment(c.iss + 1, data), h.now()),
            Verdict::kDroppedMalformed);
  h.ExpectNothingSent();
  EXPECT_EQ(h.counters().CsumErrors, 1u);
  std::vector<uint8_t> out(16);
  EXPECT_EQ(h.stack().read(c.socket, out, h.now()).error, Error::kWouldBlock);
}

}  // namespace
}  // namespace tcpref::tcp
