// trip_count_test.cpp — pass `trip-count` (passes/TripCount.h): the
// expression that tells hooks how many iterations a counted loop will run.
#include "run_pass.h"

#include <gtest/gtest.h>

namespace pl::test {
namespace {

/// The trip expression of the only loop in `Body`, a function body that
/// sees `int n`, `std::vector<int> v` and `Config cfg`.
std::string tripOf(const std::string &Body) {
  std::string Code = R"cpp(
    #include <forward_list>
    #include <vector>
    struct Config { int steps; std::vector<int> items; int *count; };
    int next();
    constexpr int kLimit = 8;
    void f(int n, std::vector<int> v, Config cfg, int *p) {
      )cpp";
  Code += Body;
  Code += "\n    }\n";
  PassRun R = runPassOnCode("trip-count", Code);
  if (R.Loops.size() != 1) return std::to_string(R.Loops.size()) + " loops";
  return R.Loops[0].TripExpr;
}

std::string counted(const std::string &Start, const std::string &Bound, int Step, bool Inclusive) {
  return "::pl::abi::trip_count((long double)(" + Start + "), (long double)(" + Bound + "), " +
         std::to_string(Step) + ", " + (Inclusive ? "true" : "false") + ")";
}

TEST(TripCount, LessThan) {
  EXPECT_EQ(tripOf("for (int i = 0; i < n; ++i) {}"), counted("0", "n", 1, false));
  EXPECT_EQ(tripOf("for (int i = 2; i < n; i += 3) {}"), counted("2", "n", 3, false));
  EXPECT_EQ(tripOf("for (int i = 0; n > i; i++) {}"), counted("0", "n", 1, false));
}

TEST(TripCount, LessOrEqual) {
  EXPECT_EQ(tripOf("for (int i = 1; i <= n; i += 2) {}"), counted("1", "n", 2, true));
  EXPECT_EQ(tripOf("for (long i = -n; i <= kLimit; ++i) {}"), counted("-n", "kLimit", 1, true));
}

TEST(TripCount, GreaterThan) {
  EXPECT_EQ(tripOf("for (int i = n; i > 0; --i) {}"), counted("n", "0", -1, false));
  EXPECT_EQ(tripOf("for (int i = n; i > 0; i -= 4) {}"), counted("n", "0", -4, false));
}

TEST(TripCount, GreaterOrEqual) {
  EXPECT_EQ(tripOf("for (int i = n; i >= 1; i -= 2) {}"), counted("n", "1", -2, true));
  EXPECT_EQ(tripOf("for (int i = n - 1; 0 <= i; i--) {}"), counted("n - 1", "0", -1, true));
}

TEST(TripCount, NotEqualWithUnitStep) {
  EXPECT_EQ(tripOf("for (int i = 0; i != n; ++i) {}"), counted("0", "n", 1, false));
  EXPECT_EQ(tripOf("for (int i = n; i != 0; --i) {}"), counted("n", "0", -1, false));
}

TEST(TripCount, AssignedInductionVariableAndPureBounds) {
  EXPECT_EQ(tripOf("int i; for (i = 0; i < n; ++i) {}"), counted("0", "n", 1, false));
  EXPECT_EQ(tripOf("for (std::size_t i = 0; i < v.size(); ++i) {}"),
            counted("0", "v.size()", 1, false));
  EXPECT_EQ(tripOf("for (int i = 0; i < cfg.steps * 2; ++i) {}"),
            counted("0", "cfg.steps * 2", 1, false));
  EXPECT_EQ(tripOf("for (int i = 0; i < (int)sizeof(Config); ++i) {}"),
            counted("0", "(int)sizeof(Config)", 1, false));
}

TEST(TripCount, MultiLineBoundStaysOnOneLine) {
  // The expression is pasted into one line of emitted code.
  EXPECT_EQ(tripOf("for (int i = 0; i < n *\n                  2; ++i) {}"),
            counted("0", "n * 2", 1, false));
}

TEST(TripCount, RangeForOverANamedContainer) {
  EXPECT_EQ(tripOf("for (int x : v) {}"), "::pl::abi::trip_of(v)");
  EXPECT_EQ(tripOf("for (int x : cfg.items) {}"), "::pl::abi::trip_of(cfg.items)");
  EXPECT_EQ(tripOf("int a[4] = {}; for (int x : a) {}"), "::pl::abi::trip_of(a)");
}

TEST(TripCount, RangeForInATemplateOverAKnownContainer) {
  PassRun R = runPassOnCode("trip-count", R"cpp(
    #include <vector>
    template <class T> T total(const std::vector<T> &v) {
      T s{};
      for (const T &x : v) s += x;
      return s;
    }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 1u);
  EXPECT_EQ(R.Loops[0].TripExpr, "::pl::abi::trip_of(v)");
}

// ---- negatives: no trip count (-1) ----------------------------------------

TEST(TripCountNegatives, IteratorLoops) {
  EXPECT_EQ(tripOf("for (auto it = v.begin(); it != v.end(); ++it) {}"), "-1");
  EXPECT_EQ(tripOf("for (int *q = p; q != p + n; ++q) {}"), "-1");
}

TEST(TripCountNegatives, SideEffectingOrHiddenBounds) {
  EXPECT_EQ(tripOf("for (int i = 0; i < next(); ++i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < n++; ++i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < (n = 3); ++i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = next(); i < n; ++i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < *p; ++i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < *cfg.count; ++i) {}"), "-1");
  // `e` is declared by the loop itself: not visible when the loop is entered.
  EXPECT_EQ(tripOf("for (int i = 0, e = n; i < e; ++i) {}"), "-1");
  EXPECT_EQ(tripOf("int i = 0; for (i = 0; i < i + n; ++i) {}"), "-1");
}

TEST(TripCountNegatives, StepsThatAreNotConstantOrPointTheWrongWay) {
  EXPECT_EQ(tripOf("for (int i = 0; i < n; i += n) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 1; i < n; i *= 2) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < n; --i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = n; i > 0; ++i) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i != n; i += 2) {}"), "-1");
  EXPECT_EQ(tripOf("for (double x = 0; x < 1; x += 0.5) {}"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < n;) { ++i; }"), "-1");
  EXPECT_EQ(tripOf("for (int i = 0; i < n && i < 3; ++i) {}"), "-1");
}

TEST(TripCountNegatives, UncountedLoopKinds) {
  EXPECT_EQ(tripOf("while (n--) {}"), "-1");
  EXPECT_EQ(tripOf("do { --n; } while (n > 0);"), "-1");
  EXPECT_EQ(tripOf("for (;;) break;"), "-1");
}

TEST(TripCountNegatives, RangeForOverTemporariesOrUnsizedRanges) {
  EXPECT_EQ(tripOf("for (int x : std::vector<int>(3)) {}"), "-1");
  EXPECT_EQ(tripOf("for (int x : {1, 2, 3}) {}"), "-1");
  // No size(): trip_of(l) would not compile.
  EXPECT_EQ(tripOf("std::forward_list<int> l; for (int x : l) {}"), "-1");
}

TEST(TripCountNegatives, RangeForInATemplateOverAnUnknownOrUnsizedRange) {
  PassRun R = runPassOnCode("trip-count", R"cpp(
    #include <forward_list>
    template <class C> int any(const C &c) { int s = 0; for (int x : c) s += x; return s; }
    template <class T> T list(const std::forward_list<T> &l) {
      T s{};
      for (const T &x : l) s += x;
      return s;
    }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 2u);
  EXPECT_EQ(R.Loops[0].TripExpr, "-1");
  EXPECT_EQ(R.Loops[1].TripExpr, "-1");
}

TEST(TripCountNegatives, CommentInsideAMultiLineBound) {
  // Joining the lines would comment out the rest of the emitted code.
  EXPECT_EQ(tripOf("for (int i = 0; i < n + // more\n 1; ++i) {}"), "-1");
}

} // namespace
} // namespace pl::test
