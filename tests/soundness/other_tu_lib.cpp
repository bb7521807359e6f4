// The other translation unit of other_tu_main.cpp.
void opaque_update(double *w, int n, int e) {
  for (int k = 0; k < n; ++k) w[k] = w[k] * 0.75 + e * 0.125;
}
