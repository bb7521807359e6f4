// Built-in `log`: chosen locals as JSON lines or CSV rows, one per event,
// with the full loop name, the iteration index of every enclosing loop
// (by its label) and the time since the log started — loadable in pandas
// as is (pd.read_json(f, lines=True) / pd.read_csv(f)).
#include <mutex>
#include <set>

#include "common.h"

namespace pl::detail {
namespace {

struct LogState {
  std::FILE* out = nullptr;
  bool csv = false;
  std::vector<std::string> vars;
  std::vector<std::string> columns;  // CSV: fixed by the first row
  std::set<std::string> warned;
  bool header_written = false;  // CSV: a resumed file has its header already
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_flush = t0;
  std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
};

void write_row(LogState& s, const Frame& f) {
  std::vector<std::pair<std::string, std::string>> row;
  row.emplace_back("loop", json_string(f.loop()));
  row.emplace_back("event", json_string(to_string(f.event())));
  for (std::size_t k = f.depth(); k-- > 0;) {
    LoopInfo l = f.enclosing(k);
    // A loop of the same function nests by name ("f/epoch" in
    // "f/epoch/batch"): its label is column name enough. A loop of a caller
    // (main's fold loop around train's epochs) keeps its full name.
    std::string_view self = f.loop();
    bool same_function = self.size() > l.name.size() && self.substr(0, l.name.size()) == l.name &&
                         self[l.name.size()] == '/';
    row.emplace_back(std::string(k == 0 || same_function ? leaf(l.name) : l.name),
                     std::to_string(l.iteration));
  }
  char num[64];
  std::snprintf(num, sizeof num, "%.6f", seconds_since(s.t0));
  row.emplace_back("t", num);
  for (const std::string& v : s.vars) {
    double x = 0;
    std::string why;
    if (local_value(f, v, x, why)) {
      std::snprintf(num, sizeof num, "%.17g", x);
      row.emplace_back(v, num);
    } else {
      row.emplace_back(v, s.csv ? "" : "null");
      if (s.warned.insert(v + "@" + std::string(f.loop())).second)
        std::fprintf(stderr, "pl: log: %s; writing %s\n", why.c_str(),
                     s.csv ? "an empty cell" : "null");
    }
  }
  if (s.csv) {
    if (s.columns.empty()) {
      for (auto& [k, v] : row) s.columns.push_back(k);
      std::string header;
      for (auto& c : s.columns) header += (header.empty() ? "" : ",") + c;
      if (!s.header_written) std::fprintf(s.out, "%s\n", header.c_str());
      s.header_written = true;
    }
    std::string line;
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
      std::string cell;
      for (auto& [k, v] : row)
        if (k == s.columns[i]) cell = v;
      line += (i ? "," : "") + cell;
    }
    std::fprintf(s.out, "%s\n", line.c_str());
  } else {
    std::string line = "{";
    for (std::size_t i = 0; i < row.size(); ++i)
      line += (i ? ", " : "") + json_string(row[i].first) + ": " + row[i].second;
    std::fprintf(s.out, "%s}\n", line.c_str());
  }
  auto now = std::chrono::steady_clock::now();
  if (now - s.last_flush > std::chrono::seconds(1)) {
    std::fflush(s.out);
    s.last_flush = now;
  }
}

}  // namespace

void attach_log(ConfigEntry& e) {
  auto s = std::make_shared<LogState>();
  s->vars = e.list("vars");
  if (s->vars.empty())
    e.fail_at(e.column, "log needs vars=<locals to log>, e.g. vars=loss,accuracy");
  std::string path = e.text("file", "pl-log.jsonl");
  s->csv = path.size() > 4 && path.substr(path.size() - 4) == ".csv";
  HookSpec spec = e.spec(abi::kEnd);
  spec.uses.insert(spec.uses.end(), s->vars.begin(), s->vars.end());
  LogState* raw = s.get();  // the state lives as long as the hook: until exit
  s->out = open_resumable_output(e, path, s->mu,
                                 [raw](std::uint64_t length) { raw->header_written = length > 0; });
  at_exit([s] {
    std::lock_guard lock(*s->mu);
    std::fflush(s->out);
  });
  attach(std::move(spec), [s](Frame& f) {
    std::lock_guard lock(*s->mu);
    write_row(*s, f);
  });
}

}  // namespace pl::detail
