// A loop that calls a function of another translation unit
// (callee_code_lib.cpp), which only computes from its arguments: the resume
// is exact. Built three times with the other file as is, with a comment
// added to it (a resume is exact) and with its code changed (a resume is
// refused, naming the loop: the loop's own file did not change).
#include <pl/marker.h>

#include <cstdio>

double decay(double lr, int epoch);  // callee_code_lib.cpp

static double fit(double lr, int epochs) {
  double w = 1;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    lr = decay(lr, e);
    w -= lr * (w - 3);
  }
  return w;
}

int main() {
  std::printf("w %a\n", fit(0.5, 20));
  return 0;
}
