// Rewriter checks: labels, the PL_LOOP marker, nesting, braceless bodies,
// pragmas. After each loop, the lines pl-instrument emits for it
// (check_emitted.py reads the CHECK comments). The whole file's layout is
// checked byte for byte in whole_file/loops_nested.expected.cpp.
#define PL_LOOP(name)

namespace train {
double fit(int epochs, int batches) {
  double loss = 1.0;
  PL_LOOP(epoch) for (int e = 0; e < epochs; ++e)
    batch: for (int b = batches; b >= 1; b -= 2) loss *= 0.5;
  // The outer loop is not copied (a loop inside it); the inner one is, and
  // its label stays on the block that holds both copies. The trip count of
  // the inner loop counts down by 2.
  // CHECK:      PL_LOOP(epoch) { PL_SITE_(pl_s0, "train::fit/epoch",
  // CHECK-SAME: "{{.*}}/loops_nested.cpp", 10, kFor);
  // CHECK-SAME: PL_VARS_(pl_p0e, 10, PL_V_(epochs), PL_V_(batches), PL_S_(loss));
  // CHECK-SAME: ::pl::abi::Loop pl_l0(pl_s0);
  // CHECK-SAME: PL_ENTER_(pl_l0, pl_p0e, pl_x0,
  // CHECK-SAME: ::pl::abi::trip_count((long double)(0), (long double)(epochs), 1, false), epochs,
  // CHECK-SAME: batches, loss);
  // CHECK-SAME: for (int e = 0; e < epochs; ++e)
  // CHECK-NEXT: { PL_VARS_(pl_p0b, 11, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e));
  // CHECK-SAME: PL_BEGIN_(pl_l0, pl_p0b, pl_x0, epochs, batches, loss, e);
  // CHECK-SAME: batch: { PL_SITE_(pl_s1, "train::fit/epoch/batch",
  // CHECK-SAME: "{{.*}}/loops_nested.cpp", 11, kFor);
  // CHECK-SAME: if (::pl::abi::idle(pl_s1)) {
  // CHECK-NEXT: #line 11 "{{.*}}/loops_nested.cpp"
  // CHECK-NEXT: for (int b = batches; b >= 1; b -= 2) loss *= 0.5;
  // CHECK-NEXT: } else { PL_VARS_(pl_p1e, 11, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e));
  // CHECK-SAME: ::pl::abi::Loop pl_l1(pl_s1);
  // CHECK-SAME: PL_ENTER_(pl_l1, pl_p1e, pl_x1,
  // CHECK-SAME: ::pl::abi::trip_count((long double)(batches), (long double)(1), -2, true), epochs,
  // CHECK-SAME: batches, loss, e);
  // CHECK-NEXT: #line 11 "{{.*}}/loops_nested.cpp"
  // CHECK-NEXT: for (int b = batches; b >= 1; b -= 2) { PL_VARS_(pl_p1b, 11, PL_V_(epochs),
  // CHECK-SAME: PL_V_(batches), PL_S_(loss), PL_S_(e), PL_S_(b));
  // CHECK-SAME: PL_BEGIN_(pl_l1, pl_p1b, pl_x1, epochs, batches, loss, e, b);
  // CHECK-SAME: loss *= 0.5;
  // CHECK-SAME: PL_VARS_(pl_p1n, 11, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e), PL_S_(b));
  // CHECK-SAME: PL_END_(pl_l1, pl_p1n, pl_x1, epochs, batches, loss, e, b);
  // CHECK-SAME: } pl_x1: PL_EXIT_(pl_l1, pl_p1e, epochs, batches, loss, e);
  // CHECK-SAME: } } PL_VARS_(pl_p0n, 11, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e));
  // CHECK-SAME: PL_END_(pl_l0, pl_p0n, pl_x0, epochs, batches, loss, e);
  // CHECK-SAME: } pl_x0: PL_EXIT_(pl_l0, pl_p0e, epochs, batches, loss);
  // CHECK-SAME: }
  int hits = 0;
#pragma GCC unroll 2
  for (int i = 0; i < 4; ++i) hits += i;
  // The block opens before the pragma, and each copy repeats it, so it stays
  // attached to its loop.
  // CHECK:      { PL_SITE_(pl_s2, "train::fit/loop2", "{{.*}}/loops_nested.cpp", 49, kFor);
  // CHECK-SAME: if (::pl::abi::idle(pl_s2)) {
  // CHECK-NEXT: #line 48 "{{.*}}/loops_nested.cpp"
  // CHECK-NEXT: #pragma GCC unroll 2
  // CHECK-NEXT: for (int i = 0; i < 4; ++i) hits += i;
  // CHECK-NEXT: } else { PL_VARS_(pl_p2e, 49, PL_V_(epochs), PL_V_(batches), PL_V_(loss), PL_S_(hits));
  // CHECK-SAME: ::pl::abi::Loop pl_l2(pl_s2);
  // CHECK-SAME: PL_ENTER_(pl_l2, pl_p2e, pl_x2,
  // CHECK-SAME: ::pl::abi::trip_count((long double)(0), (long double)(4), 1, false), epochs, batches,
  // CHECK-SAME: loss, hits);
  // CHECK-NEXT: #line 48 "{{.*}}/loops_nested.cpp"
  // CHECK-NEXT: #pragma GCC unroll 2
  // CHECK-NEXT: for (int i = 0; i < 4; ++i) { PL_VARS_(pl_p2b, 49, PL_V_(epochs), PL_V_(batches),
  // CHECK-SAME: PL_V_(loss), PL_S_(hits), PL_S_(i));
  // CHECK-SAME: PL_BEGIN_(pl_l2, pl_p2b, pl_x2, epochs, batches, loss, hits, i);
  // CHECK-SAME: hits += i;
  // CHECK-SAME: PL_VARS_(pl_p2n, 49, PL_V_(epochs), PL_V_(batches), PL_V_(loss), PL_S_(hits), PL_S_(i));
  // CHECK-SAME: PL_END_(pl_l2, pl_p2n, pl_x2, epochs, batches, loss, hits, i);
  // CHECK-SAME: } pl_x2: PL_EXIT_(pl_l2, pl_p2e, epochs, batches, loss, hits);
  // CHECK-SAME: } }
  return loss + hits;
}
}  // namespace train

// ---- negatives: loops pl must leave exactly as written ---------------------

// CHECK-UNCHANGED-BEGIN
void zero(int n, double *x) {
#pragma omp parallel for
  for (int i = 0; i < n; ++i) x[i] = 0;
}
// CHECK-UNCHANGED-END
// CHECK:      // pl-instrument: the loops of this file, for the runtime's checks.
// CHECK-NEXT: #ifndef PL_MANIFEST_{{[0-9A-F]+}}
// CHECK-NEXT: #define PL_MANIFEST_{{[0-9A-F]+}}
// CHECK-NEXT: namespace {
// CHECK-NEXT: const ::pl::abi::ManifestLoop pl_manifest_{{[0-9A-F]+}}[] = {
// CHECK-NEXT: {"train::fit/epoch", "{{.*}}/loops_nested.cpp", 10, "epochs,batches,loss,e",
// CHECK-NEXT: "loss:double,e:int", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "train::fit", ""},
// CHECK-NEXT: {"train::fit/epoch/batch", "{{.*}}/loops_nested.cpp", 11, "epochs,batches,loss,e,b",
// CHECK-NEXT: "loss:double,e:int,b:int", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "train::fit", ""},
// CHECK-NEXT: {"train::fit/loop2", "{{.*}}/loops_nested.cpp", 49, "epochs,batches,loss,hits,i",
// CHECK-NEXT: "hits:int,i:int", "", "", "{{[0-9A-F]+}}", "", "{{[0-9A-F]+}}",
// CHECK-NEXT: "train::fit", ""},
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((unused)) const bool pl_manifest_registered_{{[0-9A-F]+}} =
// CHECK-NEXT: ::pl::abi::register_manifest(pl_manifest_{{[0-9A-F]+}}, 3);
// CHECK-NEXT: const ::pl::abi::ManifestFunction pl_calls_{{[0-9A-F]+}}[] = {
// CHECK-NEXT: {"train::fit", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: {"zero", "#{{[0-9A-F]+}}"},
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((unused)) const bool pl_calls_registered_{{[0-9A-F]+}} =
// CHECK-NEXT: ::pl::abi::register_calls(pl_calls_{{[0-9A-F]+}}, 2);
// CHECK-NEXT: }  // namespace
// CHECK-NEXT: #endif
