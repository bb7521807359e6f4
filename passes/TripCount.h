//===- TripCount.h - Trip counts of counted loops ---------------*- C++ -*-===//
//
/// \file
/// pass `trip-count`: for a counted `for` and a range-for over a named
/// container, an expression the emitted code evaluates (on the cold path,
/// at loop enter) to tell hooks how many iterations to expect — progress
/// bars and ETAs need it. The expression is only emitted when it is free of
/// side effects and uses only names visible before the loop, so evaluating
/// it can never change the program, and (for a range) when the range has a
/// `size()` to call.
///
/// \code
///   for (int i = 0; i < n; ++i)       // trip_count(0, n, 1, false)
///   for (int i = n; i >= 1; i -= 2)   // trip_count(n, 1, -2, true)
///   for (auto& x : items)             // trip_of(items)
///   for (auto it = v.begin(); ...)    // unknown: -1
///   for (int x : forward_list)        // unknown: -1 (no size())
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_TRIPCOUNT_H
#define PL_PASSES_TRIPCOUNT_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

void runTripCount(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops);

} // namespace pl

#endif // PL_PASSES_TRIPCOUNT_H
