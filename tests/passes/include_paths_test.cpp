// include_paths_test.cpp — pass `include-paths` (passes/IncludePaths.h):
// quoted includes found beside the file keep working from another directory.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pl::test {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

/// A source directory with headers beside the file, below it, above it and
/// in a separate -I directory.
struct Project {
  TempDir Dir;
  std::string Main = Dir.path("src/main.cc");
  std::vector<std::string> Args = {"-I" + Dir.path("include")};

  Project() {
    Dir.write("src/model.h", "#pragma once\ninline int model() { return 1; }\n");
    Dir.write("src/detail/impl.h",
              "#include \"../model.h\"\ninline int impl() { return model(); }\n");
    Dir.write("common.h", "inline int common() { return 2; }\n");
    Dir.write("include/api.h", "inline int api() { return 3; }\n");
    Dir.write("include/angled.h", "inline int angled() { return 4; }\n");
  }

  PassRun run(const std::string &Code) const {
    return runPassOnCode("include-paths", Code, Args, Main);
  }
};

TEST(IncludePaths, QuotedIncludesFoundBesideTheFileBecomeAbsolute) {
  Project P;
  PassRun R = P.run(R"cpp(
    #include "model.h"
    #include "detail/impl.h"
    #include "../common.h"
    int f() { return model() + impl() + common(); }
  )cpp");
  EXPECT_THAT(R.Output, HasSubstr("#include \"" + P.Dir.path("src/model.h") + "\"\n"));
  EXPECT_THAT(R.Output, HasSubstr("#include \"" + P.Dir.path("src/detail/impl.h") + "\"\n"));
  EXPECT_THAT(R.Output, HasSubstr("#include \"" + P.Dir.path("common.h") + "\"\n"));
  EXPECT_THAT(R.Output, Not(HasSubstr("\"model.h\"")));
  EXPECT_THAT(R.Output, Not(HasSubstr("..")));
}

TEST(IncludePaths, RewrittenFileCompilesFromAnotherDirectory) {
  Project P;
  const std::string Code = R"cpp(
    #include "model.h"
    #include "detail/impl.h"
    #include "api.h"
    int f() { int s = 0; for (int i = 0; i < 3; ++i) s += model() + impl() + api(); return s; }
  )cpp";
  PassRun R = P.run(Code);
  std::vector<std::string> Args = P.Args;
  Args.push_back("-I" PL_RUNTIME_INCLUDE_DIR);
  std::string Elsewhere = P.Dir.path("out/src/main.cc");
  EXPECT_THAT(compileErrors(R.Output, Args, Elsewhere), IsEmpty()) << R.Output;
  // Without the pass the copy would not find model.h.
  EXPECT_THAT(compileErrors(Code, Args, Elsewhere), Not(IsEmpty()));
}

// ---- negatives: includes that must stay as written -------------------------

TEST(IncludePathsNegatives, AngledAndSearchPathIncludesAreLeftAlone) {
  Project P;
  const std::string Code = R"cpp(
    #include <vector>
    #include <angled.h>
    #include "api.h"
    int f() { return api() + angled() + int(std::vector<int>{1}.size()); }
  )cpp";
  PassRun R = P.run(Code);
  EXPECT_THAT(R.Output, HasSubstr("#include <vector>\n"));
  EXPECT_THAT(R.Output, HasSubstr("#include <angled.h>\n"));
  EXPECT_THAT(R.Output, HasSubstr("#include \"api.h\"\n"));
  // Without loops, nothing but the `#line` pointing back at the original.
  EXPECT_THAT(R.Output, StartsWith("#line 1 "));
  EXPECT_EQ(R.Output.substr(R.Output.find('\n') + 1), Code);
}

TEST(IncludePathsNegatives, IncludesInsideHeadersAreNotTouched) {
  Project P;
  PassRun R = P.run(R"cpp(
    #include "detail/impl.h"
    int f() { return impl(); }
  )cpp");
  // impl.h's own "../model.h" is resolved when impl.h is read, beside impl.h.
  EXPECT_THAT(R.Output, Not(HasSubstr("model.h")));
  EXPECT_EQ(countOf(R.Output, "#include \""), 1u);
}

} // namespace
} // namespace pl::test
