#include "traces/packetdrill/parser.h"

#include <cctype>
#include <charconv>
#include <limits>

namespace tcpref::packetdrill {
namespace {

std::optional<int64_t> parse_int(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  uint64_t v = 0;
  const auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (ec != std::errc() || ptr != text.data() + text.size() ||
      v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return std::nullopt;
  return negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

std::optional<std::vector<uint8_t>> parse_hex_blob(std::string_view text) {
  if (text.size() % 2 != 0 || text.empty()) return std::nullopt;
  std::vector<uint8_t> out;
  for (size_t i = 0; i < text.size(); i += 2) {
    uint8_t b = 0;
    const auto [ptr, ec] =
        std::from_chars(text.data() + i, text.data() + i + 2, b, 16);
    if (ec != std::errc() || ptr != text.data() + i + 2) return std::nullopt;
    out.push_back(b);
  }
  return out;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string_view path)
      : toks_(std::move(tokens)), path_(path) {}

  ParseResult run() {
    Script script;
    script.path = path_;
    while (peek().kind == Token::Kind::kOption) {
      const Token& t = next();
      ScriptOption opt;
      opt.line = t.line;
      const size_t eq = t.text.find('=');
      opt.name = t.text.substr(0, eq);
      if (eq != std::string::npos) {
        opt.has_value = true;
        opt.value = t.text.substr(eq + 1);
      }
      if (opt.name.empty()) return fail(t.line, "empty --option");
      script.options.push_back(std::move(opt));
    }
    while (peek().kind != Token::Kind::kEnd) {
      if (peek().kind == Token::Kind::kOption)
        return fail(peek().line,
                    "--" + peek().text + ": options must precede all events");
      Event event;
      event.line = peek().line;
      if (peek().kind == Token::Kind::kBacktick) {
        // The untimed init or cleanup command.
        event.action = ShellSpec{next().text};
        script.events.push_back(std::move(event));
        continue;
      }
      EventTime time;
      if (!parse_time(time)) return error();
      event.time = time;
      if (!parse_action(event)) return error();
      script.events.push_back(std::move(event));
    }
    ParseResult r;
    r.script = std::move(script);
    return r;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    const size_t i = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[i];
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool accept(std::string_view punct) {
    if (!peek().is(punct)) return false;
    next();
    return true;
  }
  bool expect(std::string_view punct, std::string_view what) {
    if (accept(punct)) return true;
    return set_error(peek().line, "expected '" + std::string(punct) + "' " +
                                      std::string(what) + ", got " +
                                      describe(peek()));
  }
  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Token::Kind::kEnd:
        return "end of file";
      case Token::Kind::kBacktick:
        return "`shell command`";
      case Token::Kind::kCode:
        return "%{ python }%";
      case Token::Kind::kString:
        return "\"" + t.text + "\"";
      default:
        return "'" + t.text + "'";
    }
  }
  bool set_error(int line, std::string message) {
    if (error_line_ == 0) {
      error_line_ = line;
      error_ = std::move(message);
    }
    return false;
  }
  ParseResult fail(int line, std::string message) {
    set_error(line, std::move(message));
    return error();
  }
  ParseResult error() const {
    ParseResult r;
    r.error = ParseError{path_, error_line_, error_};
    return r;
  }

  bool parse_number_us(int64_t& out) {
    const Token& t = peek();
    if (t.kind != Token::Kind::kInt && t.kind != Token::Kind::kFloat)
      return set_error(t.line,
                       "expected a time in seconds, got " + describe(t));
    const auto us = parse_seconds(t.text);
    if (!us) return set_error(t.line, "bad time '" + t.text + "'");
    next();
    out = *us;
    return true;
  }

  bool parse_time(EventTime& time) {
    if (accept("*")) {
      time.kind = EventTime::Kind::kAny;
      return true;
    }
    const bool relative = accept("+");
    if (!parse_number_us(time.start_us)) return false;
    time.kind =
        relative ? EventTime::Kind::kRelative : EventTime::Kind::kAbsolute;
    if (accept("~")) {
      const bool end_relative = accept("+");
      if (end_relative != relative)
        return set_error(peek().line,
                         "a time range must be both absolute or both relative");
      if (!parse_number_us(time.end_us)) return false;
      time.kind = relative ? EventTime::Kind::kRelativeRange
                           : EventTime::Kind::kAbsoluteRange;
      if (time.end_us < time.start_us)
        return set_error(peek().line, "time range ends before it starts");
    }
    return true;
  }

  bool parse_action(Event& event) {
    const Token& t = peek();
    if (t.is("<") || t.is(">")) {
      PacketSpec p;
      if (!parse_packet(p)) return false;
      event.action = std::move(p);
      return true;
    }
    if (t.kind == Token::Kind::kBacktick) {
      event.action = ShellSpec{next().text};
      return true;
    }
    if (t.kind == Token::Kind::kCode) {
      event.action = CodeSpec{next().text};
      return true;
    }
    if (t.is("...") || (t.kind == Token::Kind::kWord && peek(1).is("("))) {
      SyscallSpec s;
      if (!parse_syscall(s)) return false;
      event.action = std::move(s);
      return true;
    }
    return set_error(t.line,
                     "expected a packet (< or >), a system call, a `shell "
                     "command` or %{ python }% after the time, got " +
                         describe(t));
  }

  bool parse_u32(uint32_t& out, std::string_view what) {
    const Token& t = peek();
    if (t.kind != Token::Kind::kInt)
      return set_error(t.line, "expected " + std::string(what) +
                                   " (an integer), got " + describe(t));
    const auto v = parse_int(t.text);
    if (!v || *v < 0 || *v > 0xffffffffLL)
      return set_error(t.line, std::string(what) + " '" + t.text +
                                   "' is not a 32-bit unsigned integer");
    next();
    out = static_cast<uint32_t>(*v);
    return true;
  }
  bool parse_u16(uint32_t& out, std::string_view what) {
    if (!parse_u32(out, what)) return false;
    if (out > 0xffff)
      return set_error(peek().line,
                       std::string(what) + " does not fit in 16 bits");
    return true;
  }

  // Rest of this line as an unsupported packet kind (UDP, ICMP, ...).
  void skip_line(int line) {
    while (peek().kind != Token::Kind::kEnd && peek().line == line) next();
  }

  bool parse_ip_info(PacketSpec& p, std::string_view close) {
    while (!peek().is(close)) {
      const Token& t = peek();
      if (t.kind != Token::Kind::kWord)
        return set_error(t.line, "bad IP info " + describe(t));
      const std::string w = next().text;
      if (w == "noecn" || w == "ect0" || w == "ect1" || w == "ce" ||
          w == "ect01") {
        if (w == "ect01")
          p.ecn_ect01 = true;
        else
          p.ecn = w == "noecn" ? 0 : w == "ect1" ? 1 : w == "ect0" ? 2 : 3;
      } else if (w == "tos") {
        uint32_t tos = 0;
        if (!parse_u32(tos, "tos")) return false;
        if (tos > 0xff) return set_error(t.line, "tos does not fit in 8 bits");
        p.tos = static_cast<uint8_t>(tos);
      } else if (w == "flowlabel") {
        p.unsupported = "IPv6 flow label";
        next();
      } else if (w == "ttl") {
        uint32_t ignored = 0;
        if (!parse_u32(ignored, "ttl")) return false;
        p.unsupported = "IP TTL check";
      } else {
        return set_error(t.line, "unknown IP info '" + w + "'");
      }
      accept(",");
    }
    next();
    return true;
  }

  bool parse_flags(PacketSpec& p) {
    const Token& t = peek();
    if (t.is(".")) {
      next();
      p.flags = tcp_flag::kAck;
      return true;
    }
    if (t.is("-")) {
      next();
      p.flags = 0;
      return true;
    }
    if (t.kind != Token::Kind::kWord)
      return set_error(t.line,
                       "expected TCP flags (e.g. S, S., P., F., R, "
                       "., -), got " +
                           describe(t));
    for (const char c : t.text) {
      uint16_t bit = 0;
      switch (c) {
        case 'S':
          bit = tcp_flag::kSyn;
          break;
        case 'F':
          bit = tcp_flag::kFin;
          break;
        case 'R':
          bit = tcp_flag::kRst;
          break;
        case 'P':
          bit = tcp_flag::kPsh;
          break;
        case 'U':
          bit = tcp_flag::kUrg;
          break;
        case 'E':
          bit = tcp_flag::kEce;
          break;
        case 'W':
          bit = tcp_flag::kCwr;
          break;
        case 'A':
          bit = tcp_flag::kAe;
          break;
        default:
          if (c >= '0' && c <= '7') {
            // An AccECN ACE field value (RFC 9768), e.g. "P5.".
            p.unsupported = "AccECN (ACE field in TCP flags)";
            continue;
          }
          return set_error(t.line, std::string("unknown TCP flag '") + c +
                                       "' in '" + t.text + "'");
      }
      if (p.flags & bit)
        return set_error(t.line, "TCP flag repeated in '" + t.text + "'");
      p.flags |= bit;
    }
    next();
    // "S." is the word "S" followed by '.', the ACK bit.
    if (peek().is(".") && peek().line == t.line) {
      next();
      p.flags |= tcp_flag::kAck;
    }
    return true;
  }

  bool parse_blob(TcpOptionSpec& o, bool optional) {
    const Token& t = peek();
    if (t.kind != Token::Kind::kWord && t.kind != Token::Kind::kInt) {
      if (optional) return true;
      return set_error(t.line, "expected a hex value, got " + describe(t));
    }
    const std::string text = next().text;
    if (auto blob = parse_hex_blob(text)) {
      o.blob = std::move(*blob);
    } else {
      o.text = text;  // e.g. an undefined TFO_COOKIE
    }
    return true;
  }

  bool parse_option(TcpOptionSpec& o) {
    const Token& t = peek();
    if (t.kind != Token::Kind::kWord)
      return set_error(t.line, "expected a TCP option, got " + describe(t));
    const std::string w = next().text;
    using K = TcpOptionSpec::Kind;
    if (w == "nop") {
      o.kind = K::kNop;
    } else if (w == "eol") {
      o.kind = K::kEol;
    } else if (w == "mss") {
      o.kind = K::kMss;
      return parse_u16(o.value, "mss");
    } else if (w == "wscale") {
      o.kind = K::kWindowScale;
      if (!parse_u32(o.value, "wscale")) return false;
      if (o.value > 255)
        return set_error(t.line, "wscale does not fit in 8 bits");
    } else if (w == "sackOK") {
      o.kind = K::kSackPermitted;
    } else if (w == "sack") {
      o.kind = K::kSack;
      while (peek().kind == Token::Kind::kInt) {
        uint32_t left = 0, right = 0;
        if (!parse_u32(left, "SACK block start") ||
            !expect(":", "in a SACK block") ||
            !parse_u32(right, "SACK block end"))
          return false;
        o.sack_blocks.emplace_back(left, right);
      }
      if (o.sack_blocks.empty())
        return set_error(t.line, "sack needs at least one block");
    } else if (w == "TS") {
      o.kind = K::kTimestamp;
      if (!peek().is_word("val"))
        return set_error(peek().line, "expected 'val' after TS");
      next();
      if (!parse_u32(o.ts_val, "TS val")) return false;
      if (!peek().is_word("ecr"))
        return set_error(peek().line, "expected 'ecr' after TS val");
      next();
      return parse_u32(o.ts_ecr, "TS ecr");
    } else if (w == "FO" || w == "FOEXP") {
      o.kind = w == "FO" ? K::kFastOpen : K::kFastOpenExp;
      return parse_blob(o, /*optional=*/true);
    } else if (w == "md5") {
      o.kind = K::kMd5;
      return parse_blob(o, /*optional=*/false);
    } else {
      // Unknown to us (e.g. AccECN "ECN e1b 1 ..."): keep its name, skip
      // its arguments; the executor reports it.
      o.kind = K::kUnknown;
      o.text = w;
      while (!peek().is(",") && !peek().is(">") &&
             peek().kind != Token::Kind::kEnd && peek().line == t.line)
        next();
    }
    return true;
  }

  bool parse_packet(PacketSpec& p) {
    const Token& dir = next();
    const int line = dir.line;
    p.direction = dir.is("<") ? Direction::kInbound : Direction::kOutbound;
    // Prefixes and protocols this runner does not build.
    if (peek().kind == Token::Kind::kWord) {
      const std::string& w = peek().text;
      if (w == "udp" || w == "UDP" || w == "icmp" || w == "ICMP" ||
          w == "IPv4" || w == "IPv6" || w == "ipv4" || w == "ipv6" ||
          w == "GRE" || w == "gre" || w == "MPLS" || w == "mpls") {
        p.unsupported = w + " packet";
        skip_line(line);
        return true;
      }
    }
    if (peek().is("[") || peek().is("(")) {
      const std::string close = next().is("[") ? "]" : ")";
      if (!parse_ip_info(p, close)) return false;
    }
    if (peek().kind == Token::Kind::kInt && peek(1).is(">")) {
      uint32_t src = 0, dst = 0;
      if (!parse_u16(src, "source port")) return false;
      next();  // '>'
      if (!parse_u16(dst, "destination port")) return false;
      p.ports = std::make_pair(static_cast<uint16_t>(src),
                               static_cast<uint16_t>(dst));
    }
    if (!parse_flags(p)) return false;
    if (!parse_u32(p.seq_start, "sequence start") ||
        !expect(":", "in start:end(length)") ||
        !parse_u32(p.seq_end, "sequence end") ||
        !expect("(", "in start:end(length)") ||
        !parse_u32(p.payload_len, "payload length") ||
        !expect(")", "in start:end(length)"))
      return false;
    if (p.seq_end - p.seq_start != p.payload_len)
      return set_error(line, "inconsistent sequence range " +
                                 std::to_string(p.seq_start) + ":" +
                                 std::to_string(p.seq_end) + "(" +
                                 std::to_string(p.payload_len) + ")");
    if (p.payload_len > 65495)
      return set_error(line, "payload longer than an IPv4 packet allows");
    while (peek().kind == Token::Kind::kWord) {
      const std::string w = peek().text;
      uint32_t v = 0;
      if (w == "ack") {
        next();
        if (!parse_u32(v, "ack")) return false;
        p.ack = v;
      } else if (w == "win") {
        next();
        if (!parse_u16(v, "win")) return false;
        p.window = v;
      } else if (w == "urg") {
        next();
        if (!parse_u16(v, "urg")) return false;
        p.urgent = v;
      } else {
        return set_error(peek().line, "unexpected '" + w +
                                          "' in a TCP packet (expected ack, "
                                          "win, urg or <options>)");
      }
    }
    if (p.direction == Direction::kInbound && !p.window)
      return set_error(line, "window must be specified for inbound packets");
    if (accept("<")) {
      p.has_options = true;
      if (accept("...")) {
        p.options_any = true;
      } else {
        for (;;) {
          TcpOptionSpec o;
          if (!parse_option(o)) return false;
          p.options.push_back(std::move(o));
          if (!accept(",")) break;
        }
      }
      if (!expect(">", "to close the TCP option list")) return false;
    }
    if (peek().kind != Token::Kind::kEnd && peek().line == line &&
        !peek().is("+") && !peek().is("*") &&
        peek().kind != Token::Kind::kInt && peek().kind != Token::Kind::kFloat)
      return set_error(line,
                       "trailing " + describe(peek()) + " after a TCP packet");
    return true;
  }

  bool parse_expr_list(std::vector<Expr>& out, std::string_view close) {
    if (accept(close)) return true;
    for (;;) {
      Expr e;
      if (!parse_expr(e)) return false;
      out.push_back(std::move(e));
      if (accept(close)) return true;
      if (!expect(",", "between expressions")) return false;
    }
  }

  bool parse_primary(Expr& e) {
    const Token& t = peek();
    switch (t.kind) {
      case Token::Kind::kInt: {
        const auto v = parse_int(t.text);
        if (!v) return set_error(t.line, "integer out of range: " + t.text);
        e.kind = Expr::Kind::kInt;
        e.int_value = *v;
        e.text = t.text;
        next();
        return true;
      }
      case Token::Kind::kWord:
        e.kind = Expr::Kind::kWord;
        e.text = next().text;
        if (accept("(")) {
          e.kind = Expr::Kind::kCall;
          return parse_expr_list(e.children, ")");
        }
        return true;
      case Token::Kind::kString:
        e.kind = Expr::Kind::kString;
        e.text = next().text;
        accept("...");  // "abc"... : a prefix
        return true;
      case Token::Kind::kPunct:
        if (accept("...")) {
          e.kind = Expr::Kind::kEllipsis;
          return true;
        }
        if (accept("[")) {
          e.kind = Expr::Kind::kArray;
          return parse_expr_list(e.children, "]");
        }
        if (accept("{")) {
          e.kind = Expr::Kind::kBraces;
          return parse_expr_list(e.children, "}");
        }
        break;
      default:
        break;
    }
    return set_error(t.line, "expected an expression, got " + describe(t));
  }

  // name=a|b binds as name=(a|b): '|' before '=', both left to right.
  bool parse_expr(Expr& e) { return parse_binary(e, "="); }

  bool parse_binary(Expr& e, std::string_view op) {
    const auto operand = [&](Expr& x) {
      return op == "=" ? parse_binary(x, "|") : parse_primary(x);
    };
    if (!operand(e)) return false;
    while (peek().is(op)) {
      Expr bin;
      bin.kind = Expr::Kind::kBinary;
      bin.text = next().text;
      Expr rhs;
      if (!operand(rhs)) return false;
      bin.children.push_back(std::move(e));
      bin.children.push_back(std::move(rhs));
      e = std::move(bin);
    }
    return true;
  }

  bool parse_syscall(SyscallSpec& s) {
    if (accept("...")) {
      int64_t end = 0;
      if (!parse_number_us(end)) return false;
      s.end_us = end;
    }
    const Token& name = next();
    const int line = name.line;  // for errors about the call as a whole
    s.name = name.text;
    next();  // '('
    if (!parse_expr_list(s.args, ")")) return false;
    if (!expect("=", "before the expected return value")) return false;
    const int result_line = peek().line;
    if (!parse_expr(s.result)) return false;
    if (peek().kind == Token::Kind::kWord && peek().line == result_line)
      s.errno_name = next().text;
    // "(Operation now in progress)", with or without an errno before it.
    if (peek().is("(") && peek().line == result_line) {
      next();
      for (int depth = 1;;) {
        const Token& t = peek();
        if (t.kind == Token::Kind::kEnd)
          return set_error(line, "unterminated errno note");
        next();
        if (t.is("(")) ++depth;
        if (t.is(")") && --depth == 0) break;
        if (!s.note.empty()) s.note += ' ';
        s.note += t.text;
      }
    }
    return true;
  }

  std::vector<Token> toks_;
  std::string path_;
  size_t pos_ = 0;
  int error_line_ = 0;
  std::string error_;
};

}  // namespace

std::string ParseError::str() const {
  return path + ":" + std::to_string(line) + ": " + message;
}

std::optional<int64_t> parse_seconds(std::string_view text) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view frac =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() && frac.empty()) return std::nullopt;
  int64_t seconds = 0;
  for (const char c : whole) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    seconds = seconds * 10 + (c - '0');
    if (seconds > 1'000'000'000) return std::nullopt;
  }
  if (frac.size() > 6) return std::nullopt;  // below a microsecond
  int64_t us = 0;
  for (size_t i = 0; i < 6; ++i) {
    const char c = i < frac.size() ? frac[i] : '0';
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    us = us * 10 + (c - '0');
  }
  return seconds * 1'000'000 + us;
}

ParseResult parse_script(std::string_view text, std::string_view path,
                         const Defines& defines) {
  LexResult lexed = lex(text, defines);
  if (!lexed.ok()) {
    ParseResult r;
    r.error = ParseError{std::string(path), lexed.error_line, lexed.error};
    return r;
  }
  return Parser(std::move(lexed.tokens), path).run();
}

}  // namespace tcpref::packetdrill
