// Built-in `profile`: at exit, a table of time per loop — total, per
// activation, per iteration, and share of the enclosing loop.
#include <algorithm>
#include <map>
#include <mutex>

#include "../hook_state.h"
#include "common.h"

namespace pl::detail {
namespace {

struct LoopStats {
  double total = 0;
  std::uint64_t activations = 0, iterations = 0;
  std::string parent;
};

struct ProfileState {
  std::mutex mu;
  std::map<std::string, LoopStats> loops;
  std::FILE* out = stderr;
};

thread_local std::vector<std::chrono::steady_clock::time_point> starts;

std::string human(double s) {
  char buf[32];
  if (s >= 1)
    std::snprintf(buf, sizeof buf, "%.3f s", s);
  else if (s >= 1e-3)
    std::snprintf(buf, sizeof buf, "%.3f ms", s * 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.3f us", s * 1e6);
  return buf;
}

void print(ProfileState& s) {
  std::lock_guard lock(s.mu);
  if (s.loops.empty()) return;
  std::size_t w = 4;
  for (auto& [n, l] : s.loops) w = std::max(w, n.size());
  std::fprintf(s.out, "pl profile (wall time per loop)\n%-*s  %12s  %8s  %10s  %12s  %9s\n", int(w),
               "loop", "total", "entered", "iterations", "per iter", "of parent");
  std::vector<std::pair<std::string, LoopStats>> rows(s.loops.begin(), s.loops.end());
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [name, l] : rows) {
    char share[16] = "-";
    auto p = s.loops.find(l.parent);
    if (p != s.loops.end() && p->second.total > 0)
      std::snprintf(share, sizeof share, "%.1f%%", 100 * l.total / p->second.total);
    std::fprintf(s.out, "%-*s  %12s  %8llu  %10llu  %12s  %9s\n", int(w), name.c_str(),
                 human(l.total).c_str(), (unsigned long long)l.activations,
                 (unsigned long long)l.iterations,
                 l.iterations ? human(l.total / double(l.iterations)).c_str() : "-", share);
  }
  std::fflush(s.out);
}

}  // namespace

void attach_profile(ConfigEntry& e) {
  auto s = std::make_shared<ProfileState>();
  std::string path = e.text("file", "-");
  HookSpec spec = e.spec(abi::kEnter | abi::kExit);
  spec.events = abi::kEnter | abi::kExit;  // a profile needs exactly these
  s->out = open_output(e, path);
  at_exit([s] { print(*s); });
  const std::string key = spec.name + " | profile";
  Hook hook = attach(std::move(spec), [s](Frame& f) {
    auto now = std::chrono::steady_clock::now();
    if (f.event() == loop_enter) {
      starts.push_back(now);
      return;
    }
    if (starts.empty()) return;  // attached while this loop was running
    double dt = std::chrono::duration<double>(now - starts.back()).count();
    starts.pop_back();
    std::lock_guard lock(s->mu);
    LoopStats& l = s->loops[std::string(f.loop())];
    l.total += dt;
    l.activations += 1;
    l.iterations += f.iteration();
    if (f.depth() > 1) l.parent = std::string(f.enclosing(1).name);
  });
  // The totals of the time before a resume belong to the run's profile.
  HookStateOps ops;
  ops.save = [s](Writer& w) {
    std::lock_guard lock(s->mu);
    w.u64(s->loops.size());
    for (auto& [name, l] : s->loops) {
      w(name, l.total, l.activations, l.iterations, l.parent);
    }
  };
  ops.load = [s](Reader& r) {
    std::lock_guard lock(s->mu);
    s->loops.clear();
    for (std::size_t n = r.count(8 * 5); n > 0; --n) {
      std::string name;
      LoopStats l;
      r(name, l.total, l.activations, l.iterations, l.parent);
      s->loops[name] = l;
    }
  };
  register_hook_state(hook.id(), key, std::move(ops));
}

}  // namespace pl::detail
