// Reading a pcap file into IPv4 datagrams: the link-layer header of each
// record is removed (raw IP, Ethernet, Linux cooked capture, BSD loopback),
// so the rest of traces/replay sees only what Stack::receive takes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "impl/tcp/stack.h"

namespace tcpref::traces {

// One captured IPv4 datagram. `number` is the 1-based record number in the
// file (what tcpdump -# and Wireshark show), so reports point at packets a
// reader can find; `time` is relative to the first record.
struct RawPacket {
  uint32_t number = 0;
  tcp::Time time{0};
  std::vector<uint8_t> ip;
};

struct PcapRead {
  std::string error;  // one line; empty on success
  int link_type = 0;
  std::vector<RawPacket> packets;
  uint32_t not_ipv4 = 0;  // records skipped: other protocols, truncated
  bool ok() const { return error.empty(); }
};

// Reads every record of `path`. Records that are not IPv4 are counted in
// not_ipv4, never fatal; an unreadable file or unsupported link type is.
[[nodiscard]] PcapRead read_pcap(const std::string& path);

// Writes `packets` (IPv4 datagrams) as a LINKTYPE_RAW pcap, each stamped
// with its `time` (from 0: the epoch). For captures made in virtual time
// (the packetdrill runner's --pcap, refinement counterexamples), so
// tcpref-explain can show them. Returns "" or a one-line error.
[[nodiscard]] std::string write_pcap(const std::string& path,
                                     const std::vector<RawPacket>& packets);

// The IPv4 datagram inside one record of the given link type (DLT_* value as
// pcap_datalink() returns it), or an empty span if there is none.
[[nodiscard]] std::span<const uint8_t> strip_link_header(
    int link_type, std::span<const uint8_t> frame);

}  // namespace tcpref::traces
