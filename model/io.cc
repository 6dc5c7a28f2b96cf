#include "model/io.h"

namespace tcpref::model {

Input<Concrete> make_input(InputKind kind) {
  Input<Concrete> in;
  in.kind = static_cast<uint32_t>(kind);
  return in;
}

Input<Concrete> make_listen(uint32_t backlog) {
  Input<Concrete> in = make_input(InputKind::kAppListen);
  in.backlog = backlog;
  return in;
}

Input<Concrete> make_segment(Flags flags, uint32_t seq, uint32_t ack,
                             uint32_t len, uint32_t wnd) {
  Input<Concrete> in = make_input(InputKind::kSegment);
  in.flag_syn = flags.syn;
  in.flag_ack = flags.ack;
  in.flag_rst = flags.rst;
  in.flag_fin = flags.fin;
  in.seq = seq;
  in.ack = ack;
  in.len = len;
  in.wnd = wnd;
  return in;
}

}  // namespace tcpref::model
