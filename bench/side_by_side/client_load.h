// The benchmark client, the same for every server under test: kernel TCP
// sockets doing short connections (connect, 1-byte echo, close) from many
// threads, or one bulk transfer. Every call is bounded in time.
#pragma once

#include <cstdint>

namespace tcpref::bench {

struct Endpoint {
  uint32_t addr = 0;  // host order
  uint16_t port = 0;
};

struct ConnectionStats {
  uint64_t ok = 0;      // connect, echo of one byte and close all worked
  uint64_t failed = 0;  // refused, reset, wrong echo or timed out
  double seconds = 0;   // from the start until the last thread finished
};

// `threads` loops of connect / write 1 byte / read it back / close, for
// `seconds`; each step of an attempt gives up after `timeout_seconds`.
ConnectionStats run_connections(Endpoint server, unsigned threads,
                                double seconds, double timeout_seconds);

struct BulkStats {
  uint64_t bytes = 0;
  double seconds = 0;
  bool ok = false;
};

// Upload: writes `bytes` to a discard server, shuts down its side and waits
// for the server's FIN, so every byte has been taken. Download: reads
// `bytes` from a server that sends without end, then closes.
BulkStats run_upload(Endpoint server, uint64_t bytes, double timeout_seconds);
BulkStats run_download(Endpoint server, uint64_t bytes, double timeout_seconds);

}  // namespace tcpref::bench
