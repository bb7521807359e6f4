// kernels.h — the loop kernels of the boundary benchmark.
//
// kernels.cpp is compiled twice: plain into namespace `plain`, and through
// pl-instrument into namespace `instr` (the namespace comes from the
// PL_BENCH_NS definition). This header is deliberately include-guard free so
// boundary_bench.cpp can declare both sets:
//
//   #define PL_BENCH_NS plain
//   #include "kernels.h"
//   #undef PL_BENCH_NS
//   #define PL_BENCH_NS instr
//   #include "kernels.h"
#include <cstddef>
#include <cstdint>
#include <vector>

#ifndef PL_BENCH_NS
#error "define PL_BENCH_NS (plain or instr) before including kernels.h"
#endif

namespace PL_BENCH_NS {

struct SumSq {
  float sum;
  float sumsq;
};

// for loop; two scalar float accumulators (the PITFALLS escaping-locals case).
// Not vectorizable without -ffast-math: latency-bound in both builds.
SumSq sum_sq(const float* x, std::size_t n);

// range-for over a vector of ints: the plain build vectorizes it.
std::int64_t sum_range(const std::vector<int>& v);

// for loop with a store: y[i] += a * x[i] (vectorizable in the plain build).
void axpy(float a, const float* x, float* y, std::size_t n);

// Nested 2-D for loops over a row-major rows x cols matrix; the inner loop
// is entered once per row, so its enter/exit boundaries count too.
double grid(const float* m, int rows, int cols);

// A while loop with a counter (Collatz steps of `start`), inside a for loop
// over `count` consecutive starts. Returns the total number of while
// iterations.
std::uint64_t collatz(std::uint64_t first, std::uint64_t count);

// The same sum as grid, but the inner loop is in another function (not
// inlined): a hook on the outer loop must leave it on its fast copy across
// the call.
double rows_called(const float* m, int rows, int cols);

// A loop nothing measures: the "hook attached to another loop" cases attach
// their hook here.
int other(int n);

}  // namespace PL_BENCH_NS
