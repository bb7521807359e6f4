// A training set in a non-const std::vector the loop only reads through
// operator[] and at(): not state. The model (a reference the callee
// writes) is state. The resume is exact.
#include <pl/marker.h>

#include <cstdio>
#include <vector>

struct Model {
  double w = 0, b = 0;
};

static void step(Model &m, double x, double y) {
  double err = m.w * x + m.b - y;
  m.w -= 0.01 * err * x;
  m.b -= 0.01 * err;
}

static double fit(Model &m, std::vector<double> &xs, std::vector<double> &ys, int epochs) {
  double loss = 0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    loss = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      step(m, xs[i], ys.at(i));
      double err = m.w * xs[i] + m.b - ys[i];
      loss += err * err;
    }
  }
  return loss;
}

int main() {
  std::vector<double> xs, ys;
  for (int i = 0; i < 16; ++i) {
    xs.push_back(i * 0.25);
    ys.push_back(3 * i * 0.25 + 1);
  }
  Model m;
  double loss = fit(m, xs, ys, 20);
  std::printf("loss %a w %a b %a\n", loss, m.w, m.b);
  return 0;
}
