// Busy work standing in for real compute in the resume test programs, so
// that kills and signals land everywhere. The logistic map is chaotic: one
// wrong bit anywhere before shows in the result.
#ifndef PL_TESTS_RESUME_BUSY_WORK_H
#define PL_TESTS_RESUME_BUSY_WORK_H

#include <cmath>

inline double spin(double x, int rounds) {
  double y = x - std::floor(x), s = 0;
  if (!(y > 0 && y < 1)) y = 0.5;
  for (int k = 0; k < rounds; ++k) {
    y = 3.99 * y * (1 - y);
    s += std::sin(y);
  }
  return x + y + 1e-9 * s;
}

#endif  // PL_TESTS_RESUME_BUSY_WORK_H
