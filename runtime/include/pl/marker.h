// pl/marker.h — source annotations that cost nothing without pl-instrument.
//
// pl-instrument notices where these macros were expanded (it watches the
// preprocessor), so a plain g++/clang++ build sees ordinary code and emits
// no warnings, while the instrumented build picks up the names.
//
//   PL_LOOP(epoch) for (int e = 0; e < n; ++e) { ... }   // names the next loop
//
// PL_LOOP(name) names the first loop statement that starts after it in the
// same function. A C++ label on the loop (`epoch: for (...)`) works too.
//
// What a checkpoint holds. pl-instrument chooses the state of each loop (what
// its loop nest may modify; `pl-instrument --list` shows it); two statements,
// placed after a variable's declaration in the function of the loops, change
// that choice for every loop of the function:
//
//   Dataset train_set = load(path);
//   PL_TRANSIENT(train_set);   // never state: recomputed when a run resumes
//   std::uint64_t seed = 42;
//   PL_PERSIST(seed);          // always state where it is visible, even if only read
//
// PL_TRANSIENT(x) is a promise that the code before the loops recomputes x
// on resume (a data set loaded from disk, a file reopened), so no checkpoint
// needs it; use it for state pl cannot save (`FILE*`, a stream) or that is
// too large to save. PL_PERSIST(x) makes x state although the analysis saw
// no write to it (it is written through a pointer the analysis cannot
// follow, say). x is a local variable, a parameter, a field of *this or a
// global; naming anything else (`cfg.lr`, a function) is an error in
// pl-instrument. Both expand to an unevaluated use of x, which also counts
// as a use for -Wunused.
#ifndef PL_MARKER_H
#define PL_MARKER_H

#define PL_LOOP(name)
#define PL_TRANSIENT(x) static_cast<void>(sizeof(x))
#define PL_PERSIST(x) static_cast<void>(sizeof(x))

// PL_TRANSIENT_FIELD(x), inside a class after the declaration of its field x:
// no checkpoint holds x (a FILE*, a mutex, a cache); the code before the
// loops rebuilds it, as the constructor does. The serializer pl writes for
// the class leaves it out, and loops in the class's methods do not count it
// as state. For a class you cannot edit: pl-instrument --transient=Class::x.
#define PL_TRANSIENT_FIELD(x) static_assert(sizeof(x) > 0, "pl: transient field")

// PL_EXTENT(p, n): p points to an array of n elements, allocated where
// pl-instrument cannot see it (another library, malloc, a custom allocator).
// A pointer whose pointee a loop writes is saved as the array it points
// into; pl learns the length of arrays instrumented code allocates with
// `new T[n]` by itself, and of others from this statement, placed after the
// allocation. In an instrumented file it records the extent at run time;
// elsewhere it is an unevaluated use of p and n.
#if defined(PL_ABI_H)
#define PL_EXTENT(p, n) ::pl::abi::array_extent((p), static_cast<::std::size_t>(n))
#else
#define PL_EXTENT(p, n) static_cast<void>(sizeof((p), (n)))
#endif

#endif  // PL_MARKER_H
