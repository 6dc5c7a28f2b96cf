// Writes raw IPv4 packets to a pcap file with libpcap (LINKTYPE_RAW), so
// tshark and Wireshark decode IP directly. Thread-safe: the queues of a
// multi-threaded server share one file.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "impl/io/result.h"

struct pcap;
struct pcap_dumper;

namespace tcpref::io {

class PcapWriter {
 public:
  static Result<std::unique_ptr<PcapWriter>> open(const std::string& path);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Records one packet stamped with the wall clock (pcap files carry
  // calendar time; the stack itself never sees it).
  void write(std::span<const uint8_t> packet);
  void flush();

 private:
  PcapWriter(pcap* handle, pcap_dumper* dumper)
      : handle_(handle), dumper_(dumper) {}
  std::mutex mutex_;
  pcap* handle_;
  pcap_dumper* dumper_;
};

}  // namespace tcpref::io
