#include <pl/abi.h>
#line 1 "@GOLDEN_DIR@/loops_basic.cpp"
// Golden: counted for with continue and break, while, do-while.
int basic(int n) {
  int s = 0;
  { PL_SITE_(pl_s0, "basic/loop0", "@GOLDEN_DIR@/loops_basic.cpp", 4, kFor); if (::pl::abi::idle(pl_s0)) {
#line 4 "@GOLDEN_DIR@/loops_basic.cpp"
  for (int i = 0; i < n; ++i) {
    if (i % 3 == 0) continue;
    if (s > 100) break;
    s += i;
  }
} else { PL_VARS_(pl_p0e, 4, PL_V_(n), PL_S_(s)); ::pl::abi::Loop pl_l0(pl_s0); PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_count((long double)(0), (long double)(n), 1, false), n, s); 
#line 4 "@GOLDEN_DIR@/loops_basic.cpp"
  for (int i = 0; i < n; ++i) { PL_VARS_(pl_p0b, 4, PL_V_(n), PL_S_(s), PL_S_(i)); PL_BEGIN_(pl_l0, pl_p0b, pl_x0, n, s, i); 
    if (i % 3 == 0) { PL_VARS_(pl_p0c0, 5, PL_V_(n), PL_S_(s), PL_S_(i)); PL_END_(pl_l0, pl_p0c0, pl_x0, n, s, i); continue; }
    if (s > 100) break;
    s += i;
  PL_VARS_(pl_p0n, 8, PL_V_(n), PL_S_(s), PL_S_(i)); PL_END_(pl_l0, pl_p0n, pl_x0, n, s, i); } pl_x0: PL_EXIT_(pl_l0, pl_p0e, n, s); } }
  int k = n;
  { PL_SITE_(pl_s1, "basic/loop1", "@GOLDEN_DIR@/loops_basic.cpp", 10, kWhile); if (::pl::abi::idle(pl_s1)) {
#line 10 "@GOLDEN_DIR@/loops_basic.cpp"
  while (k > 0) k -= 2;
} else { PL_VARS_(pl_p1e, 10, PL_V_(n), PL_V_(s), PL_S_(k)); ::pl::abi::Loop pl_l1(pl_s1); PL_ENTER_(pl_l1, pl_p1e, pl_x1, -1, n, s, k); 
#line 10 "@GOLDEN_DIR@/loops_basic.cpp"
  while (k > 0) { PL_VARS_(pl_p1b, 10, PL_V_(n), PL_V_(s), PL_S_(k)); PL_BEGIN_(pl_l1, pl_p1b, pl_x1, n, s, k); k -= 2; PL_VARS_(pl_p1n, 10, PL_V_(n), PL_V_(s), PL_S_(k)); PL_END_(pl_l1, pl_p1n, pl_x1, n, s, k); } pl_x1: PL_EXIT_(pl_l1, pl_p1e, n, s, k); } }
  { PL_SITE_(pl_s2, "basic/loop2", "@GOLDEN_DIR@/loops_basic.cpp", 11, kDoWhile); if (::pl::abi::idle(pl_s2)) {
#line 11 "@GOLDEN_DIR@/loops_basic.cpp"
  do {
    ++k;
  } while (k < 3);
} else { PL_VARS_(pl_p2e, 11, PL_V_(n), PL_V_(s), PL_S_(k)); ::pl::abi::Loop pl_l2(pl_s2); PL_ENTER_(pl_l2, pl_p2e, pl_x2, -1, n, s, k); 
#line 11 "@GOLDEN_DIR@/loops_basic.cpp"
  do { PL_VARS_(pl_p2b, 11, PL_V_(n), PL_V_(s), PL_S_(k)); PL_BEGIN_(pl_l2, pl_p2b, pl_x2, n, s, k); 
    ++k;
  PL_VARS_(pl_p2n, 13, PL_V_(n), PL_V_(s), PL_S_(k)); PL_END_(pl_l2, pl_p2n, pl_x2, n, s, k); } while (k < 3); pl_x2: PL_EXIT_(pl_l2, pl_p2e, n, s, k); } }
  return s + k;
}

// pl-instrument: the loops of this file, for the runtime's checks.
#ifndef PL_MANIFEST_5FB0525389F3FF7D
#define PL_MANIFEST_5FB0525389F3FF7D
namespace {
const ::pl::abi::ManifestLoop pl_manifest_5FB0525389F3FF7D[] = {
  {"basic/loop0", "@GOLDEN_DIR@/loops_basic.cpp", 4, "n,s,i",
   "s:int,i:int", "", "", "5FB0525389F3FF7D", "", "17FA10A128303359",
   "basic", ""},
  {"basic/loop1", "@GOLDEN_DIR@/loops_basic.cpp", 10, "n,s,k",
   "k:int", "", "", "5FB0525389F3FF7D", "basic/loop2", "BD4D3DE734DB31A4",
   "basic", ""},
  {"basic/loop2", "@GOLDEN_DIR@/loops_basic.cpp", 11, "n,s,k",
   "k:int", "", "", "5FB0525389F3FF7D", "", "BD4D3DE734DB31A4",
   "basic", ""},
};
__attribute__((unused)) const bool pl_manifest_registered_5FB0525389F3FF7D =
    ::pl::abi::register_manifest(pl_manifest_5FB0525389F3FF7D, 3);
const ::pl::abi::ManifestFunction pl_calls_5FB0525389F3FF7D[] = {
  {"basic", "#6957BDF427B9FEDE"},
};
__attribute__((unused)) const bool pl_calls_registered_5FB0525389F3FF7D =
    ::pl::abi::register_calls(pl_calls_5FB0525389F3FF7D, 1);
}  // namespace
#endif
