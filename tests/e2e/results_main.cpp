// Prints the results of every program in programs.cpp; built plain and
// instrumented, the two outputs must be identical.
#include <cstdio>

#include "programs.h"

int main() {
  for (int n = 1; n <= 6; ++n) std::printf("everything(%d) = %.17g\n", n, e2e::everything(n));
  return 0;
}
