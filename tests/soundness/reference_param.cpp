// A reference parameter whose referent a callee writes through a pointer
// (`update(&model)`): the reference is state, saved and restored through
// it. The resume is exact.
#include <pl/marker.h>

#include <cstdio>

struct Model {
  double w0 = 1, w1 = 2;
};

static void update(Model *m, int e) {
  m->w0 = 0.5 * m->w0 + m->w1 * 0.25 + e;
  m->w1 -= 0.125 * m->w0;
}

static void fit(Model &model, int epochs) {
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) update(&model, e);
}

int main() {
  Model m;
  fit(m, 20);
  std::printf("w0 %a w1 %a\n", m.w0, m.w1);
  return 0;
}
