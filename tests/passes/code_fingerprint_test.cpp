// pass code-fingerprint: a loop's hash changes with the tokens of its
// function, of what that calls (in headers too) and with its state layout —
// not with comments, layout or unrelated functions.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::IsEmpty;

namespace {

const char *kProgram = R"(
  static double decay(double lr) { return lr * 0.5; }
  double train(double lr, int epochs) {
    double w = 1;
    for (int e = 0; e < epochs; ++e) { lr = decay(lr); w -= lr; }
    return w;
  }
  void report(double w) { (void)w; }
)";

std::string hashOf(const std::string &Code, const std::string &Loop = "train/loop0",
                   const std::vector<std::string> &Args = {}) {
  PassRun R = runPassOnCode("code-fingerprint", Code, Args);
  EXPECT_THAT(R.Errors, IsEmpty());
  const pl::test::Loop *L = R.loop(Loop);
  EXPECT_NE(L, nullptr) << Loop;
  if (!L) return "";
  EXPECT_EQ(L->CodeHash.size() > 0, true);
  return L->CodeHash;
}

std::string replaced(std::string S, const std::string &From, const std::string &To) {
  size_t At = S.find(From);
  EXPECT_NE(At, std::string::npos) << From;
  if (At != std::string::npos) S.replace(At, From.size(), To);
  return S;
}

TEST(CodeFingerprint, CommentsBlankLinesAndLayoutDoNotChangeIt) {
  std::string Base = hashOf(kProgram);
  EXPECT_EQ(hashOf(std::string("// a new comment at the top\n\n") + kProgram), Base);
  EXPECT_EQ(hashOf(replaced(kProgram, "w -= lr;", "w   -=   lr;  /* step */")), Base);
}

TEST(CodeFingerprint, AnUnrelatedFunctionDoesNotChangeIt) {
  EXPECT_EQ(hashOf(replaced(kProgram, "(void)w;", "(void)(w + 1);")), hashOf(kProgram));
}

TEST(CodeFingerprint, TheLoopsFunctionOrACalleeChangesIt) {
  std::string Base = hashOf(kProgram);
  EXPECT_NE(hashOf(replaced(kProgram, "lr * 0.5", "lr * 0.25")), Base) << "callee";
  EXPECT_NE(hashOf(replaced(kProgram, "double w = 1;", "double w = 2;")), Base)
      << "code before the loop in its function (replayed on resume)";
}

TEST(CodeFingerprint, TheStateLayoutChangesIt) {
  // The same tokens in the function, another state type: `w` is deduced
  // from a macro defined outside it.
  const char *Layout = R"(
    #define ONE 1.0
    double train(int epochs) {
      auto w = ONE;
      for (int e = 0; e < epochs; ++e) w = w * 0.5;
      return w;
    })";
  EXPECT_NE(hashOf(replaced(Layout, "ONE 1.0", "ONE 1.0f")), hashOf(Layout));
}

TEST(CodeFingerprint, ACalleeInAHeaderChangesIt) {
  TempDir Dir;
  const std::string Main = R"(
    #include "sgd.h"
    double fit(double lr, int n) {
      SGD opt{lr};
      double w = 0;
      for (int e = 0; e < n; ++e) { opt.set_lr(opt.lr); w += opt.lr; }
      return w;
    })";
  Dir.write("sgd.h", "struct SGD { double lr; void set_lr(double v) { lr = v; } };\n");
  std::string Before = hashOf(Main, "fit/loop0", {"-I" + Dir.path()});
  Dir.write("sgd.h",
            "// only a comment\nstruct SGD { double lr; void set_lr(double v) { lr = v; } };\n");
  EXPECT_EQ(hashOf(Main, "fit/loop0", {"-I" + Dir.path()}), Before);
  Dir.write("sgd.h", "struct SGD { double lr; void set_lr(double v) { lr = v * 0.5; } };\n");
  EXPECT_NE(hashOf(Main, "fit/loop0", {"-I" + Dir.path()}), Before);
}

TEST(CodeFingerprint, EachLoopHasItsOwnHash) {
  const char *Two = R"(
    int a(int n) { int s = 0; for (int i = 0; i < n; ++i) s += i; return s; }
    int b(int n) { int s = 0; for (int i = 0; i < n; ++i) s -= i; return s; }
  )";
  std::string A = hashOf(Two, "a/loop0"), B = hashOf(Two, "b/loop0");
  EXPECT_NE(A, B);
  EXPECT_EQ(hashOf(replaced(Two, "s -= i", "s -= 2 * i"), "a/loop0"), A);
}

} // namespace

// A new user's silent wrong resume: a file-scope constant the loop reads was
// edited between the checkpoint and the resume. Its initializer, the enums
// the code names and the macros it spells are part of the code.
const char *kWithConstants = R"(
  #define NOISE 0.3f
  #define SCALE (NOISE * 2)
  static const float kDecay = 0.95f;
  enum Mode { kFast = 1, kSlow = 2 };
  static const float kUnused = 1.0f;
  static float step(float lr) { return lr * kDecay + SCALE; }
  float train(float lr, int epochs) {
    for (int e = 0; e < epochs; ++e) lr = step(lr) * kSlow;
    return lr;
  }
)";

TEST(CodeFingerprint, ConstantsEnumsAndMacrosTheCodeReadsChangeIt) {
  std::string Base = hashOf(kWithConstants);
  EXPECT_NE(hashOf(replaced(kWithConstants, "kDecay = 0.95f", "kDecay = 0.90f")), Base)
      << "a static const a callee reads";
  EXPECT_NE(hashOf(replaced(kWithConstants, "kSlow = 2", "kSlow = 3")), Base) << "an enumerator";
  EXPECT_NE(hashOf(replaced(kWithConstants, "NOISE 0.3f", "NOISE 0.5f")), Base)
      << "a macro another macro the callee spells expands to";
}

TEST(CodeFingerprint, ConstantsAndMacrosTheCodeDoesNotReadDoNotChangeIt) {
  std::string Base = hashOf(kWithConstants);
  EXPECT_EQ(hashOf(replaced(kWithConstants, "kUnused = 1.0f", "kUnused = 2.0f")), Base);
  EXPECT_EQ(hashOf(std::string("#define OTHER 7\n") + kWithConstants), Base);
}
