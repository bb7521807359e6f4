// Rewriter checks: a counted for with continue and break, while, do-while.
// After each loop, the lines pl-instrument emits for it (check_emitted.py
// reads the CHECK comments). The whole file's layout is checked byte for
// byte in whole_file/loops_basic.expected.cpp.
int basic(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) {
    if (i % 3 == 0) continue;
    if (s > 100) break;
    s += i;
  }
  // An innermost loop: first the original, run while nothing listens, then
  // the instrumented copy; #line keeps both on the original lines. A
  // `continue` ends its iteration first; `break` goes to the exit point.
  // CHECK:      { PL_SITE_(pl_s0, "basic/loop0", "{{.*}}/loops_basic.cpp", 7, kFor);
  // CHECK-SAME: if (::pl::abi::idle(pl_s0)) {
  // CHECK-NEXT: #line 7 "{{.*}}/loops_basic.cpp"
  // CHECK-NEXT: for (int i = 0; i < n; ++i) {
  // CHECK-NEXT: if (i % 3 == 0) continue;
  // CHECK-NEXT: if (s > 100) break;
  // CHECK-NEXT: s += i;
  // CHECK-NEXT: }
  // CHECK-NEXT: } else { PL_VARS_(pl_p0e, 7, PL_V_(n), PL_S_(s));
  // CHECK-SAME: ::pl::abi::Loop pl_l0(pl_s0);
  // CHECK-SAME: PL_ENTER_(pl_l0, pl_p0e, pl_x0,
  // CHECK-SAME: ::pl::abi::trip_count((long double)(0), (long double)(n), 1, false), n, s);
  // CHECK-NEXT: #line 7 "{{.*}}/loops_basic.cpp"
  // CHECK-NEXT: for (int i = 0; i < n; ++i) { PL_VARS_(pl_p0b, 7, PL_V_(n), PL_S_(s), PL_S_(i));
  // CHECK-SAME: PL_BEGIN_(pl_l0, pl_p0b, pl_x0, n, s, i);
  // CHECK-NEXT: if (i % 3 == 0) { PL_VARS_(pl_p0c0, 8, PL_V_(n), PL_S_(s), PL_S_(i));
  // CHECK-SAME: PL_END_(pl_l0, pl_p0c0, pl_x0, n, s, i);
  // CHECK-SAME: continue;
  // CHECK-SAME: }
  // CHECK-NEXT: if (s > 100) break;
  // CHECK-NEXT: s += i;
  // CHECK-NEXT: PL_VARS_(pl_p0n, 11, PL_V_(n), PL_S_(s), PL_S_(i));
  // CHECK-SAME: PL_END_(pl_l0, pl_p0n, pl_x0, n, s, i);
  // CHECK-SAME: } pl_x0: PL_EXIT_(pl_l0, pl_p0e, n, s);
  // CHECK-SAME: } }
  int k = n;
  while (k > 0) k -= 2;
  // A braceless body gets braces; k is state, n and s are only read.
  // CHECK:      { PL_SITE_(pl_s1, "basic/loop1", "{{.*}}/loops_basic.cpp", 41, kWhile);
  // CHECK-SAME: if (::pl::abi::idle(pl_s1)) {
  // CHECK-NEXT: #line 41 "{{.*}}/loops_basic.cpp"
  // CHECK-NEXT: while (k > 0) k -= 2;
  // CHECK-NEXT: } else { PL_VARS_(pl_p1e, 41, PL_V_(n), PL_V_(s), PL_S_(k));
  // CHECK-SAME: ::pl::abi::Loop pl_l1(pl_s1);
  // CHECK-SAME: PL_ENTER_(pl_l1, pl_p1e, pl_x1, -1, n, s, k);
  // CHECK-NEXT: #line 41 "{{.*}}/loops_basic.cpp"
  // CHECK-NEXT: while (k > 0) { PL_VARS_(pl_p1b, 41, PL_V_(n), PL_V_(s), PL_S_(k));
  // CHECK-SAME: PL_BEGIN_(pl_l1, pl_p1b, pl_x1, n, s, k);
  // CHECK-SAME: k -= 2;
  // CHECK-SAME: PL_VARS_(pl_p1n, 41, PL_V_(n), PL_V_(s), PL_S_(k));
  // CHECK-SAME: PL_END_(pl_l1, pl_p1n, pl_x1, n, s, k);
  // CHECK-SAME: } pl_x1: PL_EXIT_(pl_l1, pl_p1e, n, s, k);
  // CHECK-SAME: } }
  do {
    ++k;
  } while (k < 3);
  // CHECK:      { PL_SITE_(pl_s2, "basic/loop2", "{{.*}}/loops_basic.cpp", 58, kDoWhile);
  // CHECK-SAME: if (::pl::abi::idle(pl_s2)) {
  // CHECK-NEXT: #line 58 "{{.*}}/loops_basic.cpp"
  // CHECK-NEXT: do {
  // CHECK-NEXT: ++k;
  // CHECK-NEXT: } while (k < 3);
  // CHECK-NEXT: } else { PL_VARS_(pl_p2e, 58, PL_V_(n), PL_V_(s), PL_S_(k));
  // CHECK-SAME: ::pl::abi::Loop pl_l2(pl_s2);
  // CHECK-SAME: PL_ENTER_(pl_l2, pl_p2e, pl_x2, -1, n, s, k);
  // CHECK-NEXT: #line 58 "{{.*}}/loops_basic.cpp"
  // CHECK-NEXT: do { PL_VARS_(pl_p2b, 58, PL_V_(n), PL_V_(s), PL_S_(k));
  // CHECK-SAME: PL_BEGIN_(pl_l2, pl_p2b, pl_x2, n, s, k);
  // CHECK-NEXT: ++k;
  // CHECK-NEXT: PL_VARS_(pl_p2n, 60, PL_V_(n), PL_V_(s), PL_S_(k));
  // CHECK-SAME: PL_END_(pl_l2, pl_p2n, pl_x2, n, s, k);
  // CHECK-SAME: } while (k < 3);
  // CHECK-SAME: pl_x2: PL_EXIT_(pl_l2, pl_p2e, n, s, k);
  // CHECK-SAME: } }
  return s + k;
}

// ---- negatives: loops pl must leave exactly as written ---------------------

// CHECK-UNCHANGED-BEGIN
int jumpedInto(int n) {
  if (n > 5) goto inside;
  while (n > 0) {
  inside:
    --n;
  }
  return n;
}
// CHECK-UNCHANGED-END
// The manifest lists the instrumented loops only; loop1 needs no stored exit
// state because loop2's state holds all it changes (restored-later).
// CHECK:      // pl-instrument: the loops of this file, for the runtime's checks.
// CHECK-NEXT: #ifndef PL_MANIFEST_{{[0-9A-F]+}}
// CHECK-NEXT: #define PL_MANIFEST_{{[0-9A-F]+}}
// CHECK-NEXT: namespace {
// CHECK-NEXT: const ::pl::abi::ManifestLoop pl_manifest_{{[0-9A-F]+}}[] = {
// CHECK-NEXT: {"basic/loop0", "{{.*}}/loops_basic.cpp", 7, "n,s,i",
// CHECK-NEXT: "s:int,i:int", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "basic", ""},
// CHECK-NEXT: {"basic/loop1", "{{.*}}/loops_basic.cpp", 41, "n,s,k",
// CHECK-NEXT: "k:int", "", "", "{{[0-9A-F]+}}", "basic/loop2", "{{[0-9A-F]+}}",
// CHECK-NEXT: "basic", ""},
// CHECK-NEXT: {"basic/loop2", "{{.*}}/loops_basic.cpp", 58, "n,s,k",
// CHECK-NEXT: "k:int", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "basic", ""},
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((unused)) const bool pl_manifest_registered_{{[0-9A-F]+}} =
// CHECK-NEXT: ::pl::abi::register_manifest(pl_manifest_{{[0-9A-F]+}}, 3);
// CHECK-NEXT: const ::pl::abi::ManifestFunction pl_calls_{{[0-9A-F]+}}[] = {
// CHECK-NEXT: {"basic", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: {"jumpedInto", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((unused)) const bool pl_calls_registered_{{[0-9A-F]+}} =
// CHECK-NEXT: ::pl::abi::register_calls(pl_calls_{{[0-9A-F]+}}, 2);
// CHECK-NEXT: }  // namespace
// CHECK-NEXT: #endif
