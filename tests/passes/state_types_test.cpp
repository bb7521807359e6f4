// pass state-types: which checkpoint state pl/serialize.h can save. The
// saveable ones are declared PL_S_ in the output, which instantiates the
// serializer, so each positive case also compiles its output. Loops with a
// label warn at each variable pl cannot save; loops without one share a note
// per file.
#include "run_pass.h"

#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

namespace {

/// As `pl-instrument --require-resumable`.
const pl::PassOptions RequireResumable = [] {
  pl::PassOptions O = testOptions();
  O.RequireResumable = true;
  return O;
}();

/// A program whose one loop modifies a variable of each of `Decls` (one
/// declaration per line, the variable named v<N>) with `touch(vN)`.
std::string loopOver(const std::vector<std::string> &Decls, const std::string &Prelude = "") {
  std::string Code = "#include <array>\n#include <deque>\n#include <list>\n#include <map>\n"
                     "#include <memory>\n#include <optional>\n#include <random>\n#include <set>\n"
                     "#include <string>\n#include <tuple>\n#include <unordered_map>\n"
                     "#include <unordered_set>\n#include <variant>\n#include <vector>\n"
                     "template <class T> void touch(T&) {}\n" +
                     Prelude + "\nvoid f(int n) {\n";
  for (size_t I = 0; I < Decls.size(); ++I)
    Code += "  " + Decls[I] + " v" + std::to_string(I) + "{};\n";
  Code += "  for (int i = 0; i < n; ++i) {\n";
  for (size_t I = 0; I < Decls.size(); ++I)
    Code += "    touch(v" + std::to_string(I) + ");\n";
  return Code + "  }\n}\n";
}

std::vector<std::string> variables(size_t N) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < N; ++I)
    Out.push_back("v" + std::to_string(I));
  return Out;
}

const char *kUserTypes = R"(
struct Agg { int a; std::vector<float> b; std::string c; };
struct Nested { Agg inner; std::map<int, Agg> by_id; };
namespace lib {
class Net { public: std::vector<float> w; private: int seen = 0;
  template <class Ar> friend void pl_serialize(Ar& ar, Net& n) { ar(n.w, n.seen); } };
template <class T> class Box { public: T value{}; private: int tag = 0;
  template <class Ar> friend void pl_serialize(Ar& ar, Box& b) { ar(b.value, b.tag); } };
class Opaque { int secret = 0; public: int &ref() { return secret; } };
template <class Ar, class T> void pl_serialize(Ar& ar, T& x) { ar(x.ref()); }
}
enum class Mode { Train, Eval };
)";

TEST(StateTypes, DataTypesAreSaveableAndTheOutputCompiles) {
  std::vector<std::string> Types = {
      "int",
      "double",
      "Mode",
      "std::string",
      "std::vector<float>",
      "std::vector<bool>",
      "std::array<int, 3>",
      "std::deque<long>",
      "std::list<short>",
      "std::map<std::string, std::vector<int>>",
      "std::unordered_map<int, double>",
      "std::set<unsigned>",
      "std::unordered_set<std::string>",
      "std::pair<int, std::string>",
      "std::tuple<int, float, std::string>",
      "std::optional<double>",
      "std::variant<int, std::string>",
      "std::unique_ptr<Agg>",
      "int",
      "std::mt19937",
      "std::minstd_rand",
      "std::ranlux24",
      "std::knuth_b",
      "std::normal_distribution<double>",
      "std::uniform_int_distribution<int>",
      "Agg",
      "Nested",
      "std::vector<Agg>",
      "lib::Net",
      "lib::Box<int>",
      "lib::Opaque",
  };
  std::string Code = loopOver(Types, kUserTypes);
  // A C array too: `int v18[4]` in place of the second int.
  Code.replace(Code.find("int v18{}"), 9, "int v18[4]{}");
  PassRun R = runPassOnCode("emit-manifest", Code);
  const Loop *L = R.loop("f/loop0");
  ASSERT_NE(L, nullptr);
  std::vector<std::string> All = variables(Types.size());
  All.push_back("i");
  EXPECT_EQ(L->Saved, All);
  EXPECT_THAT(L->Unsaveable, IsEmpty());
  EXPECT_THAT(R.notes("warning"), IsEmpty());
  EXPECT_EQ(countOf(R.Output, "PL_S_(v0)"), 3u); // the tables of enter/exit, begin, end
  EXPECT_THAT(compileErrors(R.Output), IsEmpty()) << R.Output;
}

TEST(StateTypes, EigenPlainObjectsAreSaveableTheirViewsAreNot) {
  std::string Code = R"(#include <Eigen/Dense>
void f(int n, float* raw) {
  Eigen::MatrixXf W = Eigen::MatrixXf::Zero(2, 2);
  Eigen::VectorXi order(3);
  Eigen::Array<double, 2, 2> a;
  Eigen::Matrix<float, 3, 1> fixed;
  Eigen::Map<Eigen::VectorXf> view(raw, 4);
  Eigen::Ref<Eigen::MatrixXf> ref(W);
  for (int i = 0; i < n; ++i) {
    W(0, 0) += 1; order(0) = i; a(0, 0) = 1; fixed(0) = 2;
    view(0) = 3; ref(1, 1) = 4;
  }
}
)";
  std::vector<std::string> Eigen = {"-I/usr/include/eigen3"};
  PassRun R = runPassOnCode("emit-manifest", Code, Eigen);
  const Loop *L = R.loop("f/loop0");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("W", "order", "a", "fixed", "i"));
  // `view` writes through `raw` (pass pointee-effects): saved as the array
  // `raw` points into; the views themselves cannot be saved.
  EXPECT_THAT(L->Arrays, ElementsAre("raw"));
  EXPECT_THAT(L->Unsaveable,
              ElementsAre("view: Eigen::Map<Eigen::VectorXf>", "ref: Eigen::Ref<Eigen::MatrixXf>"));
  EXPECT_THAT(compileErrors(R.Output, Eigen), IsEmpty());
}

// For a type that depends on a template parameter the pass emits PL_SD_, and
// pl::serial::kSaveable decides per instantiation: both must agree.
TEST(StateTypes, TheSaveableTraitAgreesWithThePass) {
  const std::string Prelude = std::string(kUserTypes) + R"(#include <Eigen/Dense>
#include <functional>
#include <mutex>
#include <string_view>
struct Mat : Eigen::MatrixXf {};
struct Sixteen { int a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15; };
struct Wide { int a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16; };
class Model { int n = 0; public: void fit() { ++n; } };
namespace app { struct Keyed { explicit Keyed(int k) : k(k) {} int k;
  template <class Ar> friend void pl_serialize(Ar &ar, Keyed &x) { ar(x.k); } }; }
)";
  const std::vector<std::pair<std::string, bool>> Types = {
      {"int", true},
      {"Mode", true},
      {"std::string", true},
      {"std::vector<bool>", true},
      {"std::map<std::string, std::vector<int>>", true},
      {"std::tuple<int, float, std::string>", true},
      {"std::variant<int, std::string>", true},
      {"std::unique_ptr<Agg>", true},
      {"std::deque<int>", true},
      {"std::list<float>", true},
      {"std::set<int>", true},
      {"std::unordered_set<long>", true},
      {"std::unordered_map<int, double>", true},
      {"std::optional<Agg>", true},
      {"std::array<int, 3>", true},
      {"std::pair<int, std::string>", true},
      {"std::mt19937", true},
      {"std::normal_distribution<double>", true},
      {"Agg", true},
      {"Nested", true},
      {"Sixteen", true},
      {"lib::Net", true},
      {"lib::Box<int>", true},
      {"lib::Opaque", true},
      {"Eigen::MatrixXf", true},
      {"Eigen::Array<double, 2, 2>", true},
      {"Mat", true},
      {"int *", false},
      {"std::shared_ptr<int>", false},
      {"std::unique_ptr<int[]>", false},
      {"std::mutex", false},
      {"std::string_view", false},
      {"std::wstring", false},
      {"std::function<void()>", false},
      {"std::vector<int *>", false},
      {"std::map<int, std::function<void()>>", false},
      {"std::pair<const int, int>", false},
      {"std::vector<app::Keyed>", false}, // loading creates elements: no default constructor
      {"std::optional<std::mutex>", false},
      // Saved by serializers pass generate-serializers writes (more than 16
      // fields; a private field): the trait alone, without them, says no.
      {"Wide", true},
      {"Model", true},
  };
  const std::set<std::string> Generated = {"Wide", "Model"};
  // Every template of the shared list is among them.
  for (const char *Name : {
#define PL_SAVEABLE_STD(name, ...) #name,
#include "pl/detail/saveable_types.def"
       })
    EXPECT_TRUE(std::any_of(
        Types.begin(), Types.end(),
        [&](const auto &T) { return T.first.rfind("std::" + std::string(Name) + "<", 0) == 0; }))
        << "saveable_types.def lists std::" << Name << ", which this test does not check";
  std::vector<std::string> Decls;
  for (const auto &[Type, Saveable] : Types)
    Decls.push_back(Type);
  const std::string Code = loopOver(Decls, Prelude);
  const std::vector<std::string> Eigen = {"-I/usr/include/eigen3"};
  PassRun R = runPassOnCode("state-types", Code, Eigen);
  const Loop *L = R.loop("f/loop0");
  ASSERT_NE(L, nullptr);
  std::string Check = "#include <pl/serialize.h>\n" + Code;
  for (size_t I = 0; I < Types.size(); ++I) {
    const auto &[Type, Saveable] = Types[I];
    bool Saved = std::count(L->Saved.begin(), L->Saved.end(), "v" + std::to_string(I)) == 1;
    EXPECT_EQ(Saved, Saveable) << "the pass on " << Type;
    const bool Trait = Saveable && !Generated.count(Type);
    Check += "static_assert(pl::serial::kSaveable<" + Type + "> == " + (Trait ? "true" : "false") +
             ", \"kSaveable<" + Type + ">\");\n";
  }
  // Expressions over Eigen objects are not plain objects (no `{}` for the loop).
  for (const char *View : {"Eigen::Map<Eigen::VectorXf>", "Eigen::Ref<Eigen::MatrixXf>",
                           "Eigen::Block<Eigen::MatrixXf>"})
    Check += "static_assert(!pl::serial::kSaveable<" + std::string(View) + ">);\n";
  // The known difference: a trait cannot list an aggregate's fields, so it
  // accepts aggregates the pass rejects for a field (of a type pl cannot save,
  // const, a reference, a bit-field) or a base class.
  Check += "struct Holder { int *p; };\nstatic_assert(pl::serial::kSaveable<Holder>);\n";
  EXPECT_THAT(compileErrors(Check, Eigen), IsEmpty());
}

TEST(StateTypes, UnsaveableVariableIsDeclaredPlainAndReportedAtItsDeclaration) {
  PassRun R = runPassOnCode("emit-manifest", R"(#include <cstdio>
int main() {
  FILE *fp = std::fopen("/dev/null", "w");
  int written = 0;
  copy: for (int i = 0; i < 3; ++i) {
    written += std::fputs("x", fp);
    fp = fp ? fp : stdout;
  }
  return written;
}
)");
  const Loop *L = R.loop("main/copy");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->State, ElementsAre("fp", "written", "i"));
  EXPECT_THAT(L->Saved, ElementsAre("written", "i"));
  EXPECT_THAT(L->Unsaveable, ElementsAre("fp: FILE *"));
  EXPECT_THAT(R.Output, HasSubstr("PL_VARS_(pl_p0b, 5, PL_V_(fp), PL_S_(written), PL_S_(i))"));
  EXPECT_THAT(R.notes("warning"),
              ElementsAre("3:9: loop 'main/copy' cannot be checkpointed: its state variable 'fp' "
                          "has type 'FILE *', which pl cannot save ('FILE *' is a pointer, and pl "
                          "saves data, not addresses); if 'fp' is recomputed on resume, mark it "
                          "PL_TRANSIENT(fp), otherwise hold the data itself rather than a pointer "
                          "to it"));
  EXPECT_THAT(R.notes("note"), IsEmpty());
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

TEST(StateTypes, LoopsWithoutALabelShareOneNotePerFile) {
  PassRun R = runPassOnCode("emit-manifest", R"(#include <cstdio>
#include <pl/marker.h>
int main(int argc, char **argv) {
  FILE *fp = nullptr;
  int n = 0;
  for (int i = 1; i < argc; ++i) ++argv;
  for (int i = 0; i < 3; ++i) fp = fp ? fp : nullptr;
  for (int i = 0; i < 3; ++i) n += i;
  PL_LOOP(named) for (int i = 0; i < 3; ++i) fp = fp ? fp : nullptr;
  return n;
}
)",
                            {"-I" PL_RUNTIME_INCLUDE_DIR});
  EXPECT_THAT(R.loop("main/loop0")->Unsaveable, ElementsAre("argv: char **"));
  EXPECT_THAT(R.loop("main/loop1")->Unsaveable, ElementsAre("fp: FILE *"));
  EXPECT_THAT(R.loop("main/loop2")->Unsaveable, IsEmpty());
  // The named loop warns at the variable, naming only itself.
  ASSERT_EQ(R.notes("warning").size(), 1u);
  EXPECT_THAT(R.notes("warning")[0],
              StartsWith("4:9: loop 'main/named' cannot be checkpointed: its state variable 'fp'"));
  // The others: one note, at the first of them.
  EXPECT_THAT(R.notes("note"),
              ElementsAre("6:3: 2 loops without a label cannot be checkpointed (state of types pl "
                          "cannot save); pl-instrument --list shows which and why"));
  // The runtime still learns that they cannot be checkpointed.
  EXPECT_THAT(R.Output, HasSubstr("\"argv: char ** ('char **' is a pointer"));
}

TEST(StateTypes, OneLoopWithoutALabelIsOneLoop) {
  PassRun R = runPassOnCode("state-types",
                            "void f(int n) { int *p = nullptr; for (int i = 0; i < n; ++i) ++p; }");
  EXPECT_THAT(R.notes("warning"), IsEmpty());
  EXPECT_THAT(R.notes("note"), ElementsAre(StartsWith("1:35: 1 loop without a label cannot be "
                                                      "checkpointed (state of types")));
}

TEST(StateTypes, RequireResumableMakesItAnErrorLabeledOrNot) {
  const char *Code = "void f(int n) { int *p = nullptr; int *q = nullptr;\n"
                     "  walk: for (int i = 0; i < n; ++i) ++p;\n"
                     "  for (int i = 0; i < n; ++i) ++q; }";
  std::vector<Note> Lenient = driverNotes(Code);
  std::vector<Note> Strict = driverNotes(Code, RequireResumable);
  ASSERT_EQ(Lenient.size(), 2u);
  ASSERT_EQ(Strict.size(), 2u);
  EXPECT_EQ(Lenient[0].Kind, "warning");
  EXPECT_EQ(Lenient[1].Kind, "note");
  EXPECT_EQ(Strict[0].Kind, "error");
  EXPECT_EQ(Strict[1].Kind, "error");
  EXPECT_EQ(Strict[0].Message, Lenient[0].Message);
  EXPECT_THAT(Strict[0].Message, HasSubstr("loop 'f/walk' cannot be checkpointed: its state "
                                           "variable 'p' has type 'int *'"));
  EXPECT_THAT(Strict[1].Message, HasSubstr("loop 'f/loop1' cannot be checkpointed: its state "
                                           "variable 'q' has type 'int *'"));
}

TEST(StateTypes, OneWarningPerVariableNamingEveryLoopItBlocks) {
  PassRun R = runPassOnCode("state-types", R"(#include <functional>
void f(int n) {
  std::function<int(int)> step = [](int x) { return x; };
  epoch: for (int e = 0; e < n; ++e)
    batch: for (int b = 0; b < n; ++b) step = [b](int x) { return x + b; };
})");
  ASSERT_EQ(R.notes("warning").size(), 1u);
  EXPECT_THAT(R.notes("warning")[0],
              HasSubstr("3:27: loops 'f/epoch', 'f/epoch/batch' cannot be checkpointed: their "
                        "state variable 'step' has type 'std::function<int (int)>', which pl "
                        "cannot save ('std::function<int (int)>' is not data pl knows how to "
                        "save); if 'step' is recomputed on resume, mark it PL_TRANSIENT(step)"));
}

TEST(StateTypes, ClassesWithoutSerializerGetTheFixThatFits) {
  PassRun R = runPassOnCode("state-types", R"(#include <cstdio>
#include <vector>
namespace app {
class Model { public: void fit() { ++n; } private: int n = 0; std::FILE *log = nullptr; };
struct Pair { int a; int &b; };
struct Keyed { explicit Keyed(int k) : k(k) {} int k; };
template <class Ar> void pl_serialize(Ar &ar, Keyed &x) { ar(x.k); }
}
struct Moved { int v; };
namespace app { template <class Ar> void pl_serialize(Ar &ar, ::Moved &x) { ar(x.v); } }
void f(int n, int &r) {
  app::Model m; app::Pair p{1, r}; std::vector<app::Keyed> keys; Moved moved{1};
  fit: for (int i = 0; i < n; ++i) { m.fit(); p.a++; keys.clear(); moved.v++; }
})");
  const Loop *L = R.loop("f/fit");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("i"));
  std::vector<std::string> W = R.notes("warning");
  ASSERT_EQ(W.size(), 4u);
  EXPECT_THAT(W[0],
              HasSubstr("('app::Model' has no pl_serialize and pl cannot write one: its "
                        "field 'log' has type 'std::FILE *', which pl cannot save ('std::FILE "
                        "*' is a pointer, and pl saves data, not addresses)); if 'm' is "
                        "recomputed on resume, mark it PL_TRANSIENT(m), otherwise give "
                        "'app::Model' a serializer in its class: template <class Ar> friend "
                        "void pl_serialize(Ar& ar, app::Model& x) { ar(...); }"));
  EXPECT_THAT(W[1], HasSubstr("its field 'b' is a reference to data the object does not hold"));
  EXPECT_THAT(W[2], HasSubstr("('app::Keyed' has no default constructor, which loading a "
                              "'std::vector<app::Keyed>' needs)"));
  EXPECT_THAT(W[3], HasSubstr("its pl_serialize at line 10 is not in the namespace of 'Moved'"));
}

// Small public aggregates are saved field by field through structured
// bindings; every other class whose fields pl can save gets a serializer
// from pass generate-serializers (tests/passes/generate_serializers_test.cpp).
TEST(StateTypes, AggregatesFieldByFieldOtherClassesThroughGeneratedSerializers) {
  PassRun R = runPassOnCode("state-types", R"(
struct Base { int a; };
struct Derived : Base { int b; };
struct Bits { int a : 3; int b; };
struct Fixed { const int a; int b; };
struct Arr { int a[2]; };
struct Wide { int a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16; };
struct Sixteen { int a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15; };
void f(int n) {
  Derived d{}; Bits b{}; Fixed c{1, 2}; Arr a{}; Wide w{}; Sixteen s{};
  all: for (int i = 0; i < n; ++i) { d.b++; b.b++; c.b++; a.a[0]++; w.a0++; s.a0++; }
})");
  EXPECT_THAT(R.loop("f/all")->Saved, ElementsAre("d", "c", "a", "w", "s", "i"));
  std::vector<std::string> W = R.notes("warning");
  ASSERT_EQ(W.size(), 1u);
  EXPECT_THAT(W[0], HasSubstr("'Bits' has no pl_serialize and pl cannot write one: its field 'a' "
                              "is a bit-field)"));
}

// At most 128 locals reach one boundary (pl/abi_foreach.h has that many
// slots): the state first, then the others in scope order, with a note.
TEST(StateTypes, ABoundaryPassesAtMost128LocalsStateFirst) {
  std::string Code = "void f(int n) {\n";
  for (int I = 0; I < 140; ++I)
    Code += "  int c" + std::to_string(I) + " = " + std::to_string(I) + ";\n";
  Code += "  double total = 0;\n  for (int i = 0; i < n; ++i) total += c0 + c139;\n"
          "  (void)total;\n}\n";
  PassRun R = runPassOnCode("emit-manifest", Code);
  const Loop *L = R.loop("f/loop0");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("total", "i"));
  ASSERT_EQ(L->BeginVars.size(), 128u);
  EXPECT_EQ(L->BeginVars[0].Name, "n");
  EXPECT_EQ(L->BeginVars[125].Name, "c124"); // 126 others fit beside the 2 state variables
  EXPECT_EQ(L->BeginVars[126].Name, "total");
  EXPECT_EQ(L->BeginVars[127].Name, "i");
  EXPECT_EQ(L->EnterVars.size(), 128u);
  EXPECT_THAT(R.notes("note"), Contains(HasSubstr("has more than 128 locals in scope: hooks see "
                                                  "the first 128, state first")));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

// --- types that must not be declared saveable ------------------------------

TEST(StateTypesNegatives, PointersHandlesViewsAndLibraryObjects) {
  PassRun R = runPassOnCode("state-types", R"(#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string_view>
#include <vector>
void f(int n, int *out) {
  std::shared_ptr<int> sp; std::unique_ptr<int[]> arr; std::mutex mu;
  std::string_view sv; std::span<int> view; std::vector<int> v;
  auto it = v.begin(); auto add = [&v](int x) { v.push_back(x); };
  std::vector<int *> ptrs; std::random_device *dev = nullptr; (void)dev;
  for (int i = 0; i < n; ++i) {
    sp.reset(); arr.reset(); mu.lock(); sv = "x"; view = {}; ++it; add(i); ptrs.clear();
    ++out;
  }
})");
  const Loop *L = R.loop("f/loop0");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("v", "i"));
  EXPECT_THAT(L->Unsaveable,
              ElementsAre("out: int *", "sp: std::shared_ptr<int>", "arr: std::unique_ptr<int[]>",
                          "mu: std::mutex", "sv: std::string_view", "view: std::span<int>",
                          StartsWith("it: "), "ptrs: std::vector<int *>"));
}

TEST(StateTypes, TypesThatDependOnATemplateParameterAreDecidedAtInstantiation) {
  PassRun R = runPassOnCode("emit-manifest", R"(#include <vector>
template <class T> T sum(const std::vector<T> &v) {
  T acc{};
  int count = 0;
  add: for (const T &x : v) { acc += x; ++count; }
  return acc + T(count);
}
double use() { return sum(std::vector<double>{1, 2}); }
)");
  const Loop *L = R.loop("sum/add");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("count"));
  EXPECT_THAT(L->AtInstantiation, ElementsAre("acc", "x"));
  EXPECT_THAT(L->Unsaveable, IsEmpty());
  EXPECT_THAT(R.Notes, IsEmpty()) << "a labeled loop, and still no warning";
  EXPECT_THAT(R.Output, HasSubstr("PL_VARS_(pl_p0b, 5, PL_V_(v), PL_SD_(acc), PL_S_(count), "
                                  "PL_SD_(x))"));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty());
}

TEST(StateTypes, RequireResumableMakesAnUnsaveableInstantiationFailToCompile) {
  const std::string Code = R"(#include <vector>
template <class T> T last(const std::vector<T> &v) {
  T acc{};
  for (const T &x : v) acc = x;
  return acc;
}
)";
  std::vector<Note> Notes = driverNotes(Code, RequireResumable);
  EXPECT_TRUE(Notes.empty());
  std::string Output = instrumentWithDriver(Code, {}, kInputFile, RequireResumable);
  EXPECT_THAT(Output, HasSubstr("PL_SR_(acc)"));
  EXPECT_THAT(compileErrors(Output + "double d = last(std::vector<double>{1.0});"), IsEmpty());
  EXPECT_THAT(compileErrors(Output + "int *p = last(std::vector<int *>{nullptr});"),
              Contains(HasSubstr("static assertion failed due to requirement "
                                 "'std::is_const_v<int *> || ::pl::serial::kSaveable<int *>': "
                                 "pl: --require-resumable")));
}

TEST(StateTypesNegatives, AShadowingBodyLocalIsNotTheStateVariable) {
  PassRun R = runPassOnCode("instrument-loops", R"(
int f(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) {
    { int total = i * 2; (void)total; }
    int n = i;
    total += n;
  }
  return total;
})");
  // At the end of the body the inner `n` (a body local) hides the parameter.
  EXPECT_THAT(R.Output, HasSubstr("PL_VARS_(pl_p0n, 8, PL_S_(total), PL_S_(i), PL_V_(n))"));
  EXPECT_THAT(R.Output, HasSubstr("PL_VARS_(pl_p0b, 4, PL_V_(n), PL_S_(total), PL_S_(i))"));
}

} // namespace
