#include "impl/tcp/fast_open_cookie.h"

#include <sodium.h>

#include <algorithm>

namespace tcpref::tcp {

namespace {
void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
}  // namespace

std::array<uint8_t, kFastOpenCookieLength> fast_open_cookie(
    const std::array<uint8_t, 16>& key, uint32_t client_addr,
    uint32_t server_addr) {
  static_assert(crypto_shorthash_siphash24_BYTES == kFastOpenCookieLength);
  uint8_t in[8];
  put_be32(in, client_addr);
  put_be32(in + 4, server_addr);
  std::array<uint8_t, kFastOpenCookieLength> out{};
  crypto_shorthash_siphash24(out.data(), in, sizeof in, key.data());
  return out;
}

wire::FastOpenCookie fast_open_option(
    const std::array<uint8_t, kFastOpenCookieLength>& cookie,
    bool experimental) {
  wire::FastOpenCookie c;
  c.experimental = experimental;
  c.length = kFastOpenCookieLength;
  std::copy(cookie.begin(), cookie.end(), c.bytes.begin());
  return c;
}

bool fast_open_cookie_matches(
    const wire::FastOpenCookie& sent,
    const std::array<uint8_t, kFastOpenCookieLength>& expected) {
  // Constant time: how many leading bytes matched must not show in how
  // long the check takes (a timing oracle for forging cookies).
  return sent.length == kFastOpenCookieLength &&
         sodium_memcmp(expected.data(), sent.bytes.data(), expected.size()) ==
             0;
}

bool fast_open_key_usable(const std::array<uint8_t, 16>& key) {
  return sodium_is_zero(key.data(), key.size()) == 0;
}

}  // namespace tcpref::tcp
