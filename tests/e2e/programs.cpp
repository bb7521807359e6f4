// Ordinary C++ the end-to-end tests instrument: every kind of loop and every
// way of leaving one. Nothing here knows about pl except the PL_LOOP markers.
#include "programs.h"

#include <pl/marker.h>

#include <stdexcept>

namespace e2e {

int nested(int rows, int cols) {
  int cells = 0;
  PL_LOOP(row) for (int r = 0; r < rows; ++r) {
    PL_LOOP(col) for (int c = 0; c < cols; ++c) cells += 1;
  }
  return cells;
}

int with_break(int n, int stop_at) {
  int i = 0;
  while (i < n) {
    if (i == stop_at) break;
    ++i;
  }
  return i;
}

int with_continue(int n) {
  int odd = 0;
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0) continue;
    odd += i;
  }
  return odd;
}

int return_from_nested(int n, int target) {
  PL_LOOP(outer) for (int a = 0; a < n; ++a) {
    PL_LOOP(inner) for (int b = 0; b < n; ++b) {
      if (a * n + b == target) return a * 100 + b;
    }
  }
  return -1;
}

int throw_through_two(int n) {
  try {
    PL_LOOP(outer) for (int a = 0; a < n; ++a) {
      PL_LOOP(inner) for (int b = 0; b < n; ++b) {
        if (a == 1 && b == 1) throw std::runtime_error("stop");
      }
    }
  } catch (const std::runtime_error&) {
    return 1;
  }
  return 0;
}

int goto_out(int n) {
  int seen = 0;
  for (int a = 0; a < n; ++a) {
    for (int b = 0; b < n; ++b) {
      ++seen;
      if (b == 1) goto done;
    }
  }
done:
  return seen;
}

int goto_restart(int n) {
  int restarts = 0, sum = 0;
again:
  for (int i = 0; i < n; ++i) {
    sum += i;
    if (i == 1 && restarts == 0) {
      ++restarts;
      goto again;
    }
  }
  return sum * 10 + restarts;
}

namespace {
struct Reader {
  int left;
  int* calls;
  bool next(int& item) {
    ++*calls;
    if (left == 0) return false;
    item = left--;
    return true;
  }
};
}  // namespace

int side_effect_while(int items, int* next_calls) {
  Reader reader{items, next_calls};
  int item = 0, total = 0;
  PL_LOOP(read) while (reader.next(item)) total += item;
  return total;
}

std::string range_for_map(const std::map<std::string, int>& m) {
  std::string out;
  for (const auto& [key, value] : m) out += key + "=" + std::to_string(value) + ";";
  return out;
}

int lambda_loop(int n) {
  int total = 0;
  auto add_up = [&total](int k) {
    for (int i = 0; i < k; ++i) total += i;
  };
  add_up(n);
  return total;
}

template <class T>
T accumulate(const std::vector<T>& v) {
  T sum{};
  for (const T& x : v) sum += x;
  return sum;
}
template int accumulate<int>(const std::vector<int>&);
template double accumulate<double>(const std::vector<double>&);

#define REPEAT(i, n) for (int i = 0; i < (n); ++i)
constexpr int triangle(int n) {
  int t = 0;
  for (int i = 1; i <= n; ++i) t += i;
  return t;
}
static_assert(triangle(4) == 10);

int macro_and_constexpr(int n) {
  int count = 0;
  REPEAT(i, n) count += 2;  // from a macro: left alone, still compiles
  return count + triangle(n);
}

int do_while_braceless(int n) {
  int k = 0;
  do ++k;
  while (k < n);
  return k;
}

int pragma_unrolled(int n) {
  int s = 0;
#pragma GCC unroll 4
  for (int i = 0; i < n; ++i) s += i * i;
  return s;
}

int Counter::count_to(int n) {
  PL_LOOP(step) for (int i = 0; i < n; ++i) total_ += 1;
  return total_;
}

template <class T>
T Scaler<T>::apply(const std::vector<T>& v) const {
  T out{};
  for (const T& x : v) out += factor * x;
  return out;
}

int use_scalers(int n) {
  Scaler<int> a{n};
  Scaler<double> b{0.5};
  return a.apply({1, 2}) + int(b.apply({2.0, 4.0}));
}

double everything(int n) {
  int calls = 0;
  double r = nested(n, n + 1) + with_break(n * 2, n) + with_continue(n) +
             return_from_nested(n, n + 1) + throw_through_two(n) + goto_out(n) + goto_restart(n) +
             side_effect_while(n, &calls) + calls + lambda_loop(n) +
             accumulate(std::vector<int>{1, 2, 3}) + accumulate(std::vector<double>{0.5, 0.25}) +
             macro_and_constexpr(n) + do_while_braceless(n) + pragma_unrolled(n) +
             Counter().count_to(n) + use_scalers(n);
  return r + double(range_for_map({{"a", 1}, {"b", n}}).size());
}

}  // namespace e2e
