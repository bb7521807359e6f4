// Golden: counted for with continue and break, while, do-while.
int basic(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) {
    if (i % 3 == 0) continue;
    if (s > 100) break;
    s += i;
  }
  int k = n;
  while (k > 0) k -= 2;
  do {
    ++k;
  } while (k < 3);
  return s + k;
}
