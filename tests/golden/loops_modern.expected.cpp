#include <pl/abi.h>
#line 1 "@GOLDEN_DIR@/loops_modern.cpp"
// Golden: range-for with structured bindings, lambdas, templates, and
// loops that must be left alone (macro, constexpr).
#include <map>
#include <string>
#include <vector>

#define EACH(i, n) for (int i = 0; i < (n); ++i)

template <class T>
T total(const std::vector<T>& v) {
  T sum{};
  { PL_SITE_(pl_s0, "total/loop0", "@GOLDEN_DIR@/loops_modern.cpp", 12, kRangeFor); if (::pl::abi::idle(pl_s0)) {
#line 12 "@GOLDEN_DIR@/loops_modern.cpp"
  for (const T& x : v) sum += x;
} else { PL_VARS_(pl_p0e, 12, PL_V_(v), PL_SD_(sum)); ::pl::abi::Loop pl_l0(pl_s0); PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_of(v), v, sum); 
#line 12 "@GOLDEN_DIR@/loops_modern.cpp"
  for (const T& x : v) { PL_VARS_(pl_p0b, 12, PL_V_(v), PL_SD_(sum), PL_SD_(x)); PL_BEGIN_(pl_l0, pl_p0b, pl_x0, v, sum, x); sum += x; PL_VARS_(pl_p0n, 12, PL_V_(v), PL_SD_(sum), PL_SD_(x)); PL_END_(pl_l0, pl_p0n, pl_x0, v, sum, x); } pl_x0: PL_EXIT_(pl_l0, pl_p0e, v, sum); } }
  return sum;
}

constexpr int tri(int n) {
  int t = 0;
  for (int i = 1; i <= n; ++i) t += i;
  return t;
}

int use(const std::map<std::string, int>& m) {
  int acc = 0;
  { PL_SITE_(pl_s1, "use/loop0", "@GOLDEN_DIR@/loops_modern.cpp", 24, kRangeFor); if (::pl::abi::idle(pl_s1)) {
#line 24 "@GOLDEN_DIR@/loops_modern.cpp"
  for (const auto& [key, value] : m) acc += value + int(key.size());
} else { PL_VARS_(pl_p1e, 24, PL_V_(m), PL_S_(acc)); ::pl::abi::Loop pl_l1(pl_s1); PL_ENTER_(pl_l1, pl_p1e, pl_x1, ::pl::abi::trip_of(m), m, acc); 
#line 24 "@GOLDEN_DIR@/loops_modern.cpp"
  for (const auto& [key, value] : m) { PL_VARS_(pl_p1b, 24, PL_V_(m), PL_S_(acc), PL_S_(key), PL_S_(value)); PL_BEGIN_(pl_l1, pl_p1b, pl_x1, m, acc, key, value); acc += value + int(key.size()); PL_VARS_(pl_p1n, 24, PL_V_(m), PL_S_(acc), PL_S_(key), PL_S_(value)); PL_END_(pl_l1, pl_p1n, pl_x1, m, acc, key, value); } pl_x1: PL_EXIT_(pl_l1, pl_p1e, m, acc); } }
  auto twice = [&acc](int k) {
    { PL_SITE_(pl_s2, "use/lambda0/loop0", "@GOLDEN_DIR@/loops_modern.cpp", 26, kFor); if (::pl::abi::idle(pl_s2)) {
#line 26 "@GOLDEN_DIR@/loops_modern.cpp"
    for (int j = 0; j < k; ++j) acc += j;
} else { PL_VARS_(pl_p2e, 26, PL_V_(k), PL_S_(acc)); ::pl::abi::Loop pl_l2(pl_s2); PL_ENTER_(pl_l2, pl_p2e, pl_x2, ::pl::abi::trip_count((long double)(0), (long double)(k), 1, false), k, acc); 
#line 26 "@GOLDEN_DIR@/loops_modern.cpp"
    for (int j = 0; j < k; ++j) { PL_VARS_(pl_p2b, 26, PL_V_(k), PL_S_(acc), PL_S_(j)); PL_BEGIN_(pl_l2, pl_p2b, pl_x2, k, acc, j); acc += j; PL_VARS_(pl_p2n, 26, PL_V_(k), PL_S_(acc), PL_S_(j)); PL_END_(pl_l2, pl_p2n, pl_x2, k, acc, j); } pl_x2: PL_EXIT_(pl_l2, pl_p2e, k, acc); } }
  };
  twice(3);
  EACH(q, 2) acc += q;
  return acc + tri(3) + total(std::vector<int>{1, 2});
}

// pl-instrument: the loops of this file, for the runtime's checks.
#ifndef PL_MANIFEST_2A6F53336AC1CD8B
#define PL_MANIFEST_2A6F53336AC1CD8B
namespace {
const ::pl::abi::ManifestLoop pl_manifest_2A6F53336AC1CD8B[] = {
  {"total/loop0", "@GOLDEN_DIR@/loops_modern.cpp", 12, "v,sum,x",
   "sum:T,x:const T &", "", "", "2A6F53336AC1CD8B", ""},
  {"use/loop0", "@GOLDEN_DIR@/loops_modern.cpp", 24, "m,acc,key,value",
   "acc:int,key:std::tuple_element<0, const std::pair<const std::basic_string<char>, int>>::type,value:std::tuple_element<1, const std::pair<const std::basic_string<char>, int>>::type", "", "", "2A6F53336AC1CD8B", ""},
  {"use/lambda0/loop0", "@GOLDEN_DIR@/loops_modern.cpp", 26, "k,acc,j",
   "acc:int,j:int", "", "", "2A6F53336AC1CD8B", ""},
};
[[maybe_unused]] const bool pl_manifest_registered_2A6F53336AC1CD8B =
    ::pl::abi::register_manifest(pl_manifest_2A6F53336AC1CD8B, 3);
}  // namespace
#endif
