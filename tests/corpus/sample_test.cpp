// A small test program linked against GoogleTest built from its sources —
// plain, and instrumented by pl (see CMakeLists.txt).
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

TEST(Arithmetic, Sums) {
  std::vector<int> v(10);
  std::iota(v.begin(), v.end(), 1);
  EXPECT_EQ(std::accumulate(v.begin(), v.end(), 0), 55);
}

TEST(Arithmetic, Products) { EXPECT_EQ(6 * 7, 42); }

TEST(Strings, Concatenation) { EXPECT_EQ(std::string("p") + "l", "pl"); }
