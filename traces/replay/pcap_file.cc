#include "traces/replay/pcap_file.h"

#include <pcap/pcap.h>

#include <memory>

namespace tcpref::traces {

namespace {

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeVlan = 0x8100;
constexpr int kLinkTypeRaw = 101;   // LINKTYPE_RAW as stored in the file
constexpr int kLinkTypeIpv4 = 228;  // LINKTYPE_IPV4
constexpr uint32_t kAfInet = 2;     // BSD loopback's address family for IPv4

uint16_t be16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

// An IPv4 datagram (version 4) or nothing.
std::span<const uint8_t> ipv4(std::span<const uint8_t> b) {
  if (b.empty() || (b[0] >> 4) != 4) return {};
  return b;
}

}  // namespace

std::span<const uint8_t> strip_link_header(int link_type,
                                           std::span<const uint8_t> frame) {
  switch (link_type) {
    case DLT_RAW:
    case kLinkTypeRaw:
    case kLinkTypeIpv4:
      return ipv4(frame);
    case DLT_EN10MB: {
      size_t at = 12;  // destination and source MAC
      if (frame.size() < at + 2) return {};
      uint16_t type = be16(frame, at);
      if (type == kEtherTypeVlan) {  // one 802.1Q tag
        at += 4;
        if (frame.size() < at + 2) return {};
        type = be16(frame, at);
      }
      if (type != kEtherTypeIpv4) return {};
      return ipv4(frame.subspan(at + 2));
    }
    case DLT_LINUX_SLL:  // 16-byte cooked header, protocol at offset 14
      if (frame.size() < 16 || be16(frame, 14) != kEtherTypeIpv4) return {};
      return ipv4(frame.subspan(16));
    case DLT_NULL:
    case DLT_LOOP: {  // 4-byte family: host order (NULL) or network (LOOP)
      if (frame.size() < 4) return {};
      const uint32_t le = frame[0] | frame[1] << 8 | frame[2] << 16 |
                          static_cast<uint32_t>(frame[3]) << 24;
      const uint32_t be = frame[3] | frame[2] << 8 | frame[1] << 16 |
                          static_cast<uint32_t>(frame[0]) << 24;
      if (le != kAfInet && be != kAfInet) return {};
      return ipv4(frame.subspan(4));
    }
    default:
      return {};
  }
}

PcapRead read_pcap(const std::string& path) {
  PcapRead r;
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> p(
      pcap_open_offline_with_tstamp_precision(path.c_str(),
                                              PCAP_TSTAMP_PRECISION_MICRO, err),
      &pcap_close);
  if (!p) {
    r.error = path + ": " + err;
    return r;
  }
  r.link_type = pcap_datalink(p.get());
  switch (r.link_type) {
    case DLT_RAW:
    case kLinkTypeRaw:
    case kLinkTypeIpv4:
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_NULL:
    case DLT_LOOP:
      break;
    default:
      r.error = path + ": unsupported link type " +
                std::to_string(r.link_type) + " (" +
                (pcap_datalink_val_to_name(r.link_type)
                     ? pcap_datalink_val_to_name(r.link_type)
                     : "?") +
                ")";
      return r;
  }
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  uint32_t number = 0;
  int64_t first_us = 0;
  int rc = 0;
  while ((rc = pcap_next_ex(p.get(), &h, &data)) == 1) {
    ++number;
    const int64_t us = int64_t{h->ts.tv_sec} * 1000000 + h->ts.tv_usec;
    if (number == 1) first_us = us;
    std::span<const uint8_t> ip =
        strip_link_header(r.link_type, {data, h->caplen});
    if (ip.empty()) {
      ++r.not_ipv4;
      continue;
    }
    r.packets.push_back(
        {number, tcp::Time(us - first_us), {ip.begin(), ip.end()}});
  }
  if (rc == PCAP_ERROR) {
    r.error = path + ": " + pcap_geterr(p.get());
    r.packets.clear();
  }
  return r;
}

std::string write_pcap(const std::string& path,
                       const std::vector<RawPacket>& packets) {
  std::unique_ptr<pcap_t, decltype(&pcap_close)> dead(
      pcap_open_dead(DLT_RAW, 65535), &pcap_close);
  if (!dead) return "cannot write " + path + ": pcap_open_dead failed";
  pcap_dumper_t* out = pcap_dump_open(dead.get(), path.c_str());
  if (!out) return "cannot write " + path + ": " + pcap_geterr(dead.get());
  for (const RawPacket& p : packets) {
    pcap_pkthdr h{};
    h.ts.tv_sec = static_cast<time_t>(p.time.count() / 1000000);
    h.ts.tv_usec = static_cast<suseconds_t>(p.time.count() % 1000000);
    h.caplen = h.len = static_cast<bpf_u_int32>(p.ip.size());
    pcap_dump(reinterpret_cast<u_char*>(out), &h, p.ip.data());
  }
  const bool flushed = pcap_dump_flush(out) == 0;
  pcap_dump_close(out);
  return flushed ? "" : "cannot write " + path;
}

}  // namespace tcpref::traces
