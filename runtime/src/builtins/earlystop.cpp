// Built-in `earlystop`: leaves a loop when a local has not improved for
// `patience` iterations (checked at iteration end).
#include <cmath>
#include <mutex>

#include "../hook_state.h"
#include "common.h"

namespace pl::detail {

void attach_earlystop(ConfigEntry& e) {
  struct State {
    std::string var;
    bool maximize;
    std::uint64_t patience;
    double min_delta;
    double best = NAN;
    std::uint64_t best_at = 0, since = 0;
    std::mutex mu;
  };
  auto s = std::make_shared<State>();
  s->var = e.text("var", "");
  if (s->var.empty())
    e.fail_at(e.column, "earlystop needs var=<local to watch>, e.g. var=accuracy");
  std::string mode = e.text("mode", "min");
  if (mode != "min" && mode != "max") e.fail("mode", "expected min or max");
  s->maximize = mode == "max";
  s->patience = e.count("patience", 3);
  if (s->patience == 0) e.fail("patience", "must be at least 1");
  s->min_delta = e.number("min_delta", 0);
  HookSpec spec = e.spec(abi::kEnd);
  spec.uses.push_back(s->var);
  spec.events |= abi::kEnter;  // a new activation of the loop starts afresh
  const std::string key = spec.name + " | earlystop";
  Hook hook = attach(std::move(spec), [s](Frame& f) {
    if (f.event() == loop_enter) {
      std::lock_guard lock(s->mu);
      s->best = NAN;
      s->since = 0;
      return;
    }
    double x = f.number(s->var);
    std::lock_guard lock(s->mu);
    bool better = std::isnan(s->best) ||
                  (s->maximize ? x > s->best + s->min_delta : x < s->best - s->min_delta);
    if (better) {
      s->best = x;
      s->best_at = f.iteration();
      s->since = 0;
      return;
    }
    if (++s->since < s->patience) return;
    std::fprintf(stderr,
                 "pl: earlystop: leaving %.*s after iteration %llu: %s has not improved for %llu "
                 "iterations (best %g at iteration %llu)\n",
                 int(f.loop().size()), f.loop().data(), (unsigned long long)f.iteration(),
                 s->var.c_str(), (unsigned long long)s->since, s->best,
                 (unsigned long long)s->best_at);
    f.request_break();
  });
  // Best value and patience are the run's state: a resume without them
  // would leave the loop at another iteration.
  HookStateOps ops;
  ops.save = [s](Writer& w) {
    std::lock_guard lock(s->mu);
    save(w, s->best);
    w.u64(s->best_at);
    w.u64(s->since);
  };
  ops.load = [s](Reader& r) {
    std::lock_guard lock(s->mu);
    load(r, s->best);
    s->best_at = r.u64();
    s->since = r.u64();
  };
  register_hook_state(hook.id(), key, std::move(ops));
}

}  // namespace pl::detail
