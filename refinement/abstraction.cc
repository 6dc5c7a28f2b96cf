#include "refinement/abstraction.h"

#include <algorithm>
#include <sstream>
#include <type_traits>

#include "model/print.h"
#include "model/types.h"

namespace tcpref::refinement {

namespace {

using model::TcpState;

uint32_t code(TcpState s) { return static_cast<uint32_t>(s); }

// impl's TcpState of a synchronized socket → the model's. SYN-SENT, LISTEN
// and CLOSED never describe a hashed socket for an accepted 4-tuple; they
// map to an out-of-range code so any such state shows as a mismatch.
uint32_t socket_state(tcp::TcpState s) {
  switch (s) {
    case tcp::TcpState::kEstablished:
      return code(TcpState::kEstablished);
    case tcp::TcpState::kCloseWait:
      return code(TcpState::kCloseWait);
    case tcp::TcpState::kLastAck:
      return code(TcpState::kLastAck);
    case tcp::TcpState::kFinWait1:
      return code(TcpState::kFinWait1);
    case tcp::TcpState::kFinWait2:
      return code(TcpState::kFinWait2);
    case tcp::TcpState::kClosing:
      return code(TcpState::kClosing);
    default:
      return code(TcpState::kCount);
  }
}

// The variables a request sock and a full socket both expose.
void copy_connection(const tcp::ConnectionView& v, uint32_t d, MState& a) {
  a.iss = v.iss + d;
  a.irs = v.irs;
  a.snd_una = v.snd_una + d;
  a.snd_nxt = v.snd_nxt + d;
  a.rcv_nxt = v.rcv_nxt;
  a.snd_wnd = v.snd_wnd;
  a.rcv_wnd = v.rcv_wnd;
  a.mss = v.mss;
  a.snd_wscale = v.snd_wscale;
  a.rcv_wscale = v.rcv_wscale;
  a.sack_ok = v.sack_ok;
  a.ts_ok = v.timestamps_ok;
  a.ts_recent = v.ts_recent;
  a.from_cookie = v.from_cookie;
}

}  // namespace

MState abstract_state(const ImplObservation& obs, const Alignment& align,
                      const MState& model) {
  // Start from the model's own values: what is not set below is history the
  // impl does not keep or show (ghost_*, MAX.SND.WND, ws_ok — ConnectionView
  // has only the shifts —, SND.WL1/SND.WL2, and whatever a TIME-WAIT record
  // or a removed record forgets), so it is not compared.
  MState a = model;
  const tcp::ConnectionView& v = obs.view;
  const uint32_t d = align.iss_delta;
  const bool request = v.kind == tcp::RecordKind::kRequestSock;
  const bool queued = v.kind == tcp::RecordKind::kChildQueued;
  a.listening = obs.listening;
  // listen() stores the backlog; the model keeps a stale one after close.
  if (obs.listening) a.backlog = std::min(obs.backlog, model::kMaxBacklog);
  a.cookie_clock = obs.cookie_clock;
  a.other_reqs = obs.syn_queue_length - (request ? 1u : 0u);
  a.other_queued = obs.accept_queue_length - (queued ? 1u : 0u);
  a.in_reqsk_table = request;
  a.in_established_table = queued || v.kind == tcp::RecordKind::kSocket;
  a.in_timewait_table = v.kind == tcp::RecordKind::kTimeWait;
  a.peer_fin = false;
  switch (v.kind) {
    case tcp::RecordKind::kNone:
      a.st = code(obs.listening ? TcpState::kListen : TcpState::kClosed);
      break;
    case tcp::RecordKind::kRequestSock:
      a.st = code(TcpState::kSynReceived);
      copy_connection(v, d, a);
      a.retransmits = v.retransmits;
      break;
    case tcp::RecordKind::kChildQueued:
      // The model keeps a queued child in one state and remembers a peer
      // FIN in peer_fin; impl moves the child to CLOSE-WAIT.
      a.st = v.state == tcp::TcpState::kEstablished ||
                     v.state == tcp::TcpState::kCloseWait
                 ? code(TcpState::kEstablishedQueued)
                 : code(TcpState::kCount);
      a.peer_fin = v.state == tcp::TcpState::kCloseWait;
      copy_connection(v, d, a);
      break;
    case tcp::RecordKind::kSocket:
      a.st = socket_state(v.state);
      copy_connection(v, d, a);
      break;
    case tcp::RecordKind::kTimeWait:
      // A TIME-WAIT record keeps the sequence edges and timestamp state
      // (impl/tcp/time_wait.h); ISS, IRS, windows, MSS are gone.
      a.st = code(TcpState::kTimeWait);
      a.snd_una = v.snd_una + d;
      a.snd_nxt = v.snd_nxt + d;
      a.rcv_nxt = v.rcv_nxt;
      a.ts_ok = v.timestamps_ok;
      a.ts_recent = v.ts_recent;
      break;
  }
  return a;
}

std::string compare_state(const MState& model, const MState& abstracted) {
  std::ostringstream os;
  MState::visit2(
      model, abstracted, [&](const char* n, const auto& m, const auto& i) {
        if (m == i) return;
        os << n << ": model=";
        if (std::string_view(n) == "st") {
          os << model::state_name(m) << " impl=" << model::state_name(i);
        } else {
          os << m << " impl=" << i;
        }
        os << "; ";
      });
  return os.str();
}

std::optional<AbstractOutput> abstract_segment(const wire::Segment& s,
                                               uint32_t seq_delta,
                                               bool cookie) {
  using namespace wire::flags;
  using model::OutputKind;
  if (!s.payload.empty()) return std::nullopt;  // the model sends no data
  const uint8_t f = s.flags & (kSyn | kAck | kRst | kFin);
  MOutput o;
  if (f == (kSyn | kAck)) {
    o.kind = static_cast<uint32_t>(OutputKind::kSynAck);
  } else if ((f & kRst) != 0 && (f & (kSyn | kFin)) == 0) {
    o.kind = static_cast<uint32_t>(OutputKind::kRst);
  } else if (f == (kFin | kAck)) {
    o.kind = static_cast<uint32_t>(OutputKind::kFin);
  } else if (f == kAck) {
    o.kind = static_cast<uint32_t>(OutputKind::kAck);
  } else {
    return std::nullopt;
  }
  o.seq = s.seq + seq_delta;
  o.flag_ack = s.has(kAck);
  o.ack = s.ack;
  o.wnd = s.window;
  o.mss_present = s.options.mss.has_value();
  o.mss = s.options.mss.value_or(0);
  o.ws_present = s.options.window_scale.has_value();
  o.ws = s.options.window_scale.value_or(0);
  o.sack_permitted = s.options.sack_permitted;
  o.ts_present = s.options.timestamps.has_value();
  if (o.ts_present) {
    o.tsval = s.options.timestamps->tsval;
    o.tsecr = s.options.timestamps->tsecr;
  }
  return normalize(o, cookie);
}

AbstractOutput normalize(const MOutput& in, bool cookie) {
  using model::OutputKind;
  MOutput o = in;
  // RFC 5961's challenge ACK is an ordinary ACK on the wire.
  if (o.kind == static_cast<uint32_t>(OutputKind::kChallengeAck)) {
    o.kind = static_cast<uint32_t>(OutputKind::kAck);
  }
  // Fields of absent options and of a RST without ACK carry no meaning.
  if (!o.flag_ack) o.ack = 0;
  if (!o.mss_present) o.mss = 0;
  if (!o.ws_present) o.ws = 0;
  if (!o.ts_present) o.tsval = o.tsecr = 0;
  // Each side's cookie is its own MAC (see abstraction.h).
  if (cookie) o.seq = 0;
  return {o, cookie};
}

std::string to_string(const AbstractOutput& o) {
  return (o.cookie ? "cookie " : "") + model::to_string(o.out);
}

std::string compare_outputs(const std::vector<AbstractOutput>& model,
                            const std::vector<AbstractOutput>& impl) {
  auto list = [](const std::vector<AbstractOutput>& v) {
    if (v.empty()) return std::string("nothing");
    std::string s;
    for (const AbstractOutput& o : v)
      s += (s.empty() ? "" : ", ") + to_string(o);
    return s;
  };
  bool same = model.size() == impl.size();
  for (size_t i = 0; same && i < model.size(); ++i) {
    same = model[i].cookie == impl[i].cookie &&
           model::equal<model::Concrete>(model[i].out, impl[i].out);
  }
  if (same) return "";
  return "model sent " + list(model) + "; impl sent " + list(impl);
}

}  // namespace tcpref::refinement
