// pass state-markers: PL_TRANSIENT(x) and PL_PERSIST(x) change what a
// checkpoint holds, for every loop of the function they are in.
#include "run_pass.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

std::string withMarkers(const std::string &Code) {
  return "#include <pl/marker.h>\n#include <vector>\n" + Code;
}

const std::vector<std::string> kIncludes = {"-I" PL_RUNTIME_INCLUDE_DIR};

PassRun markersRun(const std::string &Code) {
  return runPassOnCode("state-types", withMarkers(Code), kIncludes);
}

TEST(StateMarkers, TransientRemovesAndPersistAddsForEveryLoopOfTheFunction) {
  PassRun R = markersRun(R"(
int train(int epochs, unsigned seed) {
  std::vector<float> data(100, 1.0f);
  PL_TRANSIENT(data);   // reloaded on resume, although the loop writes it
  PL_PERSIST(seed);     // only read, yet wanted in every checkpoint
  int steps = 0;
  for (int e = 0; e < epochs; ++e) {
    data[0] += 1;
    for (int b = 0; b < 3; ++b) steps += int(seed % 3u);
  }
  return steps;
})");
  ASSERT_THAT(R.notes("error"), IsEmpty());
  EXPECT_THAT(R.loop("train/loop0")->State, ElementsAre("seed", "steps", "e"));
  EXPECT_THAT(R.loop("train/loop0/loop1")->State, ElementsAre("seed", "steps", "e", "b"));
}

TEST(StateMarkers, TransientSilencesAnUnsaveableVariable) {
  PassRun R = markersRun(R"(#include <cstdio>
void log_all(int n) {
  FILE *out = std::fopen("/dev/null", "w");
  PL_TRANSIENT(out);
  for (int i = 0; i < n; ++i) out = out ? out : nullptr;
})");
  EXPECT_THAT(R.loop("log_all/loop0")->State, ElementsAre("i"));
  EXPECT_THAT(R.Notes.size(), 0u);
}

TEST(StateMarkers, FieldsOfThisAndGlobalsCanBeMarked) {
  PassRun R = markersRun(R"(
int calls = 0;
struct Trainer {
  int epoch = 0;
  float lr = 0.1f;
  std::vector<float> cache;
  void run(int n) {
    PL_TRANSIENT(cache);
    PL_PERSIST(lr);
    PL_TRANSIENT(calls);
    for (int i = 0; i < n; ++i) { ++epoch; cache.push_back(lr); ++calls; }
  }
};)");
  ASSERT_THAT(R.notes("error"), IsEmpty());
  EXPECT_THAT(R.loop("Trainer::run/loop0")->State, ElementsAre("epoch", "lr", "i"));
}

// A field no checkpoint holds, marked in its class (PL_TRANSIENT_FIELD) or
// named on the command line (--transient) for a class the user cannot edit:
// the serializer pl writes leaves it out, and loops in the class's methods do
// not count it as state.
const char *const kTransientFields = R"(#include <cstdio>
namespace io {
class Loader {
 public:
  bool next(std::vector<float> &batch) { ++batches_; batch.assign(4, 1.0f); return batches_ < 9; }
  void reopen() { for (int i = 0; i < 2; ++i) handle_ = nullptr; }
 private:
  std::FILE *handle_ = nullptr;
  PL_TRANSIENT_FIELD(handle_);
  long batches_ = 0;
};
class Stats {
 public:
  void add(double x) { sum_ += x; ++n_; }
 private:
  std::FILE *log_ = nullptr;
  double sum_ = 0;
  long n_ = 0;
};
}  // namespace io
void run() {
  io::Loader loader;
  io::Stats stats;
  std::vector<float> batch;
  lab: while (loader.next(batch)) stats.add(batch[0]);
})";

TEST(StateMarkers, TransientFieldsInTheClassOrOnTheCommandLine) {
  PassRun R = runPassOnCode("generate-serializers", withMarkers(kTransientFields), kIncludes);
  ASSERT_THAT(R.notes("error"), IsEmpty());
  const Loop *L = R.loop("run/lab");
  // Stats has a FILE* nobody marked: refused, with both fixes named.
  EXPECT_THAT(L->Saved, ElementsAre("loader", "batch"));
  ASSERT_EQ(L->Unsaveable.size(), 1u);
  std::vector<std::string> W = R.notes("warning");
  ASSERT_EQ(W.size(), 1u);
  EXPECT_THAT(W[0], HasSubstr("PL_TRANSIENT_FIELD(log_) in the class, or pl-instrument "
                              "--transient=io::Stats::log_"));
  EXPECT_THAT(R.Output, Not(HasSubstr("::handle_>"))) << "left out of the serializer";
  EXPECT_THAT(R.Output, HasSubstr("&::io::Loader::batches_>"));
  // The method's own loop does not hold it either.
  EXPECT_THAT(R.loop("io::Loader::reopen/loop0")->State, ElementsAre("i"));

  pl::PassOptions O = testOptions();
  O.TransientFields = {"io::Stats::log_", "io::Nope::x"};
  PassRun C = runPassOnCode("generate-serializers", withMarkers(kTransientFields), kIncludes,
                            kInputFile, O);
  EXPECT_THAT(C.loop("run/lab")->Saved, ElementsAre("loader", "stats", "batch"));
  EXPECT_THAT(C.Output, Not(HasSubstr("::log_>")));
  EXPECT_THAT(C.notes("warning"), ElementsAre(HasSubstr("--transient=io::Nope::x names no field")));
  EXPECT_THAT(compileErrors(C.Output, kIncludes), IsEmpty()) << C.Output;
}

TEST(StateMarkersNegatives, ATransientFieldMarkerMustNameAField) {
  PassRun R = markersRun(R"(
int g = 0;
struct S {
  static const int k = 1;
  PL_TRANSIENT_FIELD(k);
  int x = 0;
};
void f(int n) { S s; for (int i = 0; i < n; ++i) s.x += i; })");
  EXPECT_THAT(R.notes("error"),
              ElementsAre(HasSubstr("PL_TRANSIENT_FIELD(k) does not name a field of the class")));
}

TEST(StateMarkers, ApplyOnlyToTheLoopsOfTheirFunction) {
  PassRun R = markersRun(R"(
void f(int n) {
  int k = 0;
  PL_PERSIST(k);
  for (int i = 0; i < n; ++i) {}
}
void g(int n) {
  int k = 0;
  for (int i = 0; i < n; ++i) { (void)k; }
})");
  EXPECT_THAT(R.loop("f/loop0")->State, ElementsAre("k", "i"));
  EXPECT_THAT(R.loop("g/loop0")->State, ElementsAre("i"));
}

TEST(StateMarkers, CompileWarningFreeWithoutTheTool) {
  // -Wall -Wextra -Werror: the markers count as uses, and are no-ops.
  EXPECT_THAT(compileErrors(withMarkers(R"(
int f(int n) {
  std::vector<int> unused_otherwise(3);
  PL_TRANSIENT(unused_otherwise);
  int seed = n;
  PL_PERSIST(seed);
  return n;
})"),
                            {"-Wall", "-Wextra", "-Werror"}),
              IsEmpty());
}

// --- markers that name no variable: errors with the fix --------------------

TEST(StateMarkersNegatives, AMemberOfAnotherObjectIsAnErrorNamingTheWholeVariable) {
  PassRun R = markersRun(R"(
struct Cfg { float lr; };
void f(Cfg cfg, int n) {
  PL_PERSIST(cfg.lr);
  for (int i = 0; i < n; ++i) {}
})");
  EXPECT_THAT(R.notes("error"),
              ElementsAre("6:3: PL_PERSIST(cfg.lr) does not name a variable: PL_TRANSIENT and "
                          "PL_PERSIST take a local variable, parameter, field of *this or global "
                          "by name; mark the whole variable, PL_PERSIST(cfg)"));
  EXPECT_THAT(R.loop("f/loop0")->State, ElementsAre("i"));
}

TEST(StateMarkersNegatives, AFunctionOrATypeIsAnError) {
  PassRun R = markersRun(R"(
int helper() { return 1; }
void f(int n) {
  PL_TRANSIENT(helper());
  PL_TRANSIENT(int);
  for (int i = 0; i < n; ++i) {}
})");
  std::vector<std::string> Errors = R.notes("error");
  ASSERT_EQ(Errors.size(), 2u);
  EXPECT_THAT(Errors[0], HasSubstr("6:3: PL_TRANSIENT(helper()) does not name a variable"));
  EXPECT_THAT(Errors[1], HasSubstr("7:3: PL_TRANSIENT(int) does not name a variable"));
  EXPECT_THAT(Errors[1], HasSubstr("write PL_TRANSIENT(name) with the name of a variable"));
}

TEST(StateMarkersNegatives, BothMarkersOnOneVariableIsAnError) {
  PassRun R = markersRun(R"(
void f(int n) {
  int k = 0;
  PL_TRANSIENT(k);
  PL_PERSIST(k);
  for (int i = 0; i < n; ++i) ++k;
})");
  EXPECT_THAT(R.notes("error"),
              ElementsAre("7:3: 'k' is marked both PL_TRANSIENT and PL_PERSIST (also at line 6); "
                          "keep one"));
}

} // namespace
