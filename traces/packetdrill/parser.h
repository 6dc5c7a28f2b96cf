// Parses the packetdrill language subset the conformance suites use (see
// third_party/packetdrill/syntax.md for the full grammar).
// Never throws or aborts on bad input: a malformed script yields an error
// with file:line.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "traces/packetdrill/lexer.h"
#include "traces/packetdrill/script.h"

namespace tcpref::packetdrill {

struct ParseError {
  std::string path;
  int line = 0;
  std::string message;
  // "path:line: message", like a compiler.
  [[nodiscard]] std::string str() const;
};

struct ParseResult {
  std::optional<Script> script;
  ParseError error;  // meaningful when !ok()
  bool ok() const { return script.has_value(); }
};

[[nodiscard]] ParseResult parse_script(std::string_view text,
                                       std::string_view path,
                                       const Defines& defines = {});

// "1.5" / ".04" / "2" seconds → microseconds, exactly (no floating point).
[[nodiscard]] std::optional<int64_t> parse_seconds(std::string_view text);

}  // namespace tcpref::packetdrill
