// pass modified-vars: the state a checkpoint between two iterations holds.
// (The golden counterpart with many cases side by side: tests/state/.)
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

std::vector<std::string> stateOf(const std::string &Code, const std::string &Loop) {
  PassRun R = runPassOnCode("modified-vars", Code);
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
  PassRun R = runPassOnCode("modified-vars", R"(
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

// --- fields of *this and globals -------------------------------------------

TEST(ModifiedVars, FieldsOfThisTheNestModifiesAreStateAtEveryPoint) {
  PassRun R = runPassOnCode("modified-vars", R"(
struct Trainer {
  int steps = 0, epochs = 3;
  float loss = 0;
  void run() {
    for (int e = 0; e < epochs; ++e) {
      ++steps;
      this->loss += 0.5f;
      if (e > 10) continue;
    }
  }
};)");
  ASSERT_THAT(R.Errors, IsEmpty());
  const pl::test::Loop *L = R.loop("Trainer::run/loop0");
  EXPECT_THAT(L->State, ElementsAre("steps", "loss", "e"));
  EXPECT_THAT(names(L->EnterVars), ElementsAre("steps", "loss"));
  EXPECT_THAT(names(L->BeginVars), ElementsAre("steps", "loss", "e"));
  EXPECT_THAT(names(L->EndVars), ElementsAre("steps", "loss", "e"));
  EXPECT_THAT(names(L->Continues[0].Vars), ElementsAre("steps", "loss", "e"));
}

TEST(ModifiedVars, AFieldHiddenByALocalIsReachedThroughThis) {
  PassRun R = runPassOnCode("instrument-loops", R"(
struct Counter {
  int count = 0;
  void run(int n) {
    for (int i = 0; i < n; ++i) { ++count; int count = i; (void)count; }
  }
};)");
  const pl::test::Loop *L = R.loop("Counter::run/loop0");
  EXPECT_THAT(names(L->BeginVars), ElementsAre("count", "n", "i"));
  EXPECT_THAT(names(L->EndVars), ElementsAre("this->count", "n", "i", "count"));
  EXPECT_THAT(R.Output, HasSubstr("PL_S_(this->count), PL_V_(n), PL_S_(i), PL_V_(count)"));
}

TEST(ModifiedVars, FieldsWrittenByALambdaCapturingThisAreState) {
  EXPECT_THAT(stateOf(R"(
    struct Model {
      int updates = 0, reads = 0;
      void fit(int n) {
        auto step = [this] { ++updates; return reads; };
        for (int i = 0; i < n; ++i) step();
      }
    };)",
                      "Model::fit/loop0"),
              ElementsAre("updates", "i"));
}

TEST(ModifiedVars, GlobalsDefinedHereAreStateNamedSoTheyResolve) {
  PassRun R = runPassOnCode("instrument-loops", R"(
namespace stats { long calls = 0; }
int total = 0;
struct Registry { static int next; };
int Registry::next = 0;
void f(int n) {
  for (int i = 0; i < n; ++i) { ++stats::calls; ++Registry::next; int total = i; ::total += total; }
})");
  const pl::test::Loop *L = R.loop("f/loop0");
  EXPECT_THAT(L->State, ElementsAre("stats::calls", "Registry::next", "total", "i"));
  EXPECT_THAT(L->Uncaptured, IsEmpty());
  // At the end of the body a local `total` hides the global.
  EXPECT_THAT(names(L->EndVars),
              ElementsAre("stats::calls", "Registry::next", "::total", "n", "i", "total"));
  EXPECT_THAT(compileErrors(runPassOnCode("emit-manifest", R"(
namespace stats { long calls = 0; }
int total = 0;
void f(int n) {
  for (int i = 0; i < n; ++i) { ++stats::calls; int total = i; ::total += total; }
})")
                                .Output),
              IsEmpty());
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

TEST(ModifiedVarsNegatives, ConstMethodsReadOnlyFieldsAndLocalClassesAddNothing) {
  PassRun R = runPassOnCode("modified-vars", R"(
struct Stats {
  int n = 3, hits = 0;
  int count() const {
    int c = 0;
    for (int i = 0; i < n; ++i) c += hits;
    return c;
  }
  void local() {
    for (int i = 0; i < n; ++i) {
      struct Tmp { int k = 0; void bump() { ++k; } } t;
      t.bump();
    }
  }
  static int s() { int c = 0; for (int i = 0; i < 3; ++i) ++c; return c; }
};)");
  EXPECT_THAT(R.loop("Stats::count/loop0")->State, ElementsAre("c", "i"));
  EXPECT_THAT(R.loop("Stats::local/loop0")->State, ElementsAre("i"));
  EXPECT_THAT(R.loop("Stats::s/loop0")->State, ElementsAre("c", "i"));
}

} // namespace
