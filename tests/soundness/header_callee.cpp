// A loop that calls a function defined in a header (include/sgd.h). Built
// three times: as is, with a comment added here (a resume is exact), and
// with the header's set_lr changed (a resume is refused, naming the loop).
#include <pl/marker.h>
#include <sgd.h>

#include <cstdio>

static double fit(double lr, int epochs) {
  SGD opt{lr};
  double w = 1;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    opt.set_lr(opt.lr * 0.9);
    w -= opt.lr * (w - 3);
  }
  return w;
}

int main() {
  std::printf("w %a\n", fit(0.5, 20));
  return 0;
}
