//===- TrackArrays.h - Record the length of arrays the program allocates -*- C++ -*-===//
//
/// \file
/// pass `track-arrays`: rewrites every `new T[n]` and `delete[] p` of the
/// file into calls that also record the array's first byte and length at
/// run time (pl/abi.h: abi::new_array, abi::new_array_value,
/// abi::delete_array). A pointer whose pointee a loop writes is checkpoint
/// state as the whole array it points into (pass pointee-effects,
/// Saving::Array), and this is where the runtime learns how long that array
/// is — also when it is allocated far from the loop (a constructor, a helper
/// template such as libsvm's `clone`).
///
/// \code
///   G = new double[l];          ->  G = ::pl::abi::new_array<double>(l);
///   buf = new float[n]();       ->  buf = ::pl::abi::new_array_value<float>(n);
///   delete[] G;                 ->  ::pl::abi::delete_array(G);
/// \endcode
///
/// Only the tokens `new T[` / `]` and `delete[]` are replaced (the length
/// expression stays where it is), so the line numbers and the other passes'
/// insertions are untouched. Left alone, so their arrays are unknown to the
/// runtime and a checkpoint through them is refused naming PL_EXTENT:
/// placement new, `new T[n]{...}` with elements, arrays of arrays, class
/// `operator new[]` overloads, code expanded from macros and constexpr
/// functions.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_TRACKARRAYS_H
#define PL_PASSES_TRACKARRAYS_H

#include "clang/AST/ASTContext.h"
#include "clang/Rewrite/Core/Rewriter.h"

namespace pl {

/// Rewrites the array allocations and deallocations of `File`; returns how
/// many expressions it rewrote.
unsigned runTrackArrays(clang::ASTContext &Ctx, clang::FileID File, clang::Rewriter &RW);

} // namespace pl

#endif // PL_PASSES_TRACKARRAYS_H
