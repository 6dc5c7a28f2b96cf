// The parsed form of a packetdrill script: option lines, then timed events
// (packets, system calls, shell commands, python blocks). Times are kept as
// written; the executor resolves relative times while running, because
// packetdrill makes an event after a `*` or a range relative to when the
// previous event actually happened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tcpref::packetdrill {

struct EventTime {
  enum class Kind : uint8_t {
    kAbsolute,       // 1.5
    kRelative,       // +.1
    kAny,            // *
    kAbsoluteRange,  // 1.0~1.2
    kRelativeRange,  // +.3~+.4
  };
  Kind kind = Kind::kAbsolute;
  int64_t start_us = 0;
  int64_t end_us = 0;  // ranges only
};

enum class Direction : uint8_t { kInbound, kOutbound };  // '<' / '>'

struct TcpOptionSpec {
  enum class Kind : uint8_t {
    kNop,
    kEol,
    kMss,
    kWindowScale,
    kSackPermitted,
    kSack,
    kTimestamp,
    kFastOpen,     // FO (kind 34)
    kFastOpenExp,  // FOEXP (kind 254)
    kMd5,
    kUnknown,  // parsed but not something we can build (e.g. AccECN "ECN")
  };
  Kind kind = Kind::kNop;
  uint32_t value = 0;  // mss / wscale
  uint32_t ts_val = 0, ts_ecr = 0;
  std::vector<std::pair<uint32_t, uint32_t>> sack_blocks;
  std::vector<uint8_t> blob;  // FO cookie / md5 digest
  std::string text;           // the unknown option's name, or a bad blob
};

// Header bits packetdrill writes as letters: S F R P . U E W A.
namespace tcp_flag {
inline constexpr uint16_t kFin = 0x01;
inline constexpr uint16_t kSyn = 0x02;
inline constexpr uint16_t kRst = 0x04;
inline constexpr uint16_t kPsh = 0x08;
inline constexpr uint16_t kAck = 0x10;
inline constexpr uint16_t kUrg = 0x20;
inline constexpr uint16_t kEce = 0x40;
inline constexpr uint16_t kCwr = 0x80;
inline constexpr uint16_t kAe = 0x100;  // RFC 9768 AccECN, the old NS bit
}  // namespace tcp_flag

struct PacketSpec {
  Direction direction = Direction::kInbound;
  // Non-empty when the line is not a plain IPv4 TCP packet (UDP, ICMP, an
  // explicit IPv6/GRE/MPLS prefix): the executor reports it as unsupported.
  std::string unsupported;
  uint16_t flags = 0;  // tcp_flag bits
  uint32_t seq_start = 0, seq_end = 0, payload_len = 0;
  std::optional<uint32_t> ack, window, urgent;
  std::optional<std::pair<uint16_t, uint16_t>> ports;  // "src > dst"
  // IP ECN field from [noecn|ect0|ect1|ce]: 0..3; [ect01] accepts 1 or 2.
  std::optional<uint8_t> ecn;
  bool ecn_ect01 = false;
  std::optional<uint8_t> tos;  // (tos 0x..)
  bool options_any = false;    // <...>: do not check options
  bool has_options = false;    // an option list was written
  std::vector<TcpOptionSpec> options;
};

// A system call argument or result, kept as a small tree.
struct Expr {
  enum class Kind : uint8_t {
    kEllipsis,  // ...
    kInt,
    kWord,    // SOCK_STREAM, EAGAIN, an undefined name
    kString,  // "..."
    kArray,   // [a, b]
    kBraces,  // {a, b}
    kCall,    // htons(8080), msg_iov(1)
    kBinary,  // a|b, name=value
  };
  Kind kind = Kind::kEllipsis;
  int64_t int_value = 0;
  std::string text;  // word, string, call name, or operator ("|" / "=")
  std::vector<Expr> children;
};

struct SyscallSpec {
  std::string name;
  std::vector<Expr> args;
  Expr result;
  std::optional<int64_t> end_us;  // "...t": a blocking call returning at t
  std::string errno_name;         // "EAGAIN", or empty
  std::string note;               // "(Resource temporarily unavailable)"
};

struct ShellSpec {
  std::string command;  // between backticks
};

struct CodeSpec {
  std::string code;  // between %{ and }%
};

struct Event {
  int line = 0;
  // Absent for the untimed init/cleanup shell commands.
  std::optional<EventTime> time;
  std::variant<PacketSpec, SyscallSpec, ShellSpec, CodeSpec> action;
};

// "--name=value" (or "--name") lines at the top of a script.
struct ScriptOption {
  int line = 0;
  std::string name;  // without the leading dashes
  std::string value;
  bool has_value = false;
};

struct Script {
  std::string path;
  std::vector<ScriptOption> options;
  std::vector<Event> events;
};

}  // namespace tcpref::packetdrill
