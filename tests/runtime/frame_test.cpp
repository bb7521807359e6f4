// Typed access to locals: reads, writes, and the errors that name the loop,
// the variable and its real type.
#include <gtest/gtest.h>
#include <pl/pl.h>

#include "loops.h"

namespace {

struct Frames : ::testing::Test {
  void SetUp() override { pl::reset(); }
  void TearDown() override { pl::reset(); }
};

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const pl::Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(Frames, ListsTheLocalsInScopeWithTypes) {
  std::vector<std::string> vars;
  pl::on("loops::nested/epoch/batch").at(pl::iteration_begin).call([&](pl::Frame& f) {
    if (!vars.empty()) return;
    for (std::size_t i = 0; i < f.var_count(); ++i) {
      pl::VarInfo v = f.var(i);
      vars.push_back(std::string(v.name) + ":" + std::string(v.type) + (v.read_only ? ":ro" : "") +
                     (v.scalar ? ":scalar" : ""));
    }
  });
  loops::nested(1);
  ASSERT_EQ(vars.size(), 5u);
  EXPECT_EQ(vars[0], "epochs:int:scalar");
  EXPECT_EQ(vars[1], "scale:double:ro:scalar");
  EXPECT_EQ(vars[2].substr(0, 14), "w:std::vector<");
  EXPECT_EQ(vars[3], "e:int:scalar");
  EXPECT_EQ(vars[4], "b:int:scalar");
}

TEST_F(Frames, ErrorsNameLoopVariableAndRealType) {
  std::string wrong_type, missing, read_only, not_number;
  pl::on("loops::nested/epoch/batch").at(pl::iteration_begin).call([&](pl::Frame& f) {
    wrong_type = error_of([&] { f.get<float>("scale"); });
    missing = error_of([&] { f.get<double>("loss"); });
    read_only = error_of([&] { f.set<double>("scale", 1.0); });
    not_number = error_of([&] { f.number("w"); });
    f.request_stop();
  });
  loops::nested(1);
  EXPECT_NE(wrong_type.find("loop 'loops::nested/epoch/batch'"), std::string::npos) << wrong_type;
  EXPECT_NE(wrong_type.find("local 'scale' has type 'double', not 'float'"), std::string::npos)
      << wrong_type;
  EXPECT_NE(missing.find("no local 'loss' in scope; visible here: epochs, scale, w, e, b"),
            std::string::npos)
      << missing;
  EXPECT_NE(read_only.find("'scale' is const here"), std::string::npos) << read_only;
  EXPECT_NE(not_number.find("is not a number"), std::string::npos) << not_number;
}

TEST_F(Frames, NumberConvertsAnyScalar) {
  double e = -1, scale = -1;
  bool has_b = true;
  pl::on("loops::nested/epoch").at(pl::iteration_end).call([&](pl::Frame& f) {
    e = f.number("e");
    scale = f.number("scale");
    has_b = f.has("b");
  });
  loops::nested(3);
  EXPECT_EQ(e, 2);
  EXPECT_EQ(scale, 2.0);
  EXPECT_FALSE(has_b) << "the inner loop's variable is out of scope at the outer boundary";
}

TEST_F(Frames, ExitWithoutLocalsWhenLeftByException) {
  std::size_t vars_at_exit = 99;
  pl::on("loops::sum/loop0").at(pl::loop_exit).call([&](pl::Frame& f) {
    vars_at_exit = f.var_count();
    EXPECT_EQ(f.get<int>("s"), 10);
  });
  loops::sum(5);
  EXPECT_EQ(vars_at_exit, 2u);  // n, s: the normal exit passes the locals
}

}  // namespace
