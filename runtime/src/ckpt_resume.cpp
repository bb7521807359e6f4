// Resuming from a checkpoint; see ckpt_resume.h.
#include "ckpt_resume.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <vector>

#include "checkpoint.h"
#include "ckpt_begin_states.h"
#include "ckpt_capture.h"
#include "ckpt_check.h"
#include "ckpt_extra_state.h"
#include "ckpt_writer.h"
#include "hook_state.h"
#include "registry.h"

namespace pl::detail {

std::string_view trimmed_type_name(const abi::TypeInfo& t);

namespace {

// A resume that cannot go on: the reason, what it means, status 2.
[[noreturn]] void resume_failed(const std::string& why, const char* meaning) {
  std::fprintf(stderr, "pl: resume failed: %s.\n%s\n", why.c_str(), meaning);
  std::fflush(stderr);
  std::_Exit(2);
}

[[noreturn]] void diverged(const std::string& why) {
  resume_failed(why,
                "The replayed run did not follow the saved position: something the checkpoint "
                "does not record (an environment variable, the clock, a file another process "
                "wrote) changed what the program does.");
}

// The replay reached the saved position, but what it rebuilt does not take
// the saved state (another class, another array length, another value of a
// const field): not a change of path, and said so.
[[noreturn]] void restore_failed(const std::string& why) {
  resume_failed(why,
                "The replayed run reached the saved position, but what it rebuilt before the "
                "loop differs from what the checkpoint holds: the code or the inputs that build "
                "it changed, or it depends on something the checkpoint does not record. The run "
                "stops here.");
}

std::string site_name(const abi::Loop& l) { return l.site.desc->name; }

}  // namespace

Resumer& Resumer::get() {
  static Resumer* r = new Resumer;  // leaked: loops may run during exit
  return *r;
}

void Resumer::load(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (looked_) return;
  looked_ = true;
  auto files = CheckpointWriter::list_files(dir);
  if (resume_check_requested()) {
    // Exits when there are not two usable checkpoints.
    loaded_ = choose_for_check(dir, files);
    pending_verify_.store(true, std::memory_order_release);
    return;
  }
  for (std::size_t i = files.size(); i-- > 0;) {
    try {
      loaded_ = std::make_unique<LoadedCheckpoint>(load_checkpoint_file(files[i].second));
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
  if (resume_check_requested()) refuse_check_without_policy();
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
    refuse_unless_fits(*loaded_);
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
  // Another thread follows the path (checked before locking: a serializer
  // restoring state under mu_ may wait for worker threads running loops).
  if (top_level && root_matched_.load(std::memory_order_acquire)) return abi::kNone;
  bool finished = false;
  std::uint32_t actions;
  {
    std::lock_guard lock(mu_);
    if (!loaded_) return abi::kNone;
    const std::size_t next = top_level ? 0 : std::size_t(parent.path + 1);
    if (next == 0 && root_matched_) return abi::kNone;
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
    reached_ = std::max(reached_, next + 1);
    check_trip(r, next);
    if (pos[next].role != kExited) return abi::kNone;
    restore(point, addrs, state_prefix(next), true, name);
    r.restored = true;
    finished_at(name, pos[next].iterations);
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

// The replay computed another trip count for a loop on the path than the
// run that wrote the checkpoint: its bounds were computed from other values.
void Resumer::check_trip(const Activation& r, std::size_t k) {
  if (k >= loaded_->trips.size()) return;
  const std::int64_t saved = loaded_->trips[k], now = r.loop->trip;
  if (saved < 0 || now < 0 || saved == now) return;
  diverged("loop '" + site_name(*r.loop) + "' has " + std::to_string(now) +
           " iterations in this run but had " + std::to_string(saved) + " in the run that wrote " +
           loaded_->file + " (saved at its iteration " +
           std::to_string(shown_iteration(loaded_->pos[k])) + ")");
}

void Resumer::at_exit() {
  std::lock_guard lock(mu_);
  if (!loaded_ || (!pending_verify_.load() && !resuming_.load())) return;
  const auto& pos = loaded_->pos;
  if (reached_ == 0)
    diverged("the run ended without entering loop '" + pos[0].site +
             "', the outermost loop of the position saved in " + loaded_->file);
  if (reached_ < pos.size())
    diverged("the run ended without entering loop '" + pos[reached_].site + "' inside '" +
             pos[reached_ - 1].site + "' as " + loaded_->file + " recorded");
  diverged("the run ended before loop '" + pos.back().site + "' reached the iteration saved in " +
           loaded_->file);
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
        restore_failed("cannot restore '" + var + "' of loop '" + loop + "': " + e.what());
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
