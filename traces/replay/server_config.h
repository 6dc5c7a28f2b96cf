// How the recorded server was set up: the switches that decide its
// behaviour but cannot be read off the wire (sysctls, listen()'s backlog).
// Recording scripts write them next to each pcap as NAME.conf, key=value
// lines; options the SYN-ACK shows (MSS, window scale, SACK, timestamps) are
// inferred from the trace instead.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "impl/tcp/stack.h"
#include "model/types.h"

namespace tcpref::traces {

enum class ServerKind : uint8_t { kLinux, kTcpref };

struct ServerConfig {
  ServerKind kind = ServerKind::kLinux;
  model::CookieMode syncookies = model::CookieMode::kWhenFull;
  bool abort_on_overflow = false;
  bool rfc1337 = false;  // Linux's default; tcpref's is on
  uint32_t backlog = 128;
  // Unset: backlog + 1, Linux's since 6.13 (commit 3479c7549fb1): its SYN
  // queue is full only when it holds more requests than the listen()
  // backlog, as its accept queue (so listen(0) takes one request).
  std::optional<uint32_t> syn_queue_limit;
  uint32_t synack_retries = 5;
  tcp::Time synack_rto = std::chrono::seconds(1);  // then doubling
  tcp::Time time_wait = std::chrono::seconds(60);
};

// The request socks the server takes: `syn_queue_limit`, or its default.
[[nodiscard]] uint32_t syn_queue_limit(const ServerConfig& c);

// tcpref-server's defaults (impl/server/options.h) for `kind = tcpref`.
[[nodiscard]] ServerConfig tcpref_server_defaults();

// Applies "key=value" lines (blank lines and # comments ignored) to `c`.
// Keys: server (linux|tcpref, first: it resets the defaults), syncookies
// (0|1|2), abort_on_overflow, rfc1337 (0|1), backlog, syn_queue_limit,
// synack_retries. Returns "" or a one-line error naming the line.
[[nodiscard]] std::string parse_server_config(std::string_view text,
                                              ServerConfig& c);

// Reads PATH with ".pcap" replaced by ".conf" if that file exists.
// Returns "" (also when there is none) or a one-line error.
[[nodiscard]] std::string load_sidecar_config(const std::string& pcap_path,
                                              ServerConfig& c);

std::string to_string(const ServerConfig& c);

}  // namespace tcpref::traces
