// A structure-aware mutator for IPv6 packets (wire_fuzzer's custom
// mutator): splits a packet into the fixed header, its extension headers
// (RFC 8200 §4) and the upper-layer bytes, changes the chain — inserts,
// removes, swaps or duplicates a header, rewrites a header's options or its
// length, Segments Left or fragment fields, or the upper-layer protocol —
// and joins it again with Next Header values, the Payload Length and the
// TCP checksum made consistent, so mutants reach the walk's deeper rules
// instead of dying on a length or a checksum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tcpref::fuzz {

struct Ipv6Chain {
  struct Header {
    uint8_t kind = 0;            // this header's Next Header value
    std::vector<uint8_t> bytes;  // its bytes; bytes[0] is rewritten on join
  };
  std::vector<uint8_t> fixed;  // the 40-byte fixed header
  std::vector<Header> headers;
  uint8_t upper = 6;          // the upper-layer protocol
  std::vector<uint8_t> rest;  // upper-layer bytes (and anything unparsed)
};

// Splits leniently: an extension header is taken as long as its length says
// or as far as the bytes go; at most 16. False if `packet` is not IPv6.
bool split_ipv6(const uint8_t* packet, size_t size, Ipv6Chain& out);

// The packet again: Next Header chain, Payload Length and (when the upper
// layer is TCP with 20 bytes or more) the TCP checksum filled in.
std::vector<uint8_t> join_ipv6(const Ipv6Chain& chain);

// One random structural change, drawn from `seed`.
void mutate_ipv6(Ipv6Chain& chain, uint32_t seed);

// split → mutate → join into `data` (capacity max_size); returns the new
// size, or 0 if `data` is not IPv6 or the mutant does not fit.
size_t mutate_ipv6_packet(uint8_t* data, size_t size, size_t max_size,
                          uint32_t seed);

}  // namespace tcpref::fuzz
