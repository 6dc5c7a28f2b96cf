#include "impl/tcp/record_sizes.h"

#include "impl/tcp/connection.h"
#include "impl/tcp/listener.h"
#include "impl/tcp/request_sock.h"
#include "impl/tcp/socket_slot.h"
#include "impl/tcp/time_wait.h"

namespace tcpref::tcp {

std::vector<RecordSize> record_sizes() {
  return {
      {"RequestSock", sizeof(RequestSock), "`tcp_request_sock`, 320 B"},
      {"TimeWaitSock", sizeof(TimeWaitSock), "`tcp_timewait_sock`, 256 B"},
      {"Connection", sizeof(Connection), "`tcp_sock`, ~2 KB"},
      {"SocketSlot", sizeof(SocketSlot), "(the stack's record per socket)"},
      {"Listener", sizeof(Listener), "`inet_connection_sock` listening"},
  };
}

}  // namespace tcpref::tcp
