// Splits packetdrill script text into tokens with line numbers. Comments
// (// and /* */) are dropped; `shell` and %{ python }% blocks and the
// "--option" lines at the start of a line become single tokens. -D defines
// are substituted here: a word equal to a defined name is replaced by the
// tokens of its value.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tcpref::packetdrill {

struct Token {
  enum class Kind : uint8_t {
    kInt,       // 12, -1, 0x1f (text holds the spelling)
    kFloat,     // .04, 0.200
    kWord,      // SOCK_STREAM, mss, 3021b9d889017eeb
    kString,    // "..." (text without quotes)
    kBacktick,  // `...`
    kCode,      // %{ ... }%
    kOption,    // --name=value (the whole line after the dashes)
    kPunct,     // one of < > + * ~ ( ) [ ] { } , : = | . - and "..."
    kEnd,
  };
  Kind kind = Kind::kEnd;
  std::string text;
  int line = 0;

  bool is(std::string_view punct) const {
    return kind == Kind::kPunct && text == punct;
  }
  bool is_word(std::string_view w) const {
    return kind == Kind::kWord && text == w;
  }
};

using Defines = std::map<std::string, std::string>;

struct LexResult {
  std::vector<Token> tokens;  // ends with kEnd
  int error_line = 0;         // 0 when ok
  std::string error;
  bool ok() const { return error_line == 0; }
};

[[nodiscard]] LexResult lex(std::string_view text, const Defines& defines);

}  // namespace tcpref::packetdrill
