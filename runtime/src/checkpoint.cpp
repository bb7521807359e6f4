// Checkpoints at loop boundaries and exact resume: the engine behind the
// `checkpoint` hook and PL_RESUME (docs/CHECKPOINTS.md is the contract).
//
// Per thread, one record per active loop activation (pushed at loop_enter,
// popped at loop_exit) knows which activation of its site it is within its
// parent's current iteration, when it started, the exit states of the
// children that completed in the current iteration, and, for loops whose
// callee frames take checkpoints, their state at the start of the current
// iteration. A checkpoint is that stack plus the state of the loop asking.
#include "checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include <tbb/task_group.h>

#include "builtins/common.h"
#include "checkpoint_file.h"
#include "config.h"
#include "hook_state.h"
#include "inputs.h"
#include "registry.h"

namespace pl::detail {

std::string_view trimmed_type_name(const abi::TypeInfo& t);

// Access to a frame's raw locals (the engine saves and restores them).
struct FrameAccess {
  static abi::Loop* loop(const Frame& f) { return f.loop_; }
  static const abi::PointDesc* point(const Frame& f) { return f.point_; }
  static void* const* addrs(const Frame& f) { return f.addrs_; }
};

std::atomic<bool> g_checkpointing{false};

namespace {

constexpr std::uint64_t kNoIteration = ~std::uint64_t(0);
// The first state variable at a point whose type, known only when its
// template was instantiated, has no serializer (abi::kUnsaveable), or null.
const char* unsaveable_at(const abi::PointDesc& point) {
  for (std::uint32_t i = 0; i < point.nvars; ++i)
    if (point.vars[i].flags & abi::kUnsaveable) return point.vars[i].name;
  return nullptr;
}

struct SavedVar {
  std::string name, type;
  std::vector<unsigned char> bytes;
};

struct DoneLoop {
  std::string site;
  std::uint64_t activation = 0;
  std::vector<SavedVar> vars;
};

struct ActRec {
  abi::Loop* loop = nullptr;  // null: the thread's top level
  SiteRt* rt = nullptr;
  std::uint64_t activation = 0;
  std::int64_t t_enter = 0;
  // Children in the current iteration: activations per site, exit states.
  std::uint64_t kids_iter = kNoIteration;
  std::vector<std::pair<const abi::Site*, std::uint64_t>> kid_counts;
  std::vector<DoneLoop> done;
  // State when the current iteration began (loops whose callees checkpoint).
  std::vector<SavedVar> begin_state;
  std::uint64_t begin_iter = kNoIteration;
  const char* begin_unsaveable = nullptr;  // a variable the begin state lacks
  std::int64_t last_begin_ns = 0;
  // Resume: index in the saved position, restored yet.
  int path = -1;
  bool restored = false;

  std::uint64_t iteration_key() const { return loop ? loop->iterations : 0; }
  void sync_kids() {
    if (kids_iter == iteration_key()) return;
    kids_iter = iteration_key();
    kid_counts.clear();
    done.clear();
  }
};

struct ThreadLoops {
  ActRec root;
  std::vector<ActRec> stack;
};
thread_local ThreadLoops tls_loops;

struct PosEntry {
  std::string site;
  std::uint64_t activation = 0, iterations = 0;
  std::uint8_t role = 0;  // docs/CHECKPOINTS.md: 0 other frame, 1 same frame, 2 here, 3 exited
};
enum Role : std::uint8_t { kOtherFrame = 0, kSameFrame = 1, kHere = 2, kExited = 3 };

struct DoneEntry {
  std::uint64_t level = 0;
  std::string site;
  std::uint64_t activation = 0;
};

struct Policy {
  CheckpointPolicy spec;
  std::int64_t last_ns = 0;  // every_seconds: when the last checkpoint was due
};

struct Output {
  std::string key;
  std::function<std::uint64_t()> tell;
  std::function<void(std::uint64_t)> truncate;
};

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  if (g_signal != 0) {  // a second signal: give up waiting for a boundary
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal = sig;
}

std::int64_t unix_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool same_function(std::string_view outer, std::string_view inner) {
  return inner.size() > outer.size() && inner.substr(0, outer.size()) == outer &&
         inner[outer.size()] == '/';
}

std::string site_name(const abi::Loop& l) { return l.site.desc->name; }

class Engine {
 public:
  // Whether a site keeps its state at each iteration start: a proven
  // enclosing loop of checkpoints in another function, or a top-level
  // candidate until the first checkpoint.
  enum SnapLevel { kNoSnap, kCandidate, kEnclosing };
  static Engine& get() {
    static Engine* e = new Engine;  // leaked: loops may run during exit
    return *e;
  }

  // ---- configuration -------------------------------------------------
  void add_policy(std::shared_ptr<Policy> p) {
    {
      std::lock_guard lock(mu_);
      policies_.push_back(p);
      dir_ = p->spec.dir;
      keep_ = p->spec.keep;
      if (!finish_registered_) {
        finish_registered_ = true;
        at_exit([] { checkpoint_finish(); });
      }
      if (p->spec.on_signal && !signals_installed_) {
        signals_installed_ = true;
        struct sigaction sa{};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, nullptr);
        sigaction(SIGTERM, &sa, nullptr);
      }
      // Past a file-size limit, write() must fail (EFBIG: one message, the
      // run goes on) rather than SIGXFSZ killing the training run.
      struct sigaction old{};
      if (sigaction(SIGXFSZ, nullptr, &old) == 0 && old.sa_handler == SIG_DFL)
        std::signal(SIGXFSZ, SIG_IGN);
      remove_torn_writes();
      next_seq_ = std::max(next_seq_, highest_seq() + 1);
      if (resume_requested() && !resume_looked_) {
        resume_looked_ = true;
        load_resume();
      }
    }
    activate();
  }

  void activate() {
    g_checkpointing.store(true);
    Registry::get().remask();
  }

  // ---- masks ----------------------------------------------------------
  std::uint8_t mask(const SiteRt& rt) const {
    std::uint8_t m = abi::kTrack | abi::kEnter | abi::kExit;
    if (resuming_.load(std::memory_order_relaxed) || snap_level(rt) != kNoSnap)
      m |= abi::kBegin | abi::kEnd;
    return m;
  }
  bool every_begin(const SiteRt& rt) const {
    return g_checkpointing.load(std::memory_order_relaxed) &&
           (resuming_.load(std::memory_order_relaxed) || snap_level(rt) != kNoSnap);
  }

  // ---- events ---------------------------------------------------------
  std::uint32_t event(SiteRt& rt, abi::Loop& loop, abi::Event ev, const abi::PointDesc* point,
                      void* const* addrs) {
    if (pending_verify_.load(std::memory_order_acquire)) verify_resume();
    switch (ev) {
      case abi::kEnter:
        return enter(rt, loop, point, addrs);
      case abi::kBegin:
        return begin(rt, loop, point, addrs);
      case abi::kEnd:
        end(loop);
        return abi::kNone;
      case abi::kExit:
        exit(loop, point, addrs);
        return abi::kNone;
      default:
        return abi::kNone;
    }
  }

  void pop(abi::Loop& loop) {
    auto& st = tls_loops.stack;
    for (std::size_t i = st.size(); i-- > 0;) {
      if (st[i].loop != &loop) continue;
      if (st[i].path >= 0 && !st[i].restored && resuming_.load())
        diverged("loop '" + site_name(loop) + "' ended before reaching the iteration saved in " +
                 resume_->file);
      st.erase(st.begin() + std::ptrdiff_t(i), st.end());
      break;
    }
    loop.state &= ~std::uint32_t(kHasRec);
  }

  // ---- policy hook ----------------------------------------------------
  void on_policy(Frame& f, Policy& policy) {
    const CheckpointPolicy& p = policy.spec;
    if (resuming_.load(std::memory_order_relaxed)) return;
    if (f.event() == Event::loop_exit) {
      if (p.at_end) take(f, "end", true);
      return;
    }
    const int sig = g_signal;
    if (p.on_signal && sig != 0) {
      if (take(f, "signal", true)) {
        std::fprintf(stderr,
                     "pl: %s received: checkpoint %s written at %.*s iteration %llu; resume with "
                     "PL_RESUME=1 and the same command\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM", last_good().c_str(),
                     int(f.loop().size()), f.loop().data(), (unsigned long long)f.iteration());
      } else {
        std::fprintf(stderr, "pl: %s received; no checkpoint could be written here\n",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
      }
      std::fflush(nullptr);
      run_exit_handlers();
      std::_Exit(128 + sig);
    }
    bool due = p.every > 0 && (f.iteration() + 1) % p.every == 0;
    if (p.every_seconds > 0) {
      const std::int64_t now = steady_now_ns();
      if (policy.last_ns == 0) policy.last_ns = now;
      if (double(now - policy.last_ns) >= p.every_seconds * 1e9) {
        due = true;
        policy.last_ns = now;
      }
    }
    if (due) take(f, p.every_seconds > 0 && p.every == 0 ? "seconds" : "every", false);
  }

  void note_write(const abi::Loop&, std::string_view var) {
    std::lock_guard lock(mu_);
    hook_written_.insert(std::string(var));
  }

  void add_output(Output o) {
    std::lock_guard lock(mu_);
    if (fresh_start_) o.truncate(0);  // PL_RESUME, but nothing to resume from
    outputs_.push_back(std::move(o));
  }

  // After the configuration: PL_RESUME without any checkpoint policy.
  void after_config() {
    std::lock_guard lock(mu_);
    if (!resume_requested() || resume_looked_) return;
    std::fprintf(stderr,
                 "pl: PL_RESUME is set but no checkpoint policy is attached (add e.g. "
                 "'checkpoint <loop> every=100 dir=ckpt' to PL_CONFIG); starting from the "
                 "beginning\n");
    start_over();
  }

  void finish() {
    // Nothing written: nothing to wait for (and no oneTBB to start at exit).
    // At exit, the handler registered with the first write already waited.
    if (exit_wait_registered_.load() && !exit_waited_.load()) writes_.wait();
    {
      std::lock_guard lock(mu_);
      if (failed_writes_ > 1)
        std::fprintf(stderr, "pl: %llu checkpoint writes failed in this run%s%s\n",
                     (unsigned long long)failed_writes_,
                     last_good_.empty() ? "; there is no checkpoint from it" : "; the last good one is ",
                     last_good_.c_str());
    }
    const std::uint64_t skipped = skipped_.load();
    if (skipped > 0)
      std::fprintf(stderr,
                   "pl: %llu checkpoint(s) were skipped because the previous one was still "
                   "being written\n",
                   (unsigned long long)skipped);
  }

 private:
  // ---- loop records ---------------------------------------------------
  static ActRec* top_for(abi::Loop& loop) {
    auto& st = tls_loops.stack;
    for (std::size_t i = st.size(); i-- > 0;)
      if (st[i].loop == &loop) return &st[i];
    return nullptr;
  }
  static ActRec& parent_of(std::size_t index) {
    return index == 0 ? tls_loops.root : tls_loops.stack[index - 1];
  }

  std::uint32_t enter(SiteRt& rt, abi::Loop& loop, const abi::PointDesc* point,
                      void* const* addrs) {
    if (!(loop.state & kLinked) || (loop.state & kHasRec)) return abi::kNone;
    auto& st = tls_loops.stack;
    ActRec& parent = st.empty() ? tls_loops.root : st.back();
    parent.sync_kids();
    std::uint64_t activation = 0;
    bool found = false;
    for (auto& [s, n] : parent.kid_counts)
      if (s == &loop.site) {
        activation = n++;
        found = true;
      }
    if (!found) parent.kid_counts.emplace_back(&loop.site, 1);
    if (st.empty() && !first_taken_.load(std::memory_order_relaxed)) {
      // A top-level loop may turn out to enclose checkpoints taken in the
      // functions it calls (main's fold loop around train()): keep its state
      // at the start of each iteration, while that is cheap, until the first
      // checkpoint shows which loops really enclose one.
      bool added;
      {
        std::lock_guard lock(snap_mu_);
        added = candidates_.insert(site_name(loop)).second;
      }
      if (added) remask_pending_flag_.store(true);
    }
    const int parent_path = st.empty() ? -1 : parent.path;
    const bool parent_on_path = st.empty() || parent.path >= 0;
    ActRec r;
    r.loop = &loop;
    r.rt = &rt;
    r.activation = activation;
    r.t_enter = steady_now_ns();
    loop.state |= kHasRec;
    std::uint32_t actions = abi::kNone;
    if (resuming_.load(std::memory_order_acquire) && parent_on_path)
      actions = match(r, loop, parent_path, point, addrs);
    st.push_back(std::move(r));
    return actions;
  }

  std::uint32_t begin(SiteRt& rt, abi::Loop& loop, const abi::PointDesc* point,
                      void* const* addrs) {
    ActRec* r = top_for(loop);
    if (!r) return abi::kNone;
    if (r->path >= 0 && !r->restored) return resume_begin(*r, loop, point, addrs);
    const SnapLevel level = point ? snap_level(rt) : kNoSnap;
    if (level != kNoSnap && worth_keeping_begin(*r, loop, level, *point, addrs)) {
      r->begin_unsaveable = unsaveable_at(*point);
      r->begin_state = save_point(*point, addrs);
      r->begin_iter = loop.iterations;
    }
    return abi::kNone;
  }

  // A proven enclosing loop always keeps its begin state; a candidate only
  // while that costs under 1% of its iterations (a data-loading loop whose
  // state is the growing data set must not copy it every iteration).
  bool worth_keeping_begin(ActRec& r, const abi::Loop& loop, SnapLevel level,
                           const abi::PointDesc& point, void* const* addrs) {
    const std::int64_t now = steady_now_ns(), last = r.last_begin_ns;
    r.last_begin_ns = now;
    if (level == kEnclosing) return true;
    const double elapsed = double(now - last) * 1e-9;
    if (loop.iterations > 1 && elapsed < 0.01) return false;
    std::uint64_t bytes = 0;
    for (std::uint32_t i = 0; i < point.nvars; ++i)
      if (const abi::StateOps* ops = point.vars[i].state) bytes += ops->bytes(addrs[i]);
    return loop.iterations == 1 ? bytes < (1u << 20) : double(bytes) / 1e9 < 0.01 * elapsed;
  }

  void end(abi::Loop& loop) {
    if (!resuming_.load(std::memory_order_relaxed)) return;
    ActRec* r = top_for(loop);
    if (r && r->path >= 0 && r->restored && resume_ && r->path + 1 < int(resume_->pos.size()))
      diverged("iteration " + std::to_string(loop.iterations - 1) + " of '" + site_name(loop) +
               "' ended without entering '" + resume_->pos[std::size_t(r->path) + 1].site +
               "' as the checkpoint recorded");
  }

  void exit(abi::Loop& loop, const abi::PointDesc* point, void* const* addrs) {
    auto& st = tls_loops.stack;
    ActRec* r = top_for(loop);
    if (!r || !point || policies_empty() || resuming_.load(std::memory_order_relaxed)) return;
    std::size_t index = std::size_t(r - st.data());
    // A completed loop: keep its exit state when re-running it costs more
    // than storing it (see docs/CHECKPOINTS.md).
    const abi::ManifestLoop* m = manifest_of(*r->rt);
    if (m && ((m->unsaveable && *m->unsaveable) || (m->uncaptured && *m->uncaptured))) return;
    const double seconds = double(steady_now_ns() - r->t_enter) * 1e-9;
    if (seconds < 0.002) return;
    std::uint64_t bytes = 0;
    bool any = false;
    for (std::uint32_t i = 0; i < point->nvars; ++i)
      if (const abi::StateOps* ops = point->vars[i].state) {
        bytes += ops->bytes(addrs[i]);
        any = true;
      }
    if (!any || seconds <= 4.0 * double(bytes) / bandwidth_.load()) return;
    ActRec& parent = parent_of(index);
    parent.sync_kids();
    parent.done.push_back({site_name(loop), r->activation, save_point(*point, addrs)});
  }

  // ---- saving -----------------------------------------------------------
  static std::vector<SavedVar> save_point(const abi::PointDesc& point, void* const* addrs) {
    std::vector<SavedVar> out;
    for (std::uint32_t i = 0; i < point.nvars; ++i) {
      const abi::VarDesc& v = point.vars[i];
      if (!v.state) continue;
      Writer w;
      v.state->save(addrs[i], w);
      out.push_back({v.name, std::string(trimmed_type_name(*v.type)), w.take()});
    }
    return out;
  }

  bool take(Frame& f, const char* reason, bool wait) {
    abi::Loop* loop = FrameAccess::loop(f);
    const abi::PointDesc* point = FrameAccess::point(f);
    void* const* addrs = FrameAccess::addrs(f);
    auto& st = tls_loops.stack;
    if (loop && !point) {  // kExit from ~Loop: left by return, throw or goto
      once("nopoint:" + site_name(*loop),
           "pl: checkpoint: loop '" + site_name(*loop) +
               "' was left by return, throw or goto: no checkpoint at its end (its locals are "
               "out of reach there)");
      return false;
    }
    if (!loop || st.empty() || st.back().loop != loop) {
      once("untracked:" + site_name(*loop),
           "pl: checkpoint: loop '" + site_name(*loop) +
               "' is not tracked on this thread (it started before the policy was attached); "
               "no checkpoint taken");
      return false;
    }
    const std::size_t n = st.size();
    CheckpointData data;
    std::vector<PosEntry> pos(n);
    std::string summary;
    for (std::size_t k = 0; k < n; ++k) {
      ActRec& r = st[k];
      pos[k].site = site_name(*r.loop);
      pos[k].activation = r.activation;
      pos[k].iterations = r.loop->iterations;
      pos[k].role = k + 1 == n ? (f.event() == Event::loop_exit ? kExited : kHere)
                    : same_function(pos[k].site, site_name(*st[k + 1].loop)) ? kSameFrame
                                                                              : kOtherFrame;
      if (pos[k].role != kSameFrame)
        if (const abi::ManifestLoop* m = manifest_of(*r.rt); m && m->unsaveable && *m->unsaveable) {
          once("unsaveable:" + pos[k].site,
               "pl: checkpoint: loop '" + pos[k].site +
                   "' cannot be checkpointed: " + m->unsaveable +
                   " (pl-instrument warned about it; mark the variable PL_TRANSIENT or give its "
                   "type a serializer)");
          return false;
        }
      const char* lacking = k + 1 == n ? unsaveable_at(*point)
                            : pos[k].role == kOtherFrame ? r.begin_unsaveable
                                                         : nullptr;
      if (lacking) {
        once("unsaveable-var:" + pos[k].site,
             "pl: checkpoint: loop '" + pos[k].site + "' cannot be checkpointed: its state "
                 "variable '" + lacking + "' has a type pl cannot save (known when its template "
                 "was instantiated); mark it PL_TRANSIENT or give its type a serializer");
        return false;
      }
      if (pos[k].role == kOtherFrame && r.begin_iter != r.loop->iterations) {
        // Its state when this iteration began was not kept: keep it from now on.
        bool added;
        {
          std::lock_guard lock(snap_mu_);
          added = snap_names_.insert(pos[k].site).second;
        }
        if (added) Registry::get().remask();
        once("defer:" + pos[k].site,
             "pl: checkpoint: the enclosing loop '" + pos[k].site +
                 "' (another function) has no saved state for its current iteration yet; "
                 "checkpoints start with its next iteration");
        return false;
      }
      summary += (k ? " > " : "") + pos[k].site + " " +
                 std::to_string(pos[k].role == kExited ? r.loop->iterations
                                                       : r.loop->iterations - 1);
    }
    summary = (f.event() == Event::loop_exit ? "after the loop, " : "") + summary;

    auto add = [&](std::string name, std::string type, std::vector<unsigned char> payload) {
      data.records.push_back({std::move(name), std::move(type), std::move(payload)});
    };
    // Position and completed loops.
    {
      Writer w;
      w.u64(pos.size());
      for (const PosEntry& e : pos) {
        save(w, e.site);
        w.u64(e.activation);
        w.u64(e.iterations);
        save(w, e.role);
      }
      add("pl.position", "pl::Position", w.take());
    }
    {
      Writer w;
      std::vector<std::pair<std::uint64_t, const DoneLoop*>> done;
      auto collect = [&](ActRec& a, std::uint64_t level) {
        if (a.kids_iter != a.iteration_key()) return;
        for (const DoneLoop& d : a.done) done.emplace_back(level, &d);
      };
      collect(tls_loops.root, 0);
      for (std::size_t k = 0; k + 1 < n; ++k) collect(st[k], k + 1);
      w.u64(done.size());
      for (std::size_t j = 0; j < done.size(); ++j) {
        w.u64(done[j].first);
        save(w, done[j].second->site);
        w.u64(done[j].second->activation);
        for (const SavedVar& v : done[j].second->vars)
          add("done/" + std::to_string(j) + "/" + v.name, v.type, v.bytes);
      }
      add("pl.completed", "pl::Completed", w.take());
    }
    // State: begin states of loops in other frames, the asking loop's now.
    for (std::size_t k = 0; k + 1 < n; ++k)
      if (pos[k].role == kOtherFrame)
        for (const SavedVar& v : st[k].begin_state)
          add("state/" + std::to_string(k) + "/" + v.name, v.type, v.bytes);
    // [hook-state] The memory of hooks (hook_state.h), one record per hook;
    // asynchronous hooks drain first, before the output offsets below.
    for (auto& [key, bytes] : save_all_hook_states())
      add("hookstate/" + key, "pl::HookState", {bytes.begin(), bytes.end()});
    std::set<std::string> saved;
    for (SavedVar& v : save_point(*point, addrs)) {
      saved.insert(v.name);
      add("state/" + std::to_string(n - 1) + "/" + v.name, v.type, std::move(v.bytes));
    }
    {
      std::lock_guard lock(mu_);
      for (std::uint32_t i = 0; i < point->nvars; ++i) {
        const abi::VarDesc& v = point->vars[i];
        if (saved.count(v.name) || !hook_written_.count(v.name) || v.type->kind == abi::kNotScalar)
          continue;
        const auto* b = static_cast<const unsigned char*>(addrs[i]);
        add("set/" + std::to_string(n - 1) + "/" + v.name,
            std::string(trimmed_type_name(*v.type)),
            std::vector<unsigned char>(b, b + v.type->size));
      }
      for (Output& o : outputs_) {
        Writer w;
        w.u64(o.tell());
        add("hook/" + o.key, "pl::FileOffset", w.take());
      }
    }
    {
      Writer w;
      save(w, program_name());
      w.u64(std::uint64_t(unix_now_ns()));
      std::uint64_t seq;
      {
        std::lock_guard lock(mu_);
        seq = next_seq_++;
      }
      w.u64(seq);
      save(w, std::string(reason));
      save(w, summary);
      data.records.insert(data.records.begin(), {"pl.meta", "pl::Meta", w.take()});
      data.fingerprint = fingerprint();
      {
        // The enclosing loops in other frames are known now: only they keep
        // begin states from here on.
        std::lock_guard lock(snap_mu_);
        for (const PosEntry& e : pos)
          if (e.role == kOtherFrame) snap_names_.insert(e.site);
      }
      if (!first_taken_.exchange(true)) remask_pending_flag_.store(true);
      return submit(std::move(data), seq, wait);
    }
  }

  // ---- writing -------------------------------------------------------------
  bool submit(CheckpointData data, std::uint64_t seq, bool wait) {
    if (wait) {
      writes_.wait();
      in_flight_.store(true);
    } else if (in_flight_.exchange(true)) {
      skipped_.fetch_add(1);
      return false;
    }
    std::string dir;
    {
      std::lock_guard lock(mu_);
      dir = dir_;
    }
    char name[64];
    std::snprintf(name, sizeof name, "/ckpt-%06llu.plck", (unsigned long long)seq);
    std::string path = dir + name;
    auto shared = std::make_shared<CheckpointData>(std::move(data));
    writes_.run([this, shared, path, dir] {
      write_one(*shared, path, dir);
      in_flight_.store(false);
    });
    // oneTBB's own statics were made by the first run() above, after libpl's
    // exit handler was registered, so they are destroyed before it runs: a
    // write still in flight at exit must be waited for earlier, by a handler
    // registered now (exit handlers run in reverse order of registration).
    if (!exit_wait_registered_.exchange(true))
      std::atexit([] {
        Engine& e = Engine::get();
        e.writes_.wait();
        e.exit_waited_.store(true);  // oneTBB may be gone when finish() runs
      });
    if (wait) {
      writes_.wait();
      std::lock_guard lock(mu_);
      return last_good_ == path;
    }
    return true;
  }

  void write_one(const CheckpointData& data, const std::string& path, const std::string& dir) {
    const std::int64_t t0 = steady_now_ns();
    try {
      ::mkdir(dir.c_str(), 0777);
      write_checkpoint(path, data);
    } catch (const std::exception& e) {
      // Said once per cause (disk full, permission ...), counted after that.
      std::lock_guard lock(mu_);
      const std::string what = e.what();
      const std::size_t colon = what.rfind(": ");
      if (write_errors_.insert(colon == std::string::npos ? what : what.substr(colon + 2)).second)
        std::fprintf(stderr,
                     "pl: checkpoint: %s; the run continues (further failures like this one are "
                     "counted)%s%s\n",
                     what.c_str(), last_good_.empty() ? "" : ", the last good checkpoint is ",
                     last_good_.c_str());
      ++failed_writes_;
      return;
    }
    const double seconds = double(steady_now_ns() - t0) * 1e-9;
    std::size_t bytes = 0;
    for (const CheckpointRecord& r : data.records) bytes += r.payload.size() + 64;
    if (seconds > 0 && bytes > (1u << 20)) bandwidth_.store(double(bytes) / seconds);
    std::lock_guard lock(mu_);
    last_good_ = path;
    prune(dir);
  }

  static std::vector<std::pair<std::uint64_t, std::string>> list_files(const std::string& dir) {
    std::vector<std::pair<std::uint64_t, std::string>> files;
    if (DIR* d = ::opendir(dir.c_str())) {
      while (dirent* e = ::readdir(d)) {
        unsigned long long seq = 0;
        char tail[8] = {};
        if (std::sscanf(e->d_name, "ckpt-%llu.plc%1s", &seq, tail) == 2 &&
            std::string(e->d_name).size() == 16 && std::string(tail) == "k")
          files.emplace_back(seq, dir + "/" + e->d_name);
      }
      ::closedir(d);
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // A process killed while writing leaves its temporary file: never a
  // checkpoint (the rename did not happen), so it goes.
  void remove_torn_writes() const {  // holds mu_
    if (DIR* d = ::opendir(dir_.c_str())) {
      std::vector<std::string> torn;
      while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name.rfind("ckpt-", 0) == 0 && name.find(".plck.tmp") != std::string::npos)
          torn.push_back(dir_ + "/" + name);
      }
      ::closedir(d);
      for (const std::string& t : torn) ::unlink(t.c_str());
    }
  }

  std::uint64_t highest_seq() const {
    auto files = list_files(dir_);
    return files.empty() ? 0 : files.back().first;
  }

  void prune(const std::string& dir) {  // holds mu_
    auto files = list_files(dir);
    for (std::size_t i = 0; i + keep_ < files.size(); ++i) ::unlink(files[i].second.c_str());
  }

  std::string last_good() {
    std::lock_guard lock(mu_);
    return last_good_;
  }

  // ---- fingerprint ---------------------------------------------------------
  static std::string fingerprint() {
    std::vector<std::string> lines;
    for (const abi::ManifestLoop& m : Registry::get().manifest())
      lines.push_back(std::string("loop ") + m.name + " state " + (m.state ? m.state : "") +
                      " src " + (m.source_hash ? m.source_hash : ""));
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    std::string s = "pl-contract " + std::to_string(abi::kContractVersion) + "\n";
    for (const std::string& l : lines) s += l + "\n";
    return s + render_inputs();  // [inputs] arguments and input files (inputs.h)
  }

  static std::map<std::string, std::pair<std::string, std::string>> parse_fingerprint(
      const std::string& text) {
    std::map<std::string, std::pair<std::string, std::string>> loops;  // name -> state, src
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("loop ", 0) != 0) continue;
      std::size_t s = line.find(" state "), h = line.rfind(" src ");
      if (s == std::string::npos || h == std::string::npos || h < s) continue;
      loops[line.substr(5, s - 5)] = {line.substr(s + 7, h - s - 7), line.substr(h + 5)};
    }
    return loops;
  }

  // ---- resume --------------------------------------------------------------
  struct Resume {
    std::string file;
    CheckpointData data;
    std::vector<PosEntry> pos;
    std::vector<DoneEntry> done;
    std::string summary, reason;
    std::map<std::string, std::uint64_t> offsets;  // hook outputs
    HookStateBlobs hook_states;                    // [hook-state]
  };

  static std::string program_name() {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, std::size_t(n)) : std::string("?");
  }

  static void parse_resume(Resume& r) {
    for (const CheckpointRecord& rec : r.data.records) {
      Reader in(rec.payload.data(), rec.payload.size());
      if (rec.name == "pl.position") {
        std::size_t n = in.count(25);
        for (std::size_t i = 0; i < n; ++i) {
          PosEntry e;
          load(in, e.site);
          e.activation = in.u64();
          e.iterations = in.u64();
          load(in, e.role);
          r.pos.push_back(std::move(e));
        }
      } else if (rec.name == "pl.completed") {
        std::size_t n = in.count(24);
        for (std::size_t i = 0; i < n; ++i) {
          DoneEntry e;
          e.level = in.u64();
          load(in, e.site);
          e.activation = in.u64();
          r.done.push_back(std::move(e));
        }
      } else if (rec.name == "pl.meta") {
        std::string program;
        load(in, program);
        in.u64();
        in.u64();
        load(in, r.reason);
        load(in, r.summary);
      } else if (rec.name.rfind("hook/", 0) == 0) {
        r.offsets[rec.name.substr(5)] = in.u64();
      } else if (rec.name.rfind("hookstate/", 0) == 0) {  // [hook-state]
        r.hook_states.emplace_back(rec.name.substr(10),
                                   std::string(rec.payload.begin(), rec.payload.end()));
      }
    }
    if (r.pos.empty()) throw FormatError("pl: the checkpoint has no position record");
  }

  void load_resume() {  // holds mu_
    auto files = list_files(dir_);
    for (std::size_t i = files.size(); i-- > 0;) {
      try {
        auto r = std::make_unique<Resume>();
        r->file = files[i].second;
        r->data = read_checkpoint(r->file);
        parse_resume(*r);
        resume_ = std::move(r);
        break;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "pl: resume: %s is unusable (%s); %s\n", files[i].second.c_str(),
                     e.what(), i > 0 ? "falling back to the previous checkpoint" : "none left");
      }
    }
    if (!resume_) {
      std::fprintf(stderr, "pl: resume: no valid checkpoint in '%s'; starting from the beginning\n",
                   dir_.c_str());
      start_over();
      return;
    }
    pending_verify_.store(true, std::memory_order_release);
  }

  // At the first loop event: every instrumented TU has registered its
  // manifest, so the program's fingerprint is complete.
  void start_over() {  // holds mu_
    fresh_start_ = true;
    for (Output& o : outputs_) o.truncate(0);
  }

  void verify_resume() {
    std::lock_guard lock(mu_);
    if (!pending_verify_.load()) return;
    pending_verify_.store(false);
    auto saved = parse_fingerprint(resume_->data.fingerprint);
    auto now = parse_fingerprint(fingerprint());
    std::set<std::string> on_path;
    for (const PosEntry& e : resume_->pos) on_path.insert(e.site);
    for (const DoneEntry& e : resume_->done) on_path.insert(e.site);
    std::vector<std::string> hard, soft;
    for (auto& [name, v] : saved) {
      auto it = now.find(name);
      if (it == now.end())
        (on_path.count(name) ? hard : soft).push_back("loop '" + name + "' no longer exists");
      else if (it->second.first != v.first)
        (on_path.count(name) ? hard : soft)
            .push_back("the state of loop '" + name + "' changed from {" + v.first + "} to {" +
                       it->second.first + "}");
      else if (it->second.second != v.second)
        soft.push_back("the source of loop '" + name + "' changed");
    }
    for (auto& [name, v] : now)
      if (!saved.count(name)) soft.push_back("loop '" + name + "' is new");
    // [inputs] Other arguments or changed input files: refused unless forced.
    for (std::string& d : input_differences(resume_->data.fingerprint))
      soft.push_back(std::move(d));
    if (resume_->data.fingerprint.rfind("pl-contract " + std::to_string(abi::kContractVersion) +
                                            "\n",
                                        0) != 0)
      hard.push_back("it was written by another pl contract version");
    const char* force = std::getenv("PL_RESUME_FORCE");
    const bool forced = force && *force && std::string(force) != "0";
    if (!hard.empty() || (!soft.empty() && !forced)) {
      std::string why;
      for (const std::string& s : hard) why += "\n  - " + s;
      for (const std::string& s : soft) why += "\n  - " + s;
      std::fprintf(stderr,
                   "pl: resume refused: %s was written by a different program (or a run with "
                   "other arguments or inputs):%s\n%s\n",
                   resume_->file.c_str(), why.c_str(),
                   hard.empty() ? "If these changes do not affect the saved state, set "
                                  "PL_RESUME_FORCE=1 to resume anyway."
                                : "The saved state cannot be restored into this program; "
                                  "remove the checkpoints to start over.");
      std::fflush(stderr);
      std::_Exit(2);
    }
    for (const std::string& s : soft)
      std::fprintf(stderr, "pl: resume: PL_RESUME_FORCE is set; accepting: %s\n", s.c_str());
    for (Output& o : outputs_) {
      auto it = resume_->offsets.find(o.key);
      o.truncate(it == resume_->offsets.end() ? 0 : it->second);
    }
    {
      std::lock_guard slock(snap_mu_);
      for (const PosEntry& e : resume_->pos)
        if (e.role == kOtherFrame) snap_names_.insert(e.site);
    }
    for (const CheckpointRecord& rec : resume_->data.records) records_[rec.name] = &rec;
    std::fprintf(stderr, "pl: resuming from %s (%s checkpoint at %s)\n", resume_->file.c_str(),
                 resume_->reason.c_str(), resume_->summary.c_str());
    resuming_.store(true, std::memory_order_release);
    // Remask outside mu_ (lock order: registry, then engine).
    remask_pending_flag_.store(true);
  }

  std::uint32_t match(ActRec& r, abi::Loop& loop, int parent_path, const abi::PointDesc* point,
                      void* const* addrs) {
    std::lock_guard lock(mu_);
    if (!resume_) return abi::kNone;
    const std::string name = site_name(loop);
    const std::size_t next = std::size_t(parent_path + 1);
    if (next == 0 && root_matched_) return abi::kNone;  // another thread follows the path
    if (next < resume_->pos.size() && resume_->pos[next].site == name &&
        resume_->pos[next].activation == r.activation) {
      if (next == 0) root_matched_ = true;
      r.path = int(next);
      if (resume_->pos[next].role != kExited) return abi::kNone;
      restore(point, addrs, "state/" + std::to_string(next) + "/", true, name);
      r.restored = true;
      finish_resume(name, loop.iterations);
      return abi::kBreak;
    }
    // Its effects are restored by the loop right after it, the one resumed.
    if (next < resume_->pos.size()) {
      const abi::ManifestLoop* m = manifest_of(*r.rt);
      if (m && m->restored_by && resume_->pos[next].site == m->restored_by &&
          (!m->uncaptured || !*m->uncaptured)) {
        std::fprintf(stderr,
                     "pl: resume: skipped completed loop '%s' (the state of '%s' holds all it "
                     "changed)\n",
                     name.c_str(), m->restored_by);
        return abi::kBreak;
      }
    }
    for (std::size_t j = 0; j < resume_->done.size(); ++j) {
      const DoneEntry& d = resume_->done[j];
      if (d.level == next && d.site == name && d.activation == r.activation) {
        restore(point, addrs, "done/" + std::to_string(j) + "/", true, name);
        // Still completed in this run: later checkpoints must skip it too.
        auto& st = tls_loops.stack;
        ActRec& parent = st.empty() ? tls_loops.root : st.back();
        parent.sync_kids();
        if (point) parent.done.push_back({name, r.activation, save_point(*point, addrs)});
        std::fprintf(stderr, "pl: resume: skipped completed loop '%s' (its result was saved)\n",
                     name.c_str());
        return abi::kBreak;
      }
    }
    return abi::kNone;
  }

  std::uint32_t resume_begin(ActRec& r, abi::Loop& loop, const abi::PointDesc* point,
                             void* const* addrs) {
    std::lock_guard lock(mu_);
    const std::size_t k = std::size_t(r.path);
    const PosEntry& e = resume_->pos[k];
    const std::string name = site_name(loop);
    // A range-for cannot be repositioned: its hidden iterator advances
    // through the skipped iterations without running their bodies.
    if (loop.site.desc->kind == abi::kRangeFor && loop.iterations < e.iterations)
      return abi::kSkip;
    if (e.role == kSameFrame) {
      std::size_t m = k;
      while (m < resume_->pos.size() && resume_->pos[m].role == kSameFrame) ++m;
      restore(point, addrs, "state/" + std::to_string(m) + "/", false, name);
    } else {
      restore(point, addrs, "state/" + std::to_string(k) + "/", true, name);
      if (e.role == kHere) restore(point, addrs, "set/" + std::to_string(k) + "/", false, name);
    }
    loop.iterations = e.iterations;
    r.restored = true;
    if (e.role == kOtherFrame && point) {  // what was restored is this iteration's begin state
      r.begin_state = save_point(*point, addrs);
      r.begin_iter = loop.iterations;
    }
    if (e.role != kHere) return abi::kNone;
    finish_resume(name, e.iterations);
    return abi::kSkip;
  }

  // Restores the records under `prefix` into the point's locals of the
  // same name. `all`: every record must find its local (else the program
  // does not match the checkpoint).
  void restore(const abi::PointDesc* point, void* const* addrs, const std::string& prefix,
               bool all, const std::string& loop) {  // holds mu_
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
                   std::string(trimmed_type_name(*v.type)) + "', the checkpoint holds '" +
                   rec.type + "'");
        }
        found = true;
        try {
          if (prefix.rfind("set/", 0) == 0) {
            if (rec.payload.size() != v.type->size) diverged("bad size for '" + var + "'");
            std::memcpy(addrs[i], rec.payload.data(), rec.payload.size());
            hook_written_.insert(var);  // later checkpoints of this run keep it too
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
      if (!found && all)
        diverged("loop '" + loop + "' has no state variable '" + var + "' at this point");
    }
  }

  void finish_resume(const std::string& loop, std::uint64_t iterations) {  // holds mu_
    std::fprintf(stderr, "pl: resumed %s at iteration %llu\n", loop.c_str(),
                 (unsigned long long)iterations);
    // [hook-state] Hooks go on with the memory they had at the checkpoint
    // (whatever they did while the run was replayed up to here is replaced).
    try {
      for (const std::string& note : restore_hook_states(resume_->hook_states))
        std::fprintf(stderr, "pl: resume: %s\n", note.c_str());
    } catch (const std::exception& e) {
      diverged(std::string("cannot restore the state of a hook: ") + e.what());
    }
    resuming_.store(false, std::memory_order_release);
    remask_pending_flag_.store(true);
  }

  [[noreturn]] void diverged(const std::string& why) {
    std::fprintf(stderr,
                 "pl: resume failed: %s.\nThe replayed run did not follow the saved position; "
                 "was the program run with the same arguments and inputs?\n",
                 why.c_str());
    std::fflush(stderr);
    std::_Exit(2);
  }

  void once(const std::string& key, const std::string& message) {
    std::lock_guard lock(mu_);
    if (said_.insert(key).second) std::fprintf(stderr, "%s\n", message.c_str());
  }

  bool policies_empty() {
    std::lock_guard lock(mu_);
    return policies_.empty();
  }

  SnapLevel snap_level(const SiteRt& rt) const {
    std::lock_guard lock(snap_mu_);
    const char* name = rt.site->desc->name;
    if (snap_names_.count(name)) return kEnclosing;
    return !first_taken_.load(std::memory_order_relaxed) && candidates_.count(name) ? kCandidate
                                                                                    : kNoSnap;
  }

  static const abi::ManifestLoop* manifest_of(SiteRt& rt) {
    if (!rt.manifest_looked.load(std::memory_order_acquire)) {
      rt.manifest = Registry::get().manifest_entry(rt.site->desc->name);
      rt.manifest_looked.store(true, std::memory_order_release);
    }
    return rt.manifest;
  }

 public:
  // Remasks requested while holding mu_ run here, after it was released.
  void settle() {
    if (remask_pending_flag_.load(std::memory_order_relaxed) &&
        remask_pending_flag_.exchange(false))
      Registry::get().remask();
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Policy>> policies_;
  std::string dir_ = "pl-checkpoints";
  unsigned keep_ = 3;
  bool finish_registered_ = false, signals_installed_ = false;
  std::uint64_t next_seq_ = 1;
  tbb::task_group writes_;
  std::atomic<bool> in_flight_{false}, exit_wait_registered_{false}, exit_waited_{false};
  std::atomic<std::uint64_t> skipped_{0};
  std::atomic<double> bandwidth_{200e6};  // bytes/s until a write was measured
  std::string last_good_;
  std::set<std::string> write_errors_, said_;
  std::uint64_t failed_writes_ = 0;
  std::vector<Output> outputs_;
  std::set<std::string> hook_written_;
  mutable std::mutex snap_mu_;
  std::set<std::string> snap_names_;  // loops keeping their begin state
  std::set<std::string> candidates_;  // top-level loops, until the first checkpoint
  std::atomic<bool> first_taken_{false}, remask_pending_flag_{false};
  bool resume_looked_ = false, fresh_start_ = false, root_matched_ = false;
  std::unique_ptr<Resume> resume_;
  std::map<std::string, const CheckpointRecord*> records_;
  std::atomic<bool> pending_verify_{false}, resuming_{false};
};

}  // namespace

std::uint8_t checkpoint_mask(const SiteRt& rt) {
  if (!g_checkpointing.load(std::memory_order_relaxed)) return 0;
  return Engine::get().mask(rt);
}

bool checkpoint_needs_every_begin(const SiteRt& rt) { return Engine::get().every_begin(rt); }

std::uint32_t checkpoint_event(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                               const abi::PointDesc* point, void* const* addrs) {
  Engine& e = Engine::get();
  std::uint32_t actions = e.event(rt, loop, ev, point, addrs);
  e.settle();
  return actions;
}

void checkpoint_pop(abi::Loop& loop) { Engine::get().pop(loop); }

void note_hook_write(const abi::Loop& loop, std::string_view var) {
  Engine::get().note_write(loop, var);
}

void register_output(std::string key, std::function<std::uint64_t()> tell,
                     std::function<void(std::uint64_t)> truncate) {
  Engine::get().add_output({std::move(key), std::move(tell), std::move(truncate)});
}

bool resume_requested() {
  const char* r = std::getenv("PL_RESUME");
  return r && *r && std::string(r) != "0";
}

void checkpoint_finish() { Engine::get().finish(); }

void checkpoint_after_config() { Engine::get().after_config(); }

namespace {

const char* policy_problem(const CheckpointPolicy& c) {
  if (c.keep == 0) return "keep at least one checkpoint (keep=1 or more)";
  if (c.every == 0 && c.every_seconds <= 0 && !c.on_signal && !c.at_end)
    return "checkpoint needs when to write: every=N, every=10min, on_signal=1 or at_end=1";
  if (c.dir.empty()) return "checkpoint needs a directory (dir=...)";
  return nullptr;
}

Hook attach_policy(const CheckpointPolicy& c, HookSpec spec) {
  auto p = std::make_shared<Policy>();
  p->spec = c;
  // The policy runs at every end of an iteration of its loop (a signal may
  // arrive at any time); its own period is checked inside.
  spec.every = 1;
  spec.every_seconds = 0;
  spec.events = abi::kEnd | (c.at_end ? abi::kExit : 0);
  Engine::get().add_policy(p);
  auto rec = std::make_unique<HookRec>();
  rec->spec = std::move(spec);
  rec->fn = [p](Frame& f) { Engine::get().on_policy(f, *p); };
  rec->last = true;  // after the other hooks of the boundary (a log row, a `set`)
  return Hook(Registry::get().attach(std::move(rec)));
}

}  // namespace

void attach_checkpoint(ConfigEntry& e) {
  HookSpec spec = e.spec(abi::kEnd);
  CheckpointPolicy c;
  c.selector = e.selector;
  c.every = spec.every > 1 ? spec.every : (e.has("every") && spec.every_seconds == 0 ? 1 : 0);
  c.every_seconds = spec.every_seconds;
  c.on_signal = e.count("on_signal", 1) != 0;
  c.at_end = e.count("at_end", 0) != 0;
  c.dir = e.text("dir", "pl-checkpoints");
  const std::uint64_t keep = e.count("keep", 3);
  c.keep = keep > 1000000 ? 1000000 : unsigned(keep);
  if (keep == 0) e.fail("keep", policy_problem(c));
  if (const char* problem = policy_problem(c)) e.fail_at(e.column, problem);
  attach_policy(c, std::move(spec));
}

}  // namespace pl::detail

namespace pl {

Hook attach_checkpoint(CheckpointPolicy policy) {
  if (const char* problem = detail::policy_problem(policy))
    throw Error("pl: checkpoint " + policy.selector + ": " + problem);
  HookSpec spec;
  spec.selector = policy.selector;
  spec.name = "checkpoint " + policy.selector;
  return detail::attach_policy(policy, std::move(spec));
}

}  // namespace pl::detail
