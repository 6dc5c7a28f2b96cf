// Network-namespace helpers for tests and the server's --configure-peer:
// a private namespace, and interface addresses restricted to 198.18.0.0/15
// so nothing can be routed anywhere else.
#pragma once

#include <string>

#include "impl/io/address.h"
#include "impl/io/result.h"

namespace tcpref::io {

// unshare(CLONE_NEWNET) for the calling thread and bring `lo` up. The new
// namespace has no routes beyond loopback and vanishes with its last user.
Status enter_private_netns();

// Brings interface `name` up.
Status link_up(const std::string& name);

// Turns IPv6 off on interface `name` (before it goes up, so the kernel sends
// no router solicitations into an IPv4-only stack). A kernel without IPv6 is
// not an error.
Status disable_ipv6(const std::string& name);

// Gives interface `name` the address prefix.addr/prefix.length (the kernel
// adds the connected route). Refuses anything outside 198.18.0.0/15.
Status set_address(const std::string& name, Prefix prefix);

}  // namespace tcpref::io
