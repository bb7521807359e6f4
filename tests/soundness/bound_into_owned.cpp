// A reference bound before the loop to an object a vector of unique_ptrs
// owns, and the loop swaps the unique_ptrs: the resumed replay binds the
// reference to the object it first finds in slot 0, while the restore fills
// the slots by position — the reference would see another object's data.
// Refused, naming the reference and its owner (found by a new-user trial).
#include <pl/marker.h>

#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

struct Acc {
  double v;
};

int main() {
  std::vector<std::unique_ptr<Acc>> accs;
  accs.push_back(std::make_unique<Acc>(Acc{1.0}));
  accs.push_back(std::make_unique<Acc>(Acc{100.0}));
  Acc& first = *accs[0];
  PL_LOOP(epoch) for (int e = 0; e < 20; ++e) {
    if (e == 3) std::swap(accs[0], accs[1]);
    first.v += 1.0;
  }
  std::printf("%a %a\n", accs[0]->v, accs[1]->v);
  return 0;
}
