#include "impl/io/address.h"

namespace tcpref::io {

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  uint32_t addr = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
    size_t digits = 0;
    uint32_t value = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
      value = value * 10 + static_cast<uint32_t>(text[digits] - '0');
      if (++digits > 3) return std::nullopt;
    }
    if (digits == 0 || value > 255) return std::nullopt;
    text.remove_prefix(digits);
    addr = (addr << 8) | value;
  }
  if (!text.empty()) return std::nullopt;
  return addr;
}

std::string format_ipv4(uint32_t addr) {
  return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 255) +
         "." + std::to_string((addr >> 8) & 255) + "." +
         std::to_string(addr & 255);
}

std::optional<Prefix> parse_prefix(std::string_view text,
                                   uint8_t default_length) {
  const size_t slash = text.find('/');
  const auto addr = parse_ipv4(text.substr(0, slash));
  if (!addr) return std::nullopt;
  if (slash == std::string_view::npos) return Prefix{*addr, default_length};
  const std::string_view len = text.substr(slash + 1);
  if (len.empty() || len.size() > 2) return std::nullopt;
  uint32_t n = 0;
  for (char c : len) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  if (n < 1 || n > 32) return std::nullopt;
  return Prefix{*addr, static_cast<uint8_t>(n)};
}

}  // namespace tcpref::io
