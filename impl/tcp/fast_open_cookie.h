// TCP Fast Open cookies (RFC 7413 §4.1.2): a MAC of the client's and our
// IPv4 address under a server key, so only a client that once got it from
// us at that address can present it. Computed as Linux does, so a cookie
// from a Linux server with the same key is valid here: SipHash-2-4 keyed
// with the 16 key bytes over client address || server address (network
// byte order), the 8 output bytes as they come out.
#pragma once

#include <array>
#include <cstdint>

#include "impl/wire/options.h"

namespace tcpref::tcp {

inline constexpr uint8_t kFastOpenCookieLength = 8;

// Addresses in host byte order (as Endpoint keeps them).
[[nodiscard]] std::array<uint8_t, kFastOpenCookieLength> fast_open_cookie(
    const std::array<uint8_t, 16>& key, uint32_t client_addr,
    uint32_t server_addr);

// The cookie as an option of the kind the SYN used (RFC 7413 §4.1.1 or the
// RFC 6994 experimental kind with magic 0xF989).
[[nodiscard]] wire::FastOpenCookie fast_open_option(
    const std::array<uint8_t, kFastOpenCookieLength>& cookie,
    bool experimental);

// False for the all-zero key: a key everyone knows makes cookies anyone
// can forge, so listen() and set_fast_open() refuse it (Linux draws a
// random key instead of ever using zeros).
[[nodiscard]] bool fast_open_key_usable(const std::array<uint8_t, 16>& key);

// Whether a cookie the client sent is `expected`, in constant time.
[[nodiscard]] bool fast_open_cookie_matches(
    const wire::FastOpenCookie& sent,
    const std::array<uint8_t, kFastOpenCookieLength>& expected);

}  // namespace tcpref::tcp
