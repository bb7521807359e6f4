// visible_vars_test.cpp — pass `visible-vars` (passes/VisibleVars.h): the
// locals a hook can read at each event point of a loop.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pl::test {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using Names = std::vector<std::string>;

PassRun vars(const std::string &Code, const std::vector<std::string> &Args = {}) {
  return runPassOnCode("visible-vars", Code, Args);
}

std::string typeOf(const std::vector<Var> &Vs, const std::string &Name) {
  for (const Var &V : Vs)
    if (V.Name == Name) return V.Type;
  return "<not visible>";
}

TEST(VisibleVars, EachEventPointSeesTheLocalsInScopeThere) {
  PassRun R = vars(R"cpp(
    void f(int n) {
      double loss = 0;
      for (int e = 0; e < n; ++e) {
        double acc = 1;
        if (acc > 2) continue;
        int late = 0; (void)late;
      }
      int after = 0; (void)after;
    }
  )cpp");
  const Loop &L = *R.loop("f/loop0");
  EXPECT_EQ(names(L.EnterVars), (Names{"n", "loss"}));
  EXPECT_EQ(names(L.BeginVars), (Names{"n", "loss", "e"}));
  ASSERT_EQ(L.Continues.size(), 1u);
  EXPECT_EQ(L.Continues[0].Line, 6u);
  EXPECT_EQ(names(L.Continues[0].Vars), (Names{"n", "loss", "e", "acc"}));
  // The end of the body sees everything the body declared.
  EXPECT_EQ(names(L.EndVars), (Names{"n", "loss", "e", "acc", "late"}));
}

TEST(VisibleVars, TypesAreSpelledAsDeclared) {
  PassRun R = vars(R"cpp(
    #include <vector>
    void f(const std::vector<int> &v, unsigned long n) {
      const char *name = "x";
      while (n--) {}
    }
  )cpp");
  const Loop &L = *R.loop("f/loop0");
  EXPECT_EQ(typeOf(L.EnterVars, "v"), "const std::vector<int> &");
  EXPECT_EQ(typeOf(L.EnterVars, "n"), "unsigned long");
  EXPECT_EQ(typeOf(L.EnterVars, "name"), "const char *");
}

TEST(VisibleVars, RangeForExposesItsVariableAndStructuredBindings) {
  PassRun R = vars(R"cpp(
    #include <map>
    #include <string>
    #include <utility>
    #include <vector>
    void f(const std::vector<int> &v, const std::map<std::string, double> &m) {
      auto [lo, hi] = std::pair{1, 2.0};
      for (int x : v) {}
      for (const auto &[key, value] : m) { (void)key; (void)value; }
    }
  )cpp");
  const Loop &Plain = *R.loop("f/loop0");
  EXPECT_EQ(names(Plain.EnterVars), (Names{"v", "m", "lo", "hi"}));
  EXPECT_EQ(names(Plain.BeginVars), (Names{"v", "m", "lo", "hi", "x"}));
  const Loop &Bound = *R.loop("f/loop1");
  EXPECT_EQ(names(Bound.BeginVars), (Names{"v", "m", "lo", "hi", "key", "value"}));
  EXPECT_EQ(names(Bound.EndVars), names(Bound.BeginVars));
}

TEST(VisibleVars, ShadowedNamesResolveToTheInnermostDeclaration) {
  PassRun R = vars(R"cpp(
    void f(int v) {
      int x = 1;
      {
        double x = 2.0;
        for (int i = 0; i < v; ++i) {
          char x = 'c';
          (void)x;
        }
      }
    }
  )cpp");
  const Loop &L = *R.loop("f/loop0");
  EXPECT_EQ(names(L.EnterVars), (Names{"v", "x"}));
  EXPECT_EQ(typeOf(L.EnterVars, "x"), "double");
  EXPECT_EQ(typeOf(L.BeginVars, "x"), "double");
  EXPECT_EQ(names(L.EndVars), (Names{"v", "i", "x"}));
  EXPECT_EQ(typeOf(L.EndVars, "x"), "char");
}

TEST(VisibleVars, ConditionAndInitVariablesAreInScopeWhereCxxSaysSo) {
  PassRun R = vars(R"cpp(
    int *next();
    void f() {
      if (int k = 3; k > 0) {
        while (int *p = next()) { (void)p; }
      }
    }
  )cpp");
  const Loop &L = *R.loop("f/loop0");
  EXPECT_EQ(names(L.EnterVars), (Names{"k"}));
  EXPECT_EQ(names(L.BeginVars), (Names{"k", "p"}));
}

TEST(VisibleVars, LambdaSeesOnlyItsParametersAndCaptures) {
  PassRun R = vars(R"cpp(
    void f(int n) {
      int a = 1, b = 2, unused = 3;
      auto explicitCaptures = [a, &b, m = n * 2](int k) {
        for (int i = 0; i < k; ++i) {}
      };
      auto implicitCaptures = [&] { for (int i = 0; i < n; ++i) a += b; };
      (void)unused;
    }
  )cpp");
  const Loop &Explicit = *R.loop("f/lambda0/loop0");
  EXPECT_EQ(names(Explicit.EnterVars), (Names{"k", "a", "b", "m"}));
  EXPECT_EQ(names(Explicit.BeginVars), (Names{"k", "a", "b", "m", "i"}));
  const Loop &Implicit = *R.loop("f/lambda1/loop0");
  EXPECT_THAT(names(Implicit.EnterVars), UnorderedElementsAre("n", "a", "b"));
}

TEST(VisibleVars, ContinuePointsBelongToTheirInnermostLoop) {
  PassRun R = vars(R"cpp(
    void f(int n) {
      for (int i = 0; i < n; ++i) {
        int before = i;
        switch (before) {
        case 1: continue;
        default: break;
        }
        for (int j = 0; j < n; ++j) {
          if (j) continue;
        }
        auto g = [](int k) { while (k--) { continue; } };
        int after = 0;
        if (after) continue;
      }
    }
  )cpp");
  const Loop &Outer = *R.loop("f/loop0");
  ASSERT_EQ(Outer.Continues.size(), 2u);
  EXPECT_EQ(Outer.Continues[0].Line, 6u);
  EXPECT_EQ(names(Outer.Continues[0].Vars), (Names{"n", "i", "before"}));
  EXPECT_EQ(Outer.Continues[1].Line, 14u);
  EXPECT_EQ(names(Outer.Continues[1].Vars), (Names{"n", "i", "before", "g", "after"}));
  const Loop &Inner = *R.loop("f/loop0/loop1");
  ASSERT_EQ(Inner.Continues.size(), 1u);
  EXPECT_EQ(names(Inner.Continues[0].Vars), (Names{"n", "i", "before", "j"}));
  const Loop &InLambda = *R.loop("f/lambda0/loop0");
  ASSERT_EQ(InLambda.Continues.size(), 1u);
  EXPECT_EQ(names(InLambda.Continues[0].Vars), (Names{"k"}));
}

TEST(VisibleVars, BracelessBodyEndsWithWhatItBegan) {
  PassRun R = vars(R"cpp(
    void f(int n) {
      int s = 0;
      for (int i = 0; i < n; ++i) s += i;
    }
  )cpp");
  const Loop &L = *R.loop("f/loop0");
  EXPECT_EQ(names(L.BeginVars), (Names{"n", "s", "i"}));
  EXPECT_EQ(names(L.EndVars), (Names{"n", "s", "i"}));
}

TEST(VisibleVars, LoopsInsideOpenMPRegions) {
  // Under -fopenmp the region's body is a captured statement.
  PassRun R = vars(R"cpp(
    void f(int n, double *x) {
      #pragma omp parallel for
      for (int i = 0; i < n; ++i) {
        double scale = 2;
        for (int j = 0; j < 4; ++j) x[i] *= scale;
      }
    }
  )cpp",
                   {"-fopenmp"});
  ASSERT_NE(R.loop("f/loop0/loop1"), nullptr);
  EXPECT_EQ(names(R.loop("f/loop0/loop1")->EnterVars), (Names{"n", "x", "i", "scale"}));
}

// ---- negatives: names that must never be exposed --------------------------

TEST(VisibleVarsNegatives, RangeForHidesCompilerMadeVariables) {
  PassRun R = vars(R"cpp(
    #include <vector>
    void f(std::vector<int> v) {
      for (int x : v)
        for (int y : v) { (void)x; (void)y; }
    }
  )cpp");
  for (const Loop &L : R.Loops)
    for (const auto *Vs : {&L.EnterVars, &L.BeginVars, &L.EndVars})
      EXPECT_THAT(names(*Vs), Not(Contains(StartsWith("__")))) << L.FullName;
  EXPECT_EQ(names(R.loop("f/loop0/loop1")->BeginVars), (Names{"v", "x", "y"}));
}

TEST(VisibleVarsNegatives, LaterAndSiblingDeclarationsAreNotVisible) {
  PassRun R = vars(R"cpp(
    void f(int n) {
      for (int i = 0; i < n; ++i) {}
      { int inner = 0; (void)inner; }
      for (int j = 0; j < n; ++j) {
        if (j) continue;
        int later = j; (void)later;
      }
      int after = 0; (void)after;
    }
    void other(int elsewhere) { (void)elsewhere; }
  )cpp");
  const Loop &L = *R.loop("f/loop1");
  EXPECT_EQ(names(L.EnterVars), (Names{"n"}));
  EXPECT_EQ(names(L.BeginVars), (Names{"n", "j"}));
  EXPECT_EQ(names(L.Continues.at(0).Vars), (Names{"n", "j"}));
}

TEST(VisibleVarsNegatives, EnclosingLocalsAreNotVisibleInsideALambda) {
  PassRun R = vars(R"cpp(
    void f(int n) {
      int local = n;
      auto g = [](int k) { for (int i = 0; i < k; ++i) {} };
      (void)local;
    }
  )cpp");
  EXPECT_EQ(names(R.loop("f/lambda0/loop0")->EnterVars), (Names{"k"}));
}

TEST(VisibleVarsNegatives, VolatileObjectsAreSkipped) {
  // Showing one to a hook means copying it and writing it back: volatile
  // accesses the program never made.
  PassRun R = vars(R"cpp(
    void f(volatile int &flag) {
      volatile int ticks = 0;
      int n = 3;
      while (n--) ++ticks;
      (void)flag;
    }
  )cpp");
  EXPECT_EQ(names(R.loop("f/loop0")->EnterVars), (Names{"n"}));
}

TEST(VisibleVarsNegatives, BindingsToBitFieldsAreSkipped) {
  // They cannot be passed by reference, so they cannot be shown to hooks.
  PassRun R = vars(R"cpp(
    struct Flags { unsigned a : 3; unsigned b; };
    void f(Flags flags) {
      auto [a, b] = flags;
      while (b < 3) ++b;
    }
  )cpp");
  EXPECT_EQ(names(R.loop("f/loop0")->EnterVars), (Names{"flags", "b"}));
}

TEST(VisibleVarsNegatives, ASkippedVariableStillHidesTheOneItShadows) {
  // `ticks` and `buffer` name the inner, unexposable objects here.
  PassRun R = vars(R"cpp(
    void f(int n) {
      int ticks = 0, buffer = 0;
      {
        volatile int ticks = 1;
        int buffer[n];
        buffer[0] = ticks;
        while (n--) {}
      }
    }
  )cpp",
                   {"-Wno-vla-cxx-extension"});
  EXPECT_EQ(names(R.loop("f/loop0")->EnterVars), (Names{"n"}));
}

TEST(VisibleVarsNegatives, UnnamedParametersPacksAndVariablyModifiedTypesAreSkipped) {
  PassRun R = vars(R"cpp(
    template <class... Ts> void pack(int, Ts... xs) {
      for (int i = 0; i < int(sizeof...(xs)); ++i) {}
    }
    void vla(int n) {
      int buffer[n];
      buffer[0] = 0;
      while (n--) {}
    }
  )cpp",
                   {"-Wno-vla-cxx-extension"});
  EXPECT_THAT(names(R.loop("pack/loop0")->EnterVars), IsEmpty());
  EXPECT_EQ(names(R.loop("vla/loop0")->EnterVars), (Names{"n"}));
}

} // namespace
} // namespace pl::test
