// loop_labels_test.cpp — pass `loop-labels` (passes/LoopLabels.h): finds
// every loop and gives it a stable full name <function>/<loops>/<label>.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pl::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

PassRun labels(const std::string &Code, const std::vector<std::string> &Args = {}) {
  return runPassOnCode("loop-labels", Code, Args);
}

TEST(LoopLabels, AutomaticNamesCountLoopsInSourceOrderPerFunction) {
  PassRun R = labels(R"cpp(
    void f() {
      for (int i = 0; i < 3; ++i) {}
      while (false) {}
      do {} while (false);
      int a[] = {1, 2};
      for (int x : a) {}
    }
    void g() { while (false) {} }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 5u);
  EXPECT_THAT(R.fullNames(), ElementsAre("f/loop0", "f/loop1", "f/loop2", "f/loop3", "g/loop0"));
  EXPECT_EQ(R.Loops[0].Kind, "for");
  EXPECT_EQ(R.Loops[1].Kind, "while");
  EXPECT_EQ(R.Loops[2].Kind, "do-while");
  EXPECT_EQ(R.Loops[3].Kind, "range-for");
  EXPECT_EQ(R.Loops[0].Source, "automatic");
  EXPECT_EQ(R.Loops[0].Line, 3u);
  EXPECT_EQ(R.Loops[0].Column, 7u);
}

TEST(LoopLabels, NestedLoopsAreNamedUnderTheirParent) {
  PassRun R = labels(R"cpp(
    void f() {
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
          while (false) {}
        }
      while (false) {}
    }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 4u);
  EXPECT_THAT(R.fullNames(),
              ElementsAre("f/loop0", "f/loop0/loop1", "f/loop0/loop1/loop2", "f/loop3"));
  EXPECT_EQ(R.Loops[0].Parent, "");
  EXPECT_EQ(R.Loops[1].Parent, "f/loop0");
  EXPECT_EQ(R.Loops[2].Parent, "f/loop0/loop1");
  EXPECT_EQ(R.Loops[3].Parent, "");
}

TEST(LoopLabels, CxxLabelNamesTheLoopAndStillCountsForLaterLoops) {
  PassRun R = labels(R"cpp(
    void f() {
      epoch: for (int e = 0; e < 3; ++e) {
        batch: while (false) {}
      }
      for (;;) break;
    }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 3u);
  EXPECT_THAT(R.fullNames(), ElementsAre("f/epoch", "f/epoch/batch", "f/loop2"));
  EXPECT_EQ(R.Loops[0].Source, "label");
  EXPECT_EQ(R.Loops[0].Label, "epoch");
  EXPECT_EQ(R.Loops[2].Source, "automatic");
}

TEST(LoopLabels, PlLoopMarkerNamesTheNextLoop) {
  PassRun R = labels(R"cpp(
    #define PL_LOOP(name)
    void train(int n) {
      PL_LOOP(epoch) for (int e = 0; e < n; ++e) {
        PL_LOOP(batch)
        for (int b = 0; b < n; ++b) {}
      }
      while (n--) {}
    }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 3u);
  EXPECT_THAT(R.fullNames(), ElementsAre("train/epoch", "train/epoch/batch", "train/loop2"));
  EXPECT_EQ(R.Loops[0].Source, "PL_LOOP");
  EXPECT_EQ(R.Loops[1].Source, "PL_LOOP");
  EXPECT_THAT(R.Notes, IsEmpty());
}

TEST(LoopLabels, PlLoopMarkerOverridesACxxLabelWithAWarning) {
  PassRun R = labels(R"cpp(
    #define PL_LOOP(name)
    void f() {
      PL_LOOP(epoch) outer: for (;;) break;
    }
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("f/epoch"));
  ASSERT_EQ(R.Notes.size(), 1u);
  EXPECT_EQ(R.Notes[0].Kind, "warning");
  EXPECT_THAT(R.Notes[0].Message, HasSubstr("overrides the C++ label 'outer'"));
}

TEST(LoopLabels, QualifiedFunctionNamesNestLoopNames) {
  PassRun R = labels(R"cpp(
    namespace ns {
    struct Class {
      void method();
      void inlineMethod() { while (false) {} }
    };
    } // namespace ns
    void ns::Class::method() {
      epoch: for (int e = 0; e < 2; ++e) {
        batch: for (int b = 0; b < 2; ++b) {}
      }
    }
    namespace { void hidden() { while (false) {} } }
    namespace outer::inner { int op(int n) { while (n) --n; return n; } }
  )cpp");
  ASSERT_EQ(R.Loops.size(), 5u);
  EXPECT_THAT(R.fullNames(), ElementsAre("ns::Class::inlineMethod/loop0", "ns::Class::method/epoch",
                                         "ns::Class::method/epoch/batch", "hidden/loop0",
                                         "outer::inner::op/loop0"));
  EXPECT_EQ(R.Loops[2].Function, "ns::Class::method");
}

TEST(LoopLabels, LambdasAreNamedInsideTheirFunction) {
  PassRun R = labels(R"cpp(
    auto global = [] { for (;;) break; };
    void f() {
      auto g = [] { for (;;) break; };
      for (int i = 0; i < 2; ++i) {
        auto h = [](int n) { while (n--) {} };
        auto nested = [] { [] { do {} while (false); }(); };
      }
    }
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("lambda0/loop0", "f/lambda0/loop0", "f/loop0",
                                         "f/lambda1/loop0", "f/lambda2/lambda0/loop0"));
  // A lambda is a function of its own: its loops do not nest under f's.
  ASSERT_NE(R.loop("f/lambda1/loop0"), nullptr);
  EXPECT_EQ(R.loop("f/lambda1/loop0")->Parent, "");
  EXPECT_EQ(R.loop("f/lambda1/loop0")->Function, "f/lambda1");
}

TEST(LoopLabels, TemplatePatternIsRecordedOnceDespiteInstantiations) {
  PassRun R = labels(R"cpp(
    template <class T> T sum(T n) {
      T s = 0;
      for (T i = 0; i < n; ++i) s += i;
      return s;
    }
    template int sum<int>(int);
    template long sum<long>(long);
    double use() { return sum(2.0) + sum('a'); }

    template <class T> struct Box {
      void each() { for (int i = 0; i < 2; ++i) {} }
    };
    template struct Box<int>;
    struct Holder {
      template <class T> void visit() { while (false) {} }
    };
    template void Holder::visit<int>();
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("sum/loop0", "Box::each/loop0", "Holder::visit/loop0"));
  EXPECT_THAT(R.Notes, IsEmpty());
}

TEST(LoopLabels, TwoLoopsWithTheSameNameAreReported) {
  PassRun R = labels(R"cpp(
    #define PL_LOOP(name)
    void f() {
      PL_LOOP(step) for (;;) break;
      PL_LOOP(step) for (;;) break;
    }
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("f/step", "f/step"));
  ASSERT_EQ(R.Notes.size(), 1u);
  EXPECT_EQ(R.Notes[0].Kind, "warning");
  EXPECT_THAT(R.Notes[0].Message, HasSubstr("two loops are named 'f/step'"));
  EXPECT_EQ(R.Notes[0].Line, 5u);
}

TEST(LoopLabels, MarkerWithoutALoopIsReported) {
  PassRun R = labels(R"cpp(
    #define PL_LOOP(name)
    void f() {
      PL_LOOP(orphan) int x = 0; (void)x;
    }
    void g() { while (false) {} }
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("g/loop0"));
  ASSERT_EQ(R.Notes.size(), 1u);
  EXPECT_EQ(R.Notes[0].Line, 4u);
  EXPECT_THAT(R.Notes[0].Message, HasSubstr("PL_LOOP(orphan) is not followed by a loop"));
}

// ---- negatives: code that must not be recorded or renamed ----------------

TEST(LoopLabelsNegatives, StatementsThatAreNotLoopsAreNotRecorded) {
  PassRun R = labels(R"cpp(
    int f(int n) {
      if (n) { n = 2; }
      switch (n) { case 1: return 1; default: break; }
      label: n += 1;
      return n;
    }
  )cpp");
  EXPECT_THAT(R.Loops, IsEmpty());
  EXPECT_THAT(R.Notes, IsEmpty());
}

TEST(LoopLabelsNegatives, OtherMacrosAndCommentsDoNotName) {
  PassRun R = labels(R"cpp(
    #define MY_LOOP(name)
    void f() {
      // PL_LOOP(commented)
      MY_LOOP(other) for (;;) break;
      /* PL_LOOP(block) */ while (false) {}
    }
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("f/loop0", "f/loop1"));
  EXPECT_THAT(R.Notes, IsEmpty());
}

TEST(LoopLabelsNegatives, ImplicitInstantiationsAddNoRecords) {
  PassRun R = labels(R"cpp(
    template <class T> void each(T n) { for (T i = 0; i < n; ++i) {} }
    void use() { each(1); each(2L); each(3.0); each('c'); }
  )cpp");
  EXPECT_THAT(R.fullNames(), ElementsAre("each/loop0"));
}

TEST(LoopLabelsNegatives, LoopsInOtherFilesAreNotRecorded) {
  TempDir Dir;
  Dir.write("header.h", "inline void inHeader() { while (false) {} }\n");
  PassRun R = labels(R"cpp(
    #include "header.h"
    void f() { inHeader(); for (;;) break; }
  )cpp",
                     {"-I" + Dir.path()});
  EXPECT_THAT(R.fullNames(), ElementsAre("f/loop0"));
}

TEST(LoopLabelsNegatives, EditingAnotherFunctionDoesNotRenameLoops) {
  const char *Before = R"cpp(
    void a() { for (;;) break; }
    void b() { while (false) {} do {} while (false); }
  )cpp";
  const char *After = R"cpp(
    void a() { for (;;) break; while (false) {} for (;;) break; }
    void b() { while (false) {} do {} while (false); }
  )cpp";
  PassRun R1 = labels(Before), R2 = labels(After);
  ASSERT_NE(R1.loop("b/loop1"), nullptr);
  ASSERT_NE(R2.loop("b/loop1"), nullptr);
  EXPECT_EQ(R1.loop("b/loop1")->Kind, "do-while");
  EXPECT_EQ(R2.loop("b/loop1")->Kind, "do-while");
}

} // namespace
} // namespace pl::test
