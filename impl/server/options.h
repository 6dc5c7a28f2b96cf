// tcpref-server's command line: parsed into ServerOptions with one clear
// error per mistake, and the --help text (a man page in miniature).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "impl/io/address.h"
#include "impl/io/impairment.h"

namespace tcpref::server {

enum class Mode : uint8_t { kEcho, kDiscard, kHttp, kHold, kClose, kSource };
enum class SynCookies : uint8_t { kOff, kAuto, kAlways };

[[nodiscard]] std::string_view to_string(Mode mode);

struct ServerOptions {
  std::string tun;
  uint32_t addr = 0;  // host order, in 198.18.0.0/15
  uint16_t port = 0;
  uint32_t backlog = 128;
  uint32_t syn_backlog = 256;
  Mode mode = Mode::kHttp;
  SynCookies syncookies = SynCookies::kAuto;
  uint8_t synack_retries = 5;
  uint8_t orphan_retries = 5;
  bool abort_on_overflow = false;
  std::string pcap;  // empty: no capture
  unsigned threads = 1;
  io::ImpairmentConfig impair;
  std::optional<io::Prefix> configure_peer;
  uint16_t mtu = 1500;
  uint32_t max_connections = 4096;
  // http: the request head must arrive within this long of accept()
  // (slowloris); then the connection is reset.
  std::chrono::milliseconds header_timeout = std::chrono::seconds(10);
  // echo, discard, close: a connection that moves no byte for this long is
  // reset.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(120);
  // GET /metrics is served on this port only (0: nowhere); the service
  // port answers it with 404.
  uint16_t metrics_port = 0;
  bool offload = true;  // --no-offload turns it off
};

// Bounds of --synack-retries: beyond 16 a request sock would live for
// over 36 hours of capped 120 s retransmissions.
inline constexpr uint8_t kMaxSynackRetries = 16;

// Checksum and TSO offload on the TUN device: asked for, and no impairment
// (which must see wire-sized packets).
[[nodiscard]] inline bool use_offload(const ServerOptions& o) {
  return o.offload && !o.impair.enabled();
}

struct ParsedArgs {
  ServerOptions options;
  bool help = false;
  std::string error;  // one line; empty when the arguments are good
};

// `args` excludes the program name. Accepts "--flag value" and "--flag=value".
[[nodiscard]] ParsedArgs parse_args(std::span<const std::string_view> args);

[[nodiscard]] std::string_view help_text();

}  // namespace tcpref::server
