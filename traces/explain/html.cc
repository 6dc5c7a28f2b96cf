#include <cstdio>
#include <sstream>

#include "model/print.h"
#include "model/transitions.h"
#include "traces/explain/render.h"

namespace tcpref::traces {
namespace {

// px between the client and server lines (td.lane in kStyle)
constexpr int kLaneWidth = 520;

std::string esc(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

constexpr char kStyle[] = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1d2430;background:#fff}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 6px}
.sub{color:#5b6575;margin:0 0 12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;vertical-align:middle}
.badge.pass{background:#dff3e4;color:#17692f}.badge.fail{background:#fbe1e1;color:#b00020}
.legend{display:flex;gap:18px;flex-wrap:wrap;font-size:12px;color:#5b6575;margin:8px 0 14px}
.legend span b{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-2px}
.first{border-left:4px solid #b00020;background:#fdf0f0;padding:6px 10px;margin:6px 0}
table.ladder{border-collapse:collapse;margin-top:6px}
table.ladder th{font-size:12px;color:#5b6575;font-weight:600;text-align:left;padding:4px 6px;border-bottom:1px solid #d8dde6}
table.ladder th.cl{text-align:left}table.ladder th.sv{text-align:right}
table.ladder td{vertical-align:top;padding:2px 6px}
td.num,td.time{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:#5b6575;white-space:nowrap;padding-top:10px}
td.lane{width:520px;min-width:520px;border-left:3px solid #3a4a63;border-right:3px solid #3a4a63;padding:2px 0}
.lbl{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;text-align:center;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 8px}
svg.arrow{display:block}
tr.c2s .lbl{color:#1f5fa8}tr.s2c .lbl{color:#17692f}
tr.c2s line,tr.c2s polygon{stroke:#1f5fa8;fill:#1f5fa8}
tr.s2c line,tr.s2c polygon{stroke:#17692f;fill:#17692f}
tr.bad .lbl{color:#b00020;font-weight:700}
tr.bad line,tr.bad polygon{stroke:#b00020;fill:#b00020}
tr.bad td.num{color:#b00020;font-weight:700}
tr.event td.lane{text-align:center;font-size:12px;color:#7a5a00;font-style:italic;padding:6px 0}
td.notes{font-size:12.5px;max-width:720px}
.note{margin:2px 0 4px;padding:2px 8px;border-left:3px solid #c5ccd8}
.note.agree{border-color:#2e9d4f}.note.step{border-color:#1f5fa8}
.note.outside{border-color:#9aa3b2;color:#5b6575}.note.unchecked{border-color:#d8dde6;color:#8a93a3}
.note.disagree{border-color:#b00020;background:#fdf0f0;color:#b00020;font-weight:600}
.v{font-weight:600;margin-right:4px}
.st{font-weight:600;background:#eef3fb;border-radius:3px;padding:0 4px;white-space:nowrap}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f5f8;padding:0 3px;border-radius:3px}
.ref{color:#7a5a00;white-space:nowrap}
.sends{color:#5b6575}
.how{color:#5b6575;font-size:12px;margin-top:1px}
.desc{color:#3a4a63}
details{font-size:12px;color:#5b6575}
label.filter{font-size:13px;user-select:none}
tr.seg:hover td,tr.event:hover td{background:#fafbfd}
tr.picked td.notes{background:#fff8df}
)";

constexpr char kScript[] = R"(
(function () {
  var rows = document.querySelectorAll('tr.seg');
  document.body.setAttribute('data-rows', String(rows.length));
  var box = document.getElementById('only-bad');
  box.addEventListener('change', function () {
    document.querySelectorAll('tr.seg, tr.event').forEach(function (r) {
      r.style.display = box.checked && !r.classList.contains('bad') ? 'none' : '';
    });
  });
  document.querySelectorAll('tr.seg, tr.event').forEach(function (r) {
    r.addEventListener('click', function () { r.classList.toggle('picked'); });
  });
  document.body.setAttribute('data-ready', '1');
})();
)";

std::string segment_label(const LadderRow& r) {
  std::string s = r.flags + "  seq=" + std::to_string(r.seq);
  if (r.ack) s += " ack=" + std::to_string(*r.ack);
  s += " len=" + std::to_string(r.len) + " win=" + std::to_string(r.window);
  if (!r.options.empty()) s += "  <" + r.options + ">";
  return s;
}

// A slanted arrow across the lane: time goes down while the segment flies.
std::string arrow_svg(bool from_client) {
  const int w = kLaneWidth, x0 = from_client ? 2 : w - 2,
            x1 = from_client ? w - 12 : 12, tip = from_client ? w - 2 : 2;
  std::ostringstream os;
  os << "<svg class=\"arrow\" width=\"" << w
     << "\" height=\"18\" viewBox=\"0 0 " << w
     << " 18\" aria-hidden=\"true\"><line x1=\"" << x0 << "\" y1=\"3\" x2=\""
     << x1 << "\" y2=\"13\" stroke-width=\"2\"/>"
     << "<polygon points=\"" << tip << ",14 " << x1 << ",8 " << x1
     << ",18\"/></svg>";
  return os.str();
}

std::string note_class(Verdict v) {
  switch (v) {
    case Verdict::kStep:
      return "step";
    case Verdict::kAgree:
    case Verdict::kPiggyback:
      return "agree";
    case Verdict::kOutside:
      return "outside";
    case Verdict::kDisagree:
      return "disagree";
    case Verdict::kUnchecked:
      return "unchecked";
  }
  return "step";
}

// The transition: "LISTEN -> SYN-RECEIVED by kListenSynRequest (what it
// means) [reference]".
std::string transition_html(const ModelStep& s) {
  return "<span class=\"st\">" + esc(model::state_name(s.before)) +
         "</span> &rarr; <span class=\"st\">" +
         esc(model::state_name(s.after)) + "</span> by <code>" +
         esc(model::name(s.row)) + "</code> <span class=\"desc\">" +
         esc(model::description(s.row)) + "</span> <span class=\"ref\">[" +
         esc(model::reference(s.row)) + "]</span>";
}

std::string note_html(const LadderNote& n, uint32_t row_number) {
  std::ostringstream os;
  os << "<div class=\"note " << note_class(n.verdict) << "\"><span class=\"v\">"
     << esc(verdict_name(n.verdict)) << "</span>";
  if (!n.text.empty()) os << esc(n.text);
  if (n.step) {
    const ModelStep& s = *n.step;
    const std::string cause = step_cause(s, row_number);
    if (!n.text.empty()) os << "<br>";
    if (n.verdict == Verdict::kAgree || n.verdict == Verdict::kPiggyback) {
      os << "the model's <code>" << esc(model_sends(s))
         << "</code><div class=\"how\">" << esc(cause) << ": "
         << transition_html(s) << "</div>";
    } else {
      if (cause != "this segment") os << "<code>" << esc(cause) << "</code> ";
      os << transition_html(s) << " <span class=\"sends\">model sends <code>"
         << esc(model_sends(s)) << "</code></span>";
    }
  }
  os << "</div>";
  return os.str();
}

void connection_html(std::ostringstream& os, const ConnectionLadder& c,
                     size_t index) {
  const ConnectionReport& r = c.report;
  os << "<section class=\"conn\" id=\"conn" << index << "\"><h2>Connection "
     << index + 1 << ": " << esc(to_string(c.tuple.remote)) << " &rarr; "
     << esc(to_string(c.tuple.local)) << " <span class=\"badge "
     << (r.ok() ? "pass\">agrees with the model" : "fail\">disagrees")
     << "</span></h2>\n<p class=\"sub\">" << r.segments << " segments, "
     << r.steps << " model steps, " << r.agreements << " agreements, "
     << r.outside << " outside the model";
  if (r.unchecked) os << ", " << r.unchecked << " unchecked";
  os << "</p>\n";
  if (r.disagreed) {
    os << "<div class=\"first\">First disagreement at #"
       << r.disagreement_packet << ": " << esc(r.disagreement) << "</div>\n";
  }
  for (const Violation& v : r.violations) {
    os << "<div class=\"first\">Wire rule " << esc(v.rule) << " broken at #"
       << v.number << ": " << esc(v.detail) << "</div>\n";
  }
  if (!r.outside_reasons.empty()) {
    os << "<details><summary>Outside the model (" << r.outside
       << ")</summary><ul>";
    for (const auto& [why, n] : r.outside_reasons) {
      os << "<li>" << esc(why) << " &times;" << n << "</li>";
    }
    os << "</ul></details>\n";
  }
  os << "<details><summary>Model parameters</summary><code>" << esc(c.params)
     << "</code></details>\n";
  os << "<table class=\"ladder\"><thead><tr><th>#</th><th>time (s)</th>"
        "<th><div style=\"display:flex;justify-content:space-between\">"
        "<span>client "
     << esc(to_string(c.tuple.remote)) << "</span><span>server "
     << esc(to_string(c.tuple.local))
     << "</span></div></th><th>model</th></tr></thead><tbody>\n";
  for (const LadderRow& row : c.rows) {
    std::string cls =
        row.segment ? (row.from_client ? "seg c2s" : "seg s2c") : "event";
    if (row.bad()) cls += " bad";
    os << "<tr class=\"" << cls << "\"><td class=\"num\">"
       << (row.number ? "#" + std::to_string(row.number) : "")
       << "</td><td class=\"time\">" << seconds(row.time)
       << "</td><td class=\"lane\">";
    if (row.segment) {
      os << "<div class=\"lbl\" title=\"" << esc(segment_label(row)) << "\">"
         << esc(segment_label(row)) << "</div>" << arrow_svg(row.from_client);
    } else {
      os << "model step (no segment of this connection)";
    }
    os << "</td><td class=\"notes\">";
    for (const LadderNote& n : row.notes) os << note_html(n, row.number);
    os << "</td></tr>\n";
  }
  os << "</tbody></table></section>\n";
}

}  // namespace

std::string render_html(const Explanation& x) {
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\">"
        "<title>tcpref explain: "
     << esc(x.source) << "</title><style>" << kStyle
     << "</style></head>\n<body>\n<h1>tcpref explain: " << esc(x.source)
     << " <span class=\"badge " << (x.ok() ? "pass\">OK" : "fail\">DISAGREES")
     << "</span></h1>\n<p class=\"sub\">" << x.packets << " IPv4 packets, "
     << x.connections.size() << " connections, " << x.segment_rows()
     << " TCP segments";
  if (x.not_ipv4 + x.not_tcp + x.malformed + x.no_syn > 0) {
    os << " (skipped: " << x.not_ipv4 << " not IPv4, " << x.not_tcp
       << " not TCP, " << x.malformed << " malformed, " << x.no_syn
       << " without their SYN)";
  }
  os << ". Server settings: <code>" << esc(x.config) << "</code></p>\n";
  os << "<p class=\"sub\">Each client segment is fed to tcpref's model of the "
        "server (model/step.h); each server segment must be the model's "
        "output, and every server segment must keep wire rules W1&ndash;W5 "
        "(docs/TRACES.md). Sequence numbers are relative to each side's "
        "ISN; windows are as on the wire.</p>\n"
        "<div class=\"legend\"><span><b style=\"background:#1f5fa8\"></b>client"
        " &rarr; server, model step</span><span><b "
        "style=\"background:#17692f\">"
        "</b>server &rarr; client</span><span><b style=\"background:#2e9d4f\">"
        "</b>agrees with the model</span><span><b style=\"background:#9aa3b2\">"
        "</b>outside the model (reason given)</span><span><b "
        "style=\"background:#b00020\"></b>disagreement or wire-rule "
        "violation</span></div>\n<label class=\"filter\"><input "
        "type=\"checkbox\" id=\"only-bad\"> show only disagreements</label>\n";
  if (x.connections.empty()) {
    os << "<p>No TCP connection with its SYN in this capture.</p>\n";
  }
  for (size_t i = 0; i < x.connections.size(); ++i) {
    connection_html(os, x.connections[i], i);
  }
  os << "<script>" << kScript << "</script>\n</body></html>\n";
  return os.str();
}

}  // namespace tcpref::traces
