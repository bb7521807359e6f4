// pass uncaptured-effects: what a loop nest does that its checkpoint state
// does not hold, so a resume re-runs the loop instead of skipping it.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

TEST(UncapturedEffects, HiddenStateCallsExternGlobalsAndOpaquePointerCallsEscape) {
  PassRun R = runPassOnCode("uncaptured-effects", R"(#include <cstdlib>
#include <ctime>
extern int g_seen;
void update(float *w, int n);
float *scratch();
void f(int n) {
  float w[4] = {};
  for (int e = 0; e < n; ++e) {
    std::srand(unsigned(std::time(nullptr)));
    for (int b = 0; b < n; ++b) {
      g_seen += rand() % 2;
      update(scratch(), 4);
      update(w, 4);
    }
  }
})");
  // `update(w, 4)` writes into `w`, which the checkpoint holds: no escape.
  EXPECT_THAT(R.loop("f/loop0")->Uncaptured,
              ElementsAre("calls std::srand", "calls std::time",
                          "writes global 'g_seen' defined "
                          "in another translation unit",
                          "calls rand", "calls opaque 'update' with pointer argument 'scratch()'"));
  // The inner loop's own nest: the outer iteration's srand is not in it.
  EXPECT_THAT(R.loop("f/loop0/loop1")->Uncaptured,
              ElementsAre("writes global 'g_seen' defined in another translation unit",
                          "calls rand", "calls opaque 'update' with pointer argument 'scratch()'"));
}

// An opaque call (a BLAS routine) whose non-const pointer arguments all
// point into saved state writes only what the checkpoint holds: the loop is
// not "always re-run" for it.
TEST(UncapturedEffects, OpaqueCallsIntoSavedStateAreCaptured) {
  PassRun R = runPassOnCode("uncaptured-effects", R"(#include <vector>
extern "C" void daxpy(int n, double a, const double *x, double *y);
struct Model {
  double *w;
  std::vector<double> v;
  void fit(const double *x, int n, int epochs) {
    double local[8] = {};
    for (int e = 0; e < epochs; ++e) {
      daxpy(n, 0.5, x, w);
      daxpy(n, 0.5, x, w + 1);
      daxpy(n, 0.5, x, v.data());
      daxpy(4, 0.5, x, &local[2]);
    }
  }
};)");
  const Loop *L = R.loop("Model::fit/loop0");
  EXPECT_THAT(L->Uncaptured, IsEmpty());
}

// Found by the Fashion-MNIST kill test: a loop reading a gzip stream was
// skipped on resume (its result saved), so the stream was not advanced.
TEST(UncapturedEffects, SystemHeaderReadsMoveAHiddenPosition) {
  PassRun R = runPassOnCode("uncaptured-effects", R"(#include <cstdio>
unsigned long read_all(std::FILE *f, unsigned char *out, unsigned long n) {
  unsigned long done = 0;
  while (done < n) {
    unsigned long got = std::fread(out + done, 1, n - done, f);
    if (got == 0) break;
    done += got;
  }
  return done;
})");
  // `out` is saved as the array it points into; the stream `f` is not.
  EXPECT_THAT(R.loop("read_all/loop0")->Uncaptured,
              ElementsAre("calls opaque 'fread' with pointer argument 'f'"));
}

// A loader class whose next() calls fread: the call is in a callee, not in
// the nest, and still moves a hidden file position.
TEST(UncapturedEffects, CalleesThatReadAStreamCountToo) {
  PassRun R = runPassOnCode("uncaptured-effects", R"(#include <cstdio>
#include <vector>
class Loader {
 public:
  explicit Loader(std::FILE *f) : f_(f) {}
  bool next(std::vector<unsigned char> &b) { return std::fread(b.data(), 1, b.size(), f_) > 0; }
 private:
  std::FILE *f_;
};
double sum(Loader &loader) {
  std::vector<unsigned char> b(16);
  double s = 0;
  while (loader.next(b)) for (unsigned char c : b) s += c;
  return s;
})");
  EXPECT_THAT(R.loop("sum/loop0")->Uncaptured,
              ElementsAre("calls opaque 'fread' with pointer argument 'b.data()' (in "
                          "Loader::next)"));
  EXPECT_THAT(R.loop("sum/loop0/loop1")->Uncaptured, IsEmpty()) << "the inner loop calls nothing";
}

TEST(UncapturedEffects, MarkersSettleAForeignGlobal) {
  PassRun R = runPassOnCode("uncaptured-effects", R"(#include <pl/marker.h>
extern int g_cache, g_log;
void f(int n) {
  PL_TRANSIENT(g_cache);
  PL_PERSIST(g_log);
  for (int i = 0; i < n; ++i) { ++g_cache; ++g_log; }
})",
                            {"-I" PL_RUNTIME_INCLUDE_DIR});
  EXPECT_THAT(R.loop("f/loop0")->Uncaptured, IsEmpty());
  EXPECT_THAT(R.loop("f/loop0")->State, ElementsAre("g_log", "i"));
}

// --- effects the state captures --------------------------------------------

TEST(UncapturedEffectsNegatives, LibraryCallsFunctionsWithBodiesAndConstPointersAreCaptured) {
  PassRun R = runPassOnCode("uncaptured-effects", R"(#include <cstdio>
#include <cstring>
extern const int g_limit;
extern int g_read_only;
void helper(float *w) { w[0] = 1; }
void peek(const float *w);
void f(int n) {
  float w[4] = {}, v[4] = {};
  for (int i = 0; i < n && i < g_limit + g_read_only; ++i) {
    helper(w);
    peek(w);
    std::memcpy(v, w, sizeof w);
    std::printf("%f", double(v[0]));
    std::fflush(stdout);
  }
})");
  EXPECT_THAT(R.loop("f/loop0")->Uncaptured, IsEmpty());
}

} // namespace
