// A function of another file keeps a static running total: no variable of
// this loop holds it, so a resume from inside the loop would start it over.
// The other file's call graph (registered by its own instrumented code) says
// so; the checkpoint is refused, naming the function.
#include <pl/marker.h>

#include <cstdio>

double bump(double x);  // static_in_other_tu_lib.cpp

int main() {
  double last = 0;
  PL_LOOP(epoch) for (int e = 0; e < 20; ++e) last = bump(e);
  std::printf("last %a\n", last);
  return 0;
}
