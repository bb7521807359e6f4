// The cold side of every loop boundary: abi::dispatch and abi::loop_exit.
//
// Reached only when a site's mask says someone listens (or the site has not
// been seen yet). Links tracked loops on this thread's activation stack, lets
// the checkpoint engine reposition loops on resume, runs the hooks — each
// hook's filters first (cheapest first), asynchronous ones get a snapshot —
// then the checkpoint policies of the boundary, and turns failures into one
// message and a disabled hook instead of a crash in the training run.
#include <chrono>
#include <cstdio>
#include <exception>

#include "activation_stack.h"
#include "async.h"
#include "checkpoint.h"
#include "ckpt_policy.h"
#include "config.h"
#include "registry.h"

namespace pl::detail {
namespace {

bool passes_every(HookRec& h, abi::Event ev, const abi::Loop& loop) {
  const std::uint64_t n = h.spec.every;
  if (n <= 1) return true;
  switch (ev) {
    case abi::kBegin:
      return (loop.iterations - 1) % n == 0;
    case abi::kEnd:
      return loop.iterations % n == 0;
    default:
      return h.activations[ev == abi::kExit].fetch_add(1, std::memory_order_relaxed) % n == 0;
  }
}

bool passes_filters(HookRec& h, abi::Event ev, const abi::Loop& loop, const Frame& frame) {
  if (!passes_every(h, ev, loop)) return false;
  if (h.spec.once_at >= 0 && frame.iteration() != std::uint64_t(h.spec.once_at)) return false;
  if (h.spec.when && !h.spec.when(frame)) return false;
  if (h.spec.every_seconds > 0) {
    // Between periods the hook sleeps: its events leave the loop idle (the
    // site's mask) until the ticker wakes it; this check only settles races.
    std::int64_t now = steady_now_ns(), last = h.last_run_ns.load(std::memory_order_relaxed);
    const std::int64_t period = std::int64_t(h.spec.every_seconds * 1e9);
    if (last != 0 && now - last < period) return false;
    if (!h.last_run_ns.compare_exchange_strong(last, now, std::memory_order_relaxed))
      return false;  // another thread ran it just now
    Registry::get().sleep_until(h, now + period);
  }
  if (h.spec.first > 0) {
    std::uint64_t run = h.runs.fetch_add(1, std::memory_order_relaxed);
    if (run >= h.spec.first) return false;
    if (run + 1 == h.spec.first) {  // the last run: nothing left to listen for
      h.asleep.store(true, std::memory_order_relaxed);
      Registry::get().remask_all();
    }
  }
  return true;
}

}  // namespace

void report_listener_failure(std::atomic<bool>& disabled, const std::string& label, const Frame& f,
                             const char* what) {
  if (disabled.exchange(true)) return;
  std::fprintf(stderr, "pl: hook '%s' failed at %.*s (%.*s, %s:%u): %s; hook disabled\n",
               label.c_str(), int(f.loop().size()), f.loop().data(),
               int(to_string(f.event()).size()), to_string(f.event()).data(), f.file().data(),
               f.line(), what);
  if (strict_mode()) {
    std::fprintf(stderr,
                 "pl: PL_STRICT is set: stopping the run (loops unwind at their next "
                 "boundary; the process will exit with status 3)\n");
    note_strict_failure();
    Registry::get().request_stop();
  }
}

namespace {

std::uint32_t run_hooks(SiteRt& rt, abi::Loop& loop, abi::Event ev, const abi::PointDesc* point,
                        void* const* addrs) {
  const HookList* hooks = rt.hooks.load(std::memory_order_acquire);
  if (!hooks || hooks->empty()) return 0;  // a policy's loop without hooks
  Frame frame(loop, ev, point, addrs);
  for (HookRec* h : *hooks) {
    if (!(h->spec.events & ev) || h->disabled.load(std::memory_order_relaxed)) continue;
    try {
      if (!passes_filters(*h, ev, loop, frame)) continue;
      if (h->async)
        h->async->push(std::make_unique<Snapshot>(frame, *h));
      else
        h->fn(frame);
    } catch (const std::exception& e) {
      report_listener_failure(h->disabled, h->label(), frame, e.what());
    } catch (...) {
      report_listener_failure(h->disabled, h->label(), frame, "unknown exception");
    }
  }
  return frame.actions();
}

// The hooks of the boundary, then its checkpoint policies.
std::uint32_t run_listeners(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                            const abi::PointDesc* point, void* const* addrs) {
  std::uint32_t actions = run_hooks(rt, loop, ev, point, addrs);
  if (PL_ABI_UNLIKELY(g_checkpointing.load(std::memory_order_relaxed)))
    actions |= run_checkpoint_policies(rt, loop, ev, point, addrs);
  return actions;
}

}  // namespace

}  // namespace pl::detail

namespace pl::abi {
inline namespace PL_ABI_VERSION_NS {

std::uint32_t dispatch(Loop& loop, Event ev, const PointDesc& point, void* const* addrs) noexcept {
  using namespace pl::detail;
  auto* rt = static_cast<SiteRt*>(loop.site.runtime.load(std::memory_order_acquire));
  if (PL_ABI_UNLIKELY(!rt)) rt = Registry::get().enroll(loop.site);  // first event of the site
  const bool checkpointing = g_checkpointing.load(std::memory_order_relaxed);
  // A loop run by a serializer while a checkpoint is saved or loaded.
  if (PL_ABI_UNLIKELY(checkpointing) && inside_checkpoint_machinery()) return kNone;
  std::uint8_t mask = loop.site.mask.load(std::memory_order_relaxed);
  if (ev == kEnter && (mask & kTrack) && !(loop.state & kLinked))
    ActivationStack::here().link(loop);
  if (ev == kExit) loop.state |= kExitFired;
  // Only loops tracked for a policy (loop_roles.h) reach the engine.
  if (PL_ABI_UNLIKELY(checkpointing) &&
      (((mask & kTrack) && (rt->role.load(std::memory_order_relaxed) & kRoleCheckpointed)) ||
       (loop.state & kHasRec))) {
    // Resume repositions loops (kSkip, kBreak) before any hook sees them.
    if (std::uint32_t a = checkpoint_event(*rt, loop, ev, &point, addrs)) return a;
  }
  if (!(mask & ev)) return kNone;
  std::uint32_t actions = run_listeners(*rt, loop, ev, &point, addrs);
  if (ev != kExit && PL_ABI_UNLIKELY(Registry::stopping())) actions |= kBreak;
  return actions;
}

void loop_exit(Loop& loop) noexcept {
  using namespace pl::detail;
  // Hidden like its other events (dispatch): a loop a serializer ran.
  if (loop.state == 0 && g_checkpointing.load(std::memory_order_relaxed) &&
      inside_checkpoint_machinery())
    return;
  if (!(loop.state & kExitFired)) {
    loop.state |= kExitFired;
    if (loop.site.mask.load(std::memory_order_relaxed) & kExit)
      if (auto* rt = static_cast<SiteRt*>(loop.site.runtime.load(std::memory_order_acquire)))
        run_listeners(*rt, loop, kExit, nullptr, nullptr);
  }
  if (loop.state & kHasRec) checkpoint_pop(loop);
  if (loop.state & kLinked) ActivationStack::here().unlink(loop);
}

}  // namespace PL_ABI_VERSION_NS
}  // namespace pl::abi
