// Checker self-test: this loop is instrumented, so the block is not in the
// output verbatim; CHECK-UNCHANGED must fail.
// EXPECT-FAILURE: wrong_unchanged.cpp:[0-9]+: CHECK-UNCHANGED: these 5 lines are not in the output
// CHECK-UNCHANGED-BEGIN
int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += i;
  return s;
}
// CHECK-UNCHANGED-END
