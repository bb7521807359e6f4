// Checkpoint state that runs instrumented code while it is saved and loaded,
// in loops nested across three functions:
//
//   main: trial ──> run_trial: epoch ──> train_epoch: batch (checkpointed)
//
// `History` is state of every loop; its pl_serialize calls History::digest(),
// a member function with an instrumented loop. A checkpoint runs that loop
// while it saves (every checkpoint, and the begin states of enclosing loops)
// and a resume while it loads: those loops must neither deadlock the runtime
// nor count as checkpoint points or move the saved position. The epoch loop
// is not at the top level of the thread, so before the first checkpoint it
// may have no begin state for its current iteration: a signal there must
// still lead to a checkpoint.
//
// Test controls (environment, not arguments: a resume runs the same command):
//   SERIAL_RAISE_AT=T,E,B   raise SIGINT in batch B of epoch E of trial T
//   SERIAL_RAISE_AT=end     raise it after the loops, before the result
//   SERIAL_RAISE_AGAIN=body raise it a second time right after the first
//   SERIAL_RAISE_AGAIN=save raise it a second time while a checkpoint saves
// usage: serializer_program [spin rounds per batch]. Prints one line of
// hashes; a resumed run must print the same line.
#include <pl/marker.h>
#include <pl/serialize.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "busy_work.h"

namespace {

bool g_raised = false;  // test control only: the first SIGINT was raised

bool again(const char* when) {
  const char* a = std::getenv("SERIAL_RAISE_AGAIN");
  return g_raised && a && std::strcmp(a, when) == 0;
}

struct History {
  std::vector<double> values;

  // An instrumented loop, run by the serializer below.
  std::uint64_t digest() const {
    std::uint64_t h = 1469598103934665603ull;
    PL_LOOP(digest) for (std::size_t i = 0; i < values.size(); ++i) {
      std::uint64_t bits;
      std::memcpy(&bits, &values[i], sizeof bits);
      h = (h ^ bits) * 0x100000001b3ull;
    }
    return h;
  }
};

// Saves the values and their digest; loading checks the digest.
template <class Archive>
void pl_serialize(Archive& ar, History& h) {
  if constexpr (std::is_same_v<Archive, pl::Writer>) {
    std::uint64_t d = h.digest();
    if (again("save")) std::raise(SIGINT);
    ar(h.values, d);
  } else {
    std::uint64_t d = 0;
    ar(h.values, d);
    if (d != h.digest()) throw pl::FormatError("History: digest does not match its values");
  }
}

void maybe_raise(int t, int e, int b) {
  const char* at = std::getenv("SERIAL_RAISE_AT");
  int rt = -1, re = -1, rb = -1;
  if (g_raised || !at || std::sscanf(at, "%d,%d,%d", &rt, &re, &rb) != 3) return;
  if (t != rt || e != re || b != rb) return;
  g_raised = true;
  std::raise(SIGINT);
  if (again("body")) std::raise(SIGINT);
}

void train_epoch(History& hist, double& w, int trial, int epoch, int work) {
  PL_LOOP(batch) for (int b = 0; b < 12; ++b) {
    maybe_raise(trial, epoch, b);
    w = spin(w + 0.01 * (b + 1), work);
    hist.values.push_back(w);
  }
}

double run_trial(History& hist, int trial, int work) {
  double w = 0.1 * trial;
  PL_LOOP(epoch) for (int e = 0; e < 3; ++e) train_epoch(hist, w, trial, e, work);
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  const int work = argc > 1 ? std::atoi(argv[1]) : 20000;
  History hist;
  double total = 0;
  PL_LOOP(trial) for (int t = 0; t < 3; ++t) total += run_trial(hist, t, work);
  if (const char* at = std::getenv("SERIAL_RAISE_AT"); at && std::strcmp(at, "end") == 0)
    std::raise(SIGINT);
  std::printf("result digest %016llx values %zu total %.17g\n", (unsigned long long)hist.digest(),
              hist.values.size(), total);
  return 0;
}
