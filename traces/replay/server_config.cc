#include "traces/replay/server_config.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace tcpref::traces {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool number(std::string_view v, uint32_t& out) {
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

}  // namespace

uint32_t syn_queue_limit(const ServerConfig& c) {
  return c.syn_queue_limit.value_or(c.backlog + 1);
}

ServerConfig tcpref_server_defaults() {
  ServerConfig c;
  c.kind = ServerKind::kTcpref;
  c.rfc1337 = true;
  c.backlog = 128;
  c.syn_queue_limit = 256;
  return c;
}

std::string parse_server_config(std::string_view text, ServerConfig& c) {
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const size_t eq = line.find('=');
    const std::string where =
        "line " + std::to_string(line_no) + " '" + std::string(line) + "'";
    if (eq == std::string_view::npos) return where + ": expected key=value";
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (key == "server") {
      if (value == "linux") {
        c = ServerConfig{};
      } else if (value == "tcpref") {
        c = tcpref_server_defaults();
      } else {
        return where + ": server is linux or tcpref";
      }
      continue;
    }
    uint32_t v = 0;
    if (!number(value, v)) return where + ": value is not a number";
    auto flag = [&](bool& f) {
      if (v > 1) return false;
      f = v == 1;
      return true;
    };
    bool ok = true;
    if (key == "syncookies") {
      ok = v <= 2;
      c.syncookies = static_cast<model::CookieMode>(v);
    } else if (key == "abort_on_overflow") {
      ok = flag(c.abort_on_overflow);
    } else if (key == "rfc1337") {
      ok = flag(c.rfc1337);
    } else if (key == "backlog") {
      c.backlog = v;
    } else if (key == "syn_queue_limit") {
      c.syn_queue_limit = v;
    } else if (key == "synack_retries") {
      ok = v <= 255;
      c.synack_retries = v;
    } else {
      return where + ": unknown key";
    }
    if (!ok) return where + ": value out of range";
  }
  return "";
}

std::string load_sidecar_config(const std::string& pcap_path, ServerConfig& c) {
  std::string path = pcap_path;
  if (path.size() > 5 && path.ends_with(".pcap")) path.resize(path.size() - 5);
  path += ".conf";
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  const std::string error = parse_server_config(text.str(), c);
  return error.empty() ? "" : path + ": " + error;
}

std::string to_string(const ServerConfig& c) {
  std::ostringstream os;
  os << "server=" << (c.kind == ServerKind::kLinux ? "linux" : "tcpref")
     << " syncookies=" << static_cast<uint32_t>(c.syncookies)
     << " abort_on_overflow=" << c.abort_on_overflow << " rfc1337=" << c.rfc1337
     << " backlog=" << c.backlog << " syn_queue_limit=" << syn_queue_limit(c)
     << " synack_retries=" << c.synack_retries;
  return os.str();
}

}  // namespace tcpref::traces
