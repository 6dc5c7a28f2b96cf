// loadgen: the one client of the side-by-side benchmark (see --help).
#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/side_by_side/client_load.h"
#include "bench/side_by_side/syn_flood.h"
#include "impl/io/address.h"

namespace tcpref::bench {
namespace {

constexpr std::string_view kHelp = R"(NAME
    loadgen - the client of the side-by-side benchmark (bench/side_by_side)

SYNOPSIS
    loadgen connections --server A:P [--threads N] [--seconds S]
                        [--flood RATE|max] [--timeout S]
    loadgen upload      --server A:P --bytes N [--timeout S]
    loadgen download    --server A:P --bytes N [--timeout S]

DESCRIPTION
    Drives one server with the kernel's TCP and prints one line
    "RESULT key=value ..." on standard output. Addresses must lie in
    198.18.0.0/15; run it inside a private network namespace.

    connections  N threads (default 1) loop connect, write one byte, read
                 it back, close, for S seconds (default 3). With --flood, a
                 thread writes spoofed SYNs from 198.19.0.0/16 to the same
                 server meanwhile, RATE per second or as fast as it can
                 ("max"); needs CAP_NET_RAW.
    upload       writes N bytes to a discard server, waits for its FIN.
    download     reads N bytes from a server that sends without end.

    --timeout S  each connect, read or write gives up after S seconds
                 (default 3: one SYN retransmission fits)
    -h, --help   show this text
)";

struct Args {
  std::string command;
  Endpoint server;
  unsigned threads = 1;
  double seconds = 3;
  double timeout = 3;
  std::optional<uint64_t> flood;  // 0: as fast as possible
  uint64_t bytes = 0;
};

template <typename T>
bool parse_number(std::string_view s, T& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_seconds(std::string_view s, double& out) {
  try {
    size_t used = 0;
    out = std::stod(std::string(s), &used);
    return used == s.size() && out > 0 && out <= 600;
  } catch (...) {
    return false;
  }
}

std::optional<Endpoint> parse_endpoint(std::string_view s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto addr = io::parse_ipv4(s.substr(0, colon));
  uint16_t port = 0;
  if (!addr || !io::in_benchmark_range(*addr) ||
      !parse_number(s.substr(colon + 1), port) || port == 0) {
    return std::nullopt;
  }
  return Endpoint{*addr, port};
}

// Empty string when the arguments are good, else one line.
std::string parse(int argc, char** argv, Args& a) {
  if (argc < 2) return "missing command (connections, upload or download)";
  a.command = argv[1];
  if (a.command != "connections" && a.command != "upload" &&
      a.command != "download") {
    return "unknown command '" + a.command + "'";
  }
  bool have_server = false;
  for (int i = 2; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return "missing value for " + std::string(flag);
    const std::string_view v = argv[i + 1];
    if (flag == "--server") {
      const auto e = parse_endpoint(v);
      if (!e)
        return "--server wants A:P with A in 198.18.0.0/15: '" +
               std::string(v) + "'";
      a.server = *e;
      have_server = true;
    } else if (flag == "--threads") {
      if (!parse_number(v, a.threads) || a.threads == 0 || a.threads > 256) {
        return "--threads wants 1..256: '" + std::string(v) + "'";
      }
    } else if (flag == "--seconds") {
      if (!parse_seconds(v, a.seconds)) {
        return "--seconds wants 0 < S <= 600: '" + std::string(v) + "'";
      }
    } else if (flag == "--timeout") {
      if (!parse_seconds(v, a.timeout)) {
        return "--timeout wants 0 < S <= 600: '" + std::string(v) + "'";
      }
    } else if (flag == "--flood") {
      uint64_t rate = 0;
      if (v == "max") {
        a.flood = 0;
      } else if (parse_number(v, rate) && rate > 0) {
        a.flood = rate;
      } else {
        return "--flood wants a rate > 0 or 'max': '" + std::string(v) + "'";
      }
    } else if (flag == "--bytes") {
      if (!parse_number(v, a.bytes) || a.bytes == 0 ||
          a.bytes > (uint64_t{1} << 40)) {
        return "--bytes wants 1..2^40: '" + std::string(v) + "'";
      }
    } else {
      return "unknown option '" + std::string(flag) + "' (see --help)";
    }
  }
  if (!have_server) return "--server A:P is required";
  if (a.command != "connections" && a.bytes == 0) return "--bytes is required";
  return {};
}

int connections(const Args& a) {
  std::atomic<bool> stop{false};
  FloodStats flood;
  std::string flood_error;
  std::thread flooder;
  if (a.flood) {
    flooder = std::thread([&] {
      flood = run_syn_flood(a.server.addr, a.server.port, *a.flood, stop,
                            flood_error);
    });
  }
  const ConnectionStats c =
      run_connections(a.server, a.threads, a.seconds, a.timeout);
  stop = true;
  if (flooder.joinable()) flooder.join();
  if (!flood_error.empty()) {
    std::fprintf(stderr, "loadgen: %s\n", flood_error.c_str());
    return 1;
  }
  const double flood_rate =
      flood.seconds > 0 ? static_cast<double>(flood.written) / flood.seconds
                        : 0;
  std::printf(
      "RESULT ok=%llu failed=%llu seconds=%.3f conn_per_s=%.1f "
      "flood_written=%llu flood_refused=%llu flood_per_s=%.0f\n",
      static_cast<unsigned long long>(c.ok),
      static_cast<unsigned long long>(c.failed), c.seconds,
      static_cast<double>(c.ok) / c.seconds,
      static_cast<unsigned long long>(flood.written),
      static_cast<unsigned long long>(flood.refused), flood_rate);
  return 0;
}

int bulk(const Args& a) {
  const BulkStats b = a.command == "upload"
                          ? run_upload(a.server, a.bytes, a.timeout)
                          : run_download(a.server, a.bytes, a.timeout);
  std::printf(
      "RESULT ok=%d bytes=%llu seconds=%.3f mb_per_s=%.1f\n", b.ok ? 1 : 0,
      static_cast<unsigned long long>(b.bytes), b.seconds,
      b.seconds > 0 ? static_cast<double>(b.bytes) / 1e6 / b.seconds : 0.0);
  return b.ok ? 0 : 1;
}

}  // namespace
}  // namespace tcpref::bench

int main(int argc, char** argv) {
  using namespace tcpref::bench;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-h") == 0 ||
        std::strcmp(argv[i], "--help") == 0) {
      std::fwrite(kHelp.data(), 1, kHelp.size(), stdout);
      return 0;
    }
  }
  Args args;
  if (const std::string error = parse(argc, argv, args); !error.empty()) {
    std::fprintf(stderr, "loadgen: %s\n", error.c_str());
    return 2;
  }
  return args.command == "connections" ? connections(args) : bulk(args);
}
