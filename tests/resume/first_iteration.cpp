// The first iteration of every enclosing loop is checkpointable (issue 10:
// "a one-point sweep of 60 epochs wrote no checkpoint at all").
//
// main's `repeat` loop runs sweep(), whose `point` loop runs train(), whose
// `epoch` loop has the checkpoint policy. Both enclosing loops are in other
// frames and run exactly one iteration, and `point` is not a top-level loop:
// their state when that iteration began must be kept from the start (the
// call graph says they enclose the policy's loop), or no checkpoint can be
// taken at all. It prints one number; a resumed run must print the same.
#include <pl/marker.h>

#include <cstdio>
#include <vector>

namespace {

double spin(double x, int rounds) {  // the logistic map: one wrong bit shows
  for (int k = 0; k < rounds; ++k) x = 3.9 * x * (1.0 - x);
  return x;
}

double train(double lr, int epochs) {
  double w = 0.5;
  std::vector<double> history;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    w = spin(w * (1.0 - lr) + lr * 0.25, 4000000);
    history.push_back(w);
  }
  double sum = 0;
  for (double h : history) sum += h;
  return sum;
}

double sweep(const std::vector<double>& lrs, int epochs) {
  double total = 0;
  PL_LOOP(point) for (double lr : lrs) total += train(lr, epochs);
  return total;
}

}  // namespace

int main() {
  double total = 0;
  PL_LOOP(repeat) for (int r = 0; r < 1; ++r) total += sweep({0.1}, 60);
  std::printf("total %.17g\n", total);
  return 0;
}
