#include "traces/explain/explain.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "model/transitions.h"
#include "traces/replay/pcap_file.h"

namespace tcpref::traces {
namespace {

using namespace wire::flags;

LadderRow segment_row(const TraceSegment& t, uint32_t client_isn,
                      uint32_t server_isn) {
  const wire::Segment& s = t.seg;
  LadderRow r;
  r.number = t.number;
  r.time = t.time;
  r.from_client = t.from_client;
  r.flags = flags_string(s);
  r.seq = s.seq - (t.from_client ? client_isn : server_isn);
  if (s.has(kAck)) r.ack = s.ack - (t.from_client ? server_isn : client_isn);
  r.len = static_cast<uint32_t>(s.payload.size());
  r.window = s.window;
  r.options = options_string(s);
  return r;
}

ConnectionLadder lay_out(const Connection& c, const ConnectionReport& rep,
                         const std::string& params) {
  ConnectionLadder l;
  l.tuple = c.tuple;
  l.params = params;
  l.report = rep;
  // ISNs as the connection goes: a new SYN (a reopened 4-tuple) starts a
  // new incarnation with its own.
  uint32_t client_isn = 0, server_isn = 0;
  std::map<uint32_t, size_t> row_of;  // pcap record -> row
  for (const TraceSegment& t : c.segments) {
    if (t.from_client && t.seg.has(kSyn) && !t.seg.has(kAck)) {
      client_isn = t.seg.seq;
    }
    if (!t.from_client && t.seg.has(kSyn) && t.seg.has(kAck)) {
      server_isn = t.seg.seq;
    }
    row_of[t.number] = l.rows.size();
    l.rows.push_back(segment_row(t, client_isn, server_isn));
  }
  // Model steps no segment of this connection shows become rows of their
  // own, before the first segment at or after their time.
  std::map<uint32_t, size_t> event_of;  // packet (0: per step) -> event row
  std::vector<std::pair<tcp::Time, LadderRow>> events;
  auto event_for = [&](uint32_t packet, tcp::Time time) -> LadderRow& {
    if (packet != 0) {
      auto it = event_of.find(packet);
      if (it != event_of.end()) return events[it->second].second;
      event_of[packet] = events.size();
    }
    LadderRow e;
    e.segment = false;
    e.number = packet;
    e.time = time;
    events.emplace_back(time, std::move(e));
    return events.back().second;
  };
  std::set<size_t> noted_steps;
  for (const SegmentNote& n : rep.notes) {
    LadderNote note{n.verdict, n.text, std::nullopt};
    if (n.step >= 0) {
      note.step = rep.model_steps[static_cast<size_t>(n.step)];
      noted_steps.insert(static_cast<size_t>(n.step));
    }
    auto it = row_of.find(n.packet);
    if (it != row_of.end()) {
      l.rows[it->second].notes.push_back(std::move(note));
    } else {
      const tcp::Time at = note.step ? note.step->time : tcp::Time(0);
      event_for(n.packet, at).notes.push_back(std::move(note));
    }
  }
  // Steps no note names: a timer or call the check fed on its own. On a
  // segment of this connection they come first (they led to its verdict).
  std::map<size_t, std::vector<LadderNote>> leading;  // row -> steps
  for (size_t i = 0; i < rep.model_steps.size(); ++i) {
    const ModelStep& s = rep.model_steps[i];
    if (noted_steps.contains(i)) continue;
    auto it = row_of.find(s.packet);
    if (it != row_of.end()) {
      leading[it->second].push_back({Verdict::kStep, "", s});
    } else {
      event_for(s.packet, s.time).notes.push_back({Verdict::kStep, "", s});
    }
  }
  for (auto& [row, steps] : leading) {
    std::vector<LadderNote>& notes = l.rows[row].notes;
    notes.insert(notes.begin(), std::make_move_iterator(steps.begin()),
                 std::make_move_iterator(steps.end()));
  }
  for (const Violation& v : rep.violations) {
    auto it = row_of.find(v.number);
    LadderNote note{Verdict::kDisagree, v.rule + ": " + v.detail, std::nullopt};
    if (it != row_of.end()) {
      l.rows[it->second].notes.push_back(std::move(note));
    } else {
      event_for(v.number, tcp::Time(0)).notes.push_back(std::move(note));
    }
  }
  std::stable_sort(
      events.begin(), events.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<LadderRow> merged;
  size_t e = 0;
  for (LadderRow& r : l.rows) {
    while (e < events.size() && events[e].first <= r.time) {
      merged.push_back(std::move(events[e++].second));
    }
    merged.push_back(std::move(r));
  }
  while (e < events.size()) merged.push_back(std::move(events[e++].second));
  l.rows = std::move(merged);
  return l;
}

}  // namespace

bool LadderRow::bad() const {
  return std::any_of(notes.begin(), notes.end(), [](const LadderNote& n) {
    return n.verdict == Verdict::kDisagree;
  });
}

uint32_t ConnectionLadder::segment_rows() const {
  return static_cast<uint32_t>(std::count_if(
      rows.begin(), rows.end(), [](const LadderRow& r) { return r.segment; }));
}

bool Explanation::ok() const {
  return std::all_of(connections.begin(), connections.end(),
                     [](const ConnectionLadder& c) { return c.report.ok(); });
}

uint32_t Explanation::segment_rows() const {
  uint32_t n = 0;
  for (const ConnectionLadder& c : connections) n += c.segment_rows();
  return n;
}

std::string verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kStep:
      return "step";
    case Verdict::kAgree:
      return "agrees";
    case Verdict::kPiggyback:
      return "agrees (piggybacked ACK)";
    case Verdict::kOutside:
      return "outside the model";
    case Verdict::kDisagree:
      return "DISAGREES";
    case Verdict::kUnchecked:
      return "unchecked";
  }
  return "?";
}

Explanation explain(const std::string& source, const Trace& trace,
                    const CheckReport& report, const ServerConfig& config) {
  Explanation x;
  x.source = source;
  x.config = to_string(config);
  x.not_tcp = trace.not_tcp;
  x.malformed = trace.malformed;
  x.no_syn = trace.no_syn;
  x.packets = trace.packets.size();
  for (size_t li = 0; li < trace.listeners.size(); ++li) {
    const ListenerTrace& lt = trace.listeners[li];
    const ListenerReport& lr = report.listeners[li];
    for (size_t ci = 0; ci < lt.connections.size(); ++ci) {
      x.connections.push_back(
          lay_out(lt.connections[ci], lr.connections[ci], lr.params));
    }
  }
  return x;
}

std::string explain_file(const std::string& path, const std::string& settings,
                         Explanation& out) {
  PcapRead read = read_pcap(path);
  if (!read.ok()) return read.error;
  ServerConfig config;
  if (std::string e = load_sidecar_config(path, config); !e.empty()) return e;
  if (std::string e = parse_server_config(settings, config); !e.empty()) {
    return "--set: " + e;
  }
  const uint32_t not_ipv4 = read.not_ipv4;
  Trace trace = split_trace(std::move(read.packets));
  out = explain(path, trace, check_against_model(trace, config), config);
  out.not_ipv4 = not_ipv4;
  return "";
}

}  // namespace tcpref::traces
