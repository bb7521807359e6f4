// A program whose resume can go wrong in ways no fingerprint sees, for the
// divergence check and the replay self-check (docs/CHECKPOINTS.md):
//
//   main: epoch ──> step          (same function; `acc` is their state)
//
//  - the epoch count comes from the environment (REPLAY_EPOCHS, default 8)
//    and REPLAY_SKIP=1 leaves the epoch loop out: a resume with other values
//    does not follow the saved position and must stop with status 2;
//  - with REPLAY_HIDDEN=1 every step also adds a draw from a counter kept in
//    another translation unit (replay_counter.cpp), called through a
//    function pointer no analysis follows: state pl does not save. A resume
//    is then silently wrong, and the self-check (PL_RESUME_CHECK=1) must
//    name `acc`, the first saved variable it makes differ.
// usage: replay_program [spin rounds per step]. Prints one line; a resumed
// run must print the same line.
#include <pl/marker.h>

#include <cstdio>
#include <cstdlib>

#include "busy_work.h"

unsigned next_draw();  // replay_counter.cpp

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// Opaque to the analysis on purpose: which function this calls is known at run time only.
unsigned (*volatile g_draw)() = nullptr;

}  // namespace

int main(int argc, char** argv) {
  const int work = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int epochs = env_int("REPLAY_EPOCHS", 8);
  const bool hidden = env_int("REPLAY_HIDDEN", 0) != 0;
  g_draw = &next_draw;
  double acc = 0;
  if (!env_int("REPLAY_SKIP", 0)) {
    PL_LOOP(epoch) for (int e = 0; e < epochs; ++e) {
      PL_LOOP(step) for (int s = 0; s < 10; ++s) {
        const double noise = hidden ? 1e-3 * double(g_draw()) : 0.0;
        acc = spin(acc + 0.01 * (s + 1) + noise, work);
      }
    }
  }
  std::printf("result acc %.17g\n", acc);
  return 0;
}
