// Hand-instrumented loops for the runtime tests: each is what pl-instrument
// emits for the plain loop in the comment above it.
#ifndef PL_TESTS_RUNTIME_LOOPS_H
#define PL_TESTS_RUNTIME_LOOPS_H

#include <pl/pl.h>

#include <vector>

namespace loops {

// int s = 0; for (int i = 0; i < n; ++i) { s += i; } return s;
inline int sum(int n) {
  int s = 0;
  {
    PL_SITE_(pl_s0, "loops::sum/loop0", "loops.h", 18, kFor);
    PL_VARS_(pl_p0e, 18, PL_V_(n), PL_V_(s));
    ::pl::abi::Loop pl_l0(pl_s0);
    PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_count(0, n, 1, false), n, s);
    for (int i = 0; i < n; ++i) {
      PL_VARS_(pl_p0b, 19, PL_V_(n), PL_V_(s), PL_V_(i));
      PL_BEGIN_(pl_l0, pl_p0b, pl_x0, n, s, i);
      s += i;
      PL_VARS_(pl_p0n, 21, PL_V_(n), PL_V_(s), PL_V_(i));
      PL_END_(pl_l0, pl_p0n, pl_x0, n, s, i);
    }
  pl_x0:
    PL_EXIT_(pl_l0, pl_p0e, n, s);
  }
  return s;
}

// const double scale = 2; std::vector<double> w(3, 1.0);
// PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
//   PL_LOOP(batch) for (int b = 0; b < 4; ++b) w[0] += scale; }
// return w[0];
inline double nested(int epochs) {
  const double scale = 2;
  std::vector<double> w(3, 1.0);
  {
    PL_SITE_(pl_s0, "loops::nested/epoch", "loops.h", 32, kFor);
    PL_VARS_(pl_p0e, 32, PL_V_(epochs), PL_V_(scale), PL_V_(w));
    ::pl::abi::Loop pl_l0(pl_s0);
    PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_count(0, epochs, 1, false), epochs, scale, w);
    for (int e = 0; e < epochs; ++e) {
      PL_VARS_(pl_p0b, 33, PL_V_(epochs), PL_V_(scale), PL_V_(w), PL_V_(e));
      PL_BEGIN_(pl_l0, pl_p0b, pl_x0, epochs, scale, w, e);
      {
        PL_SITE_(pl_s1, "loops::nested/epoch/batch", "loops.h", 34, kFor);
        PL_VARS_(pl_p1e, 34, PL_V_(epochs), PL_V_(scale), PL_V_(w), PL_V_(e));
        ::pl::abi::Loop pl_l1(pl_s1);
        PL_ENTER_(pl_l1, pl_p1e, pl_x1, ::pl::abi::trip_count(0, 4, 1, false), epochs, scale, w, e);
        for (int b = 0; b < 4; ++b) {
          PL_VARS_(pl_p1b, 35, PL_V_(epochs), PL_V_(scale), PL_V_(w), PL_V_(e), PL_V_(b));
          PL_BEGIN_(pl_l1, pl_p1b, pl_x1, epochs, scale, w, e, b);
          w[0] += scale;
          PL_VARS_(pl_p1n, 37, PL_V_(epochs), PL_V_(scale), PL_V_(w), PL_V_(e), PL_V_(b));
          PL_END_(pl_l1, pl_p1n, pl_x1, epochs, scale, w, e, b);
        }
      pl_x1:
        PL_EXIT_(pl_l1, pl_p1e, epochs, scale, w, e);
      }
      PL_VARS_(pl_p0n, 39, PL_V_(epochs), PL_V_(scale), PL_V_(w), PL_V_(e));
      PL_END_(pl_l0, pl_p0n, pl_x0, epochs, scale, w, e);
    }
  pl_x0:
    PL_EXIT_(pl_l0, pl_p0e, epochs, scale, w);
  }
  return w[0];
}

// Same as sum, but the loop throws when i reaches `at`.
inline int throwing(int n, int at) {
  int s = 0;
  {
    PL_SITE_(pl_s0, "loops::throwing/loop0", "loops.h", 47, kFor);
    PL_NOVARS_(pl_p0e, 47);
    ::pl::abi::Loop pl_l0(pl_s0);
    PL_ENTER_(pl_l0, pl_p0e, pl_x0, -1);
    for (int i = 0; i < n; ++i) {
      PL_NOVARS_(pl_p0b, 48);
      PL_BEGIN_(pl_l0, pl_p0b, pl_x0);
      if (i == at) throw 42;
      s += i;
      PL_NOVARS_(pl_p0n, 51);
      PL_END_(pl_l0, pl_p0n, pl_x0);
    }
  pl_x0:
    PL_EXIT_(pl_l0, pl_p0e);
  }
  return s;
}

}  // namespace loops

#endif  // PL_TESTS_RUNTIME_LOOPS_H
