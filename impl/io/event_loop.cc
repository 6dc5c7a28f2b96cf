#include "impl/io/event_loop.h"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace tcpref::io {
namespace {

constexpr uint64_t kTunToken = 1;
constexpr uint64_t kTimerToken = 2;
constexpr uint64_t kStopToken = 3;

std::string device_error(const std::string& name, const char* op, int err) {
  if (err == EBADFD || err == ENODEV || err == ENXIO) {
    return "TUN device '" + name + "' went away (" + op + ": " +
           std::strerror(err) + ")";
  }
  if (err == EIO) {
    return "TUN device '" + name + "' is down (" + op + ": " +
           std::strerror(err) + ")";
  }
  return std::string(op) + " on TUN device '" + name +
         "' failed: " + std::strerror(err);
}

}  // namespace

Time monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return Time(static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000);
}

void EventLoop::ToDevice::deliver(std::span<const uint8_t> packet) {
  if (loop_.options_.offload) return write_frame({}, packet);
  const ssize_t n = ::write(loop_.tun_fd_, packet.data(), packet.size());
  count(n, packet.size(), packet.size());
}

void EventLoop::ToDevice::write_frame(const VnetHeader& header,
                                      std::span<const uint8_t> packet) {
  uint8_t vnet[VnetHeader::kSize];
  header.write(vnet);
  iovec iov[2] = {{vnet, sizeof(vnet)},
                  {const_cast<uint8_t*>(packet.data()), packet.size()}};
  const ssize_t n = ::writev(loop_.tun_fd_, iov, 2);
  count(n, sizeof(vnet) + packet.size(), packet.size());
}

void EventLoop::ToDevice::count(ssize_t n, size_t expected, size_t bytes) {
  if (n == static_cast<ssize_t>(expected)) {
    ++loop_.stats_.packets_out;
    loop_.stats_.bytes_out += bytes;
    return;
  }
  const int err = n < 0 ? errno : EMSGSIZE;
  if (err == EAGAIN || err == ENOBUFS || err == EINTR || err == EMSGSIZE ||
      err == EINVAL) {
    ++loop_.stats_.write_drops;  // like a full or refusing link: TCP recovers
    return;
  }
  if (loop_.fatal_.empty()) {
    loop_.fatal_ = device_error(loop_.options_.device_name, "write", err);
  }
}

void EventLoop::ToHandler::deliver(std::span<const uint8_t> packet) {
  if (loop_.options_.pcap != nullptr) loop_.options_.pcap->write(packet);
  loop_.handler_.on_packet(packet, loop_.now_, loop_.info_);
}

EventLoop::EventLoop(int tun_fd, int stop_fd, const LoopOptions& options,
                     PacketHandler& handler)
    : tun_fd_(tun_fd),
      stop_fd_(stop_fd),
      options_(options),
      handler_(handler),
      ingress_(options.impairment, options.stream * 2, options.max_packet),
      egress_(options.impairment, options.stream * 2 + 1, options.max_packet),
      buffer_(options.max_packet + VnetHeader::kSize) {}

EventLoop::~EventLoop() {
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (timer_fd_ >= 0) ::close(timer_fd_);
}

void EventLoop::send(std::span<const uint8_t> packet) {
  if (options_.pcap != nullptr) options_.pcap->write(packet);
  if (options_.impairment.enabled()) {
    egress_.process(packet, now_, to_device_);
  } else if (options_.offload) {
    gso_.add(packet);  // written when the batch ends
  } else {
    to_device_.deliver(packet);
  }
}

Status EventLoop::setup() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  timer_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epoll_fd_ < 0 || timer_fd_ < 0) {
    return Status::failure(std::string("epoll/timerfd: ") +
                           std::strerror(errno));
  }
  const std::pair<int, uint64_t> watched[] = {
      {tun_fd_, kTunToken}, {timer_fd_, kTimerToken}, {stop_fd_, kStopToken}};
  for (const auto& [fd, token] : watched) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = token;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) < 0) {
      return Status::failure(std::string("epoll_ctl: ") + std::strerror(errno));
    }
  }
  return ok_status();
}

void EventLoop::arm_timer() {
  std::optional<Time> due = handler_.next_deadline();
  for (const auto& d : {ingress_.next_deadline(), egress_.next_deadline()}) {
    if (d && (!due || *d < *due)) due = d;
  }
  itimerspec spec{};
  if (due) {
    // An absolute time already past fires at once; zero would disarm.
    const int64_t us = due->count() > 0 ? due->count() : 1;
    spec.it_value.tv_sec = us / 1'000'000;
    spec.it_value.tv_nsec = (us % 1'000'000) * 1000;
  }
  ::timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

Status EventLoop::read_batch() {
  for (size_t i = 0; i < options_.batch; ++i) {
    const ssize_t n = ::read(tun_fd_, buffer_.data(), buffer_.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return ok_status();
      return Status::failure(device_error(options_.device_name, "read", errno));
    }
    if (n == 0) {
      return Status::failure("TUN device '" + options_.device_name +
                             "' went away (read returned end of file)");
    }
    std::span<const uint8_t> packet(buffer_.data(), static_cast<size_t>(n));
    info_ = {};
    if (options_.offload) {
      if (packet.size() < VnetHeader::kSize) continue;
      const VnetHeader h = VnetHeader::read(packet);
      info_.checksum_trusted =
          (h.flags & (VnetHeader::kNeedsCsum | VnetHeader::kDataValid)) != 0;
      packet = packet.subspan(VnetHeader::kSize);
    }
    ++stats_.packets_in;
    stats_.bytes_in += packet.size();
    if (options_.impairment.enabled()) {
      ingress_.process(packet, now_, to_handler_);
    } else {
      to_handler_.deliver(packet);
    }
  }
  return ok_status();
}

Status EventLoop::run() {
  if (Status s = setup(); !s.ok()) return s;
  now_ = monotonic_now();
  handler_.on_tick(now_);
  gso_.flush();
  epoll_event events[3];
  while (fatal_.empty()) {
    arm_timer();
    const int n = ::epoll_wait(epoll_fd_, events, 3, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::failure(std::string("epoll_wait: ") +
                             std::strerror(errno));
    }
    now_ = monotonic_now();
    bool readable = false;
    for (int i = 0; i < n; ++i) {
      switch (events[i].data.u64) {
        case kStopToken:
          return ok_status();
        case kTunToken:
          if ((events[i].events & (EPOLLERR | EPOLLHUP)) != 0 &&
              (events[i].events & EPOLLIN) == 0) {
            return Status::failure("TUN device '" + options_.device_name +
                                   "' went away (poll error)");
          }
          readable = true;
          break;
        case kTimerToken: {
          uint64_t expirations = 0;
          [[maybe_unused]] ssize_t r =
              ::read(timer_fd_, &expirations, sizeof(expirations));
          break;
        }
        default:
          break;
      }
    }
    if (readable) {
      if (Status s = read_batch(); !s.ok()) return s;
    }
    ingress_.release_due(now_, to_handler_);
    egress_.release_due(now_, to_device_);
    handler_.on_tick(now_);
    gso_.flush();  // the batch's output: one write per flow burst
  }
  return Status::failure(fatal_);
}

LoopStats EventLoop::stats() const {
  LoopStats s = stats_;
  s.super_segments_out = gso_.super_segments();
  s.segments_joined = gso_.segments_joined();
  s.ingress = ingress_.stats();
  s.egress = egress_.stats();
  return s;
}

}  // namespace tcpref::io
