// Golden: labels, the PL_LOOP marker, nesting, braceless bodies, pragmas.
#define PL_LOOP(name)

namespace train {
double fit(int epochs, int batches) {
  double loss = 1.0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e)
    batch: for (int b = batches; b >= 1; b -= 2) loss *= 0.5;
  int hits = 0;
#pragma GCC unroll 2
  for (int i = 0; i < 4; ++i) hits += i;
  return loss + hits;
}
}  // namespace train
