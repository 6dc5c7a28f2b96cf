#include "refinement/scenario.h"

#include <sstream>

namespace tcpref::refinement {

namespace {

const char* name(SeqBase b) {
  switch (b) {
    case SeqBase::kRcvNxt:
      return "RCV.NXT";
    case SeqBase::kIrs:
      return "IRS";
    case SeqBase::kWindowEnd:
      return "RCV.NXT+RCV.WND";
    case SeqBase::kHalfSpace:
      return "RCV.NXT+2^31";
    case SeqBase::kArbitrary:
      return "arbitrary";
    case SeqBase::kCount:
      break;
  }
  return "?";
}

const char* name(AckBase b) {
  switch (b) {
    case AckBase::kSndNxt:
      return "SND.NXT";
    case AckBase::kSndUna:
      return "SND.UNA";
    case AckBase::kOldest:
      return "SND.UNA-MAX.SND.WND";
    case AckBase::kHalfSpace:
      return "SND.NXT+2^31";
    case AckBase::kCookie:
      return "COOKIE+1";
    case AckBase::kArbitrary:
      return "arbitrary";
    case AckBase::kCount:
      break;
  }
  return "?";
}

const char* name(AdvanceTo a) {
  switch (a) {
    case AdvanceTo::kNextTimer:
      return "next timer";
    case AdvanceTo::kSynAck:
      return "SYN-ACK timer";
    case AdvanceTo::kTimeWait:
      return "TIME-WAIT timer";
    case AdvanceTo::kCookieEpoch:
      return "next cookie epoch";
    case AdvanceTo::kCount:
      break;
  }
  return "?";
}

std::string signed_offset(int32_t v) {
  return (v >= 0 ? "+" : "") + std::to_string(v);
}

}  // namespace

std::string to_string(const SegmentSpec& s) {
  std::ostringstream os;
  std::string flags;
  auto add = [&](bool on, const char* n) {
    if (!on) return;
    if (!flags.empty()) flags += "|";
    flags += n;
  };
  add(s.syn, "SYN");
  add(s.rst, "RST");
  add(s.fin, "FIN");
  add(s.ack, "ACK");
  os << (flags.empty() ? "<no flags>" : flags) << " seq=";
  if (s.seq.base == SeqBase::kArbitrary) {
    os << s.seq.value;
  } else {
    os << name(s.seq.base) << signed_offset(s.seq.offset);
  }
  os << " ack=";
  if (s.ack_number.base == AckBase::kArbitrary) {
    os << s.ack_number.value;
  } else {
    os << name(s.ack_number.base) << signed_offset(s.ack_number.offset);
  }
  os << " len=" << s.len << " wnd=" << s.window;
  std::string opts;
  if (s.mss) opts += " mss " + std::to_string(*s.mss);
  if (s.window_scale) opts += " ws " + std::to_string(*s.window_scale);
  if (s.sack_permitted) opts += " sackOK";
  switch (s.ts) {
    case TsClass::kNone:
      break;
    case TsClass::kNewer:
      opts += " ts TS.Recent+" + std::to_string(s.ts_value);
      break;
    case TsClass::kSame:
      opts += " ts TS.Recent";
      break;
    case TsClass::kOlder:
      opts += " ts TS.Recent-1";
      break;
    case TsClass::kArbitrary:
      opts += " ts " + std::to_string(s.ts_value);
      break;
    case TsClass::kCount:
      break;
  }
  if (!opts.empty()) os << " <" << opts.substr(1) << ">";
  return os.str();
}

std::string to_string(const Step& s) {
  switch (s.kind) {
    case StepKind::kSegment:
      return "client: " + to_string(s.segment);
    case StepKind::kOtherSyn:
      return "background client: SYN";
    case StepKind::kOtherComplete:
      return "background client: completing ACK";
    case StepKind::kAccept:
      return "app: accept()";
    case StepKind::kClose:
      return "app: close() tracked connection";
    case StepKind::kCloseListener:
      return "app: close() listener";
    case StepKind::kListen:
      return "app: listen()";
    case StepKind::kAdvance:
      return std::string("clock: advance to ") + name(s.advance);
    case StepKind::kCount:
      break;
  }
  return "?";
}

std::string to_string(const Scenario& s) {
  std::ostringstream os;
  os << "client_isn=" << s.client_isn << "\n";
  for (size_t i = 0; i < s.steps.size(); ++i) {
    os << "  " << i + 1 << ". " << to_string(s.steps[i]) << "\n";
  }
  return os.str();
}

}  // namespace tcpref::refinement
