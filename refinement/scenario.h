// An input sequence for the refinement check: what one client (the tracked
// 4-tuple), a few background clients, the application and the clock do to a
// listener. Segment numbers are *classes* (RCV.NXT, just past the window,
// SND.NXT+1, the cookie we were sent, ...) resolved against the model's state
// when the step runs, so a sequence stays meaningful after shrinking.
//
// Plain data on purpose: RapidCheck generators (generators.h) and the
// libFuzzer target (//fuzz) both build Scenarios.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcpref::refinement {

// Where SEG.SEQ lies. Bases read the model's receive variables of the
// tracked connection; with no record (LISTEN/CLOSED) they read the client's
// next ISN instead (Scenario::client_isn), so a SYN there starts a connection.
enum class SeqBase : uint8_t {
  kRcvNxt,     // RCV.NXT (exact)
  kIrs,        // IRS: a retransmitted SYN
  kWindowEnd,  // RCV.NXT + RCV.WND: first number past the window
  kHalfSpace,  // RCV.NXT + 2^31: as far away as serial arithmetic allows
  kArbitrary,  // `value`, unrelated to the connection
  kCount,
};

// Where SEG.ACK lies, relative to the model's send variables.
enum class AckBase : uint8_t {
  kSndNxt,     // SND.NXT (exact: ISS+1 in SYN-RECEIVED)
  kSndUna,     // SND.UNA
  kOldest,     // SND.UNA - MAX.SND.WND: RFC 5961 §5.2's left edge
  kHalfSpace,  // SND.NXT + 2^31
  kCookie,     // the last SYN cookie this client was sent, plus one
  kArbitrary,  // `value`
  kCount,
};

// The TSval a segment carries, relative to the model's TS.Recent.
enum class TsClass : uint8_t {
  kNone,   // no timestamps option
  kNewer,  // TS.Recent + offset (offset >= 1)
  kSame,   // TS.Recent
  kOlder,  // TS.Recent - 1: PAWS (RFC 7323 §5) material
  kArbitrary,
  kCount,
};

struct SeqSpec {
  SeqBase base = SeqBase::kRcvNxt;
  int32_t offset = 0;
  uint32_t value = 0;  // kArbitrary only
};

struct AckSpec {
  AckBase base = AckBase::kSndNxt;
  int32_t offset = 0;
  uint32_t value = 0;  // kArbitrary only
};

struct SegmentSpec {
  bool syn = false, ack = false, rst = false, fin = false;
  SeqSpec seq;
  AckSpec ack_number;
  uint16_t len = 0;  // payload bytes
  uint16_t window = 65535;
  std::optional<uint16_t> mss;
  std::optional<uint8_t> window_scale;
  bool sack_permitted = false;
  TsClass ts = TsClass::kNone;
  uint32_t ts_value = 1;  // offset for kNewer, the value for kArbitrary
};

// Which timer a kAdvance step runs to.
enum class AdvanceTo : uint8_t {
  kNextTimer,    // the earliest model-visible timer, whichever it is
  kSynAck,       // the tracked request sock's SYN-ACK timer (else next)
  kTimeWait,     // the tracked TIME-WAIT timer (else next)
  kCookieEpoch,  // the next 64 s cookie-clock boundary
  kCount,
};

enum class StepKind : uint8_t {
  kSegment,        // the tracked client sends `segment`
  kOtherSyn,       // a new background client sends a SYN
  kOtherComplete,  // the oldest background request sock gets its ACK
  kAccept,         // accept() on the listener
  kClose,          // close() on the tracked connection, if accepted
  kCloseListener,  // close() on the listener
  kListen,         // listen() again (ignored while listening)
  kAdvance,        // move the clock to a timer (`advance`)
  kCount,
};

struct Step {
  StepKind kind = StepKind::kSegment;
  SegmentSpec segment;                        // kSegment
  AdvanceTo advance = AdvanceTo::kNextTimer;  // kAdvance
};

struct Scenario {
  uint32_t client_isn = 0x10000000;  // the tracked client's first ISN
  std::vector<Step> steps;
};

// Readable forms, e.g. "ACK seq=RCV.NXT+0 ack=SND.NXT+1 len=0 <ts newer+1>".
std::string to_string(const SegmentSpec& s);
std::string to_string(const Step& s);
std::string to_string(const Scenario& s);  // one step per line, numbered

}  // namespace tcpref::refinement
