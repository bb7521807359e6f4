// A run with every kind of loop the checkpoint engine must resume exactly:
// a completed expensive loop before the others that encloses no policy's
// loop (untracked: re-run), completed ones that do (the refine rounds before
// `sum`: stored when expensive), a cheap one (re-run), a fold loop in main around a train()
// function (enclosing loop in another frame), a `for` around a `while`
// with a shuffle between them, a loop inside a lambda, a range-for, and
// state of many types (an aggregate, a map, a random engine, an optional),
// and a loop whose result the next loop's state holds (skipped on resume).
// It prints one line of hashes; a resumed run must print the same line.
// usage: resume_program [spin rounds per batch] [file holding a seed offset]
#include <pl/marker.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

struct Model {  // an aggregate: saved field by field, no serializer written
  std::vector<double> w;
  double bias = 0;
};

std::uint64_t mix(std::uint64_t h, double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return (h ^ bits) * 0x100000001b3ull;
}

// Busy work standing in for real compute, so kills land everywhere. The
// logistic map is chaotic: one wrong bit anywhere before shows in the result.
double spin(double x, int rounds) {
  double y = x - std::floor(x), s = 0;
  if (!(y > 0 && y < 1)) y = 0.5;
  for (int k = 0; k < rounds; ++k) {
    y = 3.99 * y * (1 - y);
    s += std::sin(y);
  }
  return x + y + 1e-9 * s;
}

std::vector<double> make_data(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  std::vector<double> d;
  d.reserve(std::size_t(n));
  PL_LOOP(fill) for (int i = 0; i < n; ++i) d.push_back(g(rng));
  return d;
}

Model pretrain(const std::vector<double>& data, int sweeps) {
  Model m{std::vector<double>(16, 0.0), 0.0};
  PL_LOOP(sweep) for (int s = 0; s < sweeps; ++s) {
    for (std::size_t i = 0; i < data.size(); ++i)
      m.w[i % 16] += 1e-4 * std::tanh(data[i] * (s + 1)) + 1e-9 * spin(data[i], 3);
    m.bias += m.w[std::size_t(s) % 16];
  }
  return m;
}

double train(const std::vector<double>& data, Model& m, int fold, int epochs, int work) {
  std::mt19937 rng(1000u + unsigned(fold));
  std::map<std::string, double> stats;
  std::optional<double> best;
  double loss = 0;
  std::vector<int> order(data.size());
  // Restored by the epoch loop right after it: skipped when that resumes.
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = int(i);
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
    std::shuffle(order.begin(), order.end(), rng);
    int b = 0;
    loss = 0;
    PL_LOOP(batch) while (b * 64 < int(order.size())) {
      const int end = std::min(int(order.size()), (b + 1) * 64);
      double g = 0;
      for (int k = b * 64; k < end; ++k) {
        const double x = data[std::size_t(order[std::size_t(k)])];
        const double y = m.w[std::size_t(k) % 16] * x + m.bias;
        g += (y - std::sin(x)) * x;
      }
      g /= (end - b * 64);
      m.w[std::size_t(b) % 16] -= 0.01 * g + 1e-12 * spin(g, work);
      loss += g * g;
      ++b;
    }
    stats["epoch " + std::to_string(e)] = loss;
    if (!best || loss < *best) best = loss;
  }
  std::uint64_t h = 0;
  for (auto& [k, v] : stats) h = mix(h, v);
  return loss + double(h % 1000) * 1e-6 + (best ? *best : 0);
}

}  // namespace

int main(int argc, char** argv) {
  const int work = argc > 1 ? std::atoi(argv[1]) : 100000;  // spin rounds per batch
  unsigned seed = 7;  // an input file, when given, holds an offset to the data seed
  if (argc > 2) {
    std::ifstream in(argv[2]);
    unsigned offset = 0;
    if (!(in >> offset)) return std::fprintf(stderr, "cannot read %s\n", argv[2]), 1;
    seed += offset;
  }
  // The environment is an input too (a resume with another value refuses).
  if (const char* shift = std::getenv("RESUME_SEED_SHIFT")) seed += unsigned(std::atoi(shift));
  const std::vector<double> data = make_data(4096, seed);
  const Model base = pretrain(data, 60);
  std::vector<double> scores;
  PL_LOOP(fold) for (int f = 0; f < 5; ++f) {
    Model m = base;
    scores.push_back(train(data, m, f, 3, work));
  }
  auto refine = [&](int rounds) {
    double acc = 0;
    PL_LOOP(round) for (int r = 0; r < rounds; ++r) acc = spin(acc + scores[std::size_t(r) % 5], work);
    return acc;
  };
  const double refined = refine(300);
  double total = 0;
  PL_LOOP(sum) for (double s : scores) total = spin(total + s, work * 20);
  std::uint64_t h = 0;
  for (double s : scores) h = mix(h, s);
  std::printf("result scores %016llx refined %.17g total %.17g bias %.17g\n", (unsigned long long)h,
              refined, total, base.bias);
  return 0;
}
