// Pointers the loop writes through, to arrays allocated with new T[n] away
// from the loop: a field filled by a helper template through a reference
// (libsvm's `clone`), a field allocated in the constructor, and a local.
// Saved as the arrays they point into: the resume is exact.
#include <pl/marker.h>

#include <cstdio>
#include <cstring>

template <class T>
static void clone(T*& dst, const T* src, int n) {
  dst = new T[n];
  std::memcpy(dst, src, sizeof(T) * n);
}

class Solver {
 public:
  explicit Solver(int n) : n_(n), grad_(new double[n]()) {}
  ~Solver() {
    delete[] grad_;
    delete[] alpha_;
  }
  double solve(const double* start, int epochs) {
    clone(alpha_, start, n_);
    int* hits = new int[n_]();
    PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
      int k = (e * 7 + 3) % n_;
      grad_[k] += 0.5 * alpha_[k] - 0.125 * e;
      alpha_[(k + 1) % n_] -= 0.25 * grad_[k];
      ++hits[k];
    }
    double s = 0;
    for (int k = 0; k < n_; ++k) s += alpha_[k] * hits[k] + grad_[k];
    delete[] hits;
    return s;
  }

 private:
  int n_;
  double* grad_;
  double* alpha_ = nullptr;
};

int main() {
  const double start[5] = {1, 2, 3, 4, 5};
  Solver s(5);
  std::printf("%a\n", s.solve(start, 20));
  return 0;
}
