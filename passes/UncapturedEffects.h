//===- UncapturedEffects.h - What escapes a loop's state --------*- C++ -*-===//
//
/// \file
/// pass `uncaptured-effects`: for every loop, the effects of its nest (the
/// loop with everything inside it) that its checkpoint state does not
/// capture, so a resume must run the loop again rather than skip its
/// iterations with the saved state (LoopRecord::Uncaptured):
///
/// \code
///   extern int g_seen;                  // defined in another file
///   void update(float* w, int n);       // body in another file
///   for (int e = 0; e < n; ++e) {
///     std::srand(e);                    // "calls std::srand"
///     g_seen += rand() % 2;             // "writes global 'g_seen' defined in another
///                                       //  translation unit", "calls rand"
///     update(w, 4);                     // "calls opaque 'update' with pointer argument 'w'"
///   }
/// \endcode
///
/// Counted: calls to `rand`, `srand`, `random`, the `drand48` family,
/// `time` and `clock` (their results depend on hidden state or the clock);
/// writes to a global of another translation unit (modified-vars saves the
/// ones defined here); calls of a function whose body this file lacks with a
/// pointer to non-const, which it may write through or keep — unless the
/// pointer points into memory a checkpoint holds (a pointer saved as its
/// array, `&x`, `v.data()` or a C array of a state variable: the call's
/// writes are saved). Functions of
/// system headers, `std` and `Eigen` are not opaque in that sense:
/// `std::memcpy(dst, ...)` and `fflush(stdout)` change nothing the analysis
/// misses. `PL_TRANSIENT(g)` and `PL_PERSIST(g)` settle a global either way.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_UNCAPTUREDEFFECTS_H
#define PL_PASSES_UNCAPTUREDEFFECTS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

class WriteEffects;

void runUncapturedEffects(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops);

/// What `FD`, or a function it calls in this translation unit, does that a
/// checkpoint of a loop of another file cannot hold: writes a global or a
/// static local, calls std::rand, an opaque call with a pointer argument.
/// "" when nothing (pass call-graph's CallRow::Hidden).
std::string hiddenEffectOf(const clang::FunctionDecl *FD, clang::ASTContext &Ctx,
                           WriteEffects &Effects);

} // namespace pl

#endif // PL_PASSES_UNCAPTUREDEFFECTS_H
