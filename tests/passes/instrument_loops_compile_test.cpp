// instrument_loops_compile_test.cpp — pass `instrument-loops` (passes/InstrumentLoops.h):
// the output compiles whenever the input did, and innermost loops get an
// uninstrumented copy (versioning). The text checks are in instrument_loops_test.cpp.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pl::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

/// The driver's defaults: innermost loops get their uninstrumented copy.
const PassOptions Versioned;

// ---- versioning: an uninstrumented copy of innermost loops -----------------

TEST(InstrumentLoopsVersioning, InnermostLoopGetsAVerbatimCopyForWhenNothingListens) {
  const std::string Code = R"cpp(float dot(const float *a, const float *b, int n) {
  float s = 0;
  for (int i = 0; i < n; ++i)
    s += a[i] * b[i];
  return s;
}
)cpp";
  PassRun R = runPassOnCode("emit-manifest", Code, {}, kInputFile, Versioned);
  EXPECT_THAT(R.Output,
              HasSubstr("if (::pl::abi::idle(pl_s0)) {\n#line 3 \"/pl-test/input.cc\"\n"
                        "  for (int i = 0; i < n; ++i)\n    s += a[i] * b[i];\n} else {"));
  // The instrumented copy follows, mapped to the same line again.
  EXPECT_EQ(countOf(R.Output, "#line 3 \"/pl-test/input.cc\""), 2u);
  EXPECT_EQ(countOf(R.Output, "PL_BEGIN_("), 1u);
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
  EXPECT_EQ(R.Output, instrumentWithDriver(Code, {}, kInputFile, Versioned));
}

TEST(InstrumentLoopsVersioning, PragmasAreCopiedWithTheirLoop) {
  PassRun R = runPassOnCode("instrument-loops", R"cpp(int f(int n) {
  int s = 0;
#pragma GCC unroll 2
  for (int i = 0; i < n; ++i) s += i;
  return s;
}
)cpp",
                            {}, kInputFile, Versioned);
  EXPECT_EQ(countOf(R.Output, "#pragma GCC unroll 2\n  for (int i = 0; i < n; ++i)"), 2u)
      << R.Output;
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

TEST(InstrumentLoopsVersioningNegatives, OnlyLoopsThatCanExistTwiceAreCopied) {
  PassRun R = runPassOnCode("instrument-loops", R"cpp(int f(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)       // outer: has a loop inside
    for (int j = 0; j < i; ++j) s += j;
  for (int i = 0; i < n; ++i) {     // a label inside
  again:
    if (++s % 7 == 0) goto again;
  }
  for (int i = 0; i < n; ++i) {     // a static local
    static int calls = 0;
    s += ++calls;
  }
  for (int i = 0; i < n; ++i) s += [i] { return i; }();  // a lambda
  return s;
}
)cpp",
                            {}, kInputFile, Versioned);
  EXPECT_EQ(countOf(R.Output, "::pl::abi::idle("), 1u) << "only the inner j loop: " << R.Output;
  EXPECT_THAT(R.Output, HasSubstr("if (::pl::abi::idle(pl_s1))"));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

// ---- the output compiles whenever the input did ----------------------------

TEST(InstrumentLoopsCompiles, NamesNestingContinueBreakAndExits) {
  expectOutputCompiles(R"cpp(
    #include <pl/marker.h>
    #include <map>
    #include <string>
    #include <vector>
    namespace mlp {
    struct Model { std::vector<double> w; double step(double x) const { return x; } };
    double train(Model &model, const std::vector<double> &data, int epochs) {
      double loss = 0;
      PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
        batch: for (std::size_t b = 0; b < data.size(); b += 2) {
          if (data[b] < 0) continue;
          if (data[b] > 1e9) break;
          if (data[b] > 1e10) return loss;
          loss += model.step(data[b]);
        }
        for (double &w : model.w) w *= 0.5;
        if (loss > 100) goto done;
      }
    done:
      std::map<std::string, int> counts{{"a", 1}};
      for (const auto &[name, count] : counts) loss += count + double(name.size());
      int k = 0;
      do { ++k; if (k == 2) continue; } while (k < 4);
      while (k) switch (k) { case 1: --k; continue; default: k = 1; break; }
      return loss;
    }
    } // namespace mlp
  )cpp",
                       {"-I" PL_RUNTIME_INCLUDE_DIR});
}

TEST(InstrumentLoopsCompiles, LambdasTemplatesAndMethods) {
  expectOutputCompiles(R"cpp(
    #include <vector>
    template <class T> T sum(const std::vector<T> &v) {
      T s{};
      for (const T &x : v) s += x;
      for (typename std::vector<T>::size_type i = 0; i < v.size(); ++i) s += v[i];
      return s;
    }
    template int sum<int>(const std::vector<int> &);
    template double sum<double>(const std::vector<double> &);
    struct Counter {
      int n = 0;
      Counter(int m) { for (int i = 0; i < m; ++i) ++n; }
      int twice() const { int r = 0; for (int i = 0; i < n; ++i) r += 2; return r; }
    };
    int use(int m) {
      auto generic = [](auto limit) { int c = 0; while (c < limit) ++c; return c; };
      auto capture = [&m, copy = m](int k) { for (int i = 0; i < k; ++i) m += copy; };
      capture(2);
      return generic(3) + Counter(m).twice() + sum(std::vector<int>{1, 2});
    }
  )cpp");
}

TEST(InstrumentLoopsCompiles, ConstantsArraysAndSpecialLocals) {
  expectOutputCompiles(R"cpp(
    #include <memory>
    #include <string>
    #include <vector>
    struct Flags { unsigned a : 3; unsigned b : 5; };
    int f(int n, const std::string &name, Flags flags) {
      constexpr int kWidth = 4;
      const int limit = n * 2;
      static int calls = 0;
      int grid[kWidth] = {};
      volatile int ticks = 0;
      std::unique_ptr<int> owned = std::make_unique<int>(1);
      auto [a, b] = flags;
      for (int i = 0; i < kWidth; ++i) grid[i] = i + limit + int(name.size()) + *owned;
      for (int x : grid) calls += x;
      while (a < b) { ++a; ++ticks; }
      return calls;
    }
  )cpp");
}

// A class with data() and size() whose data() is not a pointer (a buffer
// class returning its vector) is not a "range of numbers" to the runtime;
// found by serialize_bench, whose pl::Writer is such a local.
TEST(InstrumentLoopsCompiles, LocalsWhoseDataIsNotAPointer) {
  expectOutputCompiles(R"cpp(
    #include <vector>
    class Buffer {
     public:
      const std::vector<unsigned char> &data() const { return bytes_; }
      std::size_t size() const { return bytes_.size(); }
      void put(unsigned char b) { bytes_.push_back(b); }
     private:
      std::vector<unsigned char> bytes_;
    };
    struct Odd { int *data() const { return nullptr; } const char *size() const { return ""; } };
    std::size_t f(int n) {
      Buffer out;
      Odd odd;
      for (int i = 0; i < n; ++i) out.put((unsigned char)i);
      return out.size() + (odd.data() == nullptr);
    }
  )cpp");
}

TEST(InstrumentLoopsCompiles, PragmasAndOpenMP) {
  const std::string Code = R"cpp(
    void scale(int n, double *x) {
      #pragma omp parallel for
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < 4; ++j) x[i] *= 2;
      }
      #pragma GCC unroll 4
      for (int i = 0; i < n; ++i) x[i] += 1;
    }
  )cpp";
  expectOutputCompiles(Code, {"-fopenmp"});
  expectOutputCompiles(Code, {"-Wno-source-uses-openmp"});
}

TEST(InstrumentLoopsCompiles, MarkedLoopsAfterPragmas) {
  const std::string Code = R"cpp(
    #include <pl/marker.h>
    void scale(int n, double *x) {
      #pragma omp parallel for
      PL_LOOP(rows) for (int i = 0; i < n; ++i) {
        PL_LOOP(cols) for (int j = 0; j < 4; ++j) x[i] *= 2;
      }
      #pragma clang loop unroll(enable)
      PL_LOOP(shift) for (int i = 0; i < n; ++i) x[i] += 1;
    }
  )cpp";
  expectOutputCompiles(Code, {"-fopenmp", "-I" PL_RUNTIME_INCLUDE_DIR});
  PassRun R = runPassOnCode("rewrite-safety", Code, {"-fopenmp", "-I" PL_RUNTIME_INCLUDE_DIR});
  EXPECT_THAT(R.fullNames(), ElementsAre("scale/rows", "scale/rows/cols", "scale/shift"));
  EXPECT_FALSE(R.loop("scale/rows")->Instrumentable);
}

TEST(InstrumentLoopsCompiles, RangesWithAndWithoutSize) {
  expectOutputCompiles(R"cpp(
    #include <forward_list>
    #include <map>
    struct Countdown {
      struct It { int n; int operator*() const { return n; } It &operator++() { --n; return *this; }
                  bool operator!=(const It &o) const { return n != o.n; } };
      int from;
      It begin() const { return {from}; }
      It end() const { return {0}; }
    };
    template <class T> T sum(const std::forward_list<T> &l) {
      T s{};
      for (T x : l) s += x;
      return s;
    }
    template <class C> int any(const C &c) { int s = 0; for (int x : c) s += x; return s; }
    int f(const std::forward_list<int> &l, std::map<int, int> &m) {
      int s = 0;
      Countdown c{3};
      for (int x : l) s += x;
      for (int x : c) s += x;
      for (auto &[k, v] : m) s += k + v;
      return s + sum(l) + any(l) + any(c);
    }
  )cpp");
}

TEST(InstrumentLoopsCompiles, SkippedLoopsNextToInstrumentedOnes) {
  expectOutputCompiles(R"cpp(
    #define EACH(i, n) for (int i = 0; i < n; ++i)
    #define SKIP_IF(c) if (c) continue
    constexpr int folded() { int s = 0; for (int i = 0; i < 3; ++i) s += i; return s; }
    constexpr int viaLambda() {
      auto sum = [](int n) { int s = 0; for (int i = 0; i < n; ++i) s += i; return s; };
      return sum(3);
    }
    static_assert(folded() == 3 && viaLambda() == 3);
    void copy(char *to, const char *from, int count) {
      int n = (count + 1) / 2;
      switch (count % 2) {
      case 0: do { *to++ = *from++;
      case 1:      *to++ = *from++;
              } while (--n > 0);
      }
      EACH(i, 3) { for (int j = 0; j < i; ++j) {} }
      for (int i = 0; i < 3; ++i) { SKIP_IF(i == 1); }
    }
  )cpp");
}

// ---- state decided at instantiation (PL_SD_) --------------------------------

TEST(InstrumentLoopsCompiles, StateOfTemplateTypesIsDecidedPerInstantiation) {
  // EXPECT_ACC expands to nothing in the input; in the output (which includes
  // pl/abi.h first) it checks the begin point's table: v, acc, x.
  const std::string Code = R"cpp(#include <string>
#include <vector>
#ifdef PL_ABI_H
#define EXPECT_ACC(Flags, Saved)                                 \
  static_assert(pl_p0b_v[1].flags == (Flags), "flags of acc"); \
  static_assert((pl_p0b_v[1].state != nullptr) == (Saved), "ops of acc")
#else
#define EXPECT_ACC(Flags, Saved)
#endif
template <class T, unsigned char kFlags, bool kSaved>
T last(const std::vector<T> &v) {
  T acc{};
  for (const T &x : v) {
    acc = x;
    EXPECT_ACC(kFlags, kSaved);
  }
  return acc;
}
)cpp";
  PassRun R = runPassOnCode("emit-manifest", Code);
  EXPECT_THAT(R.Output, HasSubstr("PL_VARS_(pl_p0b, 13, PL_V_(v), PL_SD_(acc), PL_SD_(x))"));
  const std::string Uses = R"cpp(
std::string s = last<std::string, ::pl::abi::kState, true>({"a"});
std::vector<int> w = last<std::vector<int>, ::pl::abi::kState, true>({{1}});
int *p = last<int *, ::pl::abi::kUnsaveable, false>({nullptr});
auto f = last<void (*)(), ::pl::abi::kUnsaveable, false>({nullptr});
)cpp";
  EXPECT_THAT(compileErrors(R.Output + Uses), IsEmpty()) << R.Output;
  // And the checks themselves can fail.
  EXPECT_THAT(compileErrors(R.Output + "int *q = last<int *, ::pl::abi::kState, true>({});"),
              Contains(HasSubstr("flags of acc")));
}

} // namespace
} // namespace pl::test
