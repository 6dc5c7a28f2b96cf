#include "impl/server/server.h"

#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "impl/io/netns.h"
#include "impl/io/pcap_writer.h"
#include "impl/io/tun_device.h"
#include "impl/server/metrics.h"
#include "impl/server/snapshot.h"
#include "impl/server/worker.h"

namespace tcpref::server {
namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "tcpref-server: %s\n", message.c_str());
  return 1;
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void print_counters(const SnapshotBoard& board, const char* when) {
  const std::vector<Metric> metrics = to_metrics(board.total());
  // A blank line ends the block, so scripts can read it from a stream.
  std::printf("# counters (%s)\n%s\n", when,
              format_nstat(metrics, /*zeros=*/false).c_str());
  std::fflush(stdout);
}

}  // namespace

int run_server(const ServerOptions& options) {
  // Memory is committed as connections use it, so a huge table costs
  // nothing until it fills; refuse one the machine could never hold.
  const uint64_t physical = static_cast<uint64_t>(::sysconf(_SC_PHYS_PAGES)) *
                            static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  if (const uint64_t need = worst_case_memory(options); need > physical) {
    std::fprintf(stderr,
                 "tcpref-server: --max-connections %u needs up to %llu MiB "
                 "when full, more than this machine's %llu MiB (try --help)\n",
                 options.max_connections,
                 static_cast<unsigned long long>(need >> 20),
                 static_cast<unsigned long long>(physical >> 20));
    return 2;
  }
  // Signals go to a signalfd read by this thread only; workers never see them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const Fd signal_fd(::signalfd(-1, &signals, SFD_CLOEXEC));
  const Fd stop_fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (signal_fd.get() < 0 || stop_fd.get() < 0) {
    return fail(std::string("signalfd/eventfd: ") + std::strerror(errno));
  }

  if (sodium_init() < 0) return fail("libsodium failed to initialise");
  std::array<uint8_t, 16> isn_key{}, cookie_key{};
  randombytes_buf(isn_key.data(), isn_key.size());
  randombytes_buf(cookie_key.data(), cookie_key.size());

  auto device =
      io::TunDevice::open(options.tun, options.threads, use_offload(options));
  if (!device.ok()) return fail(device.error());
  if (options.configure_peer) {
    if (io::Status s = io::disable_ipv6(options.tun); !s.ok()) {
      return fail(s.error());
    }
  }
  if (io::Status s = device.value().bring_up(options.mtu); !s.ok()) {
    return fail(s.error());
  }
  if (options.configure_peer) {
    if (io::Status s = io::set_address(options.tun, *options.configure_peer);
        !s.ok()) {
      return fail(s.error());
    }
  }
  std::unique_ptr<io::PcapWriter> pcap;
  if (!options.pcap.empty()) {
    auto p = io::PcapWriter::open(options.pcap);
    if (!p.ok()) return fail(p.error());
    pcap = std::move(p.value());
  }

  SnapshotBoard board(options.threads);
  const MetricsSource metrics = [&board] {
    return format_prometheus(to_metrics(board.total()));
  };
  const tcp::StackConfig config = stack_config(options, isn_key, cookie_key);
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < options.threads; ++i) {
    workers.push_back(
        std::make_unique<Worker>(options, config, device.value().fd(i),
                                 stop_fd.get(), i, pcap.get(), board, metrics));
    if (io::Status s = workers.back()->listen(); !s.ok())
      return fail(s.error());
  }

  std::mutex error_mutex;
  std::string error;
  std::vector<std::thread> threads;
  threads.reserve(workers.size());
  for (auto& worker : workers) {
    threads.emplace_back([&, w = worker.get()] {
      io::Status s = w->run();
      if (!s.ok()) {
        std::lock_guard lock(error_mutex);
        if (error.empty()) error = s.error();
      }
      const uint64_t one = 1;  // one worker failing stops them all
      [[maybe_unused]] ssize_t n = ::write(stop_fd.get(), &one, sizeof(one));
    });
  }

  std::printf("READY tun=%s addr=%s port=%u mode=%.*s threads=%u\n",
              options.tun.c_str(), io::format_ipv4(options.addr).c_str(),
              options.port, static_cast<int>(to_string(options.mode).size()),
              to_string(options.mode).data(), options.threads);
  std::fflush(stdout);

  for (bool running = true; running;) {
    pollfd fds[2] = {{signal_fd.get(), POLLIN, 0}, {stop_fd.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if ((fds[1].revents & POLLIN) != 0) break;  // a worker stopped
    signalfd_siginfo info{};
    if (::read(signal_fd.get(), &info, sizeof(info)) != sizeof(info)) continue;
    if (info.ssi_signo == SIGUSR1) {
      print_counters(board, "SIGUSR1");
    } else {
      const uint64_t one = 1;
      [[maybe_unused]] ssize_t n = ::write(stop_fd.get(), &one, sizeof(one));
      running = false;
    }
  }
  for (std::thread& t : threads) t.join();
  if (pcap) pcap->flush();
  print_counters(board, "exit");
  if (!error.empty()) return fail(error);
  return 0;
}

}  // namespace tcpref::server
