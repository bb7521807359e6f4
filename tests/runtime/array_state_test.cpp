// A pointer saved as the array it points into (PL_SA_): the length comes from
// abi::new_array (what pass track-arrays makes of `new T[n]`) or PL_EXTENT;
// loading needs the same length and position, or refuses naming both;
// unknown memory is refused naming PL_EXTENT.
#include <gtest/gtest.h>
#include <pl/abi_state.h>
#include <pl/serialize.h>

#include <string>
#include <vector>

namespace {

template <class T>
std::vector<unsigned char> save_array(T* const& p) {
  constexpr pl::abi::VarDesc d = pl::abi::array_state_var<T* const&>("p");
  pl::Writer w;
  d.state->save(&p, w);
  EXPECT_EQ(d.state->bytes(&p), w.size());
  return w.take();
}

template <class T>
void load_array(T* const& p, const std::vector<unsigned char>& bytes) {
  constexpr pl::abi::VarDesc d = pl::abi::array_state_var<T* const&>("p");
  pl::Reader r(bytes.data(), bytes.size());
  d.state->load(const_cast<T**>(&p), r);
  EXPECT_EQ(r.remaining(), 0u);
}

std::string load_error(const std::vector<unsigned char>& bytes, double* const& p) {
  try {
    load_array(p, bytes);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(ArrayState, NumbersRoundTripThroughTheRecordedLength) {
  double* a = pl::abi::new_array<double>(5);
  for (int i = 0; i < 5; ++i) a[i] = 0.5 * i;
  std::vector<unsigned char> bytes = save_array(a);
  EXPECT_EQ(bytes.size(), 16u + 5 * sizeof(double));
  double* b = pl::abi::new_array_value<double>(5);
  load_array(b, bytes);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b[i], 0.5 * i);
  pl::abi::delete_array(a);
  pl::abi::delete_array(b);
}

TEST(ArrayState, APointerIntoTheMiddleSavesTheWholeArrayAndItsPosition) {
  float* a = pl::abi::new_array_value<float>(8);
  a[0] = 1;
  a[7] = 7;
  float* mid = a + 3;
  std::vector<unsigned char> bytes = save_array(mid);
  float* b = pl::abi::new_array_value<float>(8);
  float* bmid = b + 3;
  load_array(bmid, bytes);
  EXPECT_EQ(b[0], 1);
  EXPECT_EQ(b[7], 7);
  float* wrong = b + 2;  // the replay points elsewhere: refused
  EXPECT_THROW(load_array(wrong, bytes), pl::FormatError);
  pl::abi::delete_array(a);
  pl::abi::delete_array(b);
}

TEST(ArrayState, ADifferentLengthOnLoadIsRefusedNamingBoth) {
  double* a = pl::abi::new_array_value<double>(4);
  std::vector<unsigned char> bytes = save_array(a);
  double* b = pl::abi::new_array_value<double>(6);
  b[5] = 42;
  EXPECT_NE(load_error(bytes, b).find("an array of 4 elements (the pointer at element 0) where "
                                      "the resumed program has one of 6"),
            std::string::npos);
  EXPECT_EQ(b[5], 42) << "nothing restored";
  pl::abi::delete_array(a);
  pl::abi::delete_array(b);
}

TEST(ArrayState, UnknownMemoryIsRefusedNamingTheFix) {
  double local[3] = {1, 2, 3};
  double* p = local;
  std::string why;
  try {
    save_array(p);
  } catch (const std::exception& e) {
    why = e.what();
  }
  EXPECT_NE(why.find("PL_EXTENT(p, n)"), std::string::npos) << why;
  pl::abi::array_extent(p, 3);  // PL_EXTENT(p, 3)
  EXPECT_EQ(save_array(p).size(), 16u + 3 * sizeof(double));
  pl::abi::array_untrack(p);
}

TEST(ArrayState, DeletedArraysAreForgotten) {
  int* a = pl::abi::new_array<int>(4);
  const void* begin = nullptr;
  std::size_t bytes = 0;
  EXPECT_TRUE(pl::abi::array_find(a + 2, &begin, &bytes));
  EXPECT_EQ(begin, a);
  EXPECT_EQ(bytes, 4 * sizeof(int));
  EXPECT_FALSE(pl::abi::array_find(a + 4, &begin, &bytes)) << "one past the end";
  pl::abi::delete_array(a);
  EXPECT_FALSE(pl::abi::array_find(a, &begin, &bytes));
}

struct Cell {
  int hits = 0;
  std::vector<double> trace;
};

TEST(ArrayState, ElementsOfOtherTypesGoThroughTheirSerializers) {
  Cell* a = pl::abi::new_array<Cell>(2);
  a[1].hits = 3;
  a[1].trace = {0.5, 1.5};
  std::vector<unsigned char> bytes = save_array(a);
  Cell* b = pl::abi::new_array<Cell>(2);
  load_array(b, bytes);
  EXPECT_EQ(b[1].hits, 3);
  EXPECT_EQ(b[1].trace, (std::vector<double>{0.5, 1.5}));
  pl::abi::delete_array(a);
  pl::abi::delete_array(b);
}

}  // namespace
