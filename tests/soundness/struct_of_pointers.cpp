// A struct of pointers passed by value: the callee writes what its fields
// point to. Refused, naming the struct.
#include <pl/marker.h>
#include <stdio.h>

struct model {
  double *w;
  double *b;
  int n;
};

static void step(struct model m, int e) {
  for (int k = 0; k < m.n; ++k) m.w[k] = 0.5 * m.w[k] + e;
  m.b[0] += m.w[0];
}

static double fit(struct model m, int epochs) {
  double last = 0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    step(m, e);
    last = m.b[0];
  }
  return last;
}

int main(void) {
  double w[3] = {1, 2, 3}, b[1] = {0};
  struct model m = {w, b, 3};
  double last = fit(m, 20);
  printf("last %a w %a b %a\n", last, w[2], b[0]);
  return 0;
}
