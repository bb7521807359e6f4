// rewrite_safety_test.cpp — pass `rewrite-safety` (passes/RewriteSafety.h):
// loops that must be left untouched, each with a note saying why.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pl::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

PassRun safety(const std::string &Code, const std::vector<std::string> &Args = {}) {
  return runPassOnCode("rewrite-safety", Code, Args);
}

/// Expects exactly one loop named `Name` to be skipped, for a reason
/// containing `Why`, with one note at `Line`.
void expectSkipped(const PassRun &R, const std::string &Name, const std::string &Why,
                   unsigned Line) {
  const Loop *L = R.loop(Name);
  ASSERT_NE(L, nullptr) << Name;
  EXPECT_FALSE(L->Instrumentable) << Name;
  EXPECT_THAT(L->SkipReason, HasSubstr(Why));
  ASSERT_EQ(R.Notes.size(), 1u);
  EXPECT_EQ(R.Notes[0].Kind, "note");
  EXPECT_EQ(R.Notes[0].Line, Line);
  EXPECT_EQ(R.Notes[0].File, kInputFile);
  EXPECT_THAT(R.Notes[0].Message, HasSubstr("loop '" + Name + "' not instrumented: "));
  EXPECT_THAT(R.Notes[0].Message, HasSubstr(Why));
}

void expectAllInstrumentable(const PassRun &R) {
  EXPECT_FALSE(R.Loops.empty());
  for (const Loop &L : R.Loops)
    EXPECT_TRUE(L.Instrumentable) << L.FullName << ": " << L.SkipReason;
  EXPECT_THAT(R.Notes, IsEmpty());
}

TEST(RewriteSafety, LoopFromMacro) {
  PassRun R = safety(R"cpp(
    #define EACH(i, n) for (int i = 0; i < n; ++i)
    void f() {
      EACH(i, 3) {}
    }
  )cpp");
  expectSkipped(R, "f/loop0", "the loop comes from a macro expansion", 4);
}

// Third-party code can have dozens of loops in macros: a note for each of the
// first three of a file, then one line for the rest.
TEST(RewriteSafety, ManySkippedLoopsOfAFileAreSummarized) {
  PassRun R = safety(R"cpp(
    #define EACH(i, n) for (int i = 0; i < n; ++i)
    void f() {
      EACH(a, 3) {}
      EACH(b, 3) {}
      EACH(c, 3) {}
      EACH(d, 3) {}
      EACH(e, 3) {}
    }
  )cpp");
  ASSERT_EQ(R.Notes.size(), 4u);
  for (unsigned I = 0; I < 3; ++I)
    EXPECT_THAT(R.Notes[I].Message,
                HasSubstr("loop 'f/loop" + std::to_string(I) + "' not instrumented: "));
  EXPECT_EQ(R.Notes[3].Line, 7u);
  EXPECT_EQ(R.Notes[3].Message,
            "2 more loops of this file not instrumented; pl-instrument --list shows which and why");
  for (const Loop &L : R.Loops)
    EXPECT_FALSE(L.Instrumentable) << L.FullName;
}

TEST(RewriteSafety, BodyFromMacro) {
  PassRun R = safety(R"cpp(
    #define BODY { ++n; }
    void f(int n) {
      while (n < 3) BODY
    }
  )cpp");
  expectSkipped(R, "f/loop0", "macro", 4);
}

TEST(RewriteSafety, ContinueFromMacro) {
  PassRun R = safety(R"cpp(
    #define SKIP_IF(c) if (c) continue
    void f() {
      for (int i = 0; i < 3; ++i) {
        SKIP_IF(i == 1);
      }
    }
  )cpp");
  expectSkipped(R, "f/loop0", "a `continue` of this loop comes from a macro expansion (line 5)", 4);
}

TEST(RewriteSafety, ConstexprFunction) {
  PassRun R = safety(R"cpp(
    constexpr int f() { int s = 0; for (int i = 0; i < 3; ++i) s += i; return s; }
    static_assert(f() == 3);
  )cpp");
  expectSkipped(R, "f/loop0", "constexpr or consteval function", 2);
}

TEST(RewriteSafety, ConstevalFunctionAndConstexprLambda) {
  PassRun R = safety(R"cpp(
    consteval int g() { int s = 0; while (s < 3) ++s; return s; }
    int h() {
      auto l = [](int n) constexpr { int s = 0; for (int i = 0; i < n; ++i) s += i; return s; };
      return g() + l(3);
    }
  )cpp");
  EXPECT_FALSE(R.loop("g/loop0")->Instrumentable);
  EXPECT_FALSE(R.loop("h/lambda0/loop0")->Instrumentable);
  EXPECT_EQ(R.Notes.size(), 2u);
}

TEST(RewriteSafety, LambdaInsideConstexprFunction) {
  // The lambda is implicitly constexpr and runs during constant evaluation
  // of f(): runtime calls in it would break the static_assert.
  PassRun R = safety(R"cpp(
    constexpr int f() {
      auto sum = [](int n) { int s = 0; for (int i = 0; i < n; ++i) s += i; return s; };
      return sum(3);
    }
    static_assert(f() == 3);
  )cpp");
  expectSkipped(R, "f/lambda0/loop0", "constexpr or consteval function", 3);
}

TEST(RewriteSafety, GotoIntoLoop) {
  PassRun R = safety(R"cpp(
    void f(int n) {
      if (n > 5) goto inside;
      while (n > 0) {
      inside:
        --n;
      }
    }
  )cpp");
  expectSkipped(R, "f/loop0", "a goto at line 3 jumps into the loop (to label 'inside')", 4);
}

TEST(RewriteSafety, LabelWithAddressTaken) {
  PassRun R = safety(R"cpp(
    void f(int n) {
      void *target = &&inside;
      (void)target;
      while (n > 0) {
      inside:
        --n;
      }
    }
  )cpp");
  expectSkipped(R, "f/loop0", "label 'inside' inside the loop has its address taken", 5);
}

TEST(RewriteSafety, DuffsDevice) {
  PassRun R = safety(R"cpp(
    void copy(char *to, const char *from, int count) {
      int n = (count + 3) / 4;
      switch (count % 4) {
      case 0: do { *to++ = *from++;
      case 3:      *to++ = *from++;
      case 2:      *to++ = *from++;
      case 1:      *to++ = *from++;
              } while (--n > 0);
      }
    }
  )cpp");
  expectSkipped(R, "copy/loop0", "a case label of an enclosing switch is inside the loop", 5);
}

TEST(RewriteSafety, OpenMPWorkSharingLoop) {
  const char *Code = R"cpp(
    void f(int n, double *x) {
      #pragma omp parallel for
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < 4; ++j) x[i] += j;
      }
    }
  )cpp";
  for (std::vector<std::string> Args : {std::vector<std::string>{"-Wno-source-uses-openmp"},
                                        std::vector<std::string>{"-fopenmp"}}) {
    SCOPED_TRACE(Args[0]);
    PassRun R = safety(Code, Args);
    expectSkipped(R, "f/loop0", "OpenMP work-sharing loop", 4);
    // The loops inside it run inside one thread's iteration: instrumented.
    ASSERT_NE(R.loop("f/loop0/loop1"), nullptr);
    EXPECT_TRUE(R.loop("f/loop0/loop1")->Instrumentable);
  }
}

TEST(RewriteSafety, OpenMPLoopWithAMarker) {
  PassRun R = safety(R"cpp(
    #define PL_LOOP(name)
    void f(int n, double *x) {
      #pragma omp parallel for
      PL_LOOP(rows) for (int i = 0; i < n; ++i) x[i] = 0;
    }
  )cpp",
                     {"-fopenmp"});
  expectSkipped(R, "f/rows", "OpenMP work-sharing loop", 5);
}

// ---- negatives: loops that must stay instrumentable, without notes --------

TEST(RewriteSafetyNegatives, MacrosUsedInsideAnOrdinaryLoop) {
  PassRun R = safety(R"cpp(
    #define N 4
    #define LOG(x) (void)(x)
    #define BODY_STMT(x) x += 1;
    void f(int s) {
      for (int i = 0; i < N; ++i) { LOG(i); BODY_STMT(s) }
      while (s < N) { ++s; if (s == 2) continue; }
    }
  )cpp");
  expectAllInstrumentable(R);
}

TEST(RewriteSafetyNegatives, JumpsThatStayInsideOrLeaveTheLoop) {
  PassRun R = safety(R"cpp(
    void f(int n) {
    again:
      for (int i = 0; i < n; ++i) {
        if (i == 1) goto skip;
        if (i == 2) goto out;
        if (i == 3) { --n; goto again; }
      skip:;
      }
    out:
      while (n > 10) { --n; }
    }
  )cpp");
  expectAllInstrumentable(R);
}

TEST(RewriteSafetyNegatives, SwitchInsideLoopAndLoopInsideCase) {
  PassRun R = safety(R"cpp(
    int f(int k, int n) {
      for (int i = 0; i < n; ++i) {
        switch (i) { case 0: k++; break; default: continue; }
      }
      switch (k) {
      case 1:
        while (n--) {}
        break;
      case 2: {
        for (int i = 0; i < n; ++i) {}
      }
      }
      return k;
    }
  )cpp");
  expectAllInstrumentable(R);
}

TEST(RewriteSafetyNegatives, LambdaThatIsOnlyImplicitlyConstexpr) {
  PassRun R = safety(R"cpp(
    int f(int n) {
      auto sum = [](int m) { int s = 0; for (int i = 0; i < m; ++i) s += i; return s; };
      return sum(n);
    }
  )cpp");
  expectAllInstrumentable(R);
}

TEST(RewriteSafetyNegatives, OtherPragmasAndOpenMPThatDoesNotPrecedeTheLoop) {
  PassRun R = safety(R"cpp(
    void f(int n, int *x) {
      #pragma GCC unroll 4
      for (int i = 0; i < n; ++i) x[i] = i;
      #pragma clang loop unroll(enable)
      while (n > 0) --n;
      #pragma omp parallel
      {
        x[0] = 1;
        for (int i = 0; i < 2; ++i) x[i] = 0;
      }
      // #pragma omp parallel for
      for (int i = 0; i < n; ++i) x[i] = i;
    }
  )cpp",
                     {"-Wno-source-uses-openmp"});
  expectAllInstrumentable(R);
}

} // namespace
} // namespace pl::test
