//===- PointeeEffects.h - What a loop nest writes behind pointers -*- C++ -*-===//
//
/// \file
/// pass `pointee-effects`: for every loop, what its nest may write that is
/// not a local it names — through pointers and references, directly or in
/// the functions it calls (the write-effects analysis, WriteEffects.h) —
/// and what that means for a checkpoint:
///
/// - a reference (local or parameter) whose referent is written is state
///   (saved and restored through the reference; state-types decides whether
///   pl can save its type), and so is a local written through its address
///   (`step(&model)`), a field of `*this` or a global of this file a callee
///   writes (LoopRecord::WrittenThrough, read by modified-vars);
/// - a pointer (or a struct holding one, an iterator, a view) whose pointee
///   is written: pl cannot know how much memory that is, so the loop gets an
///   `unsaveable` reason naming the pointer, the function and the line, and
///   the runtime refuses checkpoints through it. A pointer that points only
///   into locals of the function (`double *a = buf.data();`) is not
///   refused: those locals are the state;
/// - a global of another translation unit or a static local a callee writes
///   makes the loop "always re-run" or not resumable (LoopRecord::Uncaptured
///   / Unsaveable), as for writes the nest makes itself.
///
/// The whole nest counts for each of its loops (a resume inside the inner
/// loop replays the outer iteration's code). `PL_TRANSIENT(x)` silences
/// what is found through `x`.
///
/// \code
///   void train(struct net *net, struct data *d, int max_epochs) {
///     float error;
///     for (int i = 1; i <= max_epochs; i++)   // unsaveable: writes through 'net'
///       error = train_epoch(net, d);          //   (struct net *) in train_epoch()
///   }                                         //   at fann.c:123; ...
///   void fit(Model &m, const Data &d) {
///     for (int e = 0; e < 10; ++e) update(m, d);  // state: m (written by update), e
///   }
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_POINTEEEFFECTS_H
#define PL_PASSES_POINTEEEFFECTS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

/// Fills LoopRecord::WrittenThrough, adds to ::Unsaveable and ::Uncaptured;
/// a warning per refused variable of a loop the user named.
void runPointeeEffects(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                       std::vector<ToolNote> &Notes);

} // namespace pl

#endif // PL_PASSES_POINTEEEFFECTS_H
