#include "impl/tcp/testing/harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

namespace tcpref::tcp::testing {

namespace {

std::string describe(const wire::Segment& s) {
  std::ostringstream o;
  o << std::hex << s.src_addr << ":" << std::dec << s.src_port << " → "
    << std::hex << s.dst_addr << ":" << std::dec << s.dst_port << " [";
  const char* names[] = {"FIN", "SYN", "RST", "PSH",
                         "ACK", "URG", "ECE", "CWR"};
  for (int i = 0; i < 8; ++i) {
    if (s.flags & (1 << i)) o << names[i] << " ";
  }
  o << "] seq=" << s.seq << " ack=" << s.ack << " win=" << s.window
    << " len=" << s.payload.size();
  const wire::TcpOptions& t = s.options;
  if (t.mss) o << " mss=" << *t.mss;
  if (t.window_scale) o << " ws=" << int{*t.window_scale};
  if (t.sack_permitted) o << " sackOK";
  if (t.timestamps) {
    o << " ts=" << t.timestamps->tsval << "/" << t.timestamps->tsecr;
  }
  return o.str();
}

}  // namespace

Harness::Harness(const StackConfig& config)
    : config_(config), stack_(config, sink_), isn_(config.isn_key) {}

StackConfig Harness::DefaultConfig() {
  StackConfig c;
  c.max_listeners = 4;
  c.max_request_socks = 64;
  c.max_sockets = 64;
  c.max_time_wait = 64;
  c.receive_buffer = 64 * 1024;
  for (uint8_t i = 0; i < 16; ++i) {
    c.isn_key[i] = static_cast<uint8_t>(i + 1);
    c.cookie_key[i] = static_cast<uint8_t>(0x80 + i);
  }
  return c;
}

ListenerId Harness::Listen(const ListenOptions& options, Endpoint local) {
  Error e = Error::kOk;
  const ListenerId l = stack_.listen(local, options, &e);
  EXPECT_EQ(e, Error::kOk);
  return l;
}

Verdict Harness::Send(wire::Segment s) {
  if (s.src_addr == 0) s.src_addr = kClientAddr;
  if (s.dst_addr == 0) s.dst_addr = kServerAddr;
  if (s.src_port == 0) s.src_port = kClientPort;
  if (s.dst_port == 0) s.dst_port = kServerPort;
  std::vector<uint8_t> buf(wire::emitted_length(s));
  const size_t n = wire::emit(s, buf);
  EXPECT_EQ(n, buf.size()) << "test segment not emittable: " << describe(s);
  return stack_.receive(std::span<const uint8_t>(buf.data(), n), now_);
}

Verdict Harness::SendBytes(std::span<const uint8_t> packet) {
  return stack_.receive(packet, now_);
}

Sent Harness::ExpectSent(wire::Segment e, uint32_t ignore,
                         std::source_location loc) {
  if (e.src_addr == 0) e.src_addr = kServerAddr;
  if (e.dst_addr == 0) e.dst_addr = kClientAddr;
  if (e.src_port == 0) e.src_port = kServerPort;
  if (e.dst_port == 0) e.dst_port = kClientPort;
  Sent sent;
  if (sink_.packets.empty()) {
    ADD_FAILURE_AT(loc.file_name(), loc.line())
        << "nothing sent; expected " << describe(e);
    return sent;
  }
  sent.packet = std::move(sink_.packets.front());
  sink_.packets.pop_front();
  const wire::PacketParse p = wire::parse_packet(sent.packet);
  if (!p.ok()) {
    ADD_FAILURE_AT(loc.file_name(), loc.line())
        << "stack sent an unparsable packet: " << wire::to_string(p.error);
    return sent;
  }
  sent.segment = p.segment;
  wire::Segment a = p.segment;
  if (ignore & ignore::kSeq) a.seq = e.seq;
  if (ignore & ignore::kWindow) a.window = e.window;
  if ((ignore & ignore::kTsval) && a.options.timestamps &&
      e.options.timestamps) {
    a.options.timestamps->tsval = e.options.timestamps->tsval;
  }
  const bool same = a.src_addr == e.src_addr && a.dst_addr == e.dst_addr &&
                    a.src_port == e.src_port && a.dst_port == e.dst_port &&
                    a.seq == e.seq && a.ack == e.ack && a.flags == e.flags &&
                    a.window == e.window && a.options == e.options &&
                    std::equal(a.payload.begin(), a.payload.end(),
                               e.payload.begin(), e.payload.end());
  if (!same) {
    ADD_FAILURE_AT(loc.file_name(), loc.line())
        << "sent:     " << describe(p.segment) << "\nexpected: " << describe(e);
  }
  return sent;
}

Harness::~Harness() {
  if (sink_.packets.empty()) return;
  std::string all;
  for (const auto& packet : sink_.packets) {
    all += "\n  " + describe(wire::parse_packet(packet).segment);
  }
  ADD_FAILURE() << sink_.packets.size()
                << " segment(s) sent that the test never checked:" << all;
}

Sent Harness::PopSent(std::source_location loc) {
  Sent sent;
  if (sink_.packets.empty()) {
    ADD_FAILURE_AT(loc.file_name(), loc.line()) << "nothing sent";
    return sent;
  }
  sent.packet = std::move(sink_.packets.front());
  sink_.packets.pop_front();
  const wire::PacketParse p = wire::parse_packet(sent.packet);
  EXPECT_TRUE(p.ok()) << "stack sent an unparsable packet";
  sent.segment = p.segment;
  return sent;
}

void Harness::ExpectNothingSent(std::source_location loc) {
  if (!sink_.packets.empty()) {
    const wire::PacketParse p = wire::parse_packet(sink_.packets.front());
    ADD_FAILURE_AT(loc.file_name(), loc.line())
        << sink_.packets.size()
        << " segment(s) sent, first: " << describe(p.segment);
    sink_.packets.clear();
  }
}

void Harness::Advance(Time by) {
  now_ += by;
  stack_.advance(now_);
}

FourTuple Harness::Tuple(uint16_t client_port) const {
  return {{kServerAddr, kServerPort}, {kClientAddr, client_port}};
}

ConnectionView Harness::Inspect(uint16_t client_port) const {
  return stack_.inspect(Tuple(client_port));
}

uint32_t Harness::Iss(uint16_t client_port) const {
  return isn_.generate(Tuple(client_port), now_).iss;
}

uint32_t Harness::TsVal(uint16_t client_port) const {
  return ts_clock(now_) + isn_.ts_offset(Tuple(client_port));
}

uint32_t Harness::Handshake(uint16_t client_port, uint32_t irs) {
  Send({.src_port = client_port, .seq = irs, .flags = kSyn, .window = 65535});
  const uint32_t iss = Iss(client_port);
  ExpectSent({.dst_port = client_port,
              .seq = iss,
              .ack = irs + 1,
              .flags = kSyn | kAck,
              .window = static_cast<uint16_t>(
                  std::min<uint32_t>(config_.receive_buffer, 65535)),
              .options = {.mss = 1460}});
  Send({.src_port = client_port,
        .seq = irs + 1,
        .ack = iss + 1,
        .flags = kAck,
        .window = 65535});
  ExpectNothingSent();
  return iss;
}

SocketId Harness::Establish(ListenerId listener, uint16_t client_port,
                            uint32_t irs) {
  Handshake(client_port, irs);
  const SocketId s = stack_.accept(listener, now_);
  EXPECT_TRUE(s.valid());
  return s;
}

}  // namespace tcpref::tcp::testing
