// Rewriter checks: range-for with structured bindings, lambdas, templates.
// After each loop, the lines pl-instrument emits for it (check_emitted.py
// reads the CHECK comments).
#include <map>
#include <string>
#include <vector>

#define EACH(i, n) for (int i = 0; i < (n); ++i)

template <class T>
T total(const std::vector<T>& v) {
  T sum{};
  for (const T& x : v) sum += x;
  // State whose type depends on T is PL_SD_: saved if the instantiation's
  // type can be. The trip count of a range is its size().
  // CHECK:      { PL_SITE_(pl_s0, "total/loop0", "{{.*}}/loops_modern.cpp", 13, kRangeFor);
  // CHECK-SAME: if (::pl::abi::idle(pl_s0)) {
  // CHECK-NEXT: #line 13 "{{.*}}/loops_modern.cpp"
  // CHECK-NEXT: for (const T& x : v) sum += x;
  // CHECK-NEXT: } else { PL_VARS_(pl_p0e, 13, PL_V_(v), PL_SD_(sum));
  // CHECK-SAME: ::pl::abi::Loop pl_l0(pl_s0);
  // CHECK-SAME: PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_of(v), v, sum);
  // CHECK-NEXT: #line 13 "{{.*}}/loops_modern.cpp"
  // CHECK-NEXT: for (const T& x : v) { PL_VARS_(pl_p0b, 13, PL_V_(v), PL_SD_(sum), PL_SD_(x));
  // CHECK-SAME: PL_BEGIN_(pl_l0, pl_p0b, pl_x0, v, sum, x);
  // CHECK-SAME: sum += x;
  // CHECK-SAME: PL_VARS_(pl_p0n, 13, PL_V_(v), PL_SD_(sum), PL_SD_(x));
  // CHECK-SAME: PL_END_(pl_l0, pl_p0n, pl_x0, v, sum, x);
  // CHECK-SAME: } pl_x0: PL_EXIT_(pl_l0, pl_p0e, v, sum);
  // CHECK-SAME: } }
  return sum;
}

int use(const std::map<std::string, int>& m) {
  int acc = 0;
  for (const auto& [key, value] : m) acc += value + int(key.size());
  // CHECK:      { PL_SITE_(pl_s1, "use/loop0", "{{.*}}/loops_modern.cpp", 36, kRangeFor);
  // CHECK-SAME: if (::pl::abi::idle(pl_s1)) {
  // CHECK-NEXT: #line 36 "{{.*}}/loops_modern.cpp"
  // CHECK-NEXT: for (const auto& [key, value] : m) acc += value + int(key.size());
  // CHECK-NEXT: } else { PL_VARS_(pl_p1e, 36, PL_V_(m), PL_S_(acc));
  // CHECK-SAME: ::pl::abi::Loop pl_l1(pl_s1);
  // CHECK-SAME: PL_ENTER_(pl_l1, pl_p1e, pl_x1, ::pl::abi::trip_of(m), m, acc);
  // CHECK-NEXT: #line 36 "{{.*}}/loops_modern.cpp"
  // CHECK-NEXT: for (const auto& [key, value] : m) { PL_VARS_(pl_p1b, 36, PL_V_(m), PL_S_(acc),
  // CHECK-SAME: PL_S_(key), PL_S_(value));
  // CHECK-SAME: PL_BEGIN_(pl_l1, pl_p1b, pl_x1, m, acc, key, value);
  // CHECK-SAME: acc += value + int(key.size());
  // CHECK-SAME: PL_VARS_(pl_p1n, 36, PL_V_(m), PL_S_(acc), PL_S_(key), PL_S_(value));
  // CHECK-SAME: PL_END_(pl_l1, pl_p1n, pl_x1, m, acc, key, value);
  // CHECK-SAME: } pl_x1: PL_EXIT_(pl_l1, pl_p1e, m, acc);
  // CHECK-SAME: } }
  auto twice = [&acc](int k) {
    for (int j = 0; j < k; ++j) acc += j;
  };
  // A lambda's loop is named after the lambda; a capture by reference is
  // state like a local.
  // CHECK:      { PL_SITE_(pl_s2, "use/lambda0/loop0", "{{.*}}/loops_modern.cpp", 54, kFor);
  // CHECK-SAME: if (::pl::abi::idle(pl_s2)) {
  // CHECK-NEXT: #line 54 "{{.*}}/loops_modern.cpp"
  // CHECK-NEXT: for (int j = 0; j < k; ++j) acc += j;
  // CHECK-NEXT: } else { PL_VARS_(pl_p2e, 54, PL_V_(k), PL_S_(acc));
  // CHECK-SAME: ::pl::abi::Loop pl_l2(pl_s2);
  // CHECK-SAME: PL_ENTER_(pl_l2, pl_p2e, pl_x2,
  // CHECK-SAME: ::pl::abi::trip_count((long double)(0), (long double)(k), 1, false), k, acc);
  // CHECK-NEXT: #line 54 "{{.*}}/loops_modern.cpp"
  // CHECK-NEXT: for (int j = 0; j < k; ++j) { PL_VARS_(pl_p2b, 54, PL_V_(k), PL_S_(acc), PL_S_(j));
  // CHECK-SAME: PL_BEGIN_(pl_l2, pl_p2b, pl_x2, k, acc, j);
  // CHECK-SAME: acc += j;
  // CHECK-SAME: PL_VARS_(pl_p2n, 54, PL_V_(k), PL_S_(acc), PL_S_(j));
  // CHECK-SAME: PL_END_(pl_l2, pl_p2n, pl_x2, k, acc, j);
  // CHECK-SAME: } pl_x2: PL_EXIT_(pl_l2, pl_p2e, k, acc);
  // CHECK-SAME: } }
  twice(3);
  return acc + total(std::vector<int>{1, 2});
}

// ---- negatives: loops pl must leave exactly as written ---------------------

// CHECK-UNCHANGED-BEGIN
constexpr int tri(int n) {
  int t = 0;
  for (int i = 1; i <= n; ++i) t += i;
  return t;
}

int fromMacro(int acc) {
  EACH(q, 2) acc += q;
  return acc + tri(3);
}
// CHECK-UNCHANGED-END
// CHECK:      // pl-instrument: the loops of this file, for the runtime's checks.
// CHECK-NEXT: #ifndef PL_MANIFEST_{{[0-9A-F]+}}
// CHECK-NEXT: #define PL_MANIFEST_{{[0-9A-F]+}}
// CHECK-NEXT: namespace {
// CHECK-NEXT: const ::pl::abi::ManifestLoop pl_manifest_{{[0-9A-F]+}}[] = {
// CHECK-NEXT: {"total/loop0", "{{.*}}/loops_modern.cpp", 13, "v,sum,x",
// CHECK-NEXT: "sum:T,x:const T &", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "total", ""},
// CHECK-NEXT: {"use/loop0", "{{.*}}/loops_modern.cpp", 36, "m,acc,key,value",
// CHECK-NEXT: "acc:int,key:std::tuple_element<0, const std::pair<const std::basic_string<char>, int>>::type,value:std::tuple_element<1, const std::pair<const std::basic_string<char>, int>>::type", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "use", ""},
// CHECK-NEXT: {"use/lambda0/loop0", "{{.*}}/loops_modern.cpp", 54, "k,acc,j",
// CHECK-NEXT: "acc:int,j:int", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "lambda@{{.*}}/loops_modern.cpp:53:16", ""},
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((unused)) const bool pl_manifest_registered_{{[0-9A-F]+}} =
// CHECK-NEXT: ::pl::abi::register_manifest(pl_manifest_{{[0-9A-F]+}}, 3);
// CHECK-NEXT: const ::pl::abi::ManifestFunction pl_calls_{{[0-9A-F]+}}[] = {
// CHECK-NEXT: {"fromMacro", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: {"lambda@{{.*}}/loops_modern.cpp:53:16", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: {"total", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: {"use", "lambda@{{.*}}/loops_modern.cpp:53:16;total;#{{[0-9A-F]+}}"},
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((unused)) const bool pl_calls_registered_{{[0-9A-F]+}} =
// CHECK-NEXT: ::pl::abi::register_calls(pl_calls_{{[0-9A-F]+}}, 4);
// CHECK-NEXT: }  // namespace
// CHECK-NEXT: #endif
