// pl-ckpt — inspect, verify and compare pl checkpoint files (docs/CHECKPOINTS.md).
//
// Built from the runtime's checkpoint reader (runtime/src/checkpoint_file.cpp),
// pl_ckpt_decode.cpp (payloads) and pl_ckpt_types.cpp (type spellings), without
// libpl. It only reads files and runs no code
// from them; a damaged file is reported with the part that is damaged.
#include <pl/pl.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint_file.h"
#include "ckpt_records.h"
#include "pl_ckpt_decode.h"
#include "pl_ckpt_replay.h"

namespace fs = std::filesystem;
using pl::detail::CheckpointData;
using pl::detail::CheckpointRecord;

namespace {

constexpr char kUsage[] = R"(usage: pl-ckpt COMMAND ARGS

  list DIR         every ckpt-*.plck in DIR, newest sequence last: size, sequence,
                   time, reason, position, and VALID or what is damaged
  show FILE        meta fields, position stack, completed loops, and every record
                   with its C++ type, payload size and a summary of its value
  verify FILE...   exit 0 when every FILE is a valid checkpoint; otherwise print
                   "FILE: error" for each failure and exit 1
  diff A B         fingerprint, position and records that differ (only in A, only
                   in B, type, size, value with the max absolute difference);
                   pl.meta (time, sequence) is shown, not compared;
                   exit 0 when identical, 1 when different
  check-replay DIR -- PROGRAM ARGS...
                   runs the program with PL_RESUME_CHECK=1: it resumes from DIR's
                   second-newest checkpoint, runs to the newest one's position and
                   compares every saved variable with it; exit 0 when identical,
                   1 when one differs (named), 2 when no check could be made

Exit status 2: usage error, or a file that cannot be read (diff, show: also a
damaged one).
)";

enum Status { kOk = 0, kFailed = 1, kError = 2 };

int usage_error(const std::string& message) {
  std::cerr << "pl-ckpt: " << message << "\n(pl-ckpt --help for usage)\n";
  return kError;
}

// A checkpoint file as read: its data, or why it could not be read.
struct Loaded {
  std::string path;
  std::uintmax_t size = 0;
  bool readable = false;  // exists and is a regular file
  std::optional<CheckpointData> data;
  std::string error;
};

Loaded load_file(const std::string& path) {
  Loaded l;
  l.path = path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    l.error = fs::exists(path, ec) ? "not a regular file" : "no such file";
    return l;
  }
  l.readable = true;
  l.size = fs::file_size(path, ec);
  try {
    l.data = pl::detail::read_checkpoint(path);
  } catch (const pl::FormatError& e) {
    // The message starts with the path, which the caller prints already.
    std::string prefix = "pl: checkpoint '" + path + "': ";
    l.error = e.what();
    if (l.error.compare(0, prefix.size(), prefix) == 0) l.error.erase(0, prefix.size());
  }
  return l;
}

const CheckpointRecord* find_record(const CheckpointData& data, std::string_view name) {
  for (const CheckpointRecord& r : data.records)
    if (r.name == name) return &r;
  return nullptr;
}

// The runtime record `name` (pl.meta, ...) decoded, or why it cannot be (in *error).
template <class T>
std::optional<T> decode_record(const CheckpointData& data, const std::string& name,
                               T (*decode)(const pl::ckpt::Bytes&), std::string* error) {
  const CheckpointRecord* r = find_record(data, name);
  if (!r) {
    *error = "no " + name + " record";
    return std::nullopt;
  }
  try {
    return decode(r->payload);
  } catch (const pl::FormatError& e) {
    *error = "malformed " + name + ": " + e.what();
    return std::nullopt;
  }
}

std::optional<pl::ckpt::Meta> meta_of(const CheckpointData& data) {
  std::string error;
  return decode_record(data, pl::detail::kMetaRecord, pl::ckpt::decode_meta, &error);
}

// The position stack, or an explanation of why there is none.
std::vector<pl::ckpt::PositionEntry> position_of(const CheckpointData& data, std::string* error) {
  return decode_record(data, pl::detail::kPositionRecord, pl::ckpt::decode_position, error)
      .value_or(std::vector<pl::ckpt::PositionEntry>{});
}

// Rows of cells, left-aligned in columns no wider than `max_width` (a longer
// cell overflows its column); columns listed in `right` are right-aligned.
void print_table(const std::vector<std::vector<std::string>>& rows, const std::string& indent,
                 std::set<std::size_t> right = {}, std::size_t max_width = 48) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], std::min(row[c].size(), max_width));
    }
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      bool last = c + 1 == row.size();
      std::size_t pad = row[c].size() < width[c] ? width[c] - row[c].size() : 0;
      if (right.count(c))
        line += std::string(pad, ' ') + row[c];
      else
        line += last ? row[c] : row[c] + std::string(pad, ' ');
      if (!last) line += "  ";
    }
    std::cout << line << '\n';
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// ---- list ------------------------------------------------------------------

int list(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return usage_error("'" + dir + "' is not a directory");
  struct Row {
    std::uint64_t order;
    std::string name;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() < 10 || name.compare(0, 5, "ckpt-") != 0 ||
        name.compare(name.size() - 5, 5, ".plck") != 0)
      continue;
    Loaded l = load_file(entry.path().string());
    std::uint64_t order = std::strtoull(name.c_str() + 5, nullptr, 10);
    std::vector<std::string> cells = {name, std::to_string(l.size), "-", "-", "-", "-"};
    if (l.data) {
      if (auto meta = meta_of(*l.data)) {
        order = meta->sequence;
        cells[2] = std::to_string(meta->sequence);
        cells[3] = pl::ckpt::format_time(meta->time_ns);
        cells[4] = meta->reason;
        cells[5] = meta->summary;
      }
      std::string error;
      auto position = position_of(*l.data, &error);
      if (cells[5].empty() || cells[5] == "-")
        cells[5] = error.empty() ? pl::ckpt::position_summary(position) : "-";
    }
    cells.push_back(l.data ? "VALID" : l.error);
    rows.push_back({order, name, std::move(cells)});
  }
  if (ec) return usage_error("cannot read directory '" + dir + "': " + ec.message());
  if (rows.empty()) {
    std::cout << "no checkpoints (ckpt-*.plck) in " << dir << '\n';
    return kOk;
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  std::vector<std::vector<std::string>> table = {
      {"FILE", "BYTES", "SEQ", "TIME", "REASON", "POSITION", "STATUS"}};
  for (Row& r : rows) table.push_back(std::move(r.cells));
  print_table(table, "", {1, 2}, 64);
  return kOk;
}

// ---- show ------------------------------------------------------------------

void show_meta(const CheckpointData& data) {
  std::string error;
  auto m = decode_record(data, pl::detail::kMetaRecord, pl::ckpt::decode_meta, &error);
  if (!m) {
    std::cout << "meta: " << error << '\n';
    return;
  }
  std::cout << "program:     " << m->program << '\n'
            << "time:        " << pl::ckpt::format_time(m->time_ns) << " (" << m->time_ns
            << " ns)\n"
            << "sequence:    " << m->sequence << '\n'
            << "reason:      " << m->reason << '\n'
            << "summary:     " << m->summary << '\n';
}

void show_position(const CheckpointData& data) {
  std::string error;
  auto position = position_of(data, &error);
  if (!error.empty()) {
    std::cout << "position: " << error << '\n';
    return;
  }
  std::cout << "position (" << position.size() << " loops, outermost first):\n";
  std::vector<std::vector<std::string>> table = {
      {"DEPTH", "SITE", "ACTIVATION", "ITERATION", "ROLE"}};
  for (std::size_t k = 0; k < position.size(); ++k)
    table.push_back({std::to_string(k), position[k].site, std::to_string(position[k].activation),
                     std::to_string(pl::ckpt::shown_iteration(position[k])),
                     pl::ckpt::role_in_words(position[k])});
  print_table(table, "  ", {0, 2, 3});
}

void show_completed(const CheckpointData& data) {
  std::string error;
  auto loops = decode_record(data, pl::detail::kCompletedRecord, pl::ckpt::decode_completed, &error);
  if (!loops || loops->empty()) {
    std::cout << "completed loops: " << (loops ? "none" : error) << '\n';
    return;
  }
  std::cout << "completed loops (" << loops->size() << ", exit state stored):\n";
  std::vector<std::vector<std::string>> table = {{"LOOP", "LEVEL", "SITE", "ACTIVATION"}};
  for (std::size_t j = 0; j < loops->size(); ++j) {
    const pl::ckpt::CompletedLoop& c = (*loops)[j];
    table.push_back(
        {std::to_string(j), std::to_string(c.level), c.site, std::to_string(c.activation)});
  }
  print_table(table, "  ", {0, 1, 3});
}

int show(const std::string& path) {
  Loaded l = load_file(path);
  if (!l.data) {
    std::cerr << path << ": " << l.error << '\n';
    return kError;
  }
  const CheckpointData& data = *l.data;
  std::vector<std::string> fingerprint = lines_of(data.fingerprint);
  const std::size_t loops = pl::detail::parse_fingerprint(data.fingerprint).loops.size();
  std::cout << path << ": VALID, " << l.size << " bytes, " << data.records.size() << " records\n"
            << "fingerprint: " << fingerprint.size() << " lines ("
            << (fingerprint.empty() ? "empty" : "'" + fingerprint[0] + "'") << ", " << loops
            << " loops)\n";
  show_meta(data);
  show_position(data);
  show_completed(data);
  std::cout << "records (" << data.records.size() << "):\n";
  std::vector<std::vector<std::string>> table = {{"NAME", "TYPE", "BYTES", "VALUE"}};
  for (const CheckpointRecord& r : data.records)
    table.push_back({r.name, r.type, std::to_string(r.payload.size()),
                     pl::ckpt::summarize(r.name, r.type, r.payload)});
  print_table(table, "  ", {2});
  return kOk;
}

// ---- verify ----------------------------------------------------------------

int verify(const std::vector<std::string>& paths) {
  int status = kOk;
  for (const std::string& path : paths) {
    Loaded l = load_file(path);
    if (l.data) continue;
    std::cout << path << ": " << l.error << '\n';
    status = std::max(status, l.readable ? int(kFailed) : int(kError));
  }
  return status;
}

// ---- diff ------------------------------------------------------------------

std::vector<std::string> fingerprint_differences(const std::string& a, const std::string& b) {
  const pl::detail::Fingerprint fa = pl::detail::parse_fingerprint(a),
                                fb = pl::detail::parse_fingerprint(b);
  std::vector<std::string> out;
  // The header, then the arguments and input files (arg/input lines): each
  // line only one side has.
  const std::string head_a = fa.other_lines.empty() ? "" : fa.other_lines[0];
  const std::string head_b = fb.other_lines.empty() ? "" : fb.other_lines[0];
  if (head_a != head_b) out.push_back("header '" + head_a + "' -> '" + head_b + "'");
  for (int side = 0; side < 2; ++side) {
    const auto& mine = side ? fb.other_lines : fa.other_lines;
    const auto& theirs = side ? fa.other_lines : fb.other_lines;
    for (std::size_t i = 1; i < mine.size(); ++i)
      if (std::find(theirs.begin(), theirs.end(), mine[i]) == theirs.end())
        out.push_back(std::string("only in ") + (side ? "B" : "A") + ": " + mine[i]);
  }
  std::set<std::string> names;
  for (const pl::detail::Fingerprint* f : {&fa, &fb})
    for (const auto& [name, loop] : f->loops) names.insert(name);
  for (const std::string& name : names) {
    auto ia = fa.loops.find(name), ib = fb.loops.find(name);
    if (ia == fa.loops.end() || ib == fb.loops.end()) {
      out.push_back("loop " + name + ": only in " + (ib == fb.loops.end() ? "A" : "B"));
      continue;
    }
    const pl::detail::FingerprintLoop &la = ia->second, &lb = ib->second;
    std::string what;
    if (la.state != lb.state) what = "state '" + la.state + "' -> '" + lb.state + "'";
    if (la.source != lb.source)
      what += std::string(what.empty() ? "" : "; ") + "src '" + la.source + "' -> '" + lb.source +
              "'";
    if (!what.empty()) out.push_back("loop " + name + ": " + what);
  }
  return out;
}

std::string meta_line(const CheckpointData& data) {
  auto meta = meta_of(data);
  if (!meta) return "no readable pl.meta";
  return "sequence " + std::to_string(meta->sequence) + ", " + meta->reason + ", " +
         pl::ckpt::format_time(meta->time_ns);
}

// The two position stacks, when they differ in any field of any entry.
std::vector<std::string> position_differences(const CheckpointData& a, const CheckpointData& b) {
  std::string error_a, error_b;
  auto pa = position_of(a, &error_a), pb = position_of(b, &error_b);
  auto same = [](const pl::ckpt::PositionEntry& x, const pl::ckpt::PositionEntry& y) {
    return x.site == y.site && x.activation == y.activation && x.iterations == y.iterations &&
           x.role == y.role;
  };
  if (error_a == error_b && std::equal(pa.begin(), pa.end(), pb.begin(), pb.end(), same)) return {};
  auto line = [](const std::vector<pl::ckpt::PositionEntry>& p, const std::string& error) {
    if (!error.empty()) return error;
    std::string s = pl::ckpt::position_summary(p);
    if (!p.empty()) s += "; innermost: " + pl::ckpt::role_in_words(p.back());
    return s;
  };
  return {"A: " + line(pa, error_a), "B: " + line(pb, error_b)};
}

// One line per record that differs; pl.meta and pl.position are compared apart.
std::vector<std::string> record_differences(const CheckpointData& a, const CheckpointData& b) {
  std::vector<std::string> out;
  auto skipped = [](const std::string& name) { 
    return name == pl::detail::kMetaRecord || name == pl::detail::kPositionRecord;
  };
  auto sized = [](const CheckpointRecord& r) {
    return " (" + r.type + ", " + std::to_string(r.payload.size()) + " bytes)";
  };
  for (const CheckpointRecord& ra : a.records) {
    if (skipped(ra.name)) continue;
    const CheckpointRecord* rb = find_record(b, ra.name);
    if (!rb)
      out.push_back(ra.name + ": only in A" + sized(ra));
    else if (ra.type != rb->type)
      out.push_back(ra.name + ": type changed: " + ra.type + " -> " + rb->type);
    else if (ra.payload.size() != rb->payload.size())
      out.push_back(ra.name + ": size changed: " + std::to_string(ra.payload.size()) + " -> " +
                    std::to_string(rb->payload.size()) + " bytes; " +
                    pl::ckpt::describe_difference(ra.type, ra.payload, rb->payload));
    else if (ra.payload != rb->payload)
      out.push_back(ra.name + ": value differs: " +
                    pl::ckpt::describe_difference(ra.type, ra.payload, rb->payload));
  }
  for (const CheckpointRecord& rb : b.records)
    if (!skipped(rb.name) && !find_record(a, rb.name))
      out.push_back(rb.name + ": only in B" + sized(rb));
  return out;
}

int diff(const std::string& path_a, const std::string& path_b) {
  Loaded a = load_file(path_a), b = load_file(path_b);
  for (const Loaded* l : {&a, &b})
    if (!l->data) std::cerr << l->path << ": " << l->error << '\n';
  if (!a.data || !b.data) return kError;
  std::cout << "A: " << path_a << " (" << meta_line(*a.data) << ")\n"
            << "B: " << path_b << " (" << meta_line(*b.data) << ")\n";
  std::size_t differences = 0;
  auto section = [&differences](const std::string& title, const std::vector<std::string>& lines) {
    std::cout << title << (lines.empty() ? ": same\n" : ": differs\n");
    for (const std::string& line : lines) std::cout << "  " << line << '\n';
    differences += lines.size();
  };
  section("fingerprint", fingerprint_differences(a.data->fingerprint, b.data->fingerprint));
  section("position", position_differences(*a.data, *b.data));
  section("records", record_differences(*a.data, *b.data));
  std::cout << (differences ? "different" : "identical") << '\n';
  return differences ? kFailed : kOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  // The program's own arguments follow `--`: no option of pl-ckpt's among them.
  if (args[0] == "check-replay") return pl::ckpt::check_replay({args.begin() + 1, args.end()});
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kOk;
    }
  const std::string command = args[0];
  args.erase(args.begin());
  for (const std::string& a : args)
    if (a.size() > 1 && a[0] == '-') return usage_error("unknown option '" + a + "'");
  try {
    if (command == "list" && args.size() == 1) return list(args[0]);
    if (command == "show" && args.size() == 1) return show(args[0]);
    if (command == "verify" && !args.empty()) return verify(args);
    if (command == "diff" && args.size() == 2) return diff(args[0], args[1]);
  } catch (const std::exception& e) {
    std::cerr << "pl-ckpt: " << e.what() << '\n';
    return kError;
  }
  if (command == "list" || command == "show" || command == "verify" || command == "diff")
    return usage_error("wrong number of arguments for '" + command + "'");
  return usage_error("unknown command '" + command + "'");
}
