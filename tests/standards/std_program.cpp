// One program in plain C++11, instrumented and built under every standard
// from C++11 on (tests/standards): every loop kind, exits by break and
// return, a function template whose state type each instantiation decides,
// a lambda, state of class type (a std::vector) and state of numbers only.
#include <cstdio>
#include <cstdlib>
#include <vector>

#define PL_LOOP(name)  // pl/marker.h's loop label, spelled here: no pl header in the plain build

namespace {

template <class T>
T accumulate_all(const std::vector<T>& v) {
  T sum = T();
  for (typename std::vector<T>::size_type i = 0; i < v.size(); ++i) sum += v[i];
  return sum;
}

int collatz(long x) {
  int steps = 0;
  while (x != 1) {
    x = x % 2 ? 3 * x + 1 : x / 2;
    if (++steps > 1000) return -1;
  }
  return steps;
}

enum Phase { kWarm, kTrain };

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 6;
  // Numbers only: checkpointed and resumed under every standard.
  double warm = 0;
  Phase phase = kWarm;
  PL_LOOP(warmup) for (int r = 0; r < 400; ++r) {
    warm += collatz(r + 1) * 1e-3;
    if (r == 399) phase = kTrain;
  }
  // A std::vector in the state: saved by pl/serialize.h, which needs C++17.
  std::vector<double> w(8, 0.5);
  double loss = 1.0, lr = 0.1;
  long total = 0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    for (std::size_t k = 0; k < w.size(); ++k) w[k] -= lr * (w[k] - 0.25 * double(k));
    for (double x : w) loss = 0.9 * loss + 0.1 * x;
    int i = 0;
    do {
      total += collatz(e * 7 + i + 1);
      ++i;
    } while (i < 3);
    if (e == 100) break;
    lr *= 0.9;
  }
  const std::vector<int> counts(5, 3);
  const int all = accumulate_all(counts);
  const double wsum = accumulate_all(w);
  auto scale = [&](double f) {
    for (std::size_t k = 0; k < w.size(); ++k) w[k] *= f;
  };
  scale(1.5);
  std::printf("warm %.17g phase %d loss %.17g lr %.17g total %ld all %d wsum %.17g w0 %.17g\n",
              warm, int(phase), loss, lr, total, all, wsum, w[0]);
  return 0;
}
