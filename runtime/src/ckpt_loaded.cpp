// Reading a checkpoint for a resume and checking that it fits; see ckpt_loaded.h.
#include "ckpt_loaded.h"

#include <pl/abi.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>

#include "inputs.h"
#include "registry.h"

namespace pl::detail {
namespace {

// A loop's source in the fingerprint is "<its code hash>[+<its callees' in
// other files>]" (program_fingerprint): the part its own file gave.
std::string_view own_code_hash(std::string_view source) {
  return source.substr(0, source.find('+'));
}

// Why the checkpoint does not fit this program: `hard` reasons refuse it,
// `soft` ones only without PL_RESUME_FORCE.
void compare_fingerprints(const LoadedCheckpoint& r, std::vector<std::string>& hard,
                          std::vector<std::string>& soft) {
  const Fingerprint saved = parse_fingerprint(r.data.fingerprint);
  const Fingerprint now = parse_fingerprint(program_fingerprint());
  std::set<std::string> on_path;
  for (const PositionEntry& e : r.pos) on_path.insert(e.site);
  for (const CompletedLoop& e : r.done) on_path.insert(e.site);
  // Only the loops on the resumed path matter: their code hash covers their
  // function, what it calls in its translation unit and their state layout.
  // Other loops run as the new program says, like all code off the path.
  std::size_t elsewhere = 0;
  for (const auto& [name, v] : saved.loops) {
    auto it = now.loops.find(name);
    if (!on_path.count(name)) {
      elsewhere += it == now.loops.end() || it->second.state != v.state ||
                   it->second.source != v.source;
      continue;
    }
    if (it == now.loops.end())
      hard.push_back("loop '" + name + "' no longer exists");
    else if (it->second.state != v.state)
      hard.push_back("the state of loop '" + name + "' changed from {" + v.state + "} to {" +
                     it->second.state + "}");
    else if (it->second.source != v.source)
      soft.push_back("the code of loop '" + name + "' changed (" +
                     (own_code_hash(it->second.source) == own_code_hash(v.source)
                          ? "a function it calls in another file"
                          : "its function, a function it calls, or its state layout") +
                     ")");
  }
  for (const auto& [name, v] : now.loops) elsewhere += !saved.loops.count(name);
  if (elsewhere)
    std::fprintf(stderr,
                 "pl: resume: %zu loop(s) off the resumed path are new, gone or changed; they "
                 "run as this program says\n",
                 elsewhere);
  // Other arguments or changed input files: refused unless forced.
  for (std::string& d : input_differences(r.data.fingerprint)) soft.push_back(std::move(d));
  if (saved.first_line != contract_line(abi::kContractVersion))
    hard.push_back("it was written by another pl contract version");
}

}  // namespace

LoadedCheckpoint load_checkpoint_file(const std::string& file) {
  LoadedCheckpoint r;
  r.file = file;
  r.data = read_checkpoint(file);
  bool has_position = false;
  for (const CheckpointRecord& rec : r.data.records) {
    if (rec.name == kPositionRecord) {
      r.pos = decode_position(rec.payload);
      has_position = true;
    } else if (rec.name == kCompletedRecord) {
      r.done = decode_completed(rec.payload);
    } else if (rec.name == kTripsRecord) {
      r.trips = decode_trips(rec.payload);
    } else if (rec.name == kMetaRecord) {
      r.meta = decode_meta(rec.payload);
    }
  }
  if (!has_position || r.pos.empty())
    throw FormatError("pl: the checkpoint has no position record");
  return r;
}

// Every checkpoint carries the fingerprint, so it is built once and rebuilt
// only when a translation unit registers its loops or the run reads a new
// input file (docs/BENCHMARKS.md §5: fingerprint_bench).
std::string program_fingerprint() {
  static std::mutex mu;
  static std::size_t loops_seen = ~std::size_t(0);
  static std::uint64_t inputs_seen = ~std::uint64_t(0);
  static std::string loops_text, inputs_text;
  std::lock_guard lock(mu);
  const std::size_t n = Registry::get().graph_size();
  if (n != loops_seen) {
    // A loop's code: its own hash (its function and what that calls in its
    // file) and the hashes of the functions of other instrumented files it
    // may call (the joined call graph).
    std::vector<std::pair<std::string, FingerprintLoop>> loops;
    for (const abi::ManifestLoop& m : Registry::get().manifest()) {
      std::string code = m.code_hash ? m.code_hash : "";
      if (const std::string callees = Registry::get().callee_code(m.name); !callees.empty())
        code += "+" + callees;
      loops.push_back({m.name, {m.state ? m.state : "", std::move(code)}});
    }
    loops_text = format_fingerprint(abi::kContractVersion, loops);
    loops_seen = n;
  }
  // Arguments and input files (inputs.h) follow the loops.
  const std::uint64_t g = inputs_generation();
  if (g != inputs_seen) {
    inputs_text = render_inputs();
    inputs_seen = g;
  }
  return loops_text + inputs_text;
}

void refuse_unless_fits(const LoadedCheckpoint& c) {
  std::vector<std::string> hard, soft;
  compare_fingerprints(c, hard, soft);
  const char* force = std::getenv("PL_RESUME_FORCE");
  const bool forced = force && *force && std::string(force) != "0";
  if (hard.empty() && (soft.empty() || forced)) {
    for (const std::string& s : soft)
      std::fprintf(stderr, "pl: resume: PL_RESUME_FORCE is set; accepting: %s\n", s.c_str());
    return;
  }
  std::string why;
  for (const std::string& s : hard) why += "\n  - " + s;
  for (const std::string& s : soft) why += "\n  - " + s;
  std::fprintf(stderr,
               "pl: resume refused: %s was written by a different program (or a run with "
               "other arguments or inputs):%s\n%s\n",
               c.file.c_str(), why.c_str(),
               hard.empty() ? "If these changes do not affect the saved state, set "
                              "PL_RESUME_FORCE=1 to resume anyway."
                            : "The saved state cannot be restored into this program; "
                              "remove the checkpoints to start over.");
  std::fflush(stderr);
  std::_Exit(2);
}

}  // namespace pl::detail
