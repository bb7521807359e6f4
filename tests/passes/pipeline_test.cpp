// pipeline_test.cpp — the pass table (passes/Pipeline.h): one spelling of
// the pipeline, a file pair and a test per pass id, analyses before
// transforms, and the same options reaching the driver and runPassOnCode.
#include "run_pass.h"

#include "Pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace pl::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string readFile(const std::filesystem::path &P) {
  std::ifstream In(P);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// "state-types" -> "StateTypes" (the file pair), "state_types" (the test).
std::string camelCase(std::string_view Id) {
  std::string Out;
  bool Upper = true;
  for (char C : Id) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Out += Upper ? char(std::toupper(static_cast<unsigned char>(C))) : C;
    Upper = false;
  }
  return Out;
}

TEST(Pipeline, IdsAreUniqueKebabCaseWithADescription) {
  std::set<std::string> Seen;
  for (const PassInfo &P : passPipeline()) {
    std::string Id = P.Id;
    EXPECT_TRUE(Seen.insert(Id).second) << "two passes named " << Id;
    EXPECT_FALSE(Id.empty());
    for (char C : Id)
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(C)) || C == '-') << Id;
    EXPECT_NE(std::string(P.Description), "") << Id;
    EXPECT_EQ(findPass(Id), &P);
  }
  EXPECT_EQ(findPass("no-such-pass"), nullptr);
}

TEST(Pipeline, EveryPassHasItsFilePairAndTestOfTheSameName) {
  const std::filesystem::path Root = PL_SOURCE_DIR;
  for (const PassInfo &P : passPipeline()) {
    std::string Id = P.Id, Camel = camelCase(Id), Snake = Id;
    std::replace(Snake.begin(), Snake.end(), '-', '_');
    EXPECT_THAT(readFile(Root / "passes" / (Camel + ".h")), HasSubstr("pass `" + Id + "`"))
        << "passes/" << Camel << ".h should document the pass by its id";
    EXPECT_TRUE(std::filesystem::exists(Root / "passes" / (Camel + ".cpp"))) << Camel;
    EXPECT_TRUE(std::filesystem::exists(Root / "tests/passes" / (Snake + "_test.cpp"))) << Snake;
  }
}

TEST(Pipeline, AnalysesComeBeforeTransformsAndLoopLabelsFirst) {
  llvm::ArrayRef<PassInfo> Passes = passPipeline();
  ASSERT_FALSE(Passes.empty());
  EXPECT_EQ(std::string(Passes.front().Id), "loop-labels") << "it creates the loop records";
  bool SeenTransform = false;
  for (const PassInfo &P : Passes) {
    if (P.Scope != PassScope::TranslationUnit)
      SeenTransform = true;
    else
      EXPECT_FALSE(SeenTransform) << P.Id << " runs after a transform";
  }
  EXPECT_TRUE(SeenTransform);
}

TEST(Pipeline, RunPassOnCodeRunsTheDriversPipeline) {
  const std::string Code = "#include <cstdio>\n"
                           "int f(int n) { int s = 0; std::FILE *fp = nullptr;\n"
                           "  walk: for (int i = 0; i < n; ++i) { s += i; ++fp; }\n"
                           "  for (int i = 0; i < n; ++i) s -= i;\n"
                           "  return s; }\n";
  for (bool Versioning : {false, true}) {
    PassOptions Options = testOptions();
    Options.Versioning = Versioning;
    EXPECT_EQ(runPassOnCode("emit-manifest", Code, {}, kInputFile, Options).Output,
              instrumentWithDriver(Code, {}, kInputFile, Options));
  }
}

TEST(Pipeline, RequireResumableReachesRunPassOnCode) {
  const char *Code = "void f(int n) { int *p = nullptr;\n"
                     "  walk: for (int i = 0; i < n; ++i) ++p; }";
  PassOptions Strict = testOptions();
  Strict.RequireResumable = true;
  PassRun Lenient = runPassOnCode("state-types", Code);
  PassRun Required = runPassOnCode("state-types", Code, {}, kInputFile, Strict);
  EXPECT_THAT(Lenient.notes("error"), IsEmpty());
  EXPECT_EQ(Required.notes("error"), Lenient.notes("warning"));
  ASSERT_EQ(Required.notes("error").size(), 1u);
  std::vector<Note> Driver = driverNotes(Code, Strict);
  ASSERT_EQ(Driver.size(), 1u);
  EXPECT_EQ(Driver[0].Kind, "error");
  EXPECT_EQ(Driver[0].Message, Required.Notes[0].Message);
}

TEST(Pipeline, RunPassOnCodeStopsAfterTheNamedPass) {
  const char *Code = "int f(int n) { int s = 0; for (int i = 0; i < n; ++i) s += i; return s; }";
  PassRun Analysis = runPassOnCode("modified-vars", Code);
  ASSERT_NE(Analysis.loop("f/loop0"), nullptr);
  EXPECT_THAT(Analysis.loop("f/loop0")->State, ElementsAre("s", "i"));
  EXPECT_EQ(Analysis.Output, "") << "no transform has run";
  EXPECT_THAT(runPassOnCode("instrument-loops", Code).Output, HasSubstr("PL_SITE_("));
  EXPECT_THAT(runPassOnCode("instrument-loops", Code).Output,
              ::testing::Not(HasSubstr("pl_manifest_")))
      << "emit-manifest comes after instrument-loops";
}

TEST(PipelineNegatives, AnIdThePipelineLacksIsATestFailure) {
  EXPECT_NONFATAL_FAILURE(runPassOnCode("trip-counts", "int x;"),
                          "no pass 'trip-counts' in the pipeline; its passes are: loop-labels");
}

} // namespace
} // namespace pl::test
