// boundary_bench.cpp — what an instrumented loop boundary costs.
//
// Every kernel of kernels.cpp runs in four variants:
//
//   <kernel>/plain        built without pl-instrument
//   <kernel>/idle         instrumented, no hook attached anywhere: the goal
//                         is <= 1 ns per idle boundary
//   <kernel>/other_hook   instrumented, a hook attached to another loop
//                         (instr::other/loop): this loop's per-iteration
//                         boundaries stay idle, but its enter/exit now keep
//                         the per-thread loop stack (informational)
//   <kernel>/active_hook  instrumented, a hook on this loop's innermost
//                         iteration_end that increments a counter
//                         (informational: the cost of a hook that runs)
//   <kernel>/filtered     instrumented, a hook on the innermost iteration_end
//                         whose every(N) filter rejects every event: the goal
//                         is <= 5 ns per filtered-out event
//   <kernel>/filtered_when  the same with when=<local> < -1 (never true): the
//                         comparison is checked before the runtime call
//   <kernel>/filtered_time  the same with every_seconds(3600): after its one
//                         run the hook sleeps and the loop is idle again
//   <kernel>/filtered_once  the same with once_at(2^30): gated like every(N)
//   <kernel>/outer_hook   (nested kernels) a hook on the OUTER loop's
//                         iteration_end: the busy inner loops — in the same
//                         function or in a callee — stay on their fast copy
//                         (goal: within noise of idle)
//   <kernel>/outer_policy (nested kernels) a checkpoint policy on the outer
//                         loop that never falls due: the same goal
//
// Each case reports `time/elem` (time per innermost iteration) and
// `boundaries` (boundary events per innermost iteration). After the run a
// summary table gives, per kernel, the idle overhead per iteration and per
// boundary: (idle - plain) / elems and / boundary events. With
// --benchmark_repetitions the summary uses the medians.
#define PL_BENCH_NS plain
#include "kernels.h"
#undef PL_BENCH_NS
#define PL_BENCH_NS instr
#include "kernels.h"
#undef PL_BENCH_NS

#include <benchmark/benchmark.h>
#include <pl/pl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

enum class Mode {
  kPlain,
  kIdle,
  kOtherHook,
  kActiveHook,
  kFiltered,
  kFilteredWhen,
  kFilteredTime,
  kFilteredOnce,
  kOuterHook,
  kOuterPolicy
};
constexpr const char* kModeName[] = {
    "plain",         "idle",          "other_hook",    "active_hook", "filtered",
    "filtered_when", "filtered_time", "filtered_once", "outer_hook",  "outer_policy"};

// The outer loop of each nested kernel (outer_hook, outer_policy).
const char* outer_loop_of(const std::string& innermost) {
  if (innermost.rfind("instr::grid/", 0) == 0) return "instr::grid/rows";
  if (innermost.rfind("instr::collatz/", 0) == 0) return "instr::collatz/starts";
  if (innermost.rfind("instr::row_sum/", 0) == 0) return "instr::rows_called/rows";
  return nullptr;
}

// Problem sizes: L2-resident, so the loops, not memory, set the pace.
constexpr std::size_t kN = 1 << 16;  // elements of the 1-D kernels
constexpr int kRows = 1024;          // grid: 1024 x 64, inner loop entered 1024 times
constexpr int kCols = 64;
constexpr std::uint64_t kCollatzCount = 256;  // starts per call (~27k while iterations)

std::uint64_t g_hook_calls = 0;

// Attaches the hook a mode asks for; removes it when the benchmark ends.
class HookScope {
 public:
  HookScope(Mode mode, const char* innermost, const char* local = "i") {
    if (mode == Mode::kOtherHook)
      hook_ = pl::on("instr::other/loop").at(pl::iteration_end).call([](pl::Frame&) {
        ++g_hook_calls;
      });
    if (mode == Mode::kActiveHook)
      hook_ = pl::on(innermost).at(pl::iteration_end).call([](pl::Frame&) { ++g_hook_calls; });
    if (mode == Mode::kFiltered)  // armed at every iteration end, runs at 1 in 1000 (gated)
      hook_ = pl::on(innermost).at(pl::iteration_end).every(1000).call([](pl::Frame&) {
        ++g_hook_calls;
      });
    if (mode == Mode::kFilteredTime)  // every=1h: runs once, then sleeps (site idle)
      hook_ = pl::on(innermost).at(pl::iteration_end).every_seconds(3600).call([](pl::Frame&) {
        ++g_hook_calls;
      });
    if (mode == Mode::kFilteredWhen)  // when=<local><-1: a comparison, checked inline
      hook_ = pl::on(innermost)
                  .at(pl::iteration_end)
                  .when(local, pl::Compare::lt, -1)
                  .call([](pl::Frame&) { ++g_hook_calls; });
    if (mode == Mode::kFilteredOnce)  // once_at an iteration no call reaches: gated
      hook_ = pl::on(innermost)
                  .at(pl::iteration_end)
                  .once_at(std::uint64_t(1) << 30)
                  .call([](pl::Frame&) { ++g_hook_calls; });
    if (mode == Mode::kOuterHook)
      hook_ = pl::on(outer_loop_of(innermost)).at(pl::iteration_end).call([](pl::Frame&) {
        ++g_hook_calls;
      });
    if (mode == Mode::kOuterPolicy) {
      pl::CheckpointPolicy p;
      p.selector = outer_loop_of(innermost);
      p.every = std::uint64_t(1) << 40;  // never due
      p.on_signal = false;
      p.dir = "/tmp/pl-boundary-bench-ckpt";
      hook_ = pl::attach_checkpoint(p);
    }
    // Enroll the other loop's site so the registry knows it.
    benchmark::DoNotOptimize(instr::other(3));
  }
  ~HookScope() { hook_.remove(); }

 private:
  pl::Hook hook_;
};

std::vector<float> random_floats(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& f : v) f = d(rng);
  return v;
}

// Sets the per-iteration counters. `elems` innermost iterations and
// `boundaries` boundary events per call of the kernel.
void set_counters(benchmark::State& state, double elems, double boundaries) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * elems));
  // kIsIterationInvariantRate | kInvert: seconds / (elems * iterations),
  // printed with an SI prefix (e.g. 495.3ps = 0.4953 ns per element).
  state.counters["time/elem"] = benchmark::Counter(
      elems, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["elems"] = elems;
  state.counters["boundaries"] = boundaries;
}

void bm_sum_sq(benchmark::State& state, Mode mode) {
  HookScope scope(mode, "instr::sum_sq/elems");
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::vector<float> x = random_floats(n, 1);
  for (auto _ : state) {
    const float* p = x.data();
    benchmark::DoNotOptimize(p);
    if (mode == Mode::kPlain) {
      plain::SumSq r = plain::sum_sq(p, n);
      benchmark::DoNotOptimize(r);
    } else {
      instr::SumSq r = instr::sum_sq(p, n);
      benchmark::DoNotOptimize(r);
    }
  }
  set_counters(state, double(n), 2.0 * double(n) + 2);
}

void bm_sum_range(benchmark::State& state, Mode mode) {
  HookScope scope(mode, "instr::sum_range/elems", "e");
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  std::vector<int> v(n);
  std::mt19937 rng(2);
  for (int& e : v) e = static_cast<int>(rng() % 1000);
  for (auto _ : state) {
    benchmark::DoNotOptimize(v.data());
    auto r = mode == Mode::kPlain ? plain::sum_range(v) : instr::sum_range(v);
    benchmark::DoNotOptimize(r);
  }
  set_counters(state, double(n), 2.0 * double(n) + 2);
}

void bm_axpy(benchmark::State& state, Mode mode) {
  HookScope scope(mode, "instr::axpy/elems");
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  // x and y in one buffer, y 64 bytes past a 4 KiB multiple from x: two
  // separate page-aligned buffers (what malloc returns for the first large
  // blocks) make y[i] and x[i] collide in the low 12 address bits, and the
  // resulting 4K-aliasing stalls of the scalar loop depend on allocation luck.
  const std::size_t gap = (n + 1023) / 1024 * 1024 + 16;
  std::vector<float> buf = random_floats(gap + n, 3);
  const float* x = buf.data();
  float* y = buf.data() + gap;
  float a = 1e-6f;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    if (mode == Mode::kPlain)
      plain::axpy(a, x, y, n);
    else
      instr::axpy(a, x, y, n);
    benchmark::ClobberMemory();
  }
  set_counters(state, double(n), 2.0 * double(n) + 2);
}

// A 2-D kernel (grid, rows_called): `rows` rows of `cols` elements.
using RowsKernel = double (*)(const float*, int, int);
void bm_rows(benchmark::State& state, Mode mode, const char* innermost, RowsKernel plain_fn,
             RowsKernel instr_fn) {
  HookScope scope(mode, innermost, "c");
  const int rows = static_cast<int>(state.range(0));
  const int cols = static_cast<int>(state.range(1));
  const std::vector<float> m = random_floats(std::size_t(rows) * cols, 5);
  for (auto _ : state) {
    const float* p = m.data();
    benchmark::DoNotOptimize(p);
    double r = mode == Mode::kPlain ? plain_fn(p, rows, cols) : instr_fn(p, rows, cols);
    benchmark::DoNotOptimize(r);
  }
  // outer: enter + exit + begin/end per row; inner: enter/exit per row + begin/end per element
  const double elems = double(rows) * cols;
  set_counters(state, elems, 2.0 + 4.0 * rows + 2.0 * elems);
}

void bm_grid(benchmark::State& state, Mode mode) {
  bm_rows(state, mode, "instr::grid/rows/cols", plain::grid, instr::grid);
}

void bm_rows_called(benchmark::State& state, Mode mode) {
  bm_rows(state, mode, "instr::row_sum/cols", plain::rows_called, instr::rows_called);
}

void bm_collatz(benchmark::State& state, Mode mode) {
  HookScope scope(mode, "instr::collatz/starts/steps", "v");
  std::uint64_t first = 1000001;  // hidden from the optimizer below
  const std::uint64_t count = static_cast<std::uint64_t>(state.range(0));
  std::uint64_t steps = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(first);
    steps = mode == Mode::kPlain ? plain::collatz(first, count) : instr::collatz(first, count);
    benchmark::DoNotOptimize(steps);
  }
  const double elems = double(steps);
  set_counters(state, elems, 2.0 + 4.0 * double(count) + 2.0 * elems);
}

struct Kernel {
  const char* name;
  void (*fn)(benchmark::State&, Mode);
  std::vector<std::int64_t> args;
};

const Kernel kKernels[] = {
    {"sum_sq", bm_sum_sq, {std::int64_t(kN)}},
    {"sum_range", bm_sum_range, {std::int64_t(kN)}},
    {"axpy", bm_axpy, {std::int64_t(kN)}},
    {"grid", bm_grid, {kRows, kCols}},
    {"rows_called", bm_rows_called, {kRows, kCols}},
    {"collatz", bm_collatz, {std::int64_t(kCollatzCount)}},
};

// Console output as usual, plus a record of each run for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  struct Row {
    double ns_per_call = 0;
    double elems = 0;
    double boundaries = 0;
    bool median = false;
  };

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const bool is_median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Aggregate && !is_median) continue;
      const std::string name = r.run_name.function_name;  // "<kernel>/<mode>"
      Row& row = rows_[name];
      if (row.median && !is_median) continue;  // keep the median once we have it
      row.median = is_median;
      // Only the first repetition is kept if no median is produced.
      if (!is_median && row.ns_per_call > 0) continue;
      row.ns_per_call = r.GetAdjustedCPUTime();  // in r.time_unit, set to ns below
      auto get = [&](const char* k) {
        auto it = r.counters.find(k);
        return it == r.counters.end() ? 0.0 : it->second.value;
      };
      row.elems = get("elems");
      row.boundaries = get("boundaries");
    }
  }

  void PrintSummary() const {
    std::printf("\nIdle overhead per kernel (CPU time%s):\n\n",
                any_median() ? ", medians of the repetitions" : ", single runs");
    std::printf(
        "| kernel | plain ns/elem | idle ns/elem | idle - plain ns/elem | "
        "boundaries/elem | idle ns/boundary | other_hook ns/elem | active_hook ns/elem | "
        "filtered ns/elem | **filtered-out event ns** | filtered by a predicate ns | "
        "filtered by time ns | filtered by once ns |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const Kernel& k : kKernels) {
      const Row* plain = find(k.name, Mode::kPlain);
      const Row* idle = find(k.name, Mode::kIdle);
      if (!plain || !idle || plain->elems <= 0 || idle->elems <= 0) continue;
      const Row* other = find(k.name, Mode::kOtherHook);
      const Row* active = find(k.name, Mode::kActiveHook);
      const Row* filtered = find(k.name, Mode::kFiltered);
      const Row* filtered_when = find(k.name, Mode::kFilteredWhen);
      const Row* filtered_time = find(k.name, Mode::kFilteredTime);
      const Row* filtered_once = find(k.name, Mode::kFilteredOnce);
      const double p = plain->ns_per_call / plain->elems;
      const double i = idle->ns_per_call / idle->elems;
      const double per_boundary =
          (idle->ns_per_call - plain->ns_per_call * idle->elems / plain->elems) / idle->boundaries;
      auto col = [](const Row* r) { return r && r->elems > 0 ? r->ns_per_call / r->elems : -1.0; };
      // One iteration_end event per innermost iteration reaches the runtime;
      // the other boundaries (and kTrack's enter/exit) are charged too, as
      // other_hook shows them: (filtered - other_hook) is the event itself.
      const double f = col(filtered), o = col(other), w = col(filtered_when),
                   t = col(filtered_time), n = col(filtered_once);
      auto minus = [o](double x) { return x >= 0 && o >= 0 ? x - o : -1.0; };
      std::printf(
          "| %s | %.3f | %.3f | %+.3f | %.3f | %+.3f | %.3f | %.3f | %.3f | %.3f | %.3f | "
          "%.3f | %.3f |\n",
          k.name, p, i, i - p, idle->boundaries / idle->elems, per_boundary, o, col(active), f,
          minus(f), minus(w), minus(t), minus(n));
    }
    std::printf("\nGoals: idle ns/boundary <= 1; filtered-out event <= 5 ns.\n");
    std::printf(
        "\nA hook (running at every outer iteration) or a never-due policy on the outer loop of "
        "a nested kernel; the inner loops stay on their fast copy, so the cost is per outer "
        "iteration, not per element:\n\n| kernel | idle ns/elem | outer_hook ns/elem | "
        "outer_policy ns/elem | outer_hook ns/outer iteration | outer_policy ns/outer iteration "
        "|\n|---|---:|---:|---:|---:|---:|\n");
    for (const Kernel& k : kKernels) {
      const Row* idle = find(k.name, Mode::kIdle);
      const Row* hook = find(k.name, Mode::kOuterHook);
      const Row* policy = find(k.name, Mode::kOuterPolicy);
      if (!idle || !hook || !policy || idle->elems <= 0) continue;
      // boundaries = 2 + 4 * outer iterations + 2 * elems (bm_rows, bm_collatz)
      const double outer = (idle->boundaries - 2.0 - 2.0 * idle->elems) / 4.0;
      auto col = [](const Row* r) { return r->elems > 0 ? r->ns_per_call / r->elems : -1.0; };
      std::printf("| %s | %.3f | %.3f | %.3f | %+.1f | %+.1f |\n", k.name, col(idle), col(hook),
                  col(policy), (hook->ns_per_call - idle->ns_per_call) / outer,
                  (policy->ns_per_call - idle->ns_per_call) / outer);
    }
  }

 private:
  const Row* find(const char* kernel, Mode mode) const {
    auto it = rows_.find(std::string(kernel) + "/" + kModeName[int(mode)]);
    return it == rows_.end() ? nullptr : &it->second;
  }
  bool any_median() const {
    for (auto& [name, row] : rows_)
      if (row.median) return true;
    return false;
  }
  std::map<std::string, Row> rows_;
};

}  // namespace

int main(int argc, char** argv) {
  for (const Kernel& k : kKernels) {
    for (Mode mode : {Mode::kPlain, Mode::kIdle, Mode::kOtherHook, Mode::kActiveHook,
                      Mode::kFiltered, Mode::kFilteredWhen, Mode::kFilteredTime,
                      Mode::kFilteredOnce, Mode::kOuterHook, Mode::kOuterPolicy}) {
      const bool nested = std::string(k.name) == "grid" || std::string(k.name) == "collatz" ||
                          std::string(k.name) == "rows_called";
      if ((mode == Mode::kOuterHook || mode == Mode::kOuterPolicy) && !nested) continue;
      const std::string name = std::string(k.name) + "/" + kModeName[int(mode)];
      auto* b = benchmark::RegisterBenchmark(name.c_str(), k.fn, mode);
      b->Args(k.args)->Unit(benchmark::kNanosecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary();
  benchmark::Shutdown();
  std::fprintf(stderr, "(hook calls: %llu)\n", static_cast<unsigned long long>(g_hook_calls));
  return 0;
}
