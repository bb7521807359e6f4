// Programs whose loops the end-to-end tests instrument (see programs.cpp).
#ifndef PL_TESTS_E2E_PROGRAMS_H
#define PL_TESTS_E2E_PROGRAMS_H

#include <map>
#include <string>
#include <vector>

namespace e2e {

int nested(int rows, int cols);
int with_break(int n, int stop_at);
int with_continue(int n);
int return_from_nested(int n, int target);
int throw_through_two(int n);
int goto_out(int n);
int goto_restart(int n);  // a loop's C++ label is also a goto target
int side_effect_while(int items, int* next_calls);
std::string range_for_map(const std::map<std::string, int>& m);
int lambda_loop(int n);
template <class T>
T accumulate(const std::vector<T>& v);
int macro_and_constexpr(int n);
int do_while_braceless(int n);
int pragma_unrolled(int n);

class Counter {
 public:
  int count_to(int n);  // a member function with a loop

 private:
  int total_ = 0;
};

template <class T>
struct Scaler {
  T factor;
  T apply(const std::vector<T>& v) const;  // a class template member with a loop
};
int use_scalers(int n);
double everything(int n);  // all of the above, for plain-vs-instrumented output

}  // namespace e2e

#endif  // PL_TESTS_E2E_PROGRAMS_H
