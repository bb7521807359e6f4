// Checker self-test: the expectation below is wrong (n is only read, so it is
// PL_V_(n), not PL_S_(n)); the check must fail on pl-instrument's real output.
// EXPECT-FAILURE: wrong_pattern.cpp:[0-9]+: CHECK: .* not found
int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += i;
  // CHECK: PL_VARS_(pl_p0e, 6, PL_S_(n), PL_S_(s));
  return s;
}
