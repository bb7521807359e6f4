// The checkpoint record schema; see ckpt_records.h.
#include "ckpt_records.h"

#include <pl/serialize.h>

#include <algorithm>

namespace pl::detail {
namespace {

void expect_end(const Reader& r, const char* what) {
  if (r.remaining() != 0)
    throw FormatError(std::to_string(r.remaining()) + " unexpected bytes after the " + what);
}

}  // namespace

std::string state_prefix(std::size_t level) { return "state/" + std::to_string(level) + "/"; }
std::string done_prefix(std::size_t index) { return "done/" + std::to_string(index) + "/"; }
std::string set_prefix(std::size_t level) { return "set/" + std::to_string(level) + "/"; }

bool is_runtime_record(std::string_view name) {
  return name == kMetaRecord || name == kPositionRecord || name == kCompletedRecord ||
         name == kTripsRecord;
}

Bytes encode_meta(const Meta& m) {
  Writer w;
  save(w, m.program);
  w.u64(m.time_ns);
  w.u64(m.sequence);
  save(w, m.reason);
  save(w, m.summary);
  return w.take();
}

Bytes encode_position(const std::vector<PositionEntry>& position) {
  Writer w;
  w.u64(position.size());
  for (const PositionEntry& e : position) {
    save(w, e.site);
    w.u64(e.activation);
    w.u64(e.iterations);
    save(w, e.role);
  }
  return w.take();
}

Bytes encode_completed(const std::vector<CompletedLoop>& loops) {
  Writer w;
  w.u64(loops.size());
  for (const CompletedLoop& c : loops) {
    w.u64(c.level);
    save(w, c.site);
    w.u64(c.activation);
  }
  return w.take();
}

Bytes encode_trips(const std::vector<std::int64_t>& trips) {
  Writer w;
  w.u64(trips.size());
  for (std::int64_t t : trips) w.u64(std::uint64_t(t));
  return w.take();
}

Meta decode_meta(const Bytes& payload) {
  Reader r(payload.data(), payload.size());
  Meta m;
  load(r, m.program);
  m.time_ns = r.u64();
  m.sequence = r.u64();
  load(r, m.reason);
  load(r, m.summary);
  expect_end(r, "meta fields");
  return m;
}

std::vector<PositionEntry> decode_position(const Bytes& payload) {
  Reader r(payload.data(), payload.size());
  std::vector<PositionEntry> entries(r.count(8 + 8 + 8 + 1));
  for (PositionEntry& e : entries) {
    load(r, e.site);
    e.activation = r.u64();
    e.iterations = r.u64();
    load(r, e.role);
  }
  expect_end(r, "position");
  return entries;
}

std::vector<CompletedLoop> decode_completed(const Bytes& payload) {
  Reader r(payload.data(), payload.size());
  std::vector<CompletedLoop> loops(r.count(8 + 8 + 8));
  for (CompletedLoop& c : loops) {
    c.level = r.u64();
    load(r, c.site);
    c.activation = r.u64();
  }
  expect_end(r, "loops");
  return loops;
}

std::vector<std::int64_t> decode_trips(const Bytes& payload) {
  Reader r(payload.data(), payload.size());
  std::vector<std::int64_t> trips(r.count(8));
  for (std::int64_t& t : trips) t = std::int64_t(r.u64());
  expect_end(r, "trip counts");
  return trips;
}

std::uint64_t shown_iteration(const PositionEntry& e) {
  return e.role == kExited || e.iterations == 0 ? e.iterations : e.iterations - 1;
}

std::string position_summary_line(const std::vector<PositionEntry>& position) {
  std::string s;
  for (std::size_t k = 0; k < position.size(); ++k)
    s += (k ? " > " : "") + position[k].site + " " + std::to_string(shown_iteration(position[k]));
  return s;
}

// ---- fingerprint -------------------------------------------------------------

std::string contract_line(std::uint32_t contract_version) {
  return "pl-contract " + std::to_string(contract_version);
}

std::string format_fingerprint(std::uint32_t contract_version,
                               const std::vector<std::pair<std::string, FingerprintLoop>>& loops) {
  std::vector<std::string> lines;
  for (const auto& [name, loop] : loops)
    lines.push_back("loop " + name + " state " + loop.state + " src " + loop.source);
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::string s = contract_line(contract_version) + "\n";
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

Fingerprint parse_fingerprint(std::string_view text) {
  Fingerprint f;
  bool first = true;
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    std::string line(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (first) f.first_line = line;
    first = false;
    std::size_t s = line.find(" state "), h = line.rfind(" src ");
    if (line.rfind("loop ", 0) != 0 || s == std::string::npos || h == std::string::npos || h < s) {
      f.other_lines.push_back(line);
      continue;
    }
    f.loops[line.substr(5, s - 5)] = {line.substr(s + 7, h - s - 7), line.substr(h + 5)};
  }
  return f;
}

}  // namespace pl::detail
