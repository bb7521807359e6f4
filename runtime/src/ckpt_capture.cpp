// Taking a checkpoint from this thread's activation stack; see ckpt_capture.h.
#include "ckpt_capture.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <set>
#include <stdexcept>

#include "checkpoint_file.h"
#include "ckpt_begin_states.h"
#include "ckpt_extra_state.h"
#include "ckpt_records.h"
#include "ckpt_resume.h"
#include "ckpt_writer.h"
#include "hook_state.h"
#include "registry.h"

namespace pl::detail {

std::string_view trimmed_type_name(const abi::TypeInfo& t);

namespace {

void say_once(const std::string& key, const std::string& message) {
  static std::mutex mu;
  static std::set<std::string>* said = new std::set<std::string>;
  std::lock_guard lock(mu);
  if (said->insert(key).second) std::fprintf(stderr, "%s\n", message.c_str());
}

std::string site_name(const abi::Loop& l) { return l.site.desc->name; }

bool same_function(std::string_view outer, std::string_view inner) {
  return inner.size() > outer.size() && inner.substr(0, outer.size()) == outer &&
         inner[outer.size()] == '/';
}

std::int64_t unix_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::string program_name() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, std::size_t(n)) : std::string("?");
}

// Whether the asking loop is where a checkpoint can be taken at all.
bool takeable_here(const CheckpointRequest& q, const std::vector<Activation>& st) {
  const std::string name = site_name(*q.loop);
  if (!q.point) {  // kExit from ~Loop: left by return, throw or goto
    say_once("nopoint:" + name, "pl: checkpoint: loop '" + name +
                                    "' was left by return, throw or goto: no checkpoint at its "
                                    "end (its locals are out of reach there)");
    return false;
  }
  if (st.empty() || st.back().loop != q.loop) {
    say_once("untracked:" + name,
             "pl: checkpoint: loop '" + name +
                 "' is not tracked on this thread (it started before the policy was attached); "
                 "no checkpoint taken");
    return false;
  }
  return true;
}

// Why position entry `e` (record `r`, the innermost when `last`) cannot be
// saved: said once, and false returned.
bool entry_saveable(const PositionEntry& e, Activation& r, bool last, const CheckpointRequest& q) {
  // Effects of its nest that no state holds (std::rand, a global of another
  // file, an opaque call): a resume would skip them and differ. Refused for
  // every loop on the position, as for state pl cannot save.
  if (const abi::ManifestLoop* m = manifest_of(*r.rt); m && m->uncaptured && *m->uncaptured) {
    say_once("uncaptured:" + e.site,
             "pl: checkpoint: loop '" + e.site +
                 "' cannot be checkpointed: its nest has effects no checkpoint holds (" +
                 m->uncaptured +
                 "), which a resume would not repeat; keep that state in variables (a "
                 "std::mt19937 instead of std::rand) or out of the loop (pl-instrument --list "
                 "shows it as 'always re-run on resume'; no checkpoint is written through it)");
    return false;
  }
  if (e.role != kSameFrame)
    if (const abi::ManifestLoop* m = manifest_of(*r.rt); m && m->unsaveable && *m->unsaveable) {
      say_once("unsaveable:" + e.site,
               "pl: checkpoint: loop '" + e.site + "' cannot be checkpointed: " + m->unsaveable +
                   " (pl-instrument --list shows this; no checkpoint is written through it)");
      return false;
    }
  if (const abi::ManifestLoop* m = manifest_of(*r.rt); m && m->source_hash) {
    std::string hidden = Registry::get().hidden_effect(e.site, m->source_hash);
    if (!hidden.empty()) {
      say_once("hidden:" + e.site,
               "pl: checkpoint: loop '" + e.site +
                   "' cannot be checkpointed: a function it calls has effects no checkpoint "
                   "holds: " +
                   hidden +
                   ", which a resume would not repeat; keep that state in variables the loop "
                   "passes, or out of the loop (no checkpoint is written through it)");
      return false;
    }
  }
  const char* lacking = last                      ? unsaveable_at(*q.point)
                        : e.role == kOtherFrame ? r.begin_unsaveable
                                                : nullptr;
  if (lacking) {
    say_once("unsaveable-var:" + e.site,
             "pl: checkpoint: loop '" + e.site + "' cannot be checkpointed: its state variable '" +
                 lacking + "' has a type pl cannot save (known when its template was "
                 "instantiated); mark it PL_TRANSIENT or give its type a serializer");
    return false;
  }
  if (e.role == kOtherFrame && r.begin_iter != r.loop->iterations) {
    // Its state when this iteration began was not kept: keep it from now on.
    if (BeginStates::get().add_enclosing(e.site)) Registry::get().remask_all();
    if (q.not_yet) *q.not_yet = true;
    say_once("defer:" + e.site,
             "pl: checkpoint: the enclosing loop '" + e.site +
                 "' (another function) has no saved state for its current iteration yet; "
                 "checkpoints start with its next iteration");
    return false;
  }
  return true;
}

// The position of this thread's loops, or false when one of them cannot be saved.
bool build_position(const CheckpointRequest& q, std::vector<Activation>& st,
                    std::vector<PositionEntry>& pos) {
  const std::size_t n = st.size();
  pos.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    Activation& r = st[k];
    PositionEntry& e = pos[k];
    e.site = site_name(*r.loop);
    e.activation = r.activation;
    e.iterations = r.loop->iterations;
    e.role = k + 1 == n ? (q.event == abi::kExit ? kExited : kHere)
             : same_function(e.site, site_name(*st[k + 1].loop)) ? kSameFrame
                                                                  : kOtherFrame;
    if (!entry_saveable(e, r, k + 1 == n, q)) return false;
  }
  return true;
}

void add_vars(CheckpointData& data, const std::string& prefix, const std::vector<SavedVar>& vars) {
  for (const SavedVar& v : vars) data.records.push_back({prefix + v.name, v.type, v.bytes});
}

// pl.completed and the exit states of the loops it lists.
void add_completed(CheckpointData& data, ActivationStack& stack) {
  std::vector<CompletedLoop> done;
  auto collect = [&](Activation& a, std::uint64_t level) {
    if (a.kids_iter != a.iteration_key()) return;
    for (const DoneLoop& d : a.done) {
      add_vars(data, done_prefix(done.size()), d.vars);
      done.push_back({level, d.site, d.activation});
    }
  };
  collect(stack.root(), 0);
  for (std::size_t k = 0; k + 1 < stack.records().size(); ++k)
    collect(stack.records()[k], k + 1);
  data.records.push_back({kCompletedRecord, kCompletedType, encode_completed(done)});
}

// Begin states of loops in other frames, the asking loop's locals now, what
// hooks wrote there, and the extra state.
void add_state(CheckpointData& data, const std::vector<PositionEntry>& pos,
               const std::vector<Activation>& st, const CheckpointRequest& q) {
  const std::size_t n = pos.size();
  for (std::size_t k = 0; k + 1 < n; ++k)
    if (pos[k].role == kOtherFrame) add_vars(data, state_prefix(k), st[k].begin_state);
  std::set<std::string> saved;
  for (SavedVar& v : save_point(*q.point, q.addrs)) {
    saved.insert(v.name);
    data.records.push_back({state_prefix(n - 1) + v.name, v.type, std::move(v.bytes)});
  }
  ExtraStates& extra = ExtraStates::get();
  for (std::uint32_t i = 0; i < q.point->nvars; ++i) {
    const abi::VarDesc& v = q.point->vars[i];
    if (saved.count(v.name) || v.type->kind == abi::kNotScalar || !extra.hook_wrote(v.name))
      continue;
    const auto* b = static_cast<const unsigned char*>(q.addrs[i]);
    data.records.push_back({set_prefix(n - 1) + v.name, std::string(trimmed_type_name(*v.type)),
                            Bytes(b, b + v.type->size)});
  }
  extra.save_all(data.records);
  // The memory of hooks (hook_state.h), one record per hook; asynchronous
  // hooks drain first.
  for (auto& [key, bytes] : save_all_hook_states())
    data.records.push_back(
        {kHookStatePrefix + key, "pl::HookState", Bytes(bytes.begin(), bytes.end())});
}

}  // namespace

bool take_checkpoint(const CheckpointRequest& q) {
  ActivationStack& stack = ActivationStack::here();
  std::vector<Activation>& st = stack.records();
  if (!takeable_here(q, st)) return false;
  std::vector<PositionEntry> pos;
  if (!build_position(q, st, pos)) return false;
  CheckpointData data;
  data.records.push_back({kPositionRecord, kPositionType, encode_position(pos)});
  std::vector<std::int64_t> trips;  // what a replay must compute again (divergence check)
  for (const Activation& r : st) trips.push_back(r.loop->trip);
  data.records.push_back({kTripsRecord, kTripsType, encode_trips(trips)});
  add_completed(data, stack);
  try {
    add_state(data, pos, st, q);
  } catch (const std::exception& e) {
    // A serializer refused the state: this checkpoint cannot be written,
    // and no later one of the loop either (said once, the run goes on).
    say_once("refused:" + pos.back().site, "pl: checkpoint: loop '" + pos.back().site +
                                               "' cannot be checkpointed: " + e.what() +
                                               "; no checkpoint is written through it");
    return false;
  }
  CheckpointWriter& writer = CheckpointWriter::get();
  Meta meta{program_name(), std::uint64_t(unix_now_ns()), writer.next_sequence(), q.reason,
            (q.event == abi::kExit ? "after the loop, " : "") + position_summary_line(pos)};
  data.records.insert(data.records.begin(), {kMetaRecord, kMetaType, encode_meta(meta)});
  data.fingerprint = program_fingerprint();
  if (q.capture) {
    *q.capture = std::move(data);
    return true;
  }
  // The enclosing loops in other frames are known now: only they keep begin
  // states from here on.
  bool remask = false;
  for (const PositionEntry& e : pos)
    if (e.role == kOtherFrame) remask |= BeginStates::get().add_enclosing(e.site);
  if (BeginStates::get().mark_first_checkpoint() || remask) Registry::get().remask_all();
  return writer.submit(std::move(data), meta.sequence, q.wait);
}

std::vector<SavedVar> save_point(const abi::PointDesc& point, void* const* addrs) {
  std::vector<SavedVar> out;
  for (std::uint32_t i = 0; i < point.nvars; ++i) {
    const abi::VarDesc& v = point.vars[i];
    if (!v.state) continue;
    Writer w;
    try {
      v.state->save(addrs[i], w);
    } catch (const std::exception& e) {
      throw std::runtime_error("its state variable '" + std::string(v.name) + "' (" +
                               std::string(trimmed_type_name(*v.type)) + "): " + e.what());
    }
    out.push_back({v.name, std::string(trimmed_type_name(*v.type)), w.take()});
  }
  return out;
}

const char* unsaveable_at(const abi::PointDesc& point) {
  for (std::uint32_t i = 0; i < point.nvars; ++i)
    if (point.vars[i].flags & abi::kUnsaveable) return point.vars[i].name;
  return nullptr;
}

}  // namespace pl::detail
