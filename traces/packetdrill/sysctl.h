// Interprets a script's `shell commands`: sysctl settings that have an
// equivalent in StackConfig / ListenOptions are applied; settings with no
// bearing on an in-process stack (congestion control, pacing, qdiscs, TFO
// keys, ...) are accepted and noted; anything else makes the script
// UNSUPPORTED with the command named. docs/CONFORMANCE.md lists both sets.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "impl/tcp/stack.h"

namespace tcpref::packetdrill {

struct Knobs {
  tcp::StackConfig stack;
  tcp::ListenOptions listen;
  // net.ipv4.tcp_ecn=1 asks connect() to request ECN, which the stack's
  // active open does not do; the executor reports that as unsupported.
  bool ecn_initiate = false;
  // net.ipv4.tcp_fastopen bits (Linux's default 1: client only) and
  // tcp_fastopen_key (primary, optional backup), applied per listener.
  uint32_t fastopen = 0x1;
  std::array<uint8_t, 16> fastopen_key{};
  std::optional<std::array<uint8_t, 16>> fastopen_backup_key;
};

// Linux's tcp_fastopen bits the server side uses.
namespace tfo_bit {
inline constexpr uint32_t kServerEnable = 0x2;
inline constexpr uint32_t kCookieNotRequired = 0x200;
inline constexpr uint32_t kWithoutSockopt = 0x400;  // qlen = listen backlog
}  // namespace tfo_bit

// "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4" (four hex words; each stored as
// a little-endian machine stores it, as Linux does) → 16 key bytes.
[[nodiscard]] std::optional<std::array<uint8_t, 16>> parse_fastopen_key(
    std::string_view text);

struct ShellResult {
  std::string unsupported;         // non-empty: why the script cannot run
  std::vector<std::string> notes;  // what was applied or ignored
};

// `script_dir` resolves relative script paths (e.g. ../common/defaults.sh).
// Once the stack exists (`stack_started`), only per-listener knobs may
// change; a stack-wide one is unsupported then.
[[nodiscard]] ShellResult apply_shell(std::string_view command,
                                      const std::filesystem::path& script_dir,
                                      bool stack_started, Knobs& knobs);

// One "net.ipv4.name=value" setting (name without the "net.ipv4." prefix).
[[nodiscard]] ShellResult apply_sysctl(std::string_view name,
                                       std::string_view value,
                                       bool stack_started, Knobs& knobs);

}  // namespace tcpref::packetdrill
