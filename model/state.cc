#include "model/state.h"

namespace tcpref::model {

Params<Concrete> default_params() {
  Params<Concrete> p;
  p.syn_queue_limit = 128;
  p.cookie_mode = static_cast<uint32_t>(CookieMode::kWhenFull);
  p.abort_on_overflow = false;
  p.rfc1337 = true;
  p.max_synack_retries = 5;
  p.our_mss = 1460;
  p.rcv_wscale = 7;
  p.ws_enabled = true;
  p.sack_enabled = true;
  p.ts_enabled = true;
  p.rcv_wnd = 65535;
  p.cookie_secret = 0x5eed5eedu;
  p.local_addr = 0xC6120001u;   // 198.18.0.1
  p.remote_addr = 0xC6120002u;  // 198.18.0.2
  p.local_port = 80;
  p.remote_port = 40000;
  return p;
}

}  // namespace tcpref::model
