// pass modified-vars: the state a checkpoint between two iterations holds.
// (The golden counterpart with many cases side by side: tests/state/.)
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace {

std::vector<std::string> stateOf(const std::string &Code, const std::string &Loop) {
  PassRun R = runPassOnCode<Pass::ModifiedVars>(Code);
  EXPECT_THAT(R.Errors, IsEmpty());
  const pl::test::Loop *L = R.loop(Loop);
  EXPECT_NE(L, nullptr) << Loop;
  return L ? L->State : std::vector<std::string>{};
}

TEST(ModifiedVars, AssignedIncrementedAndLoopVariablesAreState) {
  EXPECT_THAT(stateOf(R"(
    int f(int n) {
      int sum = 0, count = 0, unused = 1;
      for (int i = 0; i < n; ++i) { sum += i; count++; }
      return sum + count + unused;
    })",
                      "f/loop0"),
              ElementsAre("sum", "count", "i"));
}

TEST(ModifiedVars, ReferencesToConstAndReadOnlyLocalsAreNot) {
  EXPECT_THAT(stateOf(R"(
    struct Data { int size() const { return 3; } };
    int f(const Data &d, int n) {
      const int scale = 2;
      int limit = 10, acc = 0;
      for (int i = 0; i < n && i < limit; ++i) acc += d.size() * scale;
      return acc;
    })",
                      "f/loop0"),
              ElementsAre("acc", "i"));
}

TEST(ModifiedVars, NonConstCallsAndReferenceParametersMakeState) {
  EXPECT_THAT(stateOf(R"(
    struct Net { void step() { ++w; } int w = 0; };
    void bump(int &x) { ++x; }
    void f(Net &net, int n) {
      int hits = 0;
      for (int i = 0; i < n; ++i) { net.step(); bump(hits); }
    })",
                      "f/loop0"),
              ElementsAre("net", "hits", "i"));
}

TEST(ModifiedVars, InnerLoopStateIncludesWhatTheOuterNestChanges) {
  PassRun R = runPassOnCode<Pass::ModifiedVars>(R"(
    unsigned next(unsigned &s) { return s = s * 1103515245u + 12345u; }
    int f(int epochs) {
      unsigned seed = 1;
      int total = 0;
      for (int e = 0; e < epochs; ++e) {
        unsigned shuffle = next(seed);
        for (int b = 0; b < 3; ++b) total += int(shuffle % 7u) + b;
      }
      return total;
    })");
  ASSERT_THAT(R.Errors, IsEmpty());
  EXPECT_THAT(R.loop("f/loop0")->State, ElementsAre("seed", "total", "e"));
  // `seed` is only changed between the inner loop's activations, yet a
  // resume inside the inner loop must find it as it was: state there too.
  EXPECT_THAT(R.loop("f/loop0/loop1")->State, ElementsAre("seed", "total", "e", "shuffle", "b"));
}

// --- code that must not be reported as state ------------------------------

TEST(ModifiedVarsNegatives, ValuesPassedByValueOrConstReference) {
  EXPECT_THAT(stateOf(R"(
    int by_value(int v) { return v; }
    int by_cref(const int &v) { return v; }
    int f(int n) {
      int a = 1, b = 2, out = 0;
      for (int i = 0; i < n; ++i) out += by_value(a) + by_cref(b);
      return out;
    })",
                      "f/loop0"),
              ElementsAre("out", "i"));
}

} // namespace
