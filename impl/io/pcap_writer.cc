#include "impl/io/pcap_writer.h"

#include <pcap/pcap.h>
#include <sys/time.h>

#include <ctime>

namespace tcpref::io {

namespace {
constexpr int kSnapLength = 65535;
}

Result<std::unique_ptr<PcapWriter>> PcapWriter::open(const std::string& path) {
  pcap_t* handle = pcap_open_dead(DLT_RAW, kSnapLength);
  if (handle == nullptr) {
    return Result<std::unique_ptr<PcapWriter>>::failure(
        "libpcap: pcap_open_dead failed");
  }
  pcap_dumper_t* dumper = pcap_dump_open(handle, path.c_str());
  if (dumper == nullptr) {
    std::string message =
        "cannot write pcap file '" + path + "': " + pcap_geterr(handle);
    pcap_close(handle);
    return Result<std::unique_ptr<PcapWriter>>::failure(message);
  }
  return std::unique_ptr<PcapWriter>(new PcapWriter(handle, dumper));
}

PcapWriter::~PcapWriter() {
  pcap_dump_close(dumper_);
  pcap_close(handle_);
}

void PcapWriter::write(std::span<const uint8_t> packet) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  pcap_pkthdr header{};
  header.ts.tv_sec = ts.tv_sec;
  header.ts.tv_usec = static_cast<suseconds_t>(ts.tv_nsec / 1000);
  header.caplen = static_cast<bpf_u_int32>(
      packet.size() < kSnapLength ? packet.size() : kSnapLength);
  header.len = static_cast<bpf_u_int32>(packet.size());
  std::lock_guard lock(mutex_);
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, packet.data());
}

void PcapWriter::flush() {
  std::lock_guard lock(mutex_);
  pcap_dump_flush(dumper_);
}

}  // namespace tcpref::io
