// The checkpoint engine: follows the tracked loops (loop_roles.h) on this
// thread's activation stack and wires the parts of checkpointing together (see
// checkpoint.h for the map, docs/CHECKPOINTS.md for the contract).
//
// At each event of a tracked loop the engine keeps the loop's Activation
// record: pushed at kEnter (with the activation index within its parent's
// iteration), its state at iteration starts when a checkpoint may need it
// (ckpt_begin_states.h), its exit state when re-running it would cost more
// than storing it, popped at loop_exit. While a resume is in progress the
// same events let ckpt_resume.cpp reposition the loops.
#include "checkpoint.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include "ckpt_begin_states.h"
#include "ckpt_capture.h"
#include "ckpt_check.h"
#include "ckpt_extra_state.h"
#include "ckpt_resume.h"
#include "ckpt_writer.h"
#include "config.h"
#include "registry.h"

namespace pl::detail {

std::atomic<bool> g_checkpointing{false};

namespace {

thread_local int t_machinery_depth = 0;

std::string site_name(const abi::Loop& l) { return l.site.desc->name; }

class Engine : public MaskContributor {
 public:
  static Engine& get() {
    static Engine* e = new Engine;  // leaked: loops may run during exit
    return *e;
  }

  // The loops tracked for a policy (loop_roles.h) are followed; iteration
  // events only where a begin state is kept or while resuming. The level is
  // decided here, at remask time (ungated() is asked first), so that the
  // event path reads one byte.
  std::uint8_t mask(SiteRt& rt) override {
    if (!followed(rt)) return 0;
    return abi::kTrack | abi::kEnter | abi::kExit |
           (follows_iterations(rt) ? abi::kBegin | abi::kEnd : 0);
  }
  std::uint8_t ungated(SiteRt& rt) override {
    if (!followed(rt)) return 0;
    rt.begin_level.store(std::uint8_t(BeginStates::get().level(rt)), std::memory_order_relaxed);
    return follows_iterations(rt) ? abi::kBegin : 0;
  }

  std::uint32_t event(SiteRt& rt, abi::Loop& loop, abi::Event ev, const abi::PointDesc* point,
                      void* const* addrs) {
    Resumer::get().verify_if_pending();
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
    ActivationStack& stack = ActivationStack::here();
    if (Activation* r = stack.find(loop)) {
      if (Resumer::get().active()) Resumer::get().on_drop(*r);
      stack.drop(*r);
    }
    loop.state &= ~std::uint32_t(kHasRec);
  }

 private:
  static bool followed(const SiteRt& rt) {
    return g_checkpointing.load(std::memory_order_relaxed) &&
           (rt.role.load(std::memory_order_relaxed) & kRoleCheckpointed);
  }
  static BeginStates::Level begin_level(const SiteRt& rt) {
    return BeginStates::Level(rt.begin_level.load(std::memory_order_relaxed));
  }
  static bool follows_iterations(const SiteRt& rt) {
    return Resumer::get().active() || begin_level(rt) != BeginStates::kNone;
  }

  std::uint32_t enter(SiteRt& rt, abi::Loop& loop, const abi::PointDesc* point,
                      void* const* addrs) {
    if (!(loop.state & kLinked) || (loop.state & kHasRec)) return abi::kNone;
    ActivationStack& stack = ActivationStack::here();
    const bool top_level = stack.records().empty();
    Activation& parent = stack.innermost();
    Activation r;
    r.loop = &loop;
    r.rt = &rt;
    r.activation = parent.next_activation_of(loop.site);
    // Only the completed-loop decision at exit needs it: once per activation.
    if (CheckpointWriter::get().configured()) r.t_enter = steady_now_ns();
    // Loops the call graph describes keep begin states from their first
    // iteration when they enclose a policy's loop through a call (its role).
    // A top-level loop no manifest describes may too: keep its state at the
    // start of each iteration, while that is cheap, until the first
    // checkpoint shows which loops really enclose one.
    if (top_level && (rt.role.load(std::memory_order_relaxed) & kRoleUnknown) &&
        BeginStates::get().before_first_checkpoint() &&
        BeginStates::get().add_candidate(site_name(loop)))
      Registry::get().remask_all();
    loop.state |= kHasRec;
    std::uint32_t actions = abi::kNone;
    if (Resumer::get().active() && (top_level || parent.path >= 0))
      actions = Resumer::get().on_enter(r, parent, top_level, point, addrs);
    stack.records().push_back(std::move(r));
    return actions;
  }

  std::uint32_t begin(SiteRt& rt, abi::Loop& loop, const abi::PointDesc* point,
                      void* const* addrs) {
    Activation* r = ActivationStack::here().find(loop);
    if (!r) return abi::kNone;
    if (r->path >= 0 && !r->restored) return Resumer::get().on_begin(*r, point, addrs);
    const BeginStates::Level level = point ? begin_level(rt) : BeginStates::kNone;
    if (level != BeginStates::kNone && worth_keeping_begin(*r, level, *point, addrs)) {
      r->begin_unsaveable = unsaveable_at(*point);
      r->begin_state = save_point(*point, addrs);
      r->begin_iter = loop.iterations;
    }
    return abi::kNone;
  }

  // A proven enclosing loop always keeps its begin state; a candidate only
  // while that costs under 1% of its iterations (a data-loading loop whose
  // state is the growing data set must not copy it every iteration).
  static bool worth_keeping_begin(Activation& r, BeginStates::Level level,
                                  const abi::PointDesc& point, void* const* addrs) {
    if (level == BeginStates::kEnclosing) return true;  // no clock read
    const std::int64_t now = steady_now_ns(), last = r.last_begin_ns;
    r.last_begin_ns = now;
    const double elapsed = double(now - last) * 1e-9;
    const std::uint64_t iterations = r.loop->iterations;
    if (iterations > 1 && elapsed < 0.01) return false;
    std::uint64_t bytes = 0;
    for (std::uint32_t i = 0; i < point.nvars; ++i)
      if (const abi::StateOps* ops = point.vars[i].state) bytes += ops->bytes(addrs[i]);
    return iterations == 1 ? bytes < (1u << 20) : double(bytes) / 1e9 < 0.01 * elapsed;
  }

  static void end(abi::Loop& loop) {
    if (!Resumer::get().active()) return;
    if (Activation* r = ActivationStack::here().find(loop)) Resumer::get().on_end(*r);
  }

  // A completed loop: keep its exit state in its parent's record when
  // re-running it costs more than storing it (see docs/CHECKPOINTS.md).
  static void exit(abi::Loop& loop, const abi::PointDesc* point, void* const* addrs) {
    ActivationStack& stack = ActivationStack::here();
    Activation* r = stack.find(loop);
    if (!r || !point || !CheckpointWriter::get().configured() || Resumer::get().active()) return;
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
    if (!any || seconds <= 4.0 * double(bytes) / CheckpointWriter::get().bandwidth()) return;
    Activation& parent = stack.parent_of(std::size_t(r - stack.records().data()));
    parent.sync_kids();
    parent.done.push_back({site_name(loop), r->activation, save_point(*point, addrs)});
  }
};

}  // namespace

void start_checkpoint_engine(const CheckpointPolicy& policy) {
  CheckpointWriter::get().configure(policy.dir, policy.keep);
  static std::atomic<bool> started{false};
  if (!started.exchange(true)) at_exit([] { checkpoint_finish(); });
  // Past a file-size limit, write() must fail (EFBIG: one message, the run
  // goes on) rather than SIGXFSZ killing the training run.
  struct sigaction old{};
  if (sigaction(SIGXFSZ, nullptr, &old) == 0 && old.sa_handler == SIG_DFL)
    std::signal(SIGXFSZ, SIG_IGN);
  if (resume_requested()) Resumer::get().load(policy.dir);
  g_checkpointing.store(true);
  Registry::get().add_contributor(Engine::get());
  Registry::get().remask_all();
}

CheckpointMachineryScope::CheckpointMachineryScope() { ++t_machinery_depth; }
CheckpointMachineryScope::~CheckpointMachineryScope() { --t_machinery_depth; }
bool inside_checkpoint_machinery() { return t_machinery_depth > 0; }

std::uint32_t checkpoint_event(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                               const abi::PointDesc* point, void* const* addrs) {
  CheckpointMachineryScope machinery;
  try {
    return Engine::get().event(rt, loop, ev, point, addrs);
  } catch (const std::exception& e) {
    // A serializer refused the state (an object of a derived class reached
    // through its base, a user's pl_serialize that throws): no checkpoint
    // can hold this loop's state; say so once per loop, and go on running.
    static std::mutex mu;
    static std::set<std::string> reported;
    std::lock_guard lock(mu);
    if (reported.insert(rt.site->desc->name).second)
      std::fprintf(stderr,
                   "pl: the state of loop '%s' cannot be saved: %s; checkpoints through it are "
                   "refused\n",
                   rt.site->desc->name, e.what());
    return abi::kNone;
  }
}

void checkpoint_pop(abi::Loop& loop) { Engine::get().pop(loop); }

void note_hook_write(const abi::Loop&, std::string_view var) {
  ExtraStates::get().note_hook_write(var);
}

void register_output(std::string key, std::function<std::uint64_t()> tell,
                     std::function<void(std::uint64_t)> truncate) {
  ExtraState s;
  s.key = std::move(key);
  s.type = "pl::FileOffset";
  s.save = [tell = std::move(tell)] {
    Writer w;
    w.u64(tell());
    return w.take();
  };
  s.restore = [truncate = std::move(truncate)](const Bytes* saved) {
    if (!saved) return truncate(0);
    Reader in(saved->data(), saved->size());
    truncate(in.u64());
  };
  ExtraStates::get().add(std::move(s));
}

bool resume_requested() {
  const char* r = std::getenv("PL_RESUME");
  return (r && *r && std::string(r) != "0") || resume_check_requested();
}

void checkpoint_finish() {
  CheckpointWriter::get().finish();
  Resumer::get().at_exit();  // a replay that never reached the saved position
  replay_check_at_exit();    // ... or, checking, the newest checkpoint's
}

void checkpoint_after_config() { Resumer::get().after_config(); }

}  // namespace pl::detail
