// Checker self-test: a statement is left out between two pieces of one line
// (PL_ENTER_ comes between the Loop and the line's end); CHECK-SAME must
// notice the gap.
// EXPECT-FAILURE: wrong_same.cpp:[0-9]+: CHECK-SAME: .* does not follow
int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += i;
  // CHECK:      } else { PL_VARS_(pl_p0e, 7, PL_V_(n), PL_S_(s));
  // CHECK-SAME: ::pl::abi::Loop pl_l0(pl_s0);
  // CHECK-SAME: n, s);
  return s;
}
