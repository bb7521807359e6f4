// Asynchronous hooks: snapshots, bounded queues, in-order draining on oneTBB.
#include "async.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>

namespace pl::detail {

Snapshot::Snapshot(const Frame& live, const HookRec& hook)
    : site_(live.site_),
      event_(static_cast<abi::Event>(live.event())),
      iterations_(0),
      trip_(live.trip()) {
  iterations_ = live.iteration();
  if (event_ == abi::kBegin || event_ == abi::kEnd) ++iterations_;  // store "begun" count
  for (std::size_t k = 0; k < live.depth(); ++k) enclosing_.push_back(live.enclosing(k));
  vars_.reserve(hook.spec.reads.size());
  slots_.resize(hook.spec.reads.size());
  for (const std::string& name : hook.spec.reads) {
    if (!live.has(name)) continue;  // out of scope here: absent from the snapshot
    for (std::size_t i = 0; i < live.var_count(); ++i) {
      VarInfo v = live.var(i);
      if (v.name != name) continue;
      if (!v.scalar)
        throw Error("pl: async hook '" + hook.label() + "' reads '" + name + "' of type '" +
                    std::string(v.type) + "'; asynchronous hooks can read scalar locals only");
      const abi::VarDesc& d = live.point_->vars[i];
      Slot& slot = slots_[vars_.size()];
      std::memcpy(slot.bytes, live.addrs_[i], d.type->size);
      vars_.push_back(d);
    }
  }
  for (std::size_t i = 0; i < vars_.size(); ++i) addrs_.push_back(slots_[i].bytes);
  point_ = abi::PointDesc{vars_.data(), std::uint32_t(vars_.size()), 0};
}

Frame Snapshot::frame() const {
  Frame f;
  f.site_ = site_;
  f.event_ = event_;
  f.iterations_ = iterations_;
  f.trip_ = trip_;
  f.point_ = &point_;
  f.addrs_ = addrs_.data();
  f.enclosing_ = &enclosing_;
  return f;
}

AsyncRunner::AsyncRunner(HookRec& hook, std::size_t depth) : hook_(hook) {
  queue_.set_capacity(std::ptrdiff_t(depth));
}

AsyncRunner::~AsyncRunner() { wait(); }

void AsyncRunner::push(std::unique_ptr<Snapshot> s) {
  queue_.push(std::move(s));  // blocks while the queue is full: back-pressure
  if (pending_.fetch_add(1, std::memory_order_acq_rel) == 0) group_.run([this] { drain(); });
  // oneTBB starts its workers on first use and stops them at exit; drain
  // before that, so an exit handler registered now (after TBB started)
  // runs before TBB's own teardown.
  static std::once_flag registered;
  std::call_once(registered, [] { std::atexit([] { pl::drain(); }); });
}

void AsyncRunner::drain() {
  do {
    std::unique_ptr<Snapshot> s;
    queue_.pop(s);
    if (!hook_.disabled.load(std::memory_order_relaxed)) {
      Frame f = s->frame();
      try {
        hook_.fn(f);
      } catch (const std::exception& e) {
        if (!hook_.disabled.exchange(true))
          std::fprintf(stderr, "pl: async hook '%s' failed at %s: %s; hook disabled\n",
                       hook_.label().c_str(), std::string(f.loop()).c_str(), e.what());
      }
      if ((f.actions() & abi::kBreak) && !hook_.warned_async_break.exchange(true))
        std::fprintf(stderr,
                     "pl: async hook '%s' asked to break %s, but asynchronous hooks run "
                     "after the boundary; use a synchronous hook to break loops\n",
                     hook_.label().c_str(), std::string(f.loop()).c_str());
    }
  } while (pending_.fetch_sub(1, std::memory_order_acq_rel) > 1);
}

void AsyncRunner::wait() {
  if (pending_.load(std::memory_order_acquire) == 0) return;  // nothing queued or running
  group_.wait();
  // The drainer's last fetch_sub (release) happened after its last hook call;
  // acquiring it orders everything the hook wrote before whatever the caller
  // does next (and makes that order visible to ThreadSanitizer, which does
  // not see inside libtbb).
  (void)pending_.load(std::memory_order_acquire);
}

}  // namespace pl::detail
