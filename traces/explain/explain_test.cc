// tcpref-explain over every committed trace: each gives a report with one
// ladder row per TCP segment, the model check's verdicts attached, and red
// exactly where the check disagrees.
#include "traces/explain/explain.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "traces/explain/render.h"
#include "traces/replay/test_traces.h"

namespace tcpref::traces {
namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The segments split_trace assigns to connections, counted from the raw
// split (not from the explanation).
size_t trace_segments(const std::string& path) {
  const Trace t = split_trace(testing::load(path));
  size_t n = 0;
  for (const ListenerTrace& l : t.listeners) {
    for (const Connection& c : l.connections) n += c.segments.size();
  }
  return n;
}

TEST(ExplainTest, EveryCommittedTraceGivesAReport) {
  const std::vector<std::string> files = testing::committed_pcaps();
  ASSERT_GE(files.size(), 33u);
  for (const std::string& f : files) {
    SCOPED_TRACE(f);
    Explanation x;
    ASSERT_EQ(explain_file(f, "", x), "");
    const size_t segments = trace_segments(f);
    ASSERT_GT(segments, 0u);
    EXPECT_EQ(x.segment_rows(), segments);
    const std::string html = render_html(x);
    EXPECT_EQ(count(html, "<tr class=\"seg "), segments);
    // Every committed trace agrees with the model (docs/TRACES.md).
    EXPECT_TRUE(x.ok());
    EXPECT_EQ(count(html, " bad\""), 0u);
    EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
    // Nothing fetched: no URL, no src= or href=.
    EXPECT_EQ(html.find("://"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    // Every segment of every connection carries a verdict.
    for (const ConnectionLadder& c : x.connections) {
      for (const LadderRow& r : c.rows) {
        if (r.segment) {
          EXPECT_FALSE(r.notes.empty()) << "#" << r.number;
        }
      }
    }
    const std::string text = render_text(x);
    EXPECT_NE(text.find("RESULT OK"), std::string::npos);
    EXPECT_EQ(count(text, "->|\n") + count(text, "|<-"), segments);
  }
}

// The handshake of a Linux trace, read off the ladder: the SYN is fed to
// the model in LISTEN and moves it to SYN-RECEIVED by kListenSynRequest; the
// SYN-ACK is that step's output.
TEST(ExplainTest, HandshakeIsAnnotatedWithStatesAndRows) {
  Explanation x;
  ASSERT_EQ(explain_file("traces/pcaps/linux_client_closes.pcap", "", x), "");
  ASSERT_EQ(x.connections.size(), 1u);
  // The listener's listen() comes first, as a model-only row.
  const std::vector<LadderRow>& all = x.connections[0].rows;
  ASSERT_FALSE(all.empty());
  EXPECT_FALSE(all[0].segment);
  ASSERT_EQ(all[0].notes.size(), 1u);
  ASSERT_TRUE(all[0].notes[0].step.has_value());
  EXPECT_EQ(all[0].notes[0].step->row, model::Transition::kAppListenOpen);
  std::vector<LadderRow> rows;
  for (const LadderRow& r : all) {
    if (r.segment) rows.push_back(r);
  }
  ASSERT_EQ(rows.size(), 10u);
  const LadderRow& syn = rows[0];
  EXPECT_TRUE(syn.from_client);
  EXPECT_EQ(syn.flags, "S");
  EXPECT_EQ(syn.seq, 0u);
  ASSERT_EQ(syn.notes.size(), 1u);
  ASSERT_TRUE(syn.notes[0].step.has_value());
  EXPECT_EQ(syn.notes[0].verdict, Verdict::kStep);
  EXPECT_EQ(step_summary(*syn.notes[0].step),
            "LISTEN -> SYN-RECEIVED by kListenSynRequest [RFC 9293 §3.10.7.2]");
  const LadderRow& synack = rows[1];
  EXPECT_FALSE(synack.from_client);
  EXPECT_EQ(synack.flags, "S.");
  EXPECT_EQ(synack.seq, 0u);
  EXPECT_EQ(synack.ack, 1u);
  ASSERT_EQ(synack.notes.size(), 1u);
  EXPECT_EQ(synack.notes[0].verdict, Verdict::kAgree);
  ASSERT_TRUE(synack.notes[0].step.has_value());
  EXPECT_EQ(synack.notes[0].step->row, model::Transition::kListenSynRequest);
  EXPECT_EQ(note_line(synack.notes[0], synack.number),
            "the model's SYN-ACK seq=0 ack=1 <mss 1460 ws 10 sackOK ts> (reply "
            "to #1: LISTEN -> SYN-RECEIVED by kListenSynRequest [RFC 9293 "
            "§3.10.7.2])");
  EXPECT_EQ(rows[2].flags, ".");
  EXPECT_EQ(rows[2].seq, 1u);
  EXPECT_EQ(rows[2].ack, 1u);
}

// A server told it may not retransmit its SYN-ACK: the model removes the
// request at the timer, so the recorded retransmission is a disagreement,
// marked red on its row and nowhere else.
TEST(ExplainTest, DisagreementIsRedOnItsRow) {
  Explanation x;
  ASSERT_EQ(explain_file("traces/pcaps/linux_synack_retransmit.pcap",
                         "synack_retries=0\n", x),
            "");
  EXPECT_FALSE(x.ok());
  ASSERT_EQ(x.connections.size(), 1u);
  const ConnectionLadder& c = x.connections[0];
  ASSERT_TRUE(c.report.disagreed);
  size_t bad = 0;
  for (const LadderRow& r : c.rows) {
    if (!r.bad()) continue;
    ++bad;
    EXPECT_EQ(r.number, c.report.disagreement_packet);
  }
  EXPECT_EQ(bad, 1u);
  const std::string html = render_html(x);
  EXPECT_EQ(count(html, " bad\""), 1u);
  EXPECT_NE(html.find("DISAGREES"), std::string::npos);
  EXPECT_NE(render_text(x).find("!!"), std::string::npos);
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return in ? s.str() : "(missing: " + path + ")";
}

// docs/explain/ shows what the tool writes today.
TEST(ExplainTest, CommittedExampleIsCurrent) {
  Explanation x;
  ASSERT_EQ(explain_file("traces/pcaps/linux_client_closes.pcap", "", x), "");
  EXPECT_EQ(read("docs/explain/linux_client_closes.html"), render_html(x))
      << "regenerate with tools/explain_example.sh";
  EXPECT_EQ(read("docs/explain/linux_client_closes.txt"), render_text(x))
      << "regenerate with tools/explain_example.sh";
}

}  // namespace
}  // namespace tcpref::traces
