// A loop that draws from std::rand: the C library's hidden generator state is
// in no variable, so a resume from inside the loop would draw other numbers.
// Refused when the checkpoint is taken, naming the call.
#include <pl/marker.h>

#include <cstdio>
#include <cstdlib>

int main() {
  std::srand(7);
  long acc = 0;
  PL_LOOP(epoch) for (int e = 0; e < 20; ++e) acc += std::rand() % 1000;
  std::printf("acc %ld\n", acc);
  return 0;
}
