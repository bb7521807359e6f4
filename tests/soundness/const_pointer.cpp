// Data behind const pointers, only read by the loop and its callees: not
// state, nothing refused. The resume is exact.
#include <pl/marker.h>

#include <cstdio>

struct net {
  const double *w;
  int n;
};

static double dot(const double *a, const double *b, int n) {
  double s = 0;
  for (int k = 0; k < n; ++k) s += a[k] * b[k];
  return s;
}

static double eval(const struct net *net, const double *x, int epochs) {
  double acc = 0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) acc = 0.5 * acc + dot(net->w, x, net->n) + e;
  return acc;
}

int main() {
  const double w[4] = {0.5, 0.25, 0.125, 1};
  const double x[4] = {1, 2, 3, 4};
  struct net n = {w, 4};
  std::printf("acc %a\n", eval(&n, x, 20));
  return 0;
}
