// Golden: range-for with structured bindings, lambdas, templates, and
// loops that must be left alone (macro, constexpr).
#include <map>
#include <string>
#include <vector>

#define EACH(i, n) for (int i = 0; i < (n); ++i)

template <class T>
T total(const std::vector<T>& v) {
  T sum{};
  for (const T& x : v) sum += x;
  return sum;
}

constexpr int tri(int n) {
  int t = 0;
  for (int i = 1; i <= n; ++i) t += i;
  return t;
}

int use(const std::map<std::string, int>& m) {
  int acc = 0;
  for (const auto& [key, value] : m) acc += value + int(key.size());
  auto twice = [&acc](int k) {
    for (int j = 0; j < k; ++j) acc += j;
  };
  twice(3);
  EACH(q, 2) acc += q;
  return acc + tri(3) + total(std::vector<int>{1, 2});
}
