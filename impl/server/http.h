// The http mode's one-request-per-connection HTTP/1.1 server (RFC 9112):
// GET / answers a small page, GET /metrics the counters in Prometheus text
// format. Every response closes the connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "impl/server/apps.h"

namespace tcpref::server {

inline constexpr size_t kMaxHttpRequest = 8192;

// The request head ends at the first blank line; nullopt until it has.
[[nodiscard]] std::optional<size_t> http_head_length(std::string_view data);

// The complete response (status line, headers, body) for a request head.
[[nodiscard]] std::string http_response(std::string_view head,
                                        const MetricsSource& metrics);

// The response when the head exceeds kMaxHttpRequest (RFC 6585 §5).
[[nodiscard]] std::string http_too_large();

}  // namespace tcpref::server
