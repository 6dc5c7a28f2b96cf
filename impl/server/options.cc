#include "impl/server/options.h"

#include <charconv>
#include <limits>
#include <string>

namespace tcpref::server {
namespace {

constexpr std::string_view kHelp = R"(NAME
    tcpref-server - the tcpref reference TCP server on a Linux TUN device

SYNOPSIS
    tcpref-server --tun NAME --addr A --port P [OPTIONS]

DESCRIPTION
    Creates the TUN device NAME (IFF_TUN | IFF_NO_PI), or attaches to an
    existing one, brings its link up and serves TCP on A:P with tcpref's own
    user-space stack. The kernel side of the device (its address and routes)
    is left to the caller, or set with --configure-peer. Once SYNs can be
    taken, a line beginning with READY is printed on standard output.

    Counters print in nstat form on SIGUSR1 and at exit. SIGINT and SIGTERM
    stop the server cleanly. Addresses must lie in 198.18.0.0/15 (RFC 2544's
    benchmarking range); run it inside a private network namespace.

OPTIONS
    --tun NAME            TUN device to create or attach (required)
    --addr A              the server's IPv4 address, e.g. 198.18.0.1 (required)
    --port P              TCP port to listen on, 1-65535 (required)
    --mode MODE           what to do with accepted connections (default http):
                            echo     send back everything received
                            discard  read and drop everything
                            http     GET / serves a page, GET /metrics the
                                     counters in Prometheus text format
                            hold     listen but never accept: watch the
                                     accept queue fill and overflow
                            close    read once, echo it, then close first
                                     (TIME-WAIT lands on the server side)
                            source   send bytes without end, read and drop
                                     what arrives, until the peer closes
    --backlog N           accept queue limit, Linux semantics (default 128)
    --syn-backlog N       request socks (SYN queue) limit (default 256)
    --syncookies MODE     off | auto (when the SYN queue is full) | always
                          (default auto)
    --synack-retries N    SYN-ACK retransmissions before a request sock is
                          dropped, 0-16 (default 5)
    --orphan-retries N    FIN retransmissions of a closed connection before
                          it is reset, 0-255 (default 5)
    --abort-on-overflow   reset, instead of ignore, a final ACK that finds
                          the accept queue full
    --pcap FILE           record every packet the stack receives and sends
                          (LINKTYPE_RAW; tshark -r FILE reads it)
    --threads N           N stacks, one per IFF_MULTI_QUEUE queue (default 1)
    --impair SPEC         seeded loss, reordering and duplication applied to
                          both directions, e.g.
                          loss=3%,reorder=5%,duplicate=1%,seed=7,delay=1ms
    --configure-peer A[/N]
                          give the kernel side of the device address A
                          (default /24; 198.18.0.0/15 only)
    --mtu N               device MTU, 576-65535 (default 1500)
    --max-connections N   connections the application serves at once,
                          over all threads (default 4096); when all are
                          taken, a newcomer sheds the connection idle the
                          longest. Memory grows with live connections; a
                          value whose worst case exceeds physical memory
                          is refused
    --header-timeout T    http: the request head must arrive within T of
                          the accept, or the connection is reset (default
                          10s; ms or s suffix)
    --idle-timeout T      echo, discard, close: a connection that moves no
                          byte for T is reset (default 120s)
    --metrics-port N      serve GET /metrics on port N of --addr (http, one
                          request per connection); without it there is no
                          /metrics at all, and the service port answers
                          /metrics with 404
    --no-offload          plain TUN frames: no virtio-net header, no
                          checksum offload, no TCP super-segments (TSO/GSO
                          in either direction). Offload is also off with
                          --impair, which must see wire-sized packets
    -h, --help            show this text

EXAMPLES
    unshare -n sh -c 'ip link set lo up;
      tcpref-server --tun tcpref0 --addr 198.18.0.1 --port 80 \
                    --configure-peer 198.18.0.2/24 & sleep 1;
      curl http://198.18.0.1/metrics'

EXIT STATUS
    0 after SIGINT/SIGTERM; 1 when the device or network fails; 2 for bad
    arguments.
)";

template <class T>
bool parse_number(std::string_view text, T min, T max, T& out) {
  uint64_t v = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      v < static_cast<uint64_t>(min) || v > static_cast<uint64_t>(max)) {
    return false;
  }
  out = static_cast<T>(v);
  return true;
}

std::optional<Mode> parse_mode(std::string_view s) {
  if (s == "echo") return Mode::kEcho;
  if (s == "discard") return Mode::kDiscard;
  if (s == "http") return Mode::kHttp;
  if (s == "hold") return Mode::kHold;
  if (s == "close") return Mode::kClose;
  if (s == "source") return Mode::kSource;
  return std::nullopt;
}

// "250ms", "10s" or a bare number of seconds; 1 ms to 1 day.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  uint64_t scale = 1000;
  if (s.ends_with("ms")) {
    scale = 1;
    s.remove_suffix(2);
  } else if (s.ends_with("s")) {
    s.remove_suffix(1);
  }
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v == 0 ||
      v > 86'400'000 / scale) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(v * scale);
}

std::optional<SynCookies> parse_cookies(std::string_view s) {
  if (s == "off") return SynCookies::kOff;
  if (s == "auto") return SynCookies::kAuto;
  if (s == "always") return SynCookies::kAlways;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::kEcho:
      return "echo";
    case Mode::kDiscard:
      return "discard";
    case Mode::kHttp:
      return "http";
    case Mode::kHold:
      return "hold";
    case Mode::kClose:
      return "close";
    case Mode::kSource:
      return "source";
  }
  return "?";
}

std::string_view help_text() { return kHelp; }

ParsedArgs parse_args(std::span<const std::string_view> args) {
  ParsedArgs parsed;
  ServerOptions& o = parsed.options;
  auto fail = [&](std::string message) {
    parsed.error = std::move(message) + " (try --help)";
    return parsed;
  };
  bool have_tun = false, have_addr = false, have_port = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    std::optional<std::string_view> inline_value;
    if (const size_t eq = flag.find('=');
        flag.starts_with("--") && eq != std::string_view::npos) {
      inline_value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == "-h" || flag == "--help") {
      parsed.help = true;
      return parsed;
    }
    if (flag == "--abort-on-overflow") {
      if (inline_value) return fail("--abort-on-overflow takes no value");
      o.abort_on_overflow = true;
      continue;
    }
    if (flag == "--no-offload") {
      if (inline_value) return fail("--no-offload takes no value");
      o.offload = false;
      continue;
    }
    if (!flag.starts_with("-")) {
      return fail("unexpected argument '" + std::string(flag) + "'");
    }
    std::string_view value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail(std::string(flag) + " needs a value");
    }
    const std::string bad =
        "bad value '" + std::string(value) + "' for " + std::string(flag);
    if (flag == "--tun") {
      if (value.empty() || value.size() > 15) {
        return fail(bad + ": a device name of 1 to 15 characters");
      }
      o.tun = value;
      have_tun = true;
    } else if (flag == "--addr") {
      const auto a = io::parse_ipv4(value);
      if (!a) return fail(bad + ": not an IPv4 address");
      if (!io::in_benchmark_range(*a)) {
        return fail(bad + ": must be in 198.18.0.0/15");
      }
      o.addr = *a;
      have_addr = true;
    } else if (flag == "--port") {
      if (!parse_number<uint16_t>(value, 1, 65535, o.port)) {
        return fail(bad + ": a port 1-65535");
      }
      have_port = true;
    } else if (flag == "--backlog") {
      if (!parse_number<uint32_t>(value, 0, 65535, o.backlog)) {
        return fail(bad + ": 0-65535");
      }
    } else if (flag == "--syn-backlog") {
      if (!parse_number<uint32_t>(value, 1, 65535, o.syn_backlog)) {
        return fail(bad + ": 1-65535");
      }
    } else if (flag == "--mode") {
      const auto m = parse_mode(value);
      if (!m) return fail(bad + ": echo, discard, http, hold, close or source");
      o.mode = *m;
    } else if (flag == "--syncookies") {
      const auto c = parse_cookies(value);
      if (!c) return fail(bad + ": off, auto or always");
      o.syncookies = *c;
    } else if (flag == "--synack-retries") {
      if (!parse_number<uint8_t>(value, 0, kMaxSynackRetries,
                                 o.synack_retries)) {
        return fail(bad + ": 0-" + std::to_string(kMaxSynackRetries));
      }
    } else if (flag == "--orphan-retries") {
      if (!parse_number<uint8_t>(value, 0, 255, o.orphan_retries)) {
        return fail(bad + ": 0-255");
      }
    } else if (flag == "--pcap") {
      if (value.empty()) return fail(bad + ": a file name");
      o.pcap = value;
    } else if (flag == "--threads") {
      if (!parse_number<unsigned>(value, 1, 64, o.threads)) {
        return fail(bad + ": 1-64");
      }
    } else if (flag == "--impair") {
      auto r = io::parse_impairment(value);
      if (!r.ok()) return fail("--impair: " + r.error());
      o.impair = r.value();
    } else if (flag == "--configure-peer") {
      const auto p = io::parse_prefix(value, 24);
      if (!p) return fail(bad + ": want A.B.C.D or A.B.C.D/N");
      if (!io::in_benchmark_range(*p)) {
        return fail(bad + ": must be inside 198.18.0.0/15");
      }
      o.configure_peer = *p;
    } else if (flag == "--mtu") {
      if (!parse_number<uint16_t>(value, 576, 65535, o.mtu)) {
        return fail(bad + ": 576-65535");
      }
    } else if (flag == "--max-connections") {
      if (!parse_number<uint32_t>(value, 1, 1u << 20, o.max_connections)) {
        return fail(bad + ": 1-1048576");
      }
    } else if (flag == "--header-timeout" || flag == "--idle-timeout") {
      const auto d = parse_duration(value);
      if (!d) return fail(bad + ": a duration like 500ms or 10s, up to 1 day");
      (flag == "--header-timeout" ? o.header_timeout : o.idle_timeout) = *d;
    } else if (flag == "--metrics-port") {
      if (!parse_number<uint16_t>(value, 1, 65535, o.metrics_port)) {
        return fail(bad + ": a port 1-65535");
      }
    } else {
      return fail("unknown option '" + std::string(flag) + "'");
    }
  }
  if (!have_tun) return fail("--tun NAME is required");
  if (!have_addr) return fail("--addr A is required");
  if (!have_port) return fail("--port P is required");
  if (o.metrics_port == o.port) {
    return fail("--metrics-port must differ from --port");
  }
  if (o.configure_peer) {
    const uint8_t len = o.configure_peer->length;
    const uint32_t mask = len == 32 ? ~0u : ~(~0u >> len);
    if (o.configure_peer->addr == o.addr) {
      return fail("--configure-peer must differ from --addr");
    }
    if ((o.configure_peer->addr & mask) != (o.addr & mask)) {
      return fail(
          "--configure-peer's prefix must contain --addr, or the "
          "kernel has no route to the server");
    }
  }
  return parsed;
}

}  // namespace tcpref::server
