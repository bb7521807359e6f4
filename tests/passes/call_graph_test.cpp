// pass call-graph: what each loop and function can call, written at the
// frontier the runtime resolves (functions holding loops, functions defined
// elsewhere, "virtual:<name>", "*").
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

TEST(CallGraph, LoopsCallFunctionsThatHoldLoopsAndFunctionsDefinedElsewhere) {
  PassRun R = runPassOnCode("call-graph", R"(
void external(int);
namespace ns {
int leaf(int x) { return x * 2; }
void inner(int n) { for (int i = 0; i < n; ++i) leaf(i); }
int helper(int n) { inner(n); return leaf(n); }  // no loop: followed through
}
void train(int epochs, int n) {
  for (int e = 0; e < epochs; ++e) {
    ns::helper(n);
    for (int b = 0; b < n; ++b) external(b);
  }
}
)");
  const Loop *Epoch = R.loop("train/loop0");
  ASSERT_NE(Epoch, nullptr);
  EXPECT_EQ(Epoch->FunctionKey, "train");
  // Through helper (no loop) to inner (loops); the nested loop's call is its own.
  EXPECT_THAT(Epoch->Calls, ElementsAre("ns::inner"));
  EXPECT_THAT(R.loop("train/loop0/loop1")->Calls, ElementsAre("external"));
  EXPECT_THAT(R.loop("ns::inner/loop0")->Calls, IsEmpty());
  // Rows: functions with loops, reaching some, or callable from elsewhere.
  ASSERT_NE(R.row("ns::helper"), nullptr);
  EXPECT_THAT(R.row("ns::helper")->Calls, ElementsAre("ns::inner"));
  ASSERT_NE(R.row("train"), nullptr);
  EXPECT_THAT(R.row("train")->Calls, ElementsAre("external", "ns::inner"));
  ASSERT_NE(R.row("ns::leaf"), nullptr); // exported, calls nothing
  EXPECT_THAT(R.row("ns::leaf")->Calls, IsEmpty());
}

// What a function does that only a loop of its own file could hold — a
// global or static written, std::rand — goes with its row ("!<file>:<why>"
// in the emitted table), so that a loop of another file that calls it
// refuses checkpoints (the runtime joins the rows of every file).
TEST(CallGraph, RowsCarryEffectsALoopOfAnotherFileCannotHold) {
  PassRun R = runPassOnCode("emit-manifest", R"(#include <cstdlib>
static double total = 0;
double bump(double x) { total = total * 0.5 + x; return total; }
int noisy() { return std::rand() % 7; }
int counted() { static int calls = 0; return ++calls; }
int through() { return counted() + 1; }
double pure(double x) { double s = 0; auto add = [&s](double v) { s += v; }; add(x); return s; }
double keep(double *w, int n) { for (int i = 0; i < n; ++i) w[i] *= 0.5; return w[0]; }
)");
  EXPECT_EQ(R.row("bump")->Hidden, "writes global 'total'");
  EXPECT_EQ(R.row("noisy")->Hidden, "calls std::rand (in noisy)");
  EXPECT_EQ(R.row("counted")->Hidden, "writes static local 'calls' (in counted)");
  EXPECT_EQ(R.row("through")->Hidden, "writes static local 'calls' (in counted)");
  EXPECT_EQ(R.row("pure")->Hidden, "") << "a lambda's captured local is not global";
  EXPECT_EQ(R.row("keep")->Hidden, "") << "writes only through its argument";
  EXPECT_THAT(R.Output, ::testing::HasSubstr("{\"bump\", \"!"));
  EXPECT_THAT(R.Output, ::testing::HasSubstr(":writes global 'total';#"));
}

// Each row carries its function's code hash ("#<hash>" in the emitted
// calls), which the runtime folds into the fingerprint of loops of other
// files that may call it: its tokens and what it calls in this file, not
// its comments or layout.
TEST(CallGraph, RowsCarryTheCodeHashOfTheirFunction) {
  auto hashes = [](const std::string &Code) {
    PassRun R = runPassOnCode("call-graph", Code);
    EXPECT_NE(R.row("step"), nullptr);
    EXPECT_NE(R.row("helper"), nullptr);
    return std::make_pair(R.row("step") ? R.row("step")->CodeHash : "",
                          R.row("helper") ? R.row("helper")->CodeHash : "");
  };
  const std::string Base = R"(static const double kRate = 0.5;
double helper(double x);
double step(double x) { return helper(x) * kRate; }
double helper(double x) { return x + 1; }
)";
  const auto [Step, Helper] = hashes(Base);
  EXPECT_FALSE(Step.empty());
  EXPECT_NE(Step, Helper);
  // A comment and other layout: the same hashes.
  EXPECT_EQ(hashes("// a comment\n" + Base), std::make_pair(Step, Helper));
  std::string Spaced = Base;
  Spaced.replace(Spaced.find("{ return x + 1; }"), 17, "{\n  return x + 1;  // one\n}");
  EXPECT_EQ(hashes(Spaced), std::make_pair(Step, Helper));
  // The callee's body (defined after its first declaration) changes both.
  std::string Callee = Base;
  Callee.replace(Callee.find("x + 1"), 5, "x + 2");
  const auto [Step2, Helper2] = hashes(Callee);
  EXPECT_NE(Step2, Step);
  EXPECT_NE(Helper2, Helper);
  // A constant the function reads changes it.
  std::string Rate = Base;
  Rate.replace(Rate.find("0.5"), 3, "0.7");
  EXPECT_NE(hashes(Rate).first, Step);
  EXPECT_EQ(hashes(Rate).second, Helper);
}

TEST(CallGraph, LambdasAndCallbacksThroughTheStandardLibrary) {
  PassRun R = runPassOnCode("call-graph", R"(#include <algorithm>
#include <vector>
void step(int);
void visit(std::vector<int>& v) {
  for (int r = 0; r < 3; ++r)
    std::for_each(v.begin(), v.end(), [](int x) { for (int k = 0; k < x; ++k) step(k); });
  for (int r = 0; r < 3; ++r) std::sort(v.begin(), v.end());
}
)");
  const Loop *Outer = R.loop("visit/loop0");
  ASSERT_NE(Outer, nullptr);
  ASSERT_EQ(Outer->Calls.size(), 1u);
  EXPECT_EQ(Outer->Calls[0].rfind("lambda@", 0), 0u) << Outer->Calls[0];
  EXPECT_EQ(R.loop("visit/lambda0/loop0")->FunctionKey, Outer->Calls[0]);
  EXPECT_THAT(R.loop("visit/lambda0/loop0")->Calls, ElementsAre("step"));
  // std::sort of ints calls nothing of the program's.
  EXPECT_THAT(R.loop("visit/loop1")->Calls, IsEmpty());
}

TEST(CallGraph, VirtualCallsReachEveryOverriderAndTheirNamesElsewhere) {
  PassRun R = runPassOnCode("call-graph", R"(#include <memory>
#include <vector>
struct Layer { virtual ~Layer() = default; virtual void forward(float*) = 0; };
struct Dense : Layer { void forward(float* x) override { for (int i = 0; i < 4; ++i) x[i] *= 2; } };
struct Relu final : Layer { void forward(float* x) override { x[0] = 0; } };
void run(std::vector<std::unique_ptr<Layer>>& layers, float* x, Relu& r) {
  for (auto& l : layers) l->forward(x);
  for (int i = 0; i < 2; ++i) r.forward(x);
}
)");
  EXPECT_THAT(R.loop("run/loop0")->Calls, ElementsAre("Dense::forward", "virtual:forward"));
  EXPECT_THAT(R.loop("run/loop1")->Calls, IsEmpty()); // final: no dispatch, no loop
}

TEST(CallGraph, WhatCannotBeResolvedMayRunAnything) {
  PassRun R = runPassOnCode("call-graph", R"(#include <cstdlib>
#include <functional>
void work(int);
int cmp(const void*, const void*);
void by_pointer(void (*f)(int), int n) { for (int i = 0; i < n; ++i) f(i); }
void by_function(const std::function<void(int)>& f, int n) { for (int i = 0; i < n; ++i) f(i); }
void callback(int* a, int n, int (*c)(const void*, const void*)) {
  for (int i = 0; i < n; ++i) std::qsort(a, 4, sizeof(int), c);
  for (int i = 0; i < n; ++i) std::qsort(a, 4, sizeof(int), cmp);
}
)");
  EXPECT_THAT(R.loop("by_pointer/loop0")->Calls, ElementsAre("*"));
  EXPECT_THAT(R.loop("by_function/loop0")->Calls, Contains("*"));
  EXPECT_THAT(R.loop("callback/loop0")->Calls, Contains("*"));
  // A named callback is a call of that function (defined elsewhere here).
  EXPECT_THAT(R.loop("callback/loop1")->Calls, ElementsAre("cmp"));
}

TEST(CallGraph, ConstructorsDestructorsAndTemplateInstantiations) {
  PassRun R = runPassOnCode("call-graph", R"(#include <vector>
struct Buffer {
  std::vector<int> v;
  explicit Buffer(int n) { for (int i = 0; i < n; ++i) v.push_back(i); }
  ~Buffer();
};
template <class F> void repeat(int n, F f) { for (int i = 0; i < n; ++i) f(i); }
void use(int n) {
  for (int k = 0; k < n; ++k) { Buffer b(k); }
  for (int k = 0; k < n; ++k) std::vector<Buffer> bs(2, Buffer(k));
  for (int k = 0; k < n; ++k) repeat(k, [](int) {});
  std::vector<int> ints;
  for (int k = 0; k < n; ++k) ints.push_back(k);
}
)");
  EXPECT_THAT(R.loop("use/loop0")->Calls, ElementsAre("Buffer::Buffer", "Buffer::~Buffer"));
  EXPECT_THAT(R.loop("use/loop1")->Calls, ElementsAre("Buffer::Buffer", "Buffer::~Buffer"));
  EXPECT_THAT(R.loop("use/loop2")->Calls, ElementsAre("repeat"));
  // std::vector<int> is not std::vector<Buffer>: each instantiation its own.
  EXPECT_THAT(R.loop("use/loop3")->Calls, IsEmpty());
  // The template's loop calls the lambda of its instantiation, not "*".
  const Loop *Repeat = R.loop("repeat/loop0");
  ASSERT_NE(Repeat, nullptr);
  EXPECT_THAT(Repeat->Calls, Not(Contains("*")));
}

} // namespace
