// Checker self-test: the loop is instrumented, so PL_SITE_ does occur
// before the return; CHECK-NOT must report it.
// EXPECT-FAILURE: wrong_not.cpp:[0-9]+: CHECK-NOT: 'PL_SITE_' occurs
int sum(int n) {
  // CHECK:     int sum(int n) {
  // CHECK-NOT: PL_SITE_
  // CHECK:     return s;
  int s = 0;
  for (int i = 0; i < n; ++i) s += i;
  return s;
}
