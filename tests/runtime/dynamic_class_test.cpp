// What pass generate-serializers relies on for polymorphic classes: the
// object's class saved by name (serial::dynamic_class), loading into an
// object of another class refused naming both, a unique_ptr that holds
// nothing re-created by the saved name (pl_new_dynamic), containers the
// replay rebuilt to the same size loaded in place. The serializers below are
// written as pl-instrument writes them.
#include <gtest/gtest.h>
#include <pl/serialize.h>

#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

namespace zoo {

class Unit {
 public:
  virtual ~Unit() = default;
  virtual double apply(double x) = 0;
};
class Scale : public Unit {
 public:
  explicit Scale(double s) : s(s) {}  // no default constructor
  double apply(double x) override { return x * s; }
  double s;
};
class Shift : public Unit {
 public:
  double apply(double x) override { return x + d; }
  double d = 0;
};

template <class Ar, class T, std::enable_if_t<std::is_same<T, Unit>::value, int> = 0>
void pl_serialize(Ar& ar, T& x) {
  const std::type_info& t = typeid(x);
  if (t == typeid(Scale)) {
    pl::serial::dynamic_class(ar, "zoo::Scale");
    ar(static_cast<Scale&>(x).s);
  } else if (t == typeid(Shift)) {
    pl::serial::dynamic_class(ar, "zoo::Shift");
    ar(static_cast<Shift&>(x).d);
  } else {
    pl::serial::unknown_class(t, "zoo::Unit");
  }
}
template <class T, std::enable_if_t<std::is_same<T, Unit>::value, int> = 0>
T* pl_new_dynamic(T*, const std::string& n) {
  if (n == "zoo::Scale") return pl::serial::make_dynamic<Scale>();
  if (n == "zoo::Shift") return pl::serial::make_dynamic<Shift>();
  return nullptr;
}

}  // namespace zoo

namespace {

std::vector<unsigned char> saved(const std::vector<std::unique_ptr<zoo::Unit>>& units) {
  pl::Writer w;
  pl::save(w, units);
  return w.take();
}

std::vector<std::unique_ptr<zoo::Unit>> two_units(double s, double d) {
  std::vector<std::unique_ptr<zoo::Unit>> v;
  v.push_back(std::make_unique<zoo::Scale>(s));
  auto shift = std::make_unique<zoo::Shift>();
  shift->d = d;
  v.push_back(std::move(shift));
  return v;
}

TEST(DynamicClass, TheTraitsSeeTheGeneratedFunctions) {
  EXPECT_TRUE(pl::serial::HasDynamicClass<zoo::Unit>::value);
  EXPECT_TRUE(pl::serial::kSaveable<std::unique_ptr<zoo::Unit>>);
  EXPECT_TRUE(pl::serial::kSaveable<std::vector<std::unique_ptr<zoo::Unit>>>);
}

TEST(DynamicClass, ObjectsTheReplayRebuiltAreLoadedInPlace) {
  std::vector<unsigned char> bytes = saved(two_units(0.25, 3.5));
  std::vector<std::unique_ptr<zoo::Unit>> rebuilt = two_units(1, 0);
  const zoo::Unit* first = rebuilt[0].get();
  pl::Reader r(bytes.data(), bytes.size());
  pl::load(r, rebuilt);
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(rebuilt[0].get(), first) << "the same object, loaded in place";
  EXPECT_EQ(static_cast<zoo::Scale&>(*rebuilt[0]).s, 0.25);
  EXPECT_EQ(static_cast<zoo::Shift&>(*rebuilt[1]).d, 3.5);
}

TEST(DynamicClass, ALoadIntoAnObjectOfAnotherClassNamesBoth) {
  std::vector<unsigned char> bytes = saved(two_units(0.25, 3.5));
  std::vector<std::unique_ptr<zoo::Unit>> swapped;
  swapped.push_back(std::make_unique<zoo::Shift>());
  swapped.push_back(std::make_unique<zoo::Scale>(1));
  pl::Reader r(bytes.data(), bytes.size());
  try {
    pl::load(r, swapped);
    FAIL() << "loaded a Scale into a Shift";
  } catch (const pl::FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("holds an object of class zoo::Scale where the resumed "
                                         "program has one of class zoo::Shift"),
              std::string::npos)
        << e.what();
  }
}

TEST(DynamicClass, EmptyPointersAreRecreatedByTheSavedClassOrRefused) {
  std::unique_ptr<zoo::Unit> shift = std::make_unique<zoo::Shift>();
  static_cast<zoo::Shift&>(*shift).d = -2;
  pl::Writer w;
  pl::save(w, shift);
  std::vector<unsigned char> bytes = w.take();
  std::unique_ptr<zoo::Unit> made;
  pl::Reader r(bytes.data(), bytes.size());
  pl::load(r, made);
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(typeid(*made), typeid(zoo::Shift));
  EXPECT_EQ(static_cast<zoo::Shift&>(*made).d, -2);

  // A Scale has no default constructor: loading cannot make one.
  std::unique_ptr<zoo::Unit> scale = std::make_unique<zoo::Scale>(4);
  pl::Writer ws;
  pl::save(ws, scale);
  std::vector<unsigned char> sb = ws.take();
  std::unique_ptr<zoo::Unit> none;
  pl::Reader rs(sb.data(), sb.size());
  try {
    pl::load(rs, none);
    FAIL() << "made a Scale without a constructor";
  } catch (const pl::FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot re-create the object of class zoo::Scale"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(none, nullptr);
}

TEST(DynamicClass, AClassTheSerializerDoesNotKnowIsRefusedWhenSaved) {
  struct Elsewhere : zoo::Unit {
    double apply(double x) override { return x; }
  };
  std::unique_ptr<zoo::Unit> other = std::make_unique<Elsewhere>();
  pl::Writer w;
  try {
    pl::save(w, other);
    FAIL() << "saved an object of a class with no serializer";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("reached through zoo::Unit"), std::string::npos)
        << e.what();
  }
}

}  // namespace
