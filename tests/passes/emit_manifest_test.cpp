// pass emit-manifest: the table of loops and locals the runtime checks hooks
// against, appended after the last original line.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

const char *kTwoLoops = R"(int f(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += i;
  while (s > 10) { int half = s / 2; s = half; }
  return s;
}
)";

/// The hash the table is named after: xxh3 of the original text.
std::string tableId(const std::string &Output) {
  std::size_t At = Output.find("#ifndef PL_MANIFEST_");
  if (At == std::string::npos) return "<no table>";
  At += std::string("#ifndef PL_MANIFEST_").size();
  return Output.substr(At, Output.find('\n', At) - At);
}

TEST(EmitManifest, ListsEveryInstrumentedLoopWithItsLocalsStateAndSourceHash) {
  PassRun R = runPassOnCode("emit-manifest", kTwoLoops);
  ASSERT_THAT(R.Errors, IsEmpty());
  // Then restored_by: "" (the while loop's condition reads what loop0 changes),
  // then the loop's code hash (pass code-fingerprint), then the loop's
  // function and what it calls (nothing; pass call-graph).
  std::string Hash = "\"" + tableId(R.Output) + "\", \"\", \"";
  EXPECT_THAT(R.Output, HasSubstr("{\"f/loop0\", \"/pl-test/input.cc\", 3, \"n,s,i\",\n"
                                  "   \"s:int,i:int\", \"\", \"\", " +
                                  Hash));
  EXPECT_THAT(R.Output, HasSubstr("{\"f/loop1\", \"/pl-test/input.cc\", 4, \"n,s,half\",\n"
                                  "   \"s:int\", \"\", \"\", " +
                                  Hash));
  for (const char *Loop : {"f/loop0", "f/loop1"})
    EXPECT_THAT(R.Output, HasSubstr(Hash + R.loop(Loop)->CodeHash + "\",\n   \"f\", \"\"},"))
        << Loop;
  EXPECT_NE(R.loop("f/loop0")->CodeHash, R.loop("f/loop1")->CodeHash);
  EXPECT_THAT(R.Output, HasSubstr("register_manifest(pl_manifest_"));
  EXPECT_EQ(tableId(R.Output).size(), 16u);
  // The call graph: f holds loops.
  EXPECT_THAT(R.Output, HasSubstr("pl_calls_" + tableId(R.Output) + "[] = {\n  {\"f\", \"#"));
  EXPECT_THAT(R.Output, HasSubstr("register_calls(pl_calls_"));
}

TEST(EmitManifest, TheCallGraphOfAFileWithoutLoopsStillSaysWhatItsFunctionsCall) {
  PassRun R = runPassOnCode("emit-manifest", R"(void train(int);
void run(int n) { train(n); }
)");
  ASSERT_THAT(R.Errors, IsEmpty());
  EXPECT_THAT(R.Output, Not(HasSubstr("pl_manifest_")));
  // What run calls, then its code hash.
  EXPECT_THAT(R.Output, HasSubstr("{\"run\", \"train;#"));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

TEST(EmitManifest, RowsSayWhyALoopCannotBeCheckpointedOrSkipped) {
  PassRun R = runPassOnCode("emit-manifest", R"(#include <cstdlib>
#include <vector>
void f(int n) {
  int *cursor = nullptr;
  std::vector<float> w;
  for (int i = 0; i < n; ++i) { ++cursor; w.push_back(float(std::rand())); }
}
)");
  // The runtime's refusal gives the reason and the fixes, as pl-instrument did.
  // (A pointer the loop moves: PL_TRANSIENT is not offered, it would resume
  // with the pointer where the code before the loop put it.)
  EXPECT_THAT(R.Output, HasSubstr("   \"cursor:int *,w:std::vector<float>,i:int\", "
                                  "\"cursor: int * ('int *' is a pointer, and pl saves data, not "
                                  "addresses; the loop assigns the pointer itself, and pl restores "
                                  "data, not which buffer a pointer was left at); keep the buffers "
                                  "in a container and an index or a flag saying which is current"));
  EXPECT_THAT(R.Output, HasSubstr("\", \"calls std::rand\", \""));
  EXPECT_THAT(R.Output, HasSubstr("PL_V_(cursor), PL_S_(w), PL_S_(i)"));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

TEST(EmitManifest, IsAppendedAfterTheLastLineAndGuarded) {
  PassRun R = runPassOnCode("emit-manifest", kTwoLoops);
  ASSERT_THAT(R.Errors, IsEmpty());
  std::size_t lastOriginal = R.Output.find("  return s;\n}\n");
  std::size_t table = R.Output.find("#ifndef PL_MANIFEST_");
  ASSERT_NE(lastOriginal, std::string::npos);
  ASSERT_NE(table, std::string::npos);
  EXPECT_LT(lastOriginal, table);
  // Guarded: a header carrying a table may be included twice in one TU.
  EXPECT_THAT(compileErrors(R.Output + "\n" + R.Output.substr(table)), IsEmpty());
}

// --- code that must not get a table ---------------------------------------

TEST(EmitManifestNegatives, NoLoopTableWithoutInstrumentedLoops) {
  PassRun R = runPassOnCode("emit-manifest", R"(
    #define EACH(i, n) for (int i = 0; i < n; ++i)
    int f(int n) { int s = 0; EACH(i, n) s += i; return s; }
    int g() { return 1; })");
  ASSERT_THAT(R.Errors, IsEmpty());
  EXPECT_THAT(R.Output, Not(HasSubstr("pl_manifest_")));
}

} // namespace
