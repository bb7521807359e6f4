// pass generate-serializers: pl writes the serializers of ordinary classes of
// checkpoint state — private and protected fields, constructors, public
// bases, virtual functions, C arrays, class templates, nested classes,
// anonymous namespaces — and the output compiles with them; classes it
// cannot write one for are named with the field and the reason.
#include "run_pass.h"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace pl::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

const char *const kOrdinary = R"cpp(#include <random>
#include <vector>
namespace model {
class Base {
 public:
  explicit Base(double lr) : lr_(lr) {}
  virtual ~Base() = default;
  virtual double step(double g) = 0;
 protected:
  double lr_;
  long steps_ = 0;
};
class Momentum : public Base {
 public:
  Momentum(double lr, double beta) : Base(lr), beta_(beta) {}
  double step(double g) override { v_ = beta_ * v_ + g; ++steps_; return lr_ * v_; }
 private:
  const double beta_;
  double v_ = 0;
};
template <class T> class Mean {
 public:
  void add(T x) { total_ += x; ++n_; }
 private:
  T total_{};
  long n_ = 0;
};
}  // namespace model
namespace {
class Layer {
 public:
  struct Cell { int a; double b; };
  explicit Layer(int n) : w_(n) {}
  double first() const { return view_[0]; }
  void update(double s) { for (double &x : w_) x -= s; cells_[0][1].b += s; rng_.discard(1); }
 private:
  std::vector<double> w_;
  Cell cells_[2][3] = {};
  std::mt19937 rng_;
  const std::vector<double> &view_ = w_;  // a view: not its data
};
}  // namespace
void train(int epochs) {
  model::Momentum opt(0.1, 0.9);
  model::Mean<float> loss;
  Layer layer(4);
  for (int e = 0; e < epochs; ++e) {
    layer.update(opt.step(layer.first()));
    loss.add(1.0f);
  }
}
)cpp";

TEST(GenerateSerializers, OrdinaryClassesAreSavedWithoutUserCode) {
  PassRun R = runPassOnCode("emit-manifest", kOrdinary);
  const Loop *L = R.loop("train/loop0");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("opt", "loss", "layer", "e"));
  EXPECT_THAT(L->Unsaveable, IsEmpty());
  // The base first, then the non-const fields in declaration order.
  // A polymorphic class saves the object's class first, by name.
  EXPECT_THAT(R.Output, HasSubstr("::std::enable_if_t<::std::is_same<T, ::model::Momentum>::value, "
                                  "int> = 0>\n[[maybe_unused]] static void pl_serialize(Ar& ar, "
                                  "T& x) {\n  const ::std::type_info& t = typeid(x);\n  if (t == "
                                  "typeid(::model::Momentum)) {\n    ::pl::serial::dynamic_class("
                                  "ar, \"model::Momentum\");\n"));
  // The abstract base dispatches to the classes deriving from it.
  EXPECT_THAT(R.Output, HasSubstr("is_same<T, ::model::Base>::value, int> = 0>\n[[maybe_unused]] "
                                  "static void pl_serialize(Ar& ar, T& x) {\n  const "
                                  "::std::type_info& t = typeid(x);\n  if (t == "
                                  "typeid(::model::Momentum)) {"));
  // The base's fields through its fields function (its pl_serialize would
  // see an object of another class), then the class's own.
  // A const number is left to the replay, but saved and checked on load.
  EXPECT_THAT(R.Output, HasSubstr("void pl_fields_1(Ar& ar, ::model::Momentum& x) {\n"
                                  "  pl_fields_0(ar, x);\n  ::pl::serial::const_field(ar, "
                                  "x.*pl_field(pl_f2{}), \"model::Momentum::beta_\");\n"
                                  "  ar(x.*pl_field(pl_f3{}));\n}"));
  EXPECT_THAT(R.Output, HasSubstr("template struct pl_field_of<pl_f1, &::model::Base::steps_>;"));
  EXPECT_THAT(R.Output, Not(HasSubstr("::view_>"))); // a reference to const: a view
  // Class templates by specialization; fields of any type (never spelled:
  // here an array of a nested type); anonymous namespaces reopened.
  EXPECT_THAT(R.Output,
              HasSubstr("template struct pl_field_of<pl_f4, &::model::Mean<float>::total_>;"));
  EXPECT_THAT(R.Output, HasSubstr("template struct pl_field_of<pl_f7, &Layer::cells_>;"));
  EXPECT_THAT(R.Output, HasSubstr("namespace {\ntemplate <class T,\n"
                                  "          ::std::enable_if_t<::std::is_same<T, Layer>::value"));
  // Layer leaves a field (the view) to the replay: objects loading creates
  // could not get it back (serial::HasRebuiltFields).
  EXPECT_THAT(R.Output,
              HasSubstr("static void pl_rebuilt_fields(T&);\ntemplate <class Ar, class T,\n"
                        "          ::std::enable_if_t<::std::is_same<T, Layer>::value"));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty()) << R.Output;
}

TEST(GenerateSerializers, TheOutputCompilesWithWarningsOnAndUnderClang) {
  PassRun R = runPassOnCode("emit-manifest", kOrdinary);
  EXPECT_THAT(compileErrors(R.Output, {"-Wall", "-Wextra", "-Werror"}), IsEmpty()) << R.Output;
}

TEST(GenerateSerializers, AUserSerializerWinsAndNothingIsGeneratedWithoutState) {
  PassRun R = runPassOnCode("emit-manifest", R"cpp(
class Own {
 public:
  void bump() { ++n_; }
  template <class Ar> friend void pl_serialize(Ar &ar, Own &x) { ar(x.n_); }
 private:
  int n_ = 0;
};
void f(int n) { Own o; for (int i = 0; i < n; ++i) o.bump(); }
)cpp");
  EXPECT_THAT(R.loop("f/loop0")->Saved, ElementsAre("o", "i"));
  EXPECT_THAT(R.Output, Not(HasSubstr("pl_field_of")));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty()) << R.Output;
}

TEST(GenerateSerializers, ClassesItCannotWriteOneForAreNamedWithTheReason) {
  PassRun R = runPassOnCode("emit-manifest", R"cpp(#include <cstdio>
class Raw { public: void f() { ++*p_; } private: double *p_ = nullptr; };
class Bits { public: void f() { ++b_; } private: unsigned b_ : 3 = 0; };
class Holder { public: void f() { ++r_; } private: int &r_; public: explicit Holder(int &r) : r_(r) {} };
class Outer { class Hidden { public: int k = 0; }; Hidden h; public: void f() { ++h.k; } };
struct Plain { int k = 0; void f() { ++k; } };
struct Virt : virtual Plain {};
void f(int n, int &k) {
  Raw raw; Bits bits; Holder holder(k); Outer outer; Virt virt;
  lab: for (int i = 0; i < n; ++i) { raw.f(); bits.f(); holder.f(); outer.f(); virt.f(); }
}
)cpp");
  const Loop *L = R.loop("f/lab");
  ASSERT_NE(L, nullptr);
  EXPECT_THAT(L->Saved, ElementsAre("k", "i")); // k: written through the reference
  std::vector<std::string> Warnings = R.notes("warning");
  auto Has = [&](const std::string &Text) {
    return std::any_of(Warnings.begin(), Warnings.end(),
                       [&](const std::string &W) { return W.find(Text) != std::string::npos; });
  };
  EXPECT_TRUE(Has("pl cannot write one: its field 'p_' has type 'double *'")) << Warnings[0];
  EXPECT_TRUE(Has("its field 'b_' is a bit-field"));
  EXPECT_TRUE(Has("its field 'r_' is a reference to data the object does not hold"));
  EXPECT_TRUE(Has("its field 'h' has a private or protected nested type"));
  EXPECT_TRUE(Has("its base class 'Plain' is virtual"));
  EXPECT_THAT(R.Output, Not(HasSubstr("pl_field_of")));
  EXPECT_THAT(compileErrors(R.Output, {"-std=c++20"}), IsEmpty()) << R.Output;
}

// Three ways a serializer pl writes could save the wrong thing (found by a
// new user's trial; each resumed with a different result): an object of a
// derived class reached through a reference or a unique_ptr to its base is
// saved with its class (by name; loading checks it, or re-creates the object
// by it); elements loading would create without their const fields are
// refused.
TEST(GenerateSerializersNegatives, DerivedObjectsAreSavedWithTheirClassCreatedOnesRefused) {
  PassRun R = runPassOnCode("emit-manifest", R"cpp(#include <memory>
#include <vector>
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual double step(double g) { ++n_; return g; }
 private:
  long n_ = 0;
};
class Momentum : public Optimizer {
 public:
  double step(double g) override { v_ = 0.9 * v_ + g; return Optimizer::step(v_); }
 private:
  double v_ = 0;
};
class Model {
 public:
  void fit() { opt_->step(1); }
 private:
  std::unique_ptr<Optimizer> opt_ = std::make_unique<Momentum>();
};
class Record {
 public:
  Record() : epoch_(-1) {}
  explicit Record(int e) : epoch_(e) {}
 private:
  const int epoch_;
  double loss_ = 0;
};
void by_reference(Optimizer &opt, int n) {
  byref: for (int i = 0; i < n; ++i) opt.step(i);
}
void owned(int n) {
  Model m;
  owns: for (int i = 0; i < n; ++i) m.fit();
}
void created(int n) {
  std::vector<Record> history;
  made: for (int i = 0; i < n; ++i) history.emplace_back(i);
}
void by_value(int n) {
  Momentum opt;  // the object itself: its class is known
  value: for (int i = 0; i < n; ++i) opt.step(i);
}
)cpp");
  EXPECT_THAT(R.loop("by_reference/byref")->Saved, ElementsAre("opt", "i"));
  EXPECT_THAT(R.loop("owned/owns")->Saved, ElementsAre("m", "i"));
  EXPECT_THAT(R.loop("created/made")->Saved, ElementsAre("i"));
  EXPECT_THAT(R.loop("by_value/value")->Saved, ElementsAre("opt", "i"));
  std::vector<std::string> W = R.notes("warning");
  auto Has = [&](const std::string &Text) {
    return std::any_of(W.begin(), W.end(),
                       [&](const std::string &X) { return X.find(Text) != std::string::npos; });
  };
  EXPECT_TRUE(Has("'Record' has a const field 'epoch_', which loading a 'std::vector<Record>' "
                  "cannot restore"));
  // The base's serializer dispatches on the object's class; loading a
  // unique_ptr that holds nothing re-creates the object by the saved name.
  EXPECT_THAT(R.Output, HasSubstr("  } else if (t == typeid(::Momentum)) {\n    "
                                  "::pl::serial::dynamic_class(ar, \"Momentum\");\n    "
                                  "pl_fields_3(ar, static_cast<::Momentum&>(x));\n  } else "
                                  "::pl::serial::unknown_class(t, \"Optimizer\");"));
  EXPECT_THAT(R.Output, HasSubstr("if (n == \"Momentum\") return "
                                  "::pl::serial::make_dynamic<::Momentum>();"));
  EXPECT_THAT(compileErrors(R.Output), IsEmpty()) << R.Output;
}

// A template decides at instantiation (PL_SD_): a container of a generated
// class with a const field is not saveable there either (loading creates its
// elements, and no replay gives them their const fields back).
TEST(GenerateSerializersNegatives, TemplatesSeeWhichGeneratedClassesLoadingCannotCreate) {
  PassRun R = runPassOnCode("emit-manifest", R"cpp(#include <vector>
class Record {
 public:
  Record() : epoch_(-1) {}
  explicit Record(int e) : epoch_(e) {}
  double loss() const { return loss_ + epoch_; }
 private:
  const int epoch_;
  double loss_ = 0;
};
class Counter {
 public:
  void bump() { ++n_; }
 private:
  int n_ = 0;
};
class Run {
 public:
  void step() { ++n_; }
 private:
  Record first_;
  int n_ = 0;
};
void use(int n) {
  Counter c;
  Run run;
  for (int i = 0; i < n; ++i) { c.bump(); run.step(); }
}
)cpp");
  EXPECT_THAT(R.Output, HasSubstr("static void pl_rebuilt_fields(T&);"));
  const std::string Check = R.Output +
                            "static_assert(!pl::serial::kSaveable<std::vector<Record>>);\n"
                            "static_assert(pl::serial::kSaveable<std::vector<Counter>>);\n"
                            "static_assert(!pl::serial::kSaveable<std::vector<Run>>);\n"
                            "static_assert(pl::serial::kSaveable<Record>);\n";
  EXPECT_THAT(compileErrors(Check), IsEmpty()) << Check;
}

// The generated code needs C++17: an older standard gets a refusal, never
// output that does not compile.
TEST(GenerateSerializersNegatives, OlderStandardsAreRefusedNotBroken) {
  const std::string Code = R"cpp(
class Counter {
 public:
  void bump() { ++n_; }
 private:
  int n_ = 0;
};
void use(int n) {
  Counter c;
  lab: for (int i = 0; i < n; ++i) c.bump();
}
)cpp";
  PassRun R = runPassOnCode("emit-manifest", Code, {"-std=c++14"});
  EXPECT_THAT(R.loop("use/lab")->Saved, ElementsAre("i"));
  EXPECT_THAT(R.notes("warning"),
              ElementsAre(HasSubstr("'Counter' is saved by pl/serialize.h, which needs C++17, "
                                    "and this file is compiled as C++14")));
  EXPECT_THAT(R.Output, Not(HasSubstr("pl_field_of")));
}

// Before C++17 the emitted code compiles under the file's own standard:
// numbers and enums are state (libpl saves their bytes), state a template
// decides is PL_SN_ (a number when instantiated), no pl/abi_state.h.
TEST(GenerateSerializersNegatives, OlderStandardsSaveNumbersAndCompile) {
  const std::string Code = R"cpp(#include <vector>
enum Phase { kA, kB };
template <class T> T total(const std::vector<T> &v) {
  T s = T();
  for (unsigned i = 0; i < v.size(); ++i) s += v[i];
  return s;
}
double run(int n) {
  std::vector<double> w(4, 1.0);
  double loss = 0;
  Phase p = kA;
  counted: for (int i = 0; i < n; ++i) { loss += i; p = kB; }
  held: for (int i = 0; i < n; ++i) w[0] += loss;
  return total(w) + p + total(std::vector<int>(3, 1));
}
)cpp";
  for (const char *Std : {"-std=c++11", "-std=c++14", "-std=gnu++14"}) {
    SCOPED_TRACE(Std);
    PassRun R = runPassOnCode("emit-manifest", Code, {Std});
    EXPECT_THAT(R.loop("run/counted")->Saved, ElementsAre("loss", "p", "i"));
    EXPECT_THAT(R.loop("run/held")->Saved, ElementsAre("i"));
    EXPECT_THAT(R.Output, Not(HasSubstr("pl/abi_state.h")));
    EXPECT_THAT(R.Output, HasSubstr("PL_SN_(s)"));
    EXPECT_THAT(compileErrors(R.Output, {Std}), IsEmpty());
  }
}

} // namespace
