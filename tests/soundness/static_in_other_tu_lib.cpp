// The other file of static_in_other_tu.cpp.
static double total = 0;

double bump(double x) {
  total = total * 0.5 + x;
  return total;
}
