#include "traces/packetdrill/lexer.h"

#include <cctype>

namespace tcpref::packetdrill {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

class Lexer {
 public:
  Lexer(std::string_view text, const Defines& defines)
      : text_(text), defines_(defines) {}

  LexResult run(int depth) {
    LexResult out;
    bool line_start = true;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
        line_start = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
        continue;
      }
      if (starts_with("//")) {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        continue;
      }
      if (starts_with("/*")) {
        const size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) return fail(out, "unterminated /*");
        count_lines(pos_, end);
        pos_ = end + 2;
        continue;
      }
      const bool at_line_start = line_start;
      line_start = false;
      if (at_line_start && starts_with("--")) {
        size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        std::string opt(text_.substr(pos_ + 2, end - pos_ - 2));
        if (const size_t c = opt.find("//"); c != std::string::npos)
          opt.resize(c);
        while (!opt.empty() &&
               std::isspace(static_cast<unsigned char>(opt.back())))
          opt.pop_back();
        push(out, Token::Kind::kOption, std::move(opt));
        pos_ = end;
        continue;
      }
      if (c == '`') {
        const size_t end = text_.find('`', pos_ + 1);
        if (end == std::string_view::npos)
          return fail(out, "unterminated `shell command`");
        push(out, Token::Kind::kBacktick,
             std::string(text_.substr(pos_ + 1, end - pos_ - 1)));
        count_lines(pos_, end);
        pos_ = end + 1;
        continue;
      }
      if (starts_with("%{")) {
        const size_t end = text_.find("}%", pos_ + 2);
        if (end == std::string_view::npos)
          return fail(out, "unterminated %{ python block }%");
        push(out, Token::Kind::kCode,
             std::string(text_.substr(pos_ + 2, end - pos_ - 2)));
        count_lines(pos_, end);
        pos_ = end + 2;
        continue;
      }
      if (c == '"') {
        size_t end = pos_ + 1;
        while (end < text_.size() && text_[end] != '"' && text_[end] != '\n') {
          if (text_[end] == '\\' && end + 1 < text_.size()) ++end;
          ++end;
        }
        if (end >= text_.size() || text_[end] != '"')
          return fail(out, "unterminated string");
        push(out, Token::Kind::kString,
             std::string(text_.substr(pos_ + 1, end - pos_ - 1)));
        pos_ = end + 1;
        continue;
      }
      if (starts_with("...")) {
        push(out, Token::Kind::kPunct, "...");
        pos_ += 3;
        continue;
      }
      // A number: digits, or '.' / '-' directly followed by a digit.
      if (is_digit(c) || (c == '.' && next_is_digit(pos_ + 1)) ||
          (c == '-' && next_is_digit(pos_ + 1))) {
        lex_number_or_word(out, depth);
        if (!out.ok()) return out;
        continue;
      }
      if (is_word_char(c)) {
        size_t end = pos_;
        while (end < text_.size() && is_word_char(text_[end])) ++end;
        std::string word(text_.substr(pos_, end - pos_));
        pos_ = end;
        if (!emit_word(out, std::move(word), depth)) return out;
        continue;
      }
      static constexpr std::string_view kPuncts = "<>+*~()[]{},:=|.-";
      if (kPuncts.find(c) != std::string_view::npos) {
        push(out, Token::Kind::kPunct, std::string(1, c));
        ++pos_;
        continue;
      }
      return fail(out, std::string("unexpected character '") + c + "'");
    }
    return out;
  }

  int line() const { return line_; }

 private:
  bool starts_with(std::string_view s) const {
    return text_.substr(pos_, s.size()) == s;
  }
  bool next_is_digit(size_t p) const {
    return p < text_.size() && is_digit(text_[p]);
  }
  void count_lines(size_t from, size_t to) {
    for (size_t i = from; i < to && i < text_.size(); ++i)
      if (text_[i] == '\n') ++line_;
  }
  void push(LexResult& out, Token::Kind kind, std::string text) {
    out.tokens.push_back(Token{kind, std::move(text), line_});
  }
  LexResult& fail(LexResult& out, std::string message) {
    out.error_line = line_;
    out.error = std::move(message);
    return out;
  }

  // Integers, decimals (never swallowing the first dot of "..."), hex, and
  // digit-led words such as TFO cookies ("3021b9d8...").
  void lex_number_or_word(LexResult& out, int depth) {
    size_t p = pos_;
    if (text_[p] == '-') ++p;
    if (text_.substr(p, 2) == "0x" || text_.substr(p, 2) == "0X") {
      size_t end = p + 2;
      while (end < text_.size() &&
             std::isxdigit(static_cast<unsigned char>(text_[end])))
        ++end;
      if (end < text_.size() && is_word_char(text_[end])) {
        fail(out, "malformed hex number");
        return;
      }
      push(out, Token::Kind::kInt, std::string(text_.substr(pos_, end - pos_)));
      pos_ = end;
      return;
    }
    size_t end = p;
    while (end < text_.size() && is_digit(text_[end])) ++end;
    bool is_float = false;
    if (end < text_.size() && text_[end] == '.' &&
        text_.substr(end, 3) != "..." && next_is_digit(end + 1)) {
      is_float = true;
      ++end;
      while (end < text_.size() && is_digit(text_[end])) ++end;
    } else if (end < text_.size() && text_[end] == '.' &&
               text_.substr(end, 3) != "..." &&
               (end + 1 >= text_.size() || !is_word_char(text_[end + 1]))) {
      // "1." is a number too.
      is_float = true;
      ++end;
    }
    if (!is_float && text_[pos_] != '-' && end < text_.size() &&
        is_word_char(text_[end])) {
      while (end < text_.size() && is_word_char(text_[end])) ++end;
      std::string word(text_.substr(pos_, end - pos_));
      pos_ = end;
      emit_word(out, std::move(word), depth);
      return;
    }
    push(out, is_float ? Token::Kind::kFloat : Token::Kind::kInt,
         std::string(text_.substr(pos_, end - pos_)));
    pos_ = end;
  }

  bool emit_word(LexResult& out, std::string word, int depth) {
    const auto it = defines_.find(word);
    if (it == defines_.end()) {
      push(out, Token::Kind::kWord, std::move(word));
      return true;
    }
    if (depth > 8) {
      fail(out, "-D " + word + " expands recursively");
      return false;
    }
    Lexer sub(it->second, defines_);
    LexResult expanded = sub.run(depth + 1);
    if (!expanded.ok()) {
      fail(out, "in the value of -D " + word + ": " + expanded.error);
      return false;
    }
    for (Token& t : expanded.tokens) {
      t.line = line_;
      out.tokens.push_back(std::move(t));
    }
    return true;
  }

  std::string_view text_;
  const Defines& defines_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

LexResult lex(std::string_view text, const Defines& defines) {
  Lexer lexer(text, defines);
  LexResult out = lexer.run(0);
  if (out.ok())
    out.tokens.push_back(Token{Token::Kind::kEnd, "", lexer.line()});
  return out;
}

}  // namespace tcpref::packetdrill
