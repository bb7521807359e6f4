// A buffer from malloc, which pl-instrument does not rewrite: PL_EXTENT
// gives its length, and the loop that writes through the pointer resumes
// exactly.
#include <pl/marker.h>

#include <cstdio>
#include <cstdlib>

static void step(float* w, int n, int e) {
  for (int k = 0; k < n; ++k) w[k] = w[k] * 0.5f + float(e % (k + 1));
}

int main() {
  const int n = 6;
  float* w = static_cast<float*>(std::calloc(n, sizeof(float)));
  PL_EXTENT(w, n);
  PL_LOOP(epoch) for (int e = 0; e < 20; ++e) step(w, n, e);
  std::printf("%a %a\n", w[0], w[n - 1]);
  std::free(w);
  return 0;
}
