// Rewrites the IPv4 header checksum and the TCP checksum of a packet so that
// a mutated packet gets past checksum verification and into the state
// machine (packet_fuzzer's custom mutator).
#pragma once

#include <cstdint>
#include <span>

namespace tcpref::fuzz {

// Fixes whichever checksums the packet's own length fields let us locate:
// the IPv4 header checksum when IHL fits, the TCP checksum when the protocol
// is TCP and the total length covers a TCP header. Anything else is left as
// it is (the parser rejects it before checksums matter).
void repair_checksums(std::span<uint8_t> packet);

}  // namespace tcpref::fuzz
