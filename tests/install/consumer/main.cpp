// Plain code in a project that only knows pl through find_package(pl).
#include <cstdio>

int main() {
  double total = 0;
  for (int step = 0; step < 5; ++step) total += step * 0.5;
  std::printf("total %g\n", total);
  return 0;
}
