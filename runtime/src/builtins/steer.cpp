// Built-in actions: `set` a local, `break` a loop, `stop` the run — usually
// with a filter (every=10, when=loss<0.1). They take effect as described in
// docs/EVENTS.md: a write is seen by the loop as soon as the event's hooks
// have returned; a break leaves the loop at that boundary.
#include "common.h"

namespace pl::detail {

void attach_set(ConfigEntry& e) {
  std::string var = e.text("var", "");
  if (var.empty()) e.fail_at(e.column, "set needs var=<local> and one of value=, add=, mul=");
  int given = e.has("value") + e.has("add") + e.has("mul");
  if (given != 1) e.fail_at(e.column, "set needs exactly one of value=, add=, mul=");
  enum { kValue, kAdd, kMul } op = e.has("value") ? kValue : e.has("add") ? kAdd : kMul;
  double x = e.number(op == kValue ? "value" : op == kAdd ? "add" : "mul", 0);
  HookSpec spec = e.spec(abi::kEnd);
  spec.uses.push_back(var);
  attach(std::move(spec), [var, op, x](Frame& f) {
    double now = f.number(var);  // throws a clear error if missing: hook disabled, said once
    double next = op == kValue ? x : op == kAdd ? now + x : now * x;
    f.set_number(var, next);
    std::fprintf(stderr, "pl: set %s %s -> %g at %.*s iteration %llu\n", var.c_str(),
                 std::to_string(now).c_str(), next, int(f.loop().size()), f.loop().data(),
                 (unsigned long long)f.iteration());
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
