// A callee in another translation unit: pl-instrument sees only its
// declaration, so it assumes it writes everything its pointer arguments
// reach. Refused, naming the pointer and the call.
#include <pl/marker.h>

#include <cstdio>

void opaque_update(double *w, int n, int e);  // other_tu_lib.cpp

static double fit(double *w, int n, int epochs) {
  double last = 0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    opaque_update(w, n, e);
    last = w[0];
  }
  return last;
}

int main() {
  double w[4] = {1, 2, 3, 4};
  double last = fit(w, 4, 20);
  std::printf("last %a w %a\n", last, w[3]);
  return 0;
}
