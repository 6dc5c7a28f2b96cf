// Planted bugs for proving that tests catch them. Compiled into every build
// but settable only through TestingAccess, which only test targets may see
// (BUILD visibility).
#pragma once

#include "impl/tcp/stack.h"

namespace tcpref::tcp {

struct TestingHooks {
  // The request sock accepts SEG.ACK = ISS+2 instead of ISS+1.
  bool bug_accept_ack_iss_plus_2 = false;
};

struct TestingAccess {
  static TestingHooks& hooks(Stack& stack);
};

}  // namespace tcpref::tcp
