#include "impl/server/http.h"

#include <gtest/gtest.h>

namespace tcpref::server {
namespace {

const MetricsSource kMetrics = [] {
  return std::string("# TYPE tcpref_tcp_InSegs counter\ntcpref_tcp_InSegs 3\n");
};

std::string respond(std::string_view head) {
  return http_response(head, kMetrics);
}

std::string body(const std::string& r) {
  return r.substr(r.find("\r\n\r\n") + 4);
}

TEST(HttpHead, EndsAtTheFirstBlankLine) {
  EXPECT_EQ(http_head_length("GET / HTTP/1.1\r\n\r\nrest"), 18u);
  EXPECT_FALSE(http_head_length("GET / HTTP/1.1\r\nHost: a\r\n"));
  EXPECT_FALSE(http_head_length(""));
}

TEST(HttpResponse, RootIsTheHtmlPage) {
  const std::string r = respond("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(r.find("Content-Type: text/html"), std::string::npos);
  EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos);
  EXPECT_NE(
      r.find("Content-Length: " + std::to_string(body(r).size()) + "\r\n"),
      std::string::npos);
  // The page does not point at /metrics: the service port has none.
  EXPECT_EQ(body(r).find("/metrics"), std::string::npos);
}

TEST(HttpResponse, MetricsIsPrometheusText) {
  const std::string r = respond("GET /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(r.find("Content-Type: text/plain; version=0.0.4"),
            std::string::npos);
  EXPECT_EQ(body(r), kMetrics());
  EXPECT_NE(r.find("Content-Length: " + std::to_string(kMetrics().size())),
            std::string::npos);
}

// The service port's apps have no metrics source: /metrics is a plain 404
// there (the counters are a side channel, docs/SECURITY.md).
TEST(HttpResponse, MetricsIsNotFoundWithoutASource) {
  const MetricsSource none;
  for (std::string_view head :
       {"GET /metrics HTTP/1.1\r\n\r\n", "HEAD /metrics HTTP/1.1\r\n\r\n",
        "GET /metrics?x=1 HTTP/1.1\r\n\r\n"}) {
    const std::string r = http_response(head, none);
    EXPECT_TRUE(r.starts_with("HTTP/1.1 404 Not Found\r\n")) << r;
    EXPECT_EQ(r.find("tcpref_"), std::string::npos) << r;
  }
}

TEST(HttpResponse, QueryStringsAreIgnored) {
  EXPECT_EQ(body(respond("GET /metrics?x=1 HTTP/1.1\r\n\r\n")), kMetrics());
}

TEST(HttpResponse, HeadHasHeadersButNoBody) {
  const std::string r = respond("HEAD / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_TRUE(body(r).empty());
  EXPECT_EQ(r.find("Content-Length: 0\r\n"), std::string::npos);
}

TEST(HttpResponse, Errors) {
  EXPECT_TRUE(
      respond("GET /nope HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
  const std::string post = respond("POST / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(post.starts_with("HTTP/1.1 405 "));
  EXPECT_NE(post.find("Allow: GET, HEAD\r\n"), std::string::npos);
  for (const char* bad :
       {"GET /\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n",
        "GET / SPDY/3\r\n\r\n", "\r\n\r\n"}) {
    EXPECT_TRUE(respond(bad).starts_with("HTTP/1.1 400 ")) << bad;
  }
  EXPECT_TRUE(http_too_large().starts_with("HTTP/1.1 431 "));
}

}  // namespace
}  // namespace tcpref::server
