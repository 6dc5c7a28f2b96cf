#include "model/print.h"

#include <sstream>
#include <string_view>
#include <type_traits>

namespace tcpref::model {
namespace {

template <class Enum>
std::string enum_name(uint32_t v) {
  if (v >= static_cast<uint32_t>(Enum::kCount)) {
    return "?" + std::to_string(v);
  }
  return std::string(name(static_cast<Enum>(v)));
}

template <class F>
std::string field_text(std::string_view field, const F& value) {
  if constexpr (std::is_same_v<F, bool>) {
    return value ? "1" : "0";
  } else {
    if (field == "st") return enum_name<TcpState>(value);
    if (field == "cookie_mode") {
      switch (value) {
        case 0:
          return "off";
        case 1:
          return "when-full";
        case 2:
          return "always";
      }
    }
    return std::to_string(value);
  }
}

template <class R>
std::string all_fields(const R& r) {
  std::ostringstream os;
  const char* sep = "";
  R::visit(r, [&](const char* n, const auto& v) {
    os << sep << n << "=" << field_text(n, v);
    sep = " ";
  });
  return os.str();
}

std::string flags_text(bool syn, bool ack, bool rst, bool fin) {
  std::string f;
  auto add = [&](bool on, const char* n) {
    if (!on) return;
    if (!f.empty()) f += "|";
    f += n;
  };
  add(syn, "SYN");
  add(rst, "RST");
  add(fin, "FIN");
  add(ack, "ACK");
  return f.empty() ? "<no flags>" : f;
}

}  // namespace

std::string state_name(uint32_t st) { return enum_name<TcpState>(st); }

std::string to_string(const ModelState<Concrete>& s) { return all_fields(s); }
std::string to_string(const Params<Concrete>& p) { return all_fields(p); }

std::string to_string(const Input<Concrete>& in) {
  std::ostringstream os;
  if (in.kind != static_cast<uint32_t>(InputKind::kSegment)) {
    os << enum_name<InputKind>(in.kind);
    if (in.kind == static_cast<uint32_t>(InputKind::kAppListen)) {
      os << " backlog=" << in.backlog;
    }
    return os.str();
  }
  os << flags_text(in.flag_syn, in.flag_ack, in.flag_rst, in.flag_fin)
     << " seq=" << in.seq;
  if (in.flag_ack) os << " ack=" << in.ack;
  os << " len=" << in.len << " wnd=" << in.wnd;
  std::string opts;
  if (in.mss_present) opts += " mss " + std::to_string(in.mss);
  if (in.ws_present) opts += " ws " + std::to_string(in.ws);
  if (in.sack_permitted) opts += " sackOK";
  if (in.ts_present) {
    opts += " ts " + std::to_string(in.tsval) + "/" + std::to_string(in.tsecr);
  }
  if (!opts.empty()) os << " <" << opts.substr(1) << ">";
  if (in.flag_syn) os << " (isn=" << in.isn << ")";
  return os.str();
}

std::string to_string(const Output<Concrete>& out) {
  if (out.kind == static_cast<uint32_t>(OutputKind::kNone)) return "none";
  std::ostringstream os;
  os << enum_name<OutputKind>(out.kind) << " seq=" << out.seq;
  if (out.flag_ack) os << " ack=" << out.ack;
  if (out.kind != static_cast<uint32_t>(OutputKind::kRst)) {
    os << " wnd=" << out.wnd;
  }
  std::string opts;
  if (out.mss_present) opts += " mss " + std::to_string(out.mss);
  if (out.ws_present) opts += " ws " + std::to_string(out.ws);
  if (out.sack_permitted) opts += " sackOK";
  if (out.ts_present) {
    opts +=
        " ts " + std::to_string(out.tsval) + "/" + std::to_string(out.tsecr);
  }
  if (!opts.empty()) os << " <" << opts.substr(1) << ">";
  return os.str();
}

std::string diff(const ModelState<Concrete>& before,
                 const ModelState<Concrete>& after) {
  std::ostringstream os;
  const char* sep = "";
  ModelState<Concrete>::visit2(
      before, after, [&](const char* n, const auto& a, const auto& b) {
        if (a == b) return;
        os << sep << n << "=" << field_text(n, b);
        sep = " ";
      });
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const ModelState<Concrete>& s) {
  return os << to_string(s);
}
std::ostream& operator<<(std::ostream& os, const Input<Concrete>& in) {
  return os << to_string(in);
}
std::ostream& operator<<(std::ostream& os, const Output<Concrete>& out) {
  return os << to_string(out);
}

}  // namespace tcpref::model
