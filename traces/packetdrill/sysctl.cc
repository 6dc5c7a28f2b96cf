#include "traces/packetdrill/sysctl.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

namespace tcpref::packetdrill {
namespace {

// Settings that shape loss recovery, congestion control, pacing, buffers
// for bulk data, TFO keys or device queues: nothing in them changes what
// tcpref does in these scripts, so they are accepted and noted.
constexpr std::array<std::string_view, 19> kIgnored = {
    "tcp_wmem",
    "tcp_frto",
    "tcp_dsack",
    "tcp_fack",
    "tcp_reordering",
    "tcp_congestion_control",
    "tcp_slow_start_after_idle",
    "tcp_early_retrans",
    "tcp_recovery",
    "tcp_tso_win_divisor",
    "tcp_ecn_option",
    "tcp_pacing_ss_ratio",
    "tcp_pacing_ca_ratio",
    "tcp_notsent_lowat",
    "tcp_autocorking",
    "tcp_moderate_rcvbuf",
    "tcp_no_metrics_save",
    "tcp_min_tso_segs",
};

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::optional<int64_t> to_int(std::string_view s) {
  int64_t v = 0;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Expands $((a*b+c)) arithmetic (the only expansion the suites use in
// sysctl values). Returns nullopt on anything else with a '$'.
std::optional<std::string> expand(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s.substr(i, 3) != "$((") {
      if (s[i] == '$') return std::nullopt;
      out += s[i++];
      continue;
    }
    const size_t end = s.find("))", i);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view expr = s.substr(i + 3, end - i - 3);
    int64_t sum = 0, term = 1;
    size_t j = 0;
    char pending = '+';
    while (j <= expr.size()) {
      size_t k = j;
      while (k < expr.size() &&
             std::string_view("*+-").find(expr[k]) == std::string_view::npos)
        ++k;
      const auto v = to_int(trim(expr.substr(j, k - j)));
      if (!v) return std::nullopt;
      term *= *v;
      const char op = k < expr.size() ? expr[k] : '+';
      if (op != '*') {
        sum += pending == '+' ? term : -term;
        term = 1;
        pending = op;
      }
      j = k + 1;
    }
    out += std::to_string(sum);
    i = end + 2;
  }
  return out;
}

// Splits a command line into words, honouring double quotes.
std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, any = false;
  for (const char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (c == ' ' || c == '\t')) {
      if (any) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any) out.push_back(cur);
  // Output redirections do not change what the command does.
  while (!out.empty() &&
         (out.back().starts_with(">") || out.back().starts_with("2>") ||
          out.back() == "/dev/null"))
    out.pop_back();
  return out;
}

void merge(ShellResult& into, ShellResult from) {
  if (into.unsupported.empty()) into.unsupported = std::move(from.unsupported);
  for (auto& n : from.notes) into.notes.push_back(std::move(n));
}

ShellResult unsupported(std::string why) {
  ShellResult r;
  r.unsupported = std::move(why);
  return r;
}

ShellResult apply_file(const std::filesystem::path& file, bool stack_started,
                       Knobs& knobs, int depth);

// The suites' defaults.sh is not always shipped with them (the kernel
// selftests' copy is not vendored). Its settings that matter here
// are the packetdrill production defaults, applied in its place.
ShellResult apply_standard_defaults(Knobs& knobs) {
  ShellResult r;
  r.notes.push_back("defaults.sh not found: packetdrill's standard defaults");
  for (const auto& [name, value] :
       {std::pair<std::string_view, std::string_view>{"tcp_rmem",
                                                      "4096 540000 15728640"},
        {"tcp_timestamps", "1"},
        {"tcp_sack", "1"},
        {"tcp_syn_retries", "5"},
        {"tcp_synack_retries", "5"},
        {"tcp_ecn", "0"},
        {"tcp_fastopen", "0x70403"},
        {"tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"},
        {"tcp_syncookies", "1"}})
    merge(r, apply_sysctl(name, value, /*stack_started=*/false, knobs));
  return r;
}

ShellResult apply_line(std::string_view line,
                       const std::filesystem::path& script_dir,
                       bool stack_started, Knobs& knobs, int depth) {
  const std::vector<std::string> w = words(line);
  if (w.empty() || w[0].starts_with("#")) return {};
  const std::string& cmd = w[0];
  ShellResult r;
  if (cmd == "sysctl" || cmd.ends_with("set_sysctls.py")) {
    for (size_t i = 1; i < w.size(); ++i) {
      if (w[i].starts_with("-")) continue;  // -q, -w
      std::string arg = w[i];
      if (arg.starts_with("/proc/sys/")) {
        arg = arg.substr(10);
        std::replace(arg.begin(), arg.end(), '/', '.');
      }
      const size_t eq = arg.find('=');
      if (eq == std::string::npos) continue;  // a read
      const std::string key = arg.substr(0, eq);
      const auto value = expand(arg.substr(eq + 1));
      if (!value) return unsupported("shell expansion in a sysctl value");
      if (!key.starts_with("net.ipv4.")) return unsupported("sysctl " + key);
      merge(r, apply_sysctl(key.substr(9), *value, stack_started, knobs));
      if (!r.unsupported.empty()) return r;
    }
    return r;
  }
  std::string target;  // "echo V > /proc/sys/..." writes a sysctl too
  for (size_t i = 2; i < w.size(); ++i) target += w[i];
  if (cmd == "echo" && w.size() >= 3 && target.starts_with(">/proc/sys/")) {
    std::string key = target.substr(11);
    std::replace(key.begin(), key.end(), '/', '.');
    if (!key.starts_with("net.ipv4.")) return unsupported("sysctl " + key);
    return apply_sysctl(key.substr(9), w[1], stack_started, knobs);
  }
  if (cmd.ends_with("defaults.sh")) {
    const std::filesystem::path file = script_dir / cmd;
    if (!std::filesystem::exists(file)) return apply_standard_defaults(knobs);
    if (depth > 3) return unsupported("defaults.sh nested too deeply");
    return apply_file(file, stack_started, knobs, depth + 1);
  }
  if (cmd == "ip" && w.size() > 1 && w[1] == "tcp_metrics") {
    r.notes.push_back("ignored `ip tcp_metrics`: the stack caches no metrics");
    return r;
  }
  if (cmd.starts_with("/tmp/sysctl_restore_")) {
    // set_sysctls.py's restore script: it puts the host's sysctls back after
    // the test; nothing to undo in-process.
    r.notes.push_back("ignored the sysctl restore script");
    return r;
  }
  if (cmd == "tc") {
    r.notes.push_back("ignored `tc`: no device or qdisc in-process");
    return r;
  }
  // Only the command's name: the reason ends up in checked-in expectations,
  // which must not quote the (GPL) scripts.
  return unsupported("shell command '" + cmd + "'");
}

ShellResult apply_lines(std::string_view text,
                        const std::filesystem::path& script_dir,
                        bool stack_started, Knobs& knobs, int depth) {
  ShellResult r;
  std::string line, part;
  std::istringstream in{std::string(text)};
  while (std::getline(in, part)) {
    // A trailing backslash continues the command on the next line.
    line += part;
    if (!line.empty() && line.back() == '\\') {
      line.back() = ' ';
      continue;
    }
    // "a; b" is two commands.
    size_t start = 0;
    while (start <= line.size()) {
      size_t end = line.find(';', start);
      if (end == std::string::npos) end = line.size();
      merge(r, apply_line(std::string_view(line).substr(start, end - start),
                          script_dir, stack_started, knobs, depth));
      if (!r.unsupported.empty()) return r;
      start = end + 1;
    }
    line.clear();
  }
  return r;
}

ShellResult apply_file(const std::filesystem::path& file, bool stack_started,
                       Knobs& knobs, int depth) {
  std::ifstream in(file);
  if (!in) return unsupported("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  ShellResult r =
      apply_lines(text.str(), file.parent_path(), stack_started, knobs, depth);
  r.notes.insert(r.notes.begin(), "applied " + file.filename().string());
  return r;
}

}  // namespace

ShellResult apply_sysctl(std::string_view name, std::string_view value,
                         bool stack_started, Knobs& knobs) {
  ShellResult r;
  const std::string setting =
      "net.ipv4." + std::string(name) + "=" + std::string(value);
  for (const std::string_view ignored : kIgnored) {
    if (name == ignored) {
      r.notes.push_back("ignored " + setting);
      return r;
    }
  }
  if (name == "tcp_rmem") {
    // Linux derives the offered window scale from the largest receive
    // buffer: ilog2(max(tcp_rmem[2], rmem_max)) - 15, clamped to 0..14.
    std::istringstream in{std::string(value)};
    int64_t min = 0, def = 0, max = 0;
    if (!(in >> min >> def >> max) || max <= 0)
      return unsupported("malformed " + setting);
    const uint64_t space = std::max<uint64_t>(max, 212992);  // rmem_max
    const int shift =
        std::clamp(static_cast<int>(std::bit_width(space)) - 1 - 15, 0, 14);
    if (stack_started) return unsupported(setting + " after the stack started");
    knobs.stack.window_scale = static_cast<uint8_t>(shift);
    r.notes.push_back(setting + ": window scale " + std::to_string(shift));
    return r;
  }
  if (name == "tcp_fastopen_key") {
    // "primary" or "primary,backup" (Linux 5.x and later).
    const size_t comma = value.find(',');
    const auto primary = parse_fastopen_key(value.substr(0, comma));
    std::optional<std::array<uint8_t, 16>> backup;
    if (comma != std::string_view::npos) {
      backup = parse_fastopen_key(value.substr(comma + 1));
      if (!backup) return unsupported("malformed " + setting);
    }
    if (!primary) return unsupported("malformed " + setting);
    knobs.fastopen_key = *primary;
    knobs.fastopen_backup_key = backup;
    r.notes.push_back("applied " + setting);
    return r;
  }
  const auto v = to_int(value);
  if (!v) return unsupported("non-numeric " + setting);
  const auto stack_wide = [&]() -> bool {
    if (stack_started) r.unsupported = setting + " after the stack started";
    return !stack_started;
  };
  if (name == "tcp_syncookies" && *v >= 0 && *v <= 2) {
    knobs.listen.syn_cookies = *v == 0   ? tcp::SynCookieMode::kOff
                               : *v == 1 ? tcp::SynCookieMode::kWhenSynQueueFull
                                         : tcp::SynCookieMode::kAlways;
  } else if (name == "tcp_abort_on_overflow" && (*v == 0 || *v == 1)) {
    knobs.listen.overflow =
        *v ? tcp::OverflowPolicy::kReset : tcp::OverflowPolicy::kDrop;
  } else if (name == "tcp_synack_retries" && *v >= 0 && *v <= 255) {
    knobs.listen.synack_retries = static_cast<uint8_t>(*v);
  } else if (name == "tcp_syn_retries" && *v >= 1 && *v <= 127) {
    if (!stack_wide()) return r;
    knobs.stack.syn_retries = static_cast<uint8_t>(*v);
  } else if (name == "tcp_timestamps" && *v >= 0 && *v <= 2) {
    if (!stack_wide()) return r;
    knobs.stack.timestamps = *v != 0;
  } else if (name == "tcp_sack" && (*v == 0 || *v == 1)) {
    if (!stack_wide()) return r;
    knobs.stack.sack = *v != 0;
  } else if (name == "tcp_window_scaling" && *v == 1) {
    // The default: the stack offers a scale when the peer does.
  } else if (name == "tcp_rfc1337" && (*v == 0 || *v == 1)) {
    if (!stack_wide()) return r;
    knobs.stack.rfc1337 = *v != 0;
  } else if (name == "tcp_ecn" && *v >= 0 && *v <= 2) {
    // 0 refuses ECN; 1 and 2 both accept an ECN-setup SYN (a server never
    // initiates), which is all the stack does.
    if (!stack_wide()) return r;
    knobs.stack.ecn = *v != 0;
    knobs.ecn_initiate = *v == 1;
  } else if (name == "tcp_fastopen" && *v >= 0 && *v <= UINT32_MAX) {
    // Per listener, read at listen() and setsockopt(TCP_FASTOPEN); the
    // client bits (1, 4) and Google's 0x10000.. bits have no effect here.
    knobs.fastopen = static_cast<uint32_t>(*v);
  } else if (name == "tcp_fin_timeout" && *v > 0) {
    if (!stack_wide()) return r;
    knobs.stack.fin_timeout = std::chrono::seconds(*v);
  } else {
    return unsupported("sysctl " + setting);
  }
  r.notes.push_back("applied " + setting);
  return r;
}

std::optional<std::array<uint8_t, 16>> parse_fastopen_key(
    std::string_view text) {
  std::array<uint8_t, 16> key{};
  const std::string t = trim(text);
  size_t pos = 0;
  for (size_t word = 0; word < 4; ++word) {
    const size_t end = word < 3 ? t.find('-', pos) : t.size();
    if (end == std::string::npos || end == pos || end - pos > 8)
      return std::nullopt;
    uint32_t w = 0;
    const auto [p, ec] = std::from_chars(t.data() + pos, t.data() + end, w, 16);
    if (ec != std::errc() || p != t.data() + end) return std::nullopt;
    for (size_t b = 0; b < 4; ++b)
      key[word * 4 + b] = static_cast<uint8_t>(w >> (8 * b));
    pos = end + 1;
  }
  return key;
}

ShellResult apply_shell(std::string_view command,
                        const std::filesystem::path& script_dir,
                        bool stack_started, Knobs& knobs) {
  return apply_lines(command, script_dir, stack_started, knobs, 0);
}

}  // namespace tcpref::packetdrill
