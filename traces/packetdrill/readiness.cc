// poll() and epoll_*() for the script's fds: Linux's tcp_poll mask derived
// from the Stack's readiness bits and connection state, level- and
// edge-triggered (EPOLLET) reporting, blocking poll with the script's
// "...end" time (the executor waits; ready() says when).
#include <poll.h>
#include <sys/epoll.h>

#include <cstdio>
#include <optional>
#include <string>

#include "traces/packetdrill/syscalls.h"

namespace tcpref::packetdrill {
namespace {

struct FlagName {
  const char* name;
  uint32_t bit;
};
constexpr FlagName kFlags[] = {
    {"POLLIN", POLLIN},           {"POLLPRI", POLLPRI},
    {"POLLOUT", POLLOUT},         {"POLLERR", POLLERR},
    {"POLLHUP", POLLHUP},         {"POLLNVAL", POLLNVAL},
    {"POLLRDNORM", POLLRDNORM},   {"POLLWRNORM", POLLWRNORM},
    {"POLLRDHUP", POLLRDHUP},     {"EPOLLIN", EPOLLIN},
    {"EPOLLPRI", EPOLLPRI},       {"EPOLLOUT", EPOLLOUT},
    {"EPOLLERR", EPOLLERR},       {"EPOLLHUP", EPOLLHUP},
    {"EPOLLRDNORM", EPOLLRDNORM}, {"EPOLLWRNORM", EPOLLWRNORM},
    {"EPOLLRDHUP", EPOLLRDHUP},   {"EPOLLET", EPOLLET},
};

// POLLIN|POLLOUT, 0, 0x5 → bits; nullopt for a name we do not know.
std::optional<uint32_t> flag_bits(const Expr& e) {
  if (e.kind == Expr::Kind::kInt) return static_cast<uint32_t>(e.int_value);
  if (e.kind == Expr::Kind::kWord) {
    for (const FlagName& f : kFlags)
      if (e.text == f.name) return f.bit;
    return std::nullopt;
  }
  if (e.kind == Expr::Kind::kBinary && e.text == "|") {
    const auto a = flag_bits(e.children[0]), b = flag_bits(e.children[1]);
    if (!a || !b) return std::nullopt;
    return *a | *b;
  }
  return std::nullopt;
}

// {name=value, ...} → the value expression of `name`.
const Expr* field(const Expr& braces, std::string_view name) {
  for (const Expr& c : braces.children)
    if (c.kind == Expr::Kind::kBinary && c.text == "=" &&
        c.children[0].kind == Expr::Kind::kWord && c.children[0].text == name)
      return &c.children[1];
  return nullptr;
}

std::optional<int64_t> int_of(const Expr* e) {
  if (e == nullptr || e->kind != Expr::Kind::kInt) return std::nullopt;
  return e->int_value;
}

CallResult result(int64_t ret) {
  return {CallResult::Kind::kDone, "", {ret, ""}};
}
CallResult unsupported(std::string why) {
  return {CallResult::Kind::kUnsupported, std::move(why), {}};
}
CallResult failed(std::string why) {
  return {CallResult::Kind::kFail, std::move(why), {}};
}

std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

}  // namespace

// Linux tcp_poll: what a socket reports whatever was asked.
uint32_t Sockets::poll_bits(const Fd& fd, const tcp::Stack& stack) const {
  switch (fd.kind) {
    case Fd::Kind::kListener:
      return (stack.poll(fd.listener) & tcp::ready::kAcceptable)
                 ? POLLIN | POLLRDNORM
                 : 0;
    case Fd::Kind::kSocket:
      return POLLOUT | POLLWRNORM | POLLHUP;  // TCP_CLOSE
    case Fd::Kind::kConnection:
      break;
  }
  const tcp::ConnectionView v = stack.inspect(tuple(fd));
  const uint32_t r = stack.poll(fd.socket);
  uint32_t mask = 0;
  if (v.kind == tcp::RecordKind::kNone || (r & tcp::ready::kClosed))
    mask |= POLLHUP;
  if (r & tcp::ready::kReset) mask |= POLLERR | POLLHUP;
  if (v.state == tcp::TcpState::kSynSent) return mask;
  const bool fin_in = v.state == tcp::TcpState::kCloseWait ||
                      v.state == tcp::TcpState::kLastAck ||
                      v.state == tcp::TcpState::kClosing ||
                      v.state == tcp::TcpState::kTimeWait;
  if (fin_in || fd.read_shut || (r & tcp::ready::kReset))
    mask |= POLLIN | POLLRDNORM | POLLRDHUP;
  if (r & tcp::ready::kReadable) mask |= POLLIN | POLLRDNORM;
  if (r & tcp::ready::kWritable) mask |= POLLOUT | POLLWRNORM;
  return mask;
}

// What changes when Linux would wake an edge-triggered waiter: data or a
// FIN arriving (sk_data_ready), a state change or error, write space
// coming back. Reading does not wake anyone.
uint64_t Sockets::signature(const Fd& fd, const tcp::Stack& stack) const {
  if (fd.kind != Fd::Kind::kConnection) return poll_bits(fd, stack);
  const tcp::ConnectionView v = stack.inspect(tuple(fd));
  const uint32_t bits = poll_bits(fd, stack);
  return (uint64_t{v.rcv_nxt} << 32) ^ (static_cast<uint64_t>(v.state) << 24) ^
         (bits & (POLLOUT | POLLERR | POLLHUP | POLLRDHUP));
}

// Whether a blocking poll() would have returned: any pollfd has events.
bool Sockets::poll_ready(const SyscallSpec& s, const tcp::Stack& stack) const {
  if (s.args.empty() || s.args[0].kind != Expr::Kind::kArray) return true;
  for (const Expr& p : s.args[0].children) {
    if (p.kind != Expr::Kind::kBraces) return true;
    const auto number = int_of(field(p, "fd"));
    const Expr* ev = field(p, "events");
    const auto events = ev ? flag_bits(*ev) : std::optional<uint32_t>(0);
    if (!number || !events) return true;  // unsupported when completed
    const auto it = fds_.find(*number);
    if (it == fds_.end() ||
        (poll_bits(it->second, stack) & (*events | POLLERR | POLLHUP)) != 0)
      return true;
  }
  return false;
}

// poll([{fd=N, events=..., revents=...}, ...], nfds, timeout) = count
CallResult Sockets::poll(const SyscallSpec& s, const tcp::Stack& stack,
                         bool completing) {
  if (s.args.empty() || s.args[0].kind != Expr::Kind::kArray)
    return unsupported("poll() without a pollfd array");
  int64_t count = 0;
  std::string mismatch;
  for (const Expr& p : s.args[0].children) {
    if (p.kind != Expr::Kind::kBraces) return unsupported("poll() pollfd");
    const auto number = int_of(field(p, "fd"));
    const Expr* ev = field(p, "events");
    const Expr* rev = field(p, "revents");
    const auto events = ev ? flag_bits(*ev) : std::optional<uint32_t>(0);
    const auto want = rev ? flag_bits(*rev) : std::optional<uint32_t>(0);
    if (!number || !events || !want) return unsupported("poll() flag names");
    const auto it = fds_.find(*number);
    const uint32_t got = it == fds_.end() ? POLLNVAL
                                          : poll_bits(it->second, stack) &
                                                (*events | POLLERR | POLLHUP);
    if (got != 0) ++count;
    if (got != *want && mismatch.empty())
      mismatch = "poll() fd " + std::to_string(*number) + " expected revents " +
                 hex(*want) + " got " + hex(got);
  }
  const std::optional<int64_t> timeout =
      s.args.size() > 2 && s.args[2].kind == Expr::Kind::kInt
          ? std::optional<int64_t>(s.args[2].int_value)
          : std::nullopt;
  if (count == 0 && timeout.value_or(-1) != 0 && !completing)
    return failed("poll() would block: nothing is ready (the script expects " +
                  std::to_string(s.result.int_value) + ")");
  if (!mismatch.empty() && count == s.result.int_value) return failed(mismatch);
  return result(count);
}

// epoll_create(size) = fd; epoll_ctl(ep, op, fd, {events=..., fd=|ptr=});
// epoll_wait(ep, {events=..., fd=|ptr=}, maxevents, 0) = count
CallResult Sockets::epoll(const SyscallSpec& s, const tcp::Stack& stack) {
  if (s.name == "epoll_create" || s.name == "epoll_create1") {
    int64_t number = new_fd(s);
    // epoll fds share the number space with sockets.
    while (fds_.contains(number) || epolls_.contains(number)) ++number;
    epolls_[number] = Epoll{};
    return result(number);
  }
  const auto ep = s.args.empty() || s.args[0].kind != Expr::Kind::kInt
                      ? epolls_.end()
                      : epolls_.find(s.args[0].int_value);
  if (ep == epolls_.end()) return {CallResult::Kind::kDone, "", {-1, "EBADF"}};
  if (s.name == "epoll_ctl") {
    if (s.args.size() < 4 || s.args[1].kind != Expr::Kind::kWord ||
        s.args[2].kind != Expr::Kind::kInt)
      return unsupported("epoll_ctl() arguments");
    const std::string& op = s.args[1].text;
    const int64_t target = s.args[2].int_value;
    if (!fds_.contains(target))
      return {CallResult::Kind::kDone, "", {-1, "EBADF"}};
    if (op == "EPOLL_CTL_DEL") {
      ep->second.items.erase(target);
      return result(0);
    }
    if (op != "EPOLL_CTL_ADD" && op != "EPOLL_CTL_MOD")
      return unsupported("epoll_ctl " + op);
    if (s.args[3].kind != Expr::Kind::kBraces)
      return unsupported("epoll_ctl() event");
    const Expr* ev = field(s.args[3], "events");
    const auto events = ev ? flag_bits(*ev) : std::nullopt;
    if (!events) return unsupported("epoll_ctl() event flags");
    if (*events & ~(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLRDHUP |
                    EPOLLRDNORM | EPOLLWRNORM | EPOLLET))
      return unsupported("epoll_ctl() flags " + hex(*events));
    const auto data =
        int_of(field(s.args[3], "fd"))
            .value_or(int_of(field(s.args[3], "ptr")).value_or(0));
    ep->second.items[target] = EpollItem{*events, data, std::nullopt};
    return result(0);
  }
  if (s.name != "epoll_wait")
    return unsupported("system call " + s.name + "()");
  if (s.args.size() < 4 || s.args[1].kind != Expr::Kind::kBraces ||
      s.args[3].kind != Expr::Kind::kInt)
    return unsupported("epoll_wait() arguments");
  int64_t count = 0;
  std::optional<std::pair<uint32_t, int64_t>> first;  // events, data
  for (auto& [number, item] : ep->second.items) {
    const auto it = fds_.find(number);
    if (it == fds_.end()) continue;
    const uint32_t mask =
        poll_bits(it->second, stack) &
        ((item.events & ~static_cast<uint32_t>(EPOLLET)) | EPOLLERR | EPOLLHUP);
    if (mask == 0) continue;
    if (item.events & EPOLLET) {
      const uint64_t sig = signature(it->second, stack);
      if (item.reported == sig) continue;
      item.reported = sig;
    }
    ++count;
    if (!first) first = {mask, item.data};
  }
  if (count == 0 && s.args[3].int_value != 0)
    return unsupported("epoll_wait() that would wait");
  if (count == s.result.int_value && first) {
    const Expr* ev = field(s.args[1], "events");
    const auto want = ev ? flag_bits(*ev) : std::nullopt;
    if (!want) return unsupported("epoll_wait() event flags");
    if (*want != first->first)
      return failed("epoll_wait() expected events " + hex(*want) + " got " +
                    hex(first->first));
    const auto data =
        int_of(field(s.args[1], "fd"))
            .value_or(int_of(field(s.args[1], "ptr")).value_or(0));
    if (data != first->second)
      return failed("epoll_wait() expected fd " + std::to_string(data) +
                    " got " + std::to_string(first->second));
  }
  return result(count);
}

}  // namespace tcpref::packetdrill
