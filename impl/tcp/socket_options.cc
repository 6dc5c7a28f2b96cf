// Per-socket options (Linux setsockopt/getsockopt at IPPROTO_TCP): TCP_MAXSEG,
// TCP_USER_TIMEOUT, TCP_NODELAY, on listeners (inherited by children) and on
// connections.
#include "impl/tcp/stack_impl.h"

namespace tcpref::tcp {

Error check_socket_options(const SocketOptions& o) {
  if (o.max_segment != 0 &&
      (o.max_segment < kMinUserMss || o.max_segment > kMaxUserMss)) {
    return Error::kInvalidArgument;
  }
  if (o.user_timeout < Time{0}) return Error::kInvalidArgument;
  return Error::kOk;
}

Error Stack::set_socket_options(ListenerId listener,
                                const SocketOptions& options) {
  Listener* l = impl_->live(listener);
  if (l == nullptr) return Error::kBadHandle;
  if (const Error e = check_socket_options(options); e != Error::kOk) return e;
  l->options.socket = options;
  return Error::kOk;
}

Error Stack::set_socket_options(SocketId socket, const SocketOptions& options,
                                Time now) {
  Connection* c = impl_->live(socket);
  if (c == nullptr) return Error::kBadHandle;
  if (const Error e = check_socket_options(options); e != Error::kOk) return e;
  ConnectionEnv e = impl_->env(socket.index, now);
  c->set_options(options, e);
  impl_->sync_socket_timer(socket.index);
  return Error::kOk;
}

std::optional<SocketOptions> Stack::socket_options(ListenerId listener) const {
  const Listener* l = impl_->live(listener);
  if (l == nullptr) return std::nullopt;
  return l->options.socket;
}

std::optional<SocketOptions> Stack::socket_options(SocketId socket) const {
  const Connection* c = impl_->live(socket);
  if (c == nullptr) return std::nullopt;
  return c->sockopt;
}

}  // namespace tcpref::tcp
