// Resuming from a checkpoint; see ckpt_resume.h.
#include "ckpt_resume.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <vector>

#include "checkpoint.h"
#include "ckpt_begin_states.h"
#include "ckpt_capture.h"
#include "ckpt_extra_state.h"
#include "ckpt_writer.h"
#include "hook_state.h"
#include "inputs.h"
#include "registry.h"

namespace pl::detail {

std::string_view trimmed_type_name(const abi::TypeInfo& t);

struct Resumer::Loaded {
  std::string file;
  CheckpointData data;
  std::vector<PositionEntry> pos;
  std::vector<CompletedLoop> done;
  Meta meta;
};

namespace {

[[noreturn]] void diverged(const std::string& why) {
  std::fprintf(stderr,
               "pl: resume failed: %s.\nThe replayed run did not follow the saved position; "
               "was the program run with the same arguments and inputs?\n",
               why.c_str());
  std::fflush(stderr);
  std::_Exit(2);
}

std::string site_name(const abi::Loop& l) { return l.site.desc->name; }

// Why the loaded checkpoint does not fit this program: `hard` reasons
// refuse it, `soft` ones only without PL_RESUME_FORCE.
void compare_fingerprints(const Resumer::Loaded& r, std::vector<std::string>& hard,
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
      soft.push_back("the code of loop '" + name +
                     "' changed (its function, a function it calls, or its state layout)");
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

void refuse_unless_forced(const std::string& file, const std::vector<std::string>& hard,
                          const std::vector<std::string>& soft) {
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
               file.c_str(), why.c_str(),
               hard.empty() ? "If these changes do not affect the saved state, set "
                              "PL_RESUME_FORCE=1 to resume anyway."
                            : "The saved state cannot be restored into this program; "
                              "remove the checkpoints to start over.");
  std::fflush(stderr);
  std::_Exit(2);
}

void parse_records(Resumer::Loaded& r) {
  bool has_position = false;
  for (const CheckpointRecord& rec : r.data.records) {
    if (rec.name == kPositionRecord) {
      r.pos = decode_position(rec.payload);
      has_position = true;
    } else if (rec.name == kCompletedRecord) {
      r.done = decode_completed(rec.payload);
    } else if (rec.name == kMetaRecord) {
      r.meta = decode_meta(rec.payload);
    }
  }
  if (!has_position || r.pos.empty())
    throw FormatError("pl: the checkpoint has no position record");
}

}  // namespace

std::string program_fingerprint() {
  std::vector<std::pair<std::string, FingerprintLoop>> loops;
  for (const abi::ManifestLoop& m : Registry::get().manifest())
    loops.push_back({m.name, {m.state ? m.state : "", m.code_hash ? m.code_hash : ""}});
  // Arguments and input files (inputs.h) follow the loops.
  return format_fingerprint(abi::kContractVersion, loops) + render_inputs();
}

Resumer& Resumer::get() {
  static Resumer* r = new Resumer;  // leaked: loops may run during exit
  return *r;
}

void Resumer::load(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (looked_) return;
  looked_ = true;
  auto files = CheckpointWriter::list_files(dir);
  for (std::size_t i = files.size(); i-- > 0;) {
    try {
      auto r = std::make_unique<Loaded>();
      r->file = files[i].second;
      r->data = read_checkpoint(r->file);
      parse_records(*r);
      loaded_ = std::move(r);
      break;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pl: resume: %s is unusable (%s); %s\n", files[i].second.c_str(),
                   e.what(), i > 0 ? "falling back to the previous checkpoint" : "none left");
    }
  }
  if (!loaded_) {
    std::fprintf(stderr, "pl: resume: no valid checkpoint in '%s'; starting from the beginning\n",
                 dir.c_str());
    ExtraStates::get().start_over();
    return;
  }
  pending_verify_.store(true, std::memory_order_release);
}

void Resumer::after_config() {
  std::lock_guard lock(mu_);
  if (!resume_requested() || looked_) return;
  std::fprintf(stderr,
               "pl: PL_RESUME is set but no checkpoint policy is attached (add e.g. "
               "'checkpoint <loop> every=100 dir=ckpt' to PL_CONFIG); starting from the "
               "beginning\n");
  ExtraStates::get().start_over();
}

void Resumer::verify() {
  {
    std::lock_guard lock(mu_);
    if (!pending_verify_.load()) return;
    pending_verify_.store(false);
    std::vector<std::string> hard, soft;
    compare_fingerprints(*loaded_, hard, soft);
    refuse_unless_forced(loaded_->file, hard, soft);
    accept();
  }
  Registry::get().remask_all();
}

void Resumer::accept() {
  try {
    ExtraStates::get().restore_all(loaded_->data.records);
  } catch (const std::exception& e) {
    diverged(std::string("cannot restore the state of a hook: ") + e.what());
  }
  for (const PositionEntry& e : loaded_->pos)
    if (e.role == kOtherFrame) BeginStates::get().add_enclosing(e.site);
  for (const CheckpointRecord& rec : loaded_->data.records) records_[rec.name] = &rec;
  std::fprintf(stderr, "pl: resuming from %s (%s checkpoint at %s)\n", loaded_->file.c_str(),
               loaded_->meta.reason.c_str(), loaded_->meta.summary.c_str());
  resuming_.store(true, std::memory_order_release);
}

std::uint32_t Resumer::on_enter(Activation& r, Activation& parent, bool top_level,
                                const abi::PointDesc* point, void* const* addrs) {
  bool finished = false;
  std::uint32_t actions;
  {
    std::lock_guard lock(mu_);
    if (!loaded_) return abi::kNone;
    const std::size_t next = top_level ? 0 : std::size_t(parent.path + 1);
    if (next == 0 && root_matched_) return abi::kNone;  // another thread follows the path
    actions = match(r, parent, next, point, addrs, finished);
  }
  if (finished) Registry::get().remask_all();
  return actions;
}

std::uint32_t Resumer::match(Activation& r, Activation& parent, std::size_t next,
                             const abi::PointDesc* point, void* const* addrs, bool& finished) {
  const std::string name = site_name(*r.loop);
  const auto& pos = loaded_->pos;
  if (next < pos.size() && pos[next].site == name && pos[next].activation == r.activation) {
    if (next == 0) root_matched_ = true;
    r.path = int(next);
    if (pos[next].role != kExited) return abi::kNone;
    restore(point, addrs, state_prefix(next), true, name);
    r.restored = true;
    finished_at(name, r.loop->iterations);
    finished = true;
    return abi::kBreak;
  }
  // Its effects are restored by the loop right after it, the one resumed.
  if (next < pos.size()) {
    const abi::ManifestLoop* m = manifest_of(*r.rt);
    if (m && m->restored_by && pos[next].site == m->restored_by &&
        (!m->uncaptured || !*m->uncaptured)) {
      std::fprintf(stderr,
                   "pl: resume: skipped completed loop '%s' (the state of '%s' holds all it "
                   "changed)\n",
                   name.c_str(), m->restored_by);
      return abi::kBreak;
    }
  }
  return skip_completed(r, parent, next, point, addrs);
}

// A loop that had completed in the saved iteration, with its exit state saved.
std::uint32_t Resumer::skip_completed(Activation& r, Activation& parent, std::size_t next,
                                      const abi::PointDesc* point, void* const* addrs) {
  const std::string name = site_name(*r.loop);
  for (std::size_t j = 0; j < loaded_->done.size(); ++j) {
    const CompletedLoop& d = loaded_->done[j];
    if (d.level != next || d.site != name || d.activation != r.activation) continue;
    restore(point, addrs, done_prefix(j), true, name);
    // Still completed in this run: later checkpoints must skip it too.
    parent.sync_kids();
    if (point) parent.done.push_back({name, r.activation, save_point(*point, addrs)});
    std::fprintf(stderr, "pl: resume: skipped completed loop '%s' (its result was saved)\n",
                 name.c_str());
    return abi::kBreak;
  }
  return abi::kNone;
}

std::uint32_t Resumer::on_begin(Activation& r, const abi::PointDesc* point, void* const* addrs) {
  bool finished = false;
  std::uint32_t actions;
  {
    std::lock_guard lock(mu_);
    actions = reposition(r, point, addrs, finished);
  }
  if (finished) Registry::get().remask_all();
  return actions;
}

// The first iteration of a loop on the saved position: restore its state
// and move it to the saved iteration.
std::uint32_t Resumer::reposition(Activation& r, const abi::PointDesc* point, void* const* addrs,
                                  bool& finished) {
  abi::Loop& loop = *r.loop;
  const std::size_t k = std::size_t(r.path);
  const auto& pos = loaded_->pos;
  const PositionEntry& e = pos[k];
  const std::string name = site_name(loop);
  // A range-for cannot be repositioned: its hidden iterator advances
  // through the skipped iterations without running their bodies.
  if (loop.site.desc->kind == abi::kRangeFor && loop.iterations < e.iterations) return abi::kSkip;
  if (e.role == kSameFrame) {
    std::size_t m = k;
    while (m < pos.size() && pos[m].role == kSameFrame) ++m;
    restore(point, addrs, state_prefix(m), false, name);
  } else {
    restore(point, addrs, state_prefix(k), true, name);
    if (e.role == kHere) restore(point, addrs, set_prefix(k), false, name);
  }
  loop.iterations = e.iterations;
  r.restored = true;
  if (e.role == kOtherFrame && point) {  // what was restored is this iteration's begin state
    r.begin_state = save_point(*point, addrs);
    r.begin_iter = loop.iterations;
  }
  if (e.role != kHere) return abi::kNone;
  finished_at(name, e.iterations);
  finished = true;
  return abi::kSkip;
}

void Resumer::on_end(const Activation& r) {
  const auto& pos = loaded_->pos;
  if (r.path >= 0 && r.restored && r.path + 1 < int(pos.size()))
    diverged("iteration " + std::to_string(r.loop->iterations - 1) + " of '" +
             site_name(*r.loop) + "' ended without entering '" + pos[std::size_t(r.path) + 1].site +
             "' as the checkpoint recorded");
}

void Resumer::on_drop(const Activation& r) {
  if (r.path >= 0 && !r.restored)
    diverged("loop '" + site_name(*r.loop) + "' ended before reaching the iteration saved in " +
             loaded_->file);
}

// Restores the records under `prefix` into the point's locals of the same
// name. `all`: every record must find its local (else the program does not
// match the checkpoint).
void Resumer::restore(const abi::PointDesc* point, void* const* addrs, const std::string& prefix,
                      bool all, const std::string& loop) {
  for (auto it = records_.lower_bound(prefix);
       it != records_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const std::string var = it->first.substr(prefix.size());
    const CheckpointRecord& rec = *it->second;
    bool found = false;
    for (std::uint32_t i = 0; point && i < point->nvars && !found; ++i) {
      const abi::VarDesc& v = point->vars[i];
      if (var != v.name) continue;
      if (trimmed_type_name(*v.type) != rec.type) {
        if (!all) break;
        diverged("local '" + var + "' of loop '" + loop + "' has type '" +
                 std::string(trimmed_type_name(*v.type)) + "', the checkpoint holds '" + rec.type +
                 "'");
      }
      found = true;
      try {
        if (prefix.rfind("set/", 0) == 0) {
          if (rec.payload.size() != v.type->size) diverged("bad size for '" + var + "'");
          std::memcpy(addrs[i], rec.payload.data(), rec.payload.size());
          ExtraStates::get().note_hook_write(var);  // later checkpoints of this run keep it too
        } else if (v.state) {
          Reader in(rec.payload.data(), rec.payload.size());
          v.state->load(addrs[i], in);
          if (in.remaining() != 0)
            throw FormatError("pl: " + std::to_string(in.remaining()) + " bytes left over");
        } else {
          found = false;
        }
      } catch (const std::exception& e) {
        diverged("cannot restore '" + var + "' of loop '" + loop + "': " + e.what());
      }
    }
    if (!found && all) diverged("loop '" + loop + "' has no state variable '" + var + "' at this point");
  }
}

void Resumer::finished_at(const std::string& loop, std::uint64_t iterations) {
  std::fprintf(stderr, "pl: resumed %s at iteration %llu\n", loop.c_str(),
               (unsigned long long)iterations);
  // Hooks go on with the memory they had at the checkpoint (whatever they
  // did while the run was replayed up to here is replaced).
  HookStateBlobs hook_states;
  for (const CheckpointRecord& rec : loaded_->data.records)
    if (rec.name.rfind(kHookStatePrefix, 0) == 0)
      hook_states.emplace_back(rec.name.substr(std::strlen(kHookStatePrefix)),
                               std::string(rec.payload.begin(), rec.payload.end()));
  try {
    for (const std::string& note : restore_hook_states(hook_states))
      std::fprintf(stderr, "pl: resume: %s\n", note.c_str());
  } catch (const std::exception& e) {
    diverged(std::string("cannot restore the state of a hook: ") + e.what());
  }
  resuming_.store(false, std::memory_order_release);
}

}  // namespace pl::detail
