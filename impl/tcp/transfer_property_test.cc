// Two tcpref stacks over the in-memory link (testing/link.h): for any writes
// in both directions and any schedule of loss, duplication and reordering,
// each side reads exactly the bytes the other wrote, in order, once, and
// after both close, each side's record is gone (CLOSED) or in TIME-WAIT.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "impl/tcp/stack.h"
#include "impl/tcp/testing/harness.h"
#include "impl/tcp/testing/link.h"

namespace tcpref::tcp {
namespace {

using std::chrono::seconds;
using testing::Harness;
using testing::kClientAddr;
using testing::kServerAddr;
using testing::Link;
using testing::LinkImpairments;

// One side's application: writes its bytes as the send buffer takes them,
// shuts down its write side when all are written, reads until EOF, then
// closes its handle.
struct App {
  Stack* stack = nullptr;
  SocketId socket;
  std::vector<uint8_t> out;
  size_t written = 0;
  std::vector<uint8_t> in;
  bool shut = false, eof = false, closed = false;
  Error error = Error::kOk;

  void pump(Time now) {
    if (closed) return;
    while (written < out.size()) {
      const IoResult r = stack->write(
          socket, std::span<const uint8_t>(out).subspan(written), now);
      if (r.error != Error::kOk) {
        if (r.error != Error::kWouldBlock) error = r.error;
        break;
      }
      written += r.bytes;
    }
    if (written == out.size() && !shut) {
      shut = true;
      if (const Error e = stack->shutdown_write(socket, now); e != Error::kOk) {
        error = e;
      }
    }
    std::array<uint8_t, 1500> buf;
    while (!eof) {
      const IoResult r = stack->read(socket, buf, now);
      if (r.error == Error::kWouldBlock) break;
      if (r.error != Error::kOk) {
        error = r.error;
        break;
      }
      if (r.bytes == 0) {
        eof = true;
        break;
      }
      in.insert(in.end(), buf.begin(), buf.begin() + r.bytes);
    }
    if (shut && eof) {
      closed = true;
      if (const Error e = stack->close(socket, now); e != Error::kOk) error = e;
    }
  }
};

std::vector<uint8_t> pattern(size_t n, uint32_t salt) {
  std::vector<uint8_t> v(n);
  uint32_t x = salt * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

bool gone_or_time_wait(const ConnectionView& v) {
  return v.kind == RecordKind::kNone || v.kind == RecordKind::kTimeWait;
}

RC_GTEST_PROP(TransferProperty, BytesArriveInOrderExactlyOnceAndBothClose, ()) {
  const uint32_t buffer = *rc::gen::element(2048u, 4096u, 16384u);
  StackConfig ca = Harness::DefaultConfig();
  ca.send_buffer = ca.receive_buffer = buffer;
  ca.nagle = *rc::gen::arbitrary<bool>();
  ca.timestamps = *rc::gen::arbitrary<bool>();
  ca.sack = *rc::gen::arbitrary<bool>();
  ca.mtu = *rc::gen::element<uint16_t>(576, 1500);
  StackConfig cb = ca;
  cb.isn_key[0] = 99;
  cb.nagle = *rc::gen::arbitrary<bool>();

  auto impairments = [] {
    LinkImpairments i;
    i.loss_ppm = *rc::gen::inRange<uint32_t>(0, 100'001);
    i.duplicate_ppm = *rc::gen::inRange<uint32_t>(0, 50'001);
    i.reorder_ppm = *rc::gen::inRange<uint32_t>(0, 200'001);
    return i;
  };
  const LinkImpairments ab = impairments();
  const LinkImpairments ba = impairments();
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  Link link(ca, cb, {.a_to_b = ab, .b_to_a = ba, .seed = seed});

  // Up to several times the buffer sizes in each direction.
  const size_t a_bytes = *rc::gen::inRange<size_t>(0, 3 * buffer + 1);
  const size_t b_bytes = *rc::gen::inRange<size_t>(0, 3 * buffer + 1);

  const Endpoint server{kServerAddr, 80};
  const ListenerId l = link.b().listen(server, {});
  Error e = Error::kOk;
  App a{.stack = &link.a(), .out = pattern(a_bytes, 1)};
  App b{.stack = &link.b(), .out = pattern(b_bytes, 2)};
  a.socket = link.a().connect({kClientAddr, 0}, server, link.now(), &e);
  RC_ASSERT(e == Error::kOk);
  const FourTuple at = *link.a().tuple(a.socket);
  const FourTuple bt{at.remote, at.local};
  RC_ASSERT(link.run_until(
      [&] {
        if (!b.socket.valid()) b.socket = link.b().accept(l, link.now());
        return b.socket.valid() &&
               link.a().inspect(at).state == TcpState::kEstablished;
      },
      link.now() + seconds(300)));

  const bool done = link.run_until(
      [&] {
        a.pump(link.now());
        b.pump(link.now());
        return a.closed && b.closed &&
               gone_or_time_wait(link.a().inspect(at)) &&
               gone_or_time_wait(link.b().inspect(bt));
      },
      link.now() + seconds(1800));
  RC_LOG() << "a wrote " << a.written << "/" << a_bytes << " read "
           << a.in.size() << ", b wrote " << b.written << "/" << b_bytes
           << " read " << b.in.size() << ", a state "
           << to_string(link.a().inspect(at).state) << ", b state "
           << to_string(link.b().inspect(bt).state) << "\n";
  RC_CLASSIFY(link.stats(testing::Side::kA).lost > 0 ||
                  link.stats(testing::Side::kB).lost > 0,
              "lossy");
  RC_CLASSIFY(a_bytes + b_bytes > 2 * buffer, "beyond buffers");
  RC_ASSERT(a.error == Error::kOk);
  RC_ASSERT(b.error == Error::kOk);
  RC_ASSERT(b.in == a.out);
  RC_ASSERT(a.in == b.out);
  RC_ASSERT(done);
}

// RFC 6675/3042/5827: with SACK, limited transmit and early retransmit, a
// bulk transfer over a 3 %-loss path repairs nearly every loss by fast
// retransmission; timeouts stay rare (seeded, so this is exact).
TEST(Transfer, SackRecoveryRepairsLossesWithoutTimeouts) {
  StackConfig ca = Harness::DefaultConfig();
  ca.receive_buffer = ca.send_buffer = 256 * 1024;
  StackConfig cb = ca;
  cb.isn_key[0] = 99;
  const LinkImpairments imp{.loss_ppm = 30'000,
                            .duplicate_ppm = 10'000,
                            .reorder_ppm = 50'000,
                            .delay = std::chrono::microseconds(100),
                            .reorder_window = std::chrono::microseconds(300)};
  Link link(ca, cb, {.a_to_b = imp, .b_to_a = imp, .seed = 5});
  const Endpoint server{kServerAddr, 80};
  const ListenerId l = link.b().listen(server, {});
  App a{.stack = &link.a(), .out = pattern(4 << 20, 1)};
  App b{.stack = &link.b()};
  a.socket = link.a().connect({kClientAddr, 0}, server, link.now());
  ASSERT_TRUE(link.run_until(
      [&] {
        if (!b.socket.valid()) b.socket = link.b().accept(l, link.now());
        if (!b.socket.valid()) return false;
        a.pump(link.now());
        b.pump(link.now());
        return a.closed && b.closed;
      },
      link.now() + seconds(600)));
  EXPECT_EQ(b.in, a.out);
  const uint64_t lost = link.stats(testing::Side::kA).lost;
  const Counters& c = link.a().counters();
  ASSERT_GT(lost, 50u);
  EXPECT_GE(c.RetransSegs, lost);
  EXPECT_GT(c.TCPFastRetrans, lost / 2);
  EXPECT_LT(c.TCPTimeouts * 10, lost);
}

}  // namespace
}  // namespace tcpref::tcp
