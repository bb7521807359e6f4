//===- RestoredLater.h - Completed loops a resume may skip ------*- C++ -*-===//
//
/// \file
/// pass `restored-later`: a loop whose every effect is restored anyway by
/// the loop right after it. On resume, a completed loop on the replayed path
/// is normally re-run, or skipped with its stored exit state when storing is
/// cheaper; when the next loop is the one being resumed and its state holds
/// everything this loop modifies, the loop is skipped with nothing stored
/// (LoopRecord::RestoredBy = that loop's full name):
///
/// \code
///   std::vector<double> w(n);
///   for (int i = 0; i < n; ++i) w[i] = init(i);   // restored by train/epoch
///   PL_LOOP(epoch) for (int e = 0; e < epochs; ++e)
///     for (auto& x : w) x -= step(x);              // state: w, e
/// \endcode
///
/// Conditions: the next statement of the same block is a loop M (a label or
/// an attribute on it is fine, nothing else in between); each variable the
/// first loop modifies that outlives it is in M's state; M's init, condition
/// or range does not read them (they run before M restores its state); and
/// the first loop has no uncaptured effects (LoopRecord::Uncaptured), since
/// skipping it would lose them.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_RESTOREDLATER_H
#define PL_PASSES_RESTOREDLATER_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

void runRestoredLater(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops);

} // namespace pl

#endif // PL_PASSES_RESTOREDLATER_H
