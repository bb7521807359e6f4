// Built-in actions: `set` a local, `break` a loop, `stop` the run — usually
// with a filter (every=10, when=loss<0.1). They take effect as described in
// docs/EVENTS.md: a write is seen by the loop as soon as the event's hooks
// have returned; a break leaves the loop at that boundary.
#include "../registry.h"
#include "common.h"

namespace pl::detail {

namespace {

// What a `set` wrote, until the loop's next boundary of the same kind: if
// the loop's own code changed the value by then, it most likely assigned
// the variable before reading it, and the set had no effect. Said once.
struct SetWatch {
  std::string origin, var;
  std::mutex mu;
  bool pending = false, warned = false;
  unsigned clean_checks = 0;  // after a few, the loop is taken not to overwrite it
  double written = 0;
  std::uint64_t iteration = 0;
  Event event = Event::iteration_end;
  HookRec* watcher = nullptr;  // asleep but for the boundary after a set
};

void wake(HookRec* h, bool awake) {
  if (!h || h->asleep.load() == !awake) return;
  h->asleep.store(!awake);
  Registry::get().remask_all();
}

void check_set(SetWatch& w, const Frame& f) {
  std::unique_lock lock(w.mu);
  if (!w.pending || w.warned) return;
  if (f.event() != loop_exit && (f.event() != w.event || f.iteration() == w.iteration)) return;
  w.pending = false;
  const double now = f.has(w.var) ? f.number(w.var) : w.written;
  if (now != w.written && !(now != now && w.written != w.written)) {
    w.warned = true;
    std::fprintf(stderr,
                 "pl: warning: %s: set %s wrote %g at %.*s iteration %llu, but at the loop's "
                 "next %s it was %g: the loop's own code overwrote it, so the set had no effect "
                 "if the code assigns %s before reading it (set it where it is read, or set what "
                 "it is computed from). Said once.\n",
                 w.origin.c_str(), w.var.c_str(), w.written, int(f.loop().size()), f.loop().data(),
                 (unsigned long long)w.iteration, std::string(to_string(f.event())).c_str(), now,
                 w.var.c_str());
  } else {
    ++w.clean_checks;
  }
  lock.unlock();
  wake(w.watcher, false);
}

}  // namespace

void attach_set(ConfigEntry& e) {
  std::string var = e.text("var", "");
  if (var.empty()) e.fail_at(e.column, "set needs var=<local> and one of value=, add=, mul=");
  int given = e.has("value") + e.has("add") + e.has("mul");
  if (given != 1) e.fail_at(e.column, "set needs exactly one of value=, add=, mul=");
  enum { kValue, kAdd, kMul } op = e.has("value") ? kValue : e.has("add") ? kAdd : kMul;
  double x = e.number(op == kValue ? "value" : op == kAdd ? "add" : "mul", 0);
  HookSpec spec = e.spec(abi::kEnd);
  spec.uses.push_back(var);
  auto watch = std::make_shared<SetWatch>();
  watch->origin = e.origin();
  watch->var = var;
  HookSpec watcher_spec;
  watcher_spec.selector = spec.selector;
  watcher_spec.name = spec.name + " (overwrite check)";
  watcher_spec.events = spec.events | abi::kExit;
  // Before the set in the hook order: at a boundary where the set runs
  // again, the value the previous set left is checked first.
  Hook watcher = attach(std::move(watcher_spec), [watch](Frame& f) { check_set(*watch, f); });
  watch->watcher = Registry::get().find(watcher.id());
  wake(watch->watcher, false);
  attach(std::move(spec), [var, op, x, watch](Frame& f) {
    double now = f.number(var);  // throws a clear error if missing: hook disabled, said once
    double next = op == kValue ? x : op == kAdd ? now + x : now * x;
    f.set_number(var, next);
    std::fprintf(stderr, "pl: set %s %s -> %g at %.*s iteration %llu\n", var.c_str(),
                 std::to_string(now).c_str(), next, int(f.loop().size()), f.loop().data(),
                 (unsigned long long)f.iteration());
    std::unique_lock lock(watch->mu);
    if (watch->warned || watch->clean_checks >= 3) return;
    watch->pending = true;
    watch->written = f.number(var);  // as stored: a float local rounds
    watch->iteration = f.iteration();
    watch->event = f.event();
    lock.unlock();
    wake(watch->watcher, true);
  });
}

void attach_break(ConfigEntry& e) {
  HookSpec spec = e.spec(abi::kEnd);
  attach(std::move(spec), [](Frame& f) {
    std::fprintf(stderr, "pl: break %.*s at iteration %llu\n", int(f.loop().size()),
                 f.loop().data(), (unsigned long long)f.iteration());
    f.request_break();
  });
}

void attach_stop(ConfigEntry& e) {
  HookSpec spec = e.spec(abi::kEnd);
  attach(std::move(spec), [](Frame& f) {
    std::fprintf(stderr, "pl: stop requested at %.*s iteration %llu; loops unwind\n",
                 int(f.loop().size()), f.loop().data(), (unsigned long long)f.iteration());
    f.request_stop();
  });
}

}  // namespace pl::detail
