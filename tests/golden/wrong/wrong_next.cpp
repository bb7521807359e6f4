// Checker self-test: the line expected next comes one line later (the
// #line directive is in between); CHECK-NEXT must not skip it.
// EXPECT-FAILURE: wrong_next.cpp:[0-9]+: CHECK-NEXT: .* is not on the next line
int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += i;
  // CHECK:      if (::pl::abi::idle(pl_s0)) {
  // CHECK-NEXT: for (int i = 0; i < n; ++i) s += i;
  return s;
}
