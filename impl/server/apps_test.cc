#include "impl/server/apps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace tcpref::server {
namespace {

// An in-memory connection: `incoming` is what the peer sent (then FIN if
// `peer_fin`), `room` bounds the send buffer, `sent` is what went out.
class FakeStream : public ByteStream {
 public:
  ReadResult read(std::span<uint8_t> out) override {
    ++reads;
    if (reset) return {0, ReadStatus::kError};
    if (pos < incoming.size()) {
      const size_t n = std::min({out.size(), incoming.size() - pos, chunk});
      std::copy_n(incoming.begin() + static_cast<ptrdiff_t>(pos), n,
                  out.begin());
      pos += n;
      return {n, ReadStatus::kData};
    }
    return {0, peer_fin ? ReadStatus::kEof : ReadStatus::kWouldBlock};
  }
  bool write(std::span<const uint8_t> data, size_t& taken) override {
    EXPECT_FALSE(closed) << "write after close";
    if (reset) return false;
    taken = std::min(data.size(), room);
    room -= taken;
    sent.append(data.begin(), data.begin() + static_cast<ptrdiff_t>(taken));
    return true;
  }
  void close() override {
    EXPECT_FALSE(closed) << "closed twice";
    closed = true;
  }

  std::string incoming;
  size_t pos = 0;
  size_t chunk = SIZE_MAX;
  bool peer_fin = false;
  bool reset = false;
  size_t room = SIZE_MAX;
  std::string sent;
  bool closed = false;
  int reads = 0;
};

const MetricsSource kMetrics = [] { return std::string("tcpref_x 1\n"); };

std::unique_ptr<App> app(Mode m) { return make_app(m, kMetrics); }

// --- echo ---

TEST(EchoApp, SendsBackWhatArrivesAndWaitsForMore) {
  FakeStream s;
  s.incoming = "hello";
  auto a = app(Mode::kEcho);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.sent, "hello");
  EXPECT_FALSE(s.closed);
  s.incoming += " world";
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.sent, "hello world");
}

TEST(EchoApp, ClosesAfterPeerFinOnceEverythingIsSent) {
  FakeStream s;
  s.incoming = std::string(100000, 'x');
  s.chunk = 1000;
  s.peer_fin = true;
  s.room = 30000;
  auto a = app(Mode::kEcho);
  EXPECT_EQ(a->service(s), AppState::kRunning);  // blocked on room
  EXPECT_EQ(s.sent.size(), 30000u);
  EXPECT_FALSE(s.closed);
  s.room = SIZE_MAX;
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_EQ(s.sent, s.incoming);
  EXPECT_TRUE(s.closed);
}

TEST(EchoApp, DoesNotReadWhileTheSendBufferIsFull) {
  // Flow control: what we cannot send we do not take from the peer.
  FakeStream s;
  s.incoming = std::string(200000, 'y');
  s.room = 0;
  auto a = app(Mode::kEcho);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.reads, 1);
  EXPECT_LE(s.pos, 16u * 1024);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.reads, 1);
}

TEST(EchoApp, ResetEndsIt) {
  FakeStream s;
  s.reset = true;
  auto a = app(Mode::kEcho);
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_TRUE(s.closed);
}

// --- discard ---

TEST(DiscardApp, ReadsEverythingSendsNothing) {
  FakeStream s;
  s.incoming = std::string(50000, 'z');
  auto a = app(Mode::kDiscard);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.pos, s.incoming.size());
  EXPECT_TRUE(s.sent.empty());
  s.peer_fin = true;
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_TRUE(s.closed);
}

// --- source ---

TEST(SourceApp, FillsTheSendBufferAndDropsWhatArrives) {
  FakeStream s;
  s.incoming = "ignored";
  s.room = 40000;
  auto a = app(Mode::kSource);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.pos, s.incoming.size());
  EXPECT_EQ(s.sent, std::string(40000, 's'));
  s.room = 100;
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.sent.size(), 40100u);
  EXPECT_FALSE(s.closed);
}

TEST(SourceApp, EndsWhenThePeerClosesOrResets) {
  for (const bool reset : {false, true}) {
    FakeStream s;
    s.peer_fin = !reset;
    s.reset = reset;
    auto a = app(Mode::kSource);
    EXPECT_EQ(a->service(s), AppState::kDone) << reset;
    EXPECT_TRUE(s.closed) << reset;
  }
}

// --- close ---

TEST(CloseApp, ReadsOnceEchoesAndClosesFirst) {
  FakeStream s;
  s.incoming = "first";
  s.chunk = 5;
  auto a = app(Mode::kClose);
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_EQ(s.sent, "first");
  EXPECT_TRUE(s.closed);
}

TEST(CloseApp, WaitsForTheFirstDataAndForRoom) {
  FakeStream s;
  auto a = app(Mode::kClose);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_FALSE(s.closed);
  s.incoming = "abcdef";
  s.room = 2;
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.sent, "ab");
  s.room = SIZE_MAX;
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_EQ(s.sent, "abcdef");
  EXPECT_TRUE(s.closed);
}

TEST(CloseApp, PeerFinBeforeDataJustCloses) {
  FakeStream s;
  s.peer_fin = true;
  auto a = app(Mode::kClose);
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_TRUE(s.sent.empty());
  EXPECT_TRUE(s.closed);
}

// --- http (responses themselves: http_test.cc) ---

TEST(HttpApp, AnswersOneRequestAndCloses) {
  FakeStream s;
  s.incoming = "GET / HTTP/1.1\r\nHost: 198.18.0.1\r\n\r\n";
  s.chunk = 7;  // the head arrives in pieces
  auto a = app(Mode::kHttp);
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_TRUE(s.sent.starts_with("HTTP/1.1 200 OK\r\n")) << s.sent;
  EXPECT_NE(s.sent.find("tcpref reference server"), std::string::npos);
  EXPECT_TRUE(s.closed);
}

TEST(HttpApp, WaitsForTheWholeHead) {
  FakeStream s;
  s.incoming = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
  auto a = app(Mode::kHttp);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_TRUE(s.sent.empty());
  s.incoming += "\r\n";
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_NE(s.sent.find("\r\n\r\ntcpref_x 1\n"), std::string::npos) << s.sent;
}

TEST(HttpApp, SlowSendBufferStillDeliversTheWholeResponse) {
  FakeStream s;
  s.incoming = "GET / HTTP/1.0\r\n\r\n";
  s.room = 10;
  auto a = app(Mode::kHttp);
  EXPECT_EQ(a->service(s), AppState::kRunning);
  EXPECT_EQ(s.sent.size(), 10u);
  s.room = SIZE_MAX;
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_NE(s.sent.find("</html>"), std::string::npos);
}

TEST(HttpApp, OversizedHeadGets431) {
  FakeStream s;
  s.incoming = "GET / HTTP/1.1\r\nX: " + std::string(9000, 'a');
  auto a = app(Mode::kHttp);
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_TRUE(s.sent.starts_with("HTTP/1.1 431 ")) << s.sent;
}

TEST(HttpApp, PeerGoneBeforeTheHeadEnds) {
  FakeStream s;
  s.incoming = "GET / HT";
  s.peer_fin = true;
  auto a = app(Mode::kHttp);
  EXPECT_EQ(a->service(s), AppState::kDone);
  EXPECT_TRUE(s.sent.empty());
  EXPECT_TRUE(s.closed);
}

TEST(HoldMode, HasNoApp) { EXPECT_EQ(app(Mode::kHold), nullptr); }

}  // namespace
}  // namespace tcpref::server
