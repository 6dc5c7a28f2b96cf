#include "impl/server/http.h"

namespace tcpref::server {
namespace {

constexpr std::string_view kPage = R"(<!DOCTYPE html>
<html><head><title>tcpref</title></head>
<body><h1>tcpref reference server</h1>
<p>This page came over a TCP connection accepted by tcpref's user-space
stack on a TUN device: SYN, SYN-ACK, ACK, accept queue, accept().</p>
</body></html>
)";

std::string response(std::string_view status, std::string_view type,
                     std::string_view body, bool head_only,
                     std::string_view extra = {}) {
  std::string r;
  r.reserve(160 + body.size());
  r.append("HTTP/1.1 ").append(status).append("\r\n");
  r.append("Server: tcpref\r\n");
  r.append("Content-Type: ").append(type).append("\r\n");
  r.append("Content-Length: ").append(std::to_string(body.size()));
  r.append("\r\n").append(extra);
  r.append("Connection: close\r\n\r\n");
  if (!head_only) r.append(body);
  return r;
}

std::string text(std::string_view status, bool head_only,
                 std::string_view extra = {}) {
  return response(status, "text/plain; charset=utf-8",
                  std::string(status) + "\n", head_only, extra);
}

}  // namespace

std::optional<size_t> http_head_length(std::string_view data) {
  const size_t end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  return end + 4;
}

std::string http_response(std::string_view head, const MetricsSource& metrics) {
  // RFC 9112 §3: request-line = method SP request-target SP HTTP-version
  const std::string_view line = head.substr(0, head.find("\r\n"));
  const size_t sp1 = line.find(' ');
  const size_t sp2 =
      sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    return text("400 Bad Request", false);
  }
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!version.starts_with("HTTP/1.")) return text("400 Bad Request", false);
  const bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) {
    return text("405 Method Not Allowed", false, "Allow: GET, HEAD\r\n");
  }
  target = target.substr(0, target.find('?'));
  if (target == "/") {
    return response("200 OK", "text/html; charset=utf-8", kPage, head_only);
  }
  // Only the --metrics-port listener's apps have a source: /metrics is a
  // side channel (docs/SECURITY.md) kept off the service port.
  if (target == "/metrics" && metrics) {
    return response("200 OK", "text/plain; version=0.0.4; charset=utf-8",
                    metrics(), head_only);
  }
  return text("404 Not Found", head_only);
}

std::string http_too_large() {
  return text("431 Request Header Fields Too Large", false);
}

}  // namespace tcpref::server
