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
  EXPECT_THAT(R.Output, HasSubstr("::std::enable_if_t<::std::is_same<T, ::model::Momentum>::value, "
                                  "int> = 0>\n[[maybe_unused]] static void pl_serialize(Ar& ar, "
                                  "T& x) {\n  ar(static_cast<::model::Base&>(x),\n"));
  EXPECT_THAT(R.Output, HasSubstr("template struct pl_field_of<pl_f1, &::model::Base::steps_>;"));
  EXPECT_THAT(R.Output, Not(HasSubstr("::beta_>"))); // const: the replay rebuilds it
  EXPECT_THAT(R.Output, Not(HasSubstr("::view_>"))); // a reference to const: a view
  // Class templates by specialization; fields of any type (never spelled:
  // here an array of a nested type); anonymous namespaces reopened.
  EXPECT_THAT(R.Output,
              HasSubstr("template struct pl_field_of<pl_f3, &::model::Mean<float>::total_>;"));
  EXPECT_THAT(R.Output, HasSubstr("template struct pl_field_of<pl_f6, &Layer::cells_>;"));
  EXPECT_THAT(R.Output, HasSubstr("namespace {\ntemplate <class Ar, class T,\n"
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

} // namespace
