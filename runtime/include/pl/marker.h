// pl/marker.h — source annotations that cost nothing without pl-instrument.
//
// These macros expand to nothing. pl-instrument notices where they were
// expanded (it watches the preprocessor), so a plain g++/clang++ build sees
// ordinary code and emits no warnings, while the instrumented build picks up
// the names.
//
//   PL_LOOP(epoch) for (int e = 0; e < n; ++e) { ... }   // names the next loop
//
// PL_LOOP(name) names the first loop statement that starts after it in the
// same function. A C++ label on the loop (`epoch: for (...)`) works too.
#ifndef PL_MARKER_H
#define PL_MARKER_H

#define PL_LOOP(name)

#endif  // PL_MARKER_H
