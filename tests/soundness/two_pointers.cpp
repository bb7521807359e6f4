// Two pointers into one buffer: the loop writes through one and reads
// through the other. The buffer is a local vector (state), but the pointer
// written through is state too and pl cannot save a pointer: refused.
#include <pl/marker.h>

#include <cstdio>
#include <vector>

static double run(int epochs) {
  std::vector<double> buf(8, 1.0);
  double *a = buf.data(), *b = buf.data() + 4;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    for (int k = 0; k < 4; ++k) b[k] = 0.5 * a[k] + b[(k + 1) % 4] + e;
    a[e % 4] += b[0] * 1e-3;
  }
  return buf[7] + buf[0];
}

int main() {
  std::printf("result %a\n", run(20));
  return 0;
}
