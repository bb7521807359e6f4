// pass track-arrays: `new T[n]` and `delete[] p` of instrumented code record
// the array's length at run time (the extent of a pointer saved as the array
// it points into); forms it cannot rewrite safely are left alone, and the
// output still compiles.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

TEST(TrackArrays, NewAndDeleteOfArraysRecordTheLength) {
  const std::string Code = R"cpp(
template <class T>
static void clone(T *&dst, const T *src, int n) {
  dst = new T[n];
  dst[0] = src[0];
}
struct Solver {
  double *g;
  char *status;
  explicit Solver(int n) : g(new double [ n + 1 ]), status(new char[n]()) {}
  ~Solver() { delete [] g; delete[] (status); }
};
double f(int n) {
  Solver s(n);
  float *a = nullptr;
  const float src[2] = {1, 2};
  clone(a, src, 2);
  double r = s.g[0] = a[1];
  delete[] a;
  return r;
}
)cpp";
  PassRun R = runPassOnCode("track-arrays", Code);
  EXPECT_THAT(R.Output, HasSubstr("dst = ::pl::abi::new_array<T>(n);"));
  // The length expression stays where it was; only `new T[` and `]` change.
  EXPECT_THAT(R.Output, HasSubstr("g(::pl::abi::new_array<double>(n + 1))"));
  EXPECT_THAT(R.Output, HasSubstr("status(::pl::abi::new_array_value<char>(n))"));
  EXPECT_THAT(R.Output, HasSubstr("::pl::abi::delete_array(g);"));
  EXPECT_THAT(R.Output, HasSubstr("::pl::abi::delete_array((status));"));
  EXPECT_THAT(R.Output, HasSubstr("::pl::abi::delete_array(a);"));
  EXPECT_THAT(R.Output, HasSubstr("#include <pl/abi.h>")) << "no loop, but arrays";
  expectOutputCompiles(Code);
}

TEST(TrackArrays, FormsItCannotRewriteAreLeftAlone) {
  const std::string Code = R"cpp(#include <new>
#define MAKE(n) new int[n]
struct Pool {
  static void *operator new[](decltype(sizeof 0) n) { return ::operator new[](n); }
  static void operator delete[](void *p) { ::operator delete[](p); }
  int x = 0;
};
constexpr int sum(int n) {
  int *p = new int[n];
  int s = 0;
  for (int i = 0; i < n; ++i) s += (p[i] = i);
  delete[] p;
  return s;
}
int f(int n) {
  alignas(int) unsigned char buf[64];
  int *placed = new (buf) int[4];
  int *listed = new int[3]{1, 2, 3};
  int (*grid)[4] = new int[n][4];
  int *macro = MAKE(n);
  int *nothrow = new (std::nothrow) int[n];
  Pool *pools = new Pool[2];
  int r = placed[0] + listed[0] + grid[0][0] + macro[0] + pools[1].x + sum(3);
  delete[] listed;
  delete[] grid;
  delete[] pools;
  delete[] nothrow;
  delete[] macro;
  return r;
}
)cpp";
  PassRun R = runPassOnCode("track-arrays", Code, {"-std=c++20"});
  EXPECT_THAT(R.Output, HasSubstr("new (buf) int[4]"));
  EXPECT_THAT(R.Output, HasSubstr("new int[3]{1, 2, 3}"));
  EXPECT_THAT(R.Output, HasSubstr("new int[n][4]"));
  EXPECT_THAT(R.Output, HasSubstr("#define MAKE(n) new int[n]"));
  EXPECT_THAT(R.Output, HasSubstr("new (std::nothrow) int[n]"));
  EXPECT_THAT(R.Output, HasSubstr("new Pool[2]"));
  EXPECT_THAT(R.Output, HasSubstr("delete[] grid;"));
  EXPECT_THAT(R.Output, HasSubstr("delete[] pools;"));
  // constexpr code is evaluated by the compiler, which cannot call libpl.
  EXPECT_THAT(R.Output, HasSubstr("int *p = new int[n];"));
  EXPECT_THAT(R.Output, HasSubstr("  delete[] p;"));
  // Deleting an untracked array through delete_array is harmless: these two
  // are rewritten (only the allocation decides what is known).
  EXPECT_THAT(R.Output, HasSubstr("::pl::abi::delete_array(listed);"));
  EXPECT_THAT(R.Output, Not(HasSubstr("new_array<int>(3)")));
  expectOutputCompiles(Code, {"-std=c++20"});
}

TEST(TrackArrays, CSourcesAreLeftAlone) {
  PassRun R = runPassOnCode("track-arrays", "int f(void) { return 1; }\n", {"-x", "c", "-std=c11"});
  EXPECT_THAT(R.Output, Not(HasSubstr("pl/abi.h")));
}

} // namespace
