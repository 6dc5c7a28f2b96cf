// Inputs (segments, timer expiries, application calls) and outputs
// (segments, application events) of one step.
#ifndef TCPREF_MODEL_IO_H_
#define TCPREF_MODEL_IO_H_

#include "model/domain.h"
#include "model/reflect.h"
#include "model/state.h"
#include "model/types.h"

namespace tcpref::model {

// Segment fields are meaningful when kind == kSegment; backlog for
// kAppListen. isn is the ISS the server's generator would choose if this
// segment creates a request sock (the generator itself is outside the model);
// now is the server's timestamp clock (TSval it would send).
#define TCPREF_INPUT_FIELDS(X)                               \
  X(Word, kind)                                              \
  X(Bool, flag_syn)                                          \
  X(Bool, flag_ack)                                          \
  X(Bool, flag_rst)                                          \
  X(Bool, flag_fin)                                          \
  X(Word, seq)                                               \
  X(Word, ack)                                               \
  X(Word, len) /* payload bytes, SYN and FIN not included */ \
  X(Word, wnd)                                               \
  X(Bool, mss_present)                                       \
  X(Word, mss)                                               \
  X(Bool, ws_present)                                        \
  X(Word, ws)                                                \
  X(Bool, sack_permitted)                                    \
  X(Bool, ts_present)                                        \
  X(Word, tsval)                                             \
  X(Word, tsecr)                                             \
  X(Word, backlog)                                           \
  X(Word, isn)                                               \
  X(Word, now)

template <class D>
struct Input {
  TCPREF_REFLECT(TCPREF_INPUT_FIELDS)
};

// flag_ack matters for RST: with it the RST also carries ACK=ack.
#define TCPREF_OUTPUT_FIELDS(X) \
  X(Word, kind)                 \
  X(Word, seq)                  \
  X(Word, ack)                  \
  X(Bool, flag_ack)             \
  X(Word, wnd)                  \
  X(Bool, mss_present)          \
  X(Word, mss)                  \
  X(Bool, ws_present)           \
  X(Word, ws)                   \
  X(Bool, sack_permitted)       \
  X(Bool, ts_present)           \
  X(Word, tsval)                \
  X(Word, tsecr)

template <class D>
struct Output {
  TCPREF_REFLECT(TCPREF_OUTPUT_FIELDS)
};

// What one step did: the next state, the segment sent (kind kNone if none),
// the application event, and which row of the transition table fired.
template <class D>
struct StepResult {
  ModelState<D> next;
  Output<D> out;
  typename D::Word event{};
  typename D::Word transition{};
};

// Builders for concrete inputs (tests, oracles).
Input<Concrete> make_input(InputKind kind);
Input<Concrete> make_listen(uint32_t backlog);
struct Flags {
  bool syn = false, ack = false, rst = false, fin = false;
};
Input<Concrete> make_segment(Flags flags, uint32_t seq, uint32_t ack,
                             uint32_t len = 0, uint32_t wnd = 65535);

}  // namespace tcpref::model

#endif  // TCPREF_MODEL_IO_H_
