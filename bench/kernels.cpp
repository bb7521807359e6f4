// kernels.cpp — small loop kernels written as ordinary C++. Built twice from
// this one file (see bench/CMakeLists.txt): plain (namespace `plain`) and
// instrumented by pl-instrument (namespace `instr`). The loops are named with
// PL_LOOP so hooks can select them, e.g. "instr::sum_sq/elems".
#include "kernels.h"

#include <pl/marker.h>

namespace PL_BENCH_NS {

SumSq sum_sq(const float* x, std::size_t n) {
  float s = 0.0f;
  float q = 0.0f;
  PL_LOOP(elems) for (std::size_t i = 0; i < n; ++i) {
    s += x[i];
    q += x[i] * x[i];
  }
  return {s, q};
}

std::int64_t sum_range(const std::vector<int>& v) {
  std::int64_t total = 0;
  PL_LOOP(elems) for (int e : v) total += e;
  return total;
}

void axpy(float a, const float* x, float* y, std::size_t n) {
  PL_LOOP(elems) for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

double grid(const float* m, int rows, int cols) {
  double total = 0.0;
  PL_LOOP(rows) for (int r = 0; r < rows; ++r) {
    float row = 0.0f;
    PL_LOOP(cols) for (int c = 0; c < cols; ++c) row += m[r * cols + c];
    total += static_cast<double>(row) * (r & 7);
  }
  return total;
}

std::uint64_t collatz(std::uint64_t first, std::uint64_t count) {
  std::uint64_t steps = 0;
  PL_LOOP(starts) for (std::uint64_t k = 0; k < count; ++k) {
    std::uint64_t v = first + k;
    PL_LOOP(steps) while (v != 1) {
      v = (v & 1) ? 3 * v + 1 : v / 2;
      ++steps;
    }
  }
  return steps;
}

namespace {
#if defined(__GNUC__)
__attribute__((noinline))
#endif
float row_sum(const float* row, int cols) {
  float s = 0.0f;
  PL_LOOP(cols) for (int c = 0; c < cols; ++c) s += row[c];
  return s;
}
}  // namespace

double rows_called(const float* m, int rows, int cols) {
  double total = 0.0;
  PL_LOOP(rows) for (int r = 0; r < rows; ++r) {
    total += static_cast<double>(row_sum(m + r * cols, cols)) * (r & 7);
  }
  return total;
}

int other(int n) {
  int acc = 0;
  PL_LOOP(loop) for (int i = 0; i < n; ++i) acc += i;
  return acc;
}

}  // namespace PL_BENCH_NS
