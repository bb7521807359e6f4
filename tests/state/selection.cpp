// Golden input for the state-selection pass (modified-vars): each loop is
// followed by the exact set of variables a checkpoint there must hold (a
// STATE comment naming the loop) and the ones it must not (a NOT comment).
// check_state.py compares them with pl-instrument --manifest.
#include <pl/marker.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

struct Net {
  std::vector<float> w;
  float norm() const { return w.empty() ? 0.f : w[0]; }
  void step(float lr) { for (float& x : w) x -= lr; }
};

float loss_of(const Net& net, const std::vector<float>& batch) { return net.norm() + float(batch.size()); }
void bump(int& counter) { ++counter; }
void fill(int* out) { *out = 7; }
int twice(int v) { return 2 * v; }

float train(Net& net, const std::vector<float>& data, const Net& teacher, int epochs) {
  const float lr = 0.1f;
  std::mt19937 rng(42);
  std::vector<float> batch(4, 1.0f);  // only read by the nest
  std::vector<int> order = {0, 1, 2, 3};
  float total = 0;
  int steps = 0, filled = 0, by_value = 3, const_ref_only = 5;
  std::string name = "run";
  for (int e = 0; e < epochs; ++e) {
    // STATE train/loop0: net, rng, order, total, steps, filled, e
    // NOT   train/loop0: data, teacher, epochs, lr, batch, by_value, const_ref_only, name, seen
    std::shuffle(order.begin(), order.end(), rng);  // order and rng change: state
    int seen = 0;  // declared inside the nest: dead between outer iterations
    for (int b = 0; b < 3; ++b) {
      // STATE train/loop0/loop1: net, rng, order, total, steps, filled, e, seen, b
      // NOT   train/loop0/loop1: data, teacher, epochs, lr, batch, by_value, const_ref_only, name
      total += loss_of(net, batch) + teacher.norm() + float(data.size()) + float(name.size()) +
               float(order.size());
      net.step(lr);                  // non-const member call through a reference
      bump(steps);                   // passed to a non-const reference parameter
      fill(&filled);                 // its address passed as a non-const pointer
      seen = twice(by_value) + const_ref_only;
    }
    (void)seen;
  }
  return total + float(steps + filled);
}

int lambdas_and_pointers(int n, int* sink) {
  int hits = 0, reads = 1;
  auto hit = [&hits] { ++hits; };    // captured by reference and written
  for (int i = 0; i < n; ++i) {
    // STATE lambdas_and_pointers/loop0: sink, hits, i
    // NOT   lambdas_and_pointers/loop0: n, reads, hit
    hit();
    *sink += reads;                  // the pointee is written through sink
  }
  return hits;
}

int while_and_range(std::vector<int>& v) {
  int sum = 0;
  std::size_t k = 0;
  while (k < v.size()) {
    // STATE while_and_range/loop0: sum, k
    // NOT   while_and_range/loop0: v
    sum += v[k];                     // non-const operator[], result only read: not a write
    ++k;
  }
  for (const int& x : v) {
    // STATE while_and_range/loop1: sum, x
    // NOT   while_and_range/loop1: v, k
    sum += x;
  }
  return sum;
}

int marked(const std::vector<int>& v, unsigned seed) {
  std::vector<int> scratch(v.size());
  PL_TRANSIENT(scratch);             // rebuilt on resume: never state
  PL_PERSIST(seed);                  // only read, yet saved
  int sum = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    // STATE marked/loop0: seed, sum, i
    // NOT   marked/loop0: v, scratch
    scratch[i] = v[i] * int(seed % 7u);
    sum += scratch[i];
  }
  return sum;
}

int calls = 0;                       // a global of this file: state where the nest writes it
struct Counter {
  int hits = 0, limit = 10;
  int count(int n) {
    int seen = 0;
    for (int i = 0; i < n && i < limit; ++i) {
      // STATE Counter::count/loop0: hits, calls, seen, i
      // NOT   Counter::count/loop0: n, limit
      ++hits;                        // a field of *this
      ++calls;
      ++seen;
    }
    return seen;
  }
};
