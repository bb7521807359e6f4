// instrument_loops_test.cpp — pass `instrument-loops` (passes/InstrumentLoops.h):
// the transform: what it writes (compile checks: instrument_loops_compile_test.cpp).
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace pl::test {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const std::string kLine = "#line 1 \"/pl-test/input.cc\"\n";

std::string instrument(const std::string &Code, const std::vector<std::string> &Args = {}) {
  return runPassOnCode("instrument-loops", Code, Args).Output;
}

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    Out.push_back(L);
  return Out;
}

/// Line `N` (1-based, as in the input) of the output, header skipped.
std::string outputLine(const std::string &Output, unsigned N) {
  std::vector<std::string> Ls = lines(Output);
  return N + 1 < Ls.size() ? Ls[N + 1] : "<no line " + std::to_string(N) + ">";
}

std::string trimmed(const std::string &S) {
  size_t B = S.find_first_not_of(" \t");
  return B == std::string::npos ? "" : S.substr(B);
}

TEST(InstrumentLoops, BracelessBodyGetsBracesOnTheSameLine) {
  std::string Out = instrument(R"cpp(
    void f(int n) {
      int s = 0;
      for (int i = 0; i < n; ++i) s += i;
    }
  )cpp");
  EXPECT_EQ(outputLine(Out, 4),
            R"(      { PL_SITE_(pl_s0, "f/loop0", "/pl-test/input.cc", 4, kFor); )"
            R"(PL_VARS_(pl_p0e, 4, PL_V_(n), PL_S_(s)); ::pl::abi::Loop pl_l0(pl_s0); )"
            R"(PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_count((long double)(0), )"
            R"((long double)(n), 1, false), n, s); )"
            R"(for (int i = 0; i < n; ++i) { PL_VARS_(pl_p0b, 4, PL_V_(n), PL_S_(s), PL_S_(i)); )"
            R"(PL_BEGIN_(pl_l0, pl_p0b, pl_x0, n, s, i); s += i; )"
            R"(PL_VARS_(pl_p0n, 4, PL_V_(n), PL_S_(s), PL_S_(i)); )"
            R"(PL_END_(pl_l0, pl_p0n, pl_x0, n, s, i); })"
            R"( pl_x0: PL_EXIT_(pl_l0, pl_p0e, n, s); })");
}

TEST(InstrumentLoops, EveryBracelessKindGetsBraces) {
  std::string Out = instrument(R"cpp(
    void f(int n) {
      int s = 0;
      while (n > 0) --n;
      do ++s; while (s < 3);
      for (int i = 0; i < n; ++i);
      if (s) for (int x = 0; x < 2; ++x) s += x; else while (s) --s;
    }
  )cpp");
  EXPECT_THAT(outputLine(Out, 4), HasSubstr("while (n > 0) { PL_VARS_(pl_p0b"));
  EXPECT_THAT(outputLine(Out, 4), HasSubstr("--n; PL_VARS_(pl_p0n"));
  EXPECT_THAT(outputLine(Out, 5), HasSubstr("do { PL_VARS_(pl_p1b"));
  EXPECT_THAT(outputLine(Out, 5), HasSubstr("++s; PL_VARS_(pl_p1n"));
  EXPECT_THAT(outputLine(Out, 5), HasSubstr("); } while (s < 3); pl_x1: PL_EXIT_("));
  EXPECT_THAT(outputLine(Out, 6), HasSubstr("++i){ PL_VARS_(pl_p2b"));
  EXPECT_THAT(outputLine(Out, 6), HasSubstr("; ; PL_VARS_(pl_p2n"));
  EXPECT_THAT(outputLine(Out, 7), HasSubstr("if (s) { PL_SITE_(pl_s3"));
  EXPECT_THAT(outputLine(Out, 7), HasSubstr("); } else { PL_SITE_(pl_s4"));
}

TEST(InstrumentLoops, EmptyBodyBeginsBeforeItEnds) {
  std::string Line = outputLine(instrument(R"cpp(
    void f(int n) {
      for (int i = 0; i < n; ++i) {}
    }
  )cpp"),
                                3);
  size_t Begin = Line.find("PL_BEGIN_(pl_l0"), End = Line.find("PL_END_(pl_l0");
  ASSERT_NE(Begin, std::string::npos);
  ASSERT_NE(End, std::string::npos);
  EXPECT_LT(Begin, End) << Line;
  EXPECT_THAT(Line, HasSubstr("++i) { PL_VARS_(pl_p0b"));
}

TEST(InstrumentLoops, SideEffectingConditionsAreEvaluatedExactlyOnce) {
  const std::string Code = R"cpp(
    bool next(int &x);
    void f() {
      int x = 0;
      while (next(x)) { x += 1; }
      do { x -= 1; } while (next(x));
      for (int i = 0; next(i); ++i) { if (i) continue; }
    }
  )cpp";
  std::string Out = instrument(Code);
  EXPECT_EQ(countOf(Out, "next(x)"), 2u) << Out;
  EXPECT_EQ(countOf(Out, "next(i)"), 1u) << Out;
  EXPECT_EQ(countOf(Out, "++i"), 1u) << Out;
  EXPECT_EQ(countOf(Out, "PL_SITE_("), 3u);
}

TEST(InstrumentLoops, OutputKeepsTheLineCountAndEveryLoopOnItsLine) {
  const std::string Code = R"cpp(
    #define PL_LOOP(name)
    #include <map>
    #include <vector>
    namespace ns {
    double train(const std::vector<double> &data, std::map<int, double> &m, int epochs) {
      double loss = 0;
      PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
        batch: for (double x : data) {
          if (x < 0) continue;
          loss += x;
        }
        for (auto &[k, v] : m)
          v += k;
        int left = 3;
        while (left--)
          if (left == 1) continue; else loss -= 1;
        do {
          --left;
        } while (left > -3);
      }
      auto each = [&](int n) { for (int i = 0; i < n; ++i) loss += i; };
      each(2);
      return loss;
    }
    } // namespace ns
  )cpp";
  PassRun R = runPassOnCode("instrument-loops", Code);
  ASSERT_EQ(R.Loops.size(), 6u);
  // Two lines before the original (the contract header, #line), three after
  // it (the standard containers' serializers: pl/abi_state.h).
  EXPECT_EQ(countOf(R.Output, "\n") - 5, countOf(Code, "\n"));
  EXPECT_THAT(R.Output, StartsWith("#include <pl/abi_state.h>\n" + kLine));
  EXPECT_THAT(R.Output, EndsWith("\n#include <pl/detail/serialize_std.h>\n"));
  for (unsigned K = 0; K < R.Loops.size(); ++K) {
    const Loop &L = R.Loops[K];
    std::string Site = "PL_SITE_(pl_s" + std::to_string(K) + ", \"" + L.FullName + "\"";
    EXPECT_THAT(outputLine(R.Output, L.Line), HasSubstr(Site)) << L.FullName;
  }
}

TEST(InstrumentLoops, LoopPragmasStayDirectlyBeforeTheirLoop) {
  const std::string Code = R"cpp(
    void f(int n, int *x) {
      #pragma GCC unroll 4
      for (int i = 0; i < n; ++i) x[i] = i;
      #pragma clang loop vectorize(enable)
      #pragma clang loop unroll(enable)
      while (n > 0) --n;
    }
  )cpp";
  PassRun R = runPassOnCode("instrument-loops", Code);
  ASSERT_EQ(R.Loops.size(), 2u);
  EXPECT_TRUE(R.Loops[0].Instrumentable);
  EXPECT_TRUE(R.Loops[1].Instrumentable);
  std::vector<std::string> Ls = lines(R.Output);
  auto lineOf = [&](const std::string &Text) {
    return std::find_if(Ls.begin(), Ls.end(),
                        [&](const std::string &L) { return trimmed(L) == Text; }) -
           Ls.begin();
  };
  size_t Unroll = lineOf("#pragma GCC unroll 4");
  ASSERT_LT(Unroll + 1, Ls.size());
  EXPECT_THAT(trimmed(Ls[Unroll + 1]), StartsWith("for (int i = 0; i < n; ++i) {"));
  EXPECT_EQ(Ls[Unroll - 1], "#line 3 \"/pl-test/input.cc\"");
  EXPECT_THAT(Ls[Unroll - 2], StartsWith("{ PL_SITE_(pl_s0, \"f/loop0\""));

  size_t Vectorize = lineOf("#pragma clang loop vectorize(enable)");
  ASSERT_LT(Vectorize + 2, Ls.size());
  EXPECT_EQ(trimmed(Ls[Vectorize + 1]), "#pragma clang loop unroll(enable)");
  EXPECT_THAT(trimmed(Ls[Vectorize + 2]), StartsWith("while (n > 0) {"));
  EXPECT_EQ(Ls[Vectorize - 1], "#line 5 \"/pl-test/input.cc\"");
  // The pragma lines add two lines each time; #line keeps the numbering.
  EXPECT_EQ(countOf(R.Output, "\n") - 2, countOf(Code, "\n") + 4);
  expectOutputCompiles(Code);
}

TEST(InstrumentLoops, PragmaBeforeAMarkedLoop) {
  const std::string Code = R"cpp(
    #include <pl/marker.h>
    void f(int n, int *x) {
      #pragma GCC unroll 4
      PL_LOOP(fill) for (int i = 0; i < n; ++i) x[i] = i;
    }
  )cpp";
  PassRun R = runPassOnCode("instrument-loops", Code, {"-I" PL_RUNTIME_INCLUDE_DIR});
  EXPECT_THAT(R.fullNames(), ElementsAre("f/fill"));
  expectOutputCompiles(Code, {"-I" PL_RUNTIME_INCLUDE_DIR});
}

TEST(InstrumentLoops, PragmasClangIgnoresStayBeforeAMarkedLoop) {
  // g++ compiles the output too: its `#pragma GCC ivdep` needs the loop next.
  const std::string Code = R"cpp(
    #define PL_LOOP(name)
    void f(int n, int *x) {
      #pragma GCC ivdep
      PL_LOOP(fill) for (int i = 0; i < n; ++i) x[i] = i;
    }
  )cpp";
  std::vector<std::string> Ls = lines(instrument(Code, {"-Wno-unknown-pragmas"}));
  auto Pragma = std::find_if(
      Ls.begin(), Ls.end(), [](const std::string &L) { return trimmed(L) == "#pragma GCC ivdep"; });
  ASSERT_NE(Pragma, Ls.end());
  EXPECT_THAT(trimmed(*(Pragma + 1)), StartsWith("PL_LOOP(fill) for (int i = 0; i < n; ++i) {"));
  EXPECT_EQ(*(Pragma - 1), "#line 4 \"/pl-test/input.cc\"");
}

TEST(InstrumentLoops, OutputIsTheDriversOutput) {
  const std::string Code = R"cpp(
    #include <vector>
    int f(const std::vector<int> &v) {
      int s = 0;
      for (int x : v) { if (x) continue; s += x; }
      return s;
    }
  )cpp";
  EXPECT_EQ(runPassOnCode("emit-manifest", Code).Output, instrumentWithDriver(Code));
}

// ---- negatives: text that must not change ----------------------------------

// The contract header costs compile time: none without an instrumented loop,
// its state half (pl/abi_state.h, pl/serialize.h) only where a loop has state.
TEST(InstrumentLoopsNegatives, FileWithoutLoopsIncludesNothing) {
  const std::string Code = R"cpp(
    int f(int n) { if (n) return 1; switch (n) { default: return 2; } }
  )cpp";
  EXPECT_EQ(instrument(Code), kLine + Code);
}

TEST(InstrumentLoops, NumericStateNeedsOnlyTheContract) {
  const std::string Numbers = R"cpp(
    enum Mode { A, B };
    int g(int);
    void f(const int *v, int n) {
      double s = 0; Mode m = A;
      for (int k = 0; k < 4; ++k) { s += g(v[k] + n); m = B; }
    }
  )cpp";
  std::string Out = instrument(Numbers);
  EXPECT_THAT(Out, StartsWith("#include <pl/abi.h>\n" + kLine));
  EXPECT_THAT(Out, HasSubstr("PL_S_(s)"));
  EXPECT_THAT(Out, HasSubstr("PL_S_(m)"));
  const std::string Vector = R"cpp(
    #include <vector>
    void f(std::vector<int> &out) { for (int k = 0; k < 4; ++k) out.push_back(k); }
  )cpp";
  EXPECT_THAT(instrument(Vector), StartsWith("#include <pl/abi_state.h>\n" + kLine));
  const std::string Dependent = R"cpp(
    template <class T> T f(T x) { for (int k = 0; k < 4; ++k) x += T(k); return x; }
  )cpp";
  EXPECT_THAT(instrument(Dependent), StartsWith("#include <pl/abi_state.h>\n" + kLine));
}

TEST(InstrumentLoopsNegatives, SkippedLoopsAreLeftAsWritten) {
  const std::string Code = R"cpp(
    #define EACH(i, n) for (int i = 0; i < n; ++i)
    constexpr int folded() { int s = 0; for (int i = 0; i < 3; ++i) s += i; return s; }
    void f() { EACH(i, 3) {} }
  )cpp";
  EXPECT_EQ(instrument(Code), kLine + Code);
}

TEST(InstrumentLoopsNegatives, LoopHeadsAreNeverRewritten) {
  const std::string Code = R"cpp(
    #include <vector>
    int f(std::vector<int> &v, int n) {
      for (auto it = v.begin(); it != v.end(); ++it) *it += 1;
      for (int i = n; i >= 1; i -= 2) n += i;
      while (n-- > 3) {}
      for (int &x : v) x *= 2;
      return n;
    }
  )cpp";
  std::string Out = instrument(Code);
  for (const char *Head :
       {"for (auto it = v.begin(); it != v.end(); ++it) {", "for (int i = n; i >= 1; i -= 2) {",
        "while (n-- > 3) {", "for (int &x : v) {"})
    EXPECT_EQ(countOf(Out, Head), 1u) << Head;
}

TEST(InstrumentLoopsNegatives, TemplateLoopIsInstrumentedOnce) {
  std::string Out = instrument(R"cpp(
    template <class T> T sum(T n) { T s = 0; for (T i = 0; i < n; ++i) s += i; return s; }
    template int sum<int>(int);
    template long sum<long>(long);
  )cpp");
  EXPECT_EQ(countOf(Out, "PL_SITE_("), 1u) << Out;
}

} // namespace
} // namespace pl::test
