//===- CodeFingerprint.h - What a loop's resume depends on ------*- C++ -*-===//
//
/// \file
/// pass `code-fingerprint`: for every loop, a hash (xxh3, hex) of the code a
/// resume of it depends on — the tokens of the function the loop is in
/// (its outermost function, for a loop in a lambda), the tokens of every
/// function that function may call in this translation unit, transitively,
/// wherever it is defined (a header included), and the loop's state layout
/// (the names and types of its state variables). Tokens, not text: a
/// comment or a blank line changes nothing; a changed callee in a header, a
/// changed constant in the loop's function, or a changed state type does.
/// emit-manifest writes it as the loop's `code_hash`; the runtime compares
/// it for the loops on the path a checkpoint resumes and refuses (unless
/// PL_RESUME_FORCE=1) naming the loop whose code changed.
///
/// \code
///   // common.h
///   inline double decay(double lr) { return lr * 0.5; }   // edited: hash of train/epoch changes
///   // train.cpp
///   // a comment added here changes no hash
///   void train(Net &net) {
///     for (int e = 0; e < 10; ++e) net.lr = decay(net.lr);
///   }
///   void report() { std::puts("done"); }                   // edited: train/epoch unchanged
/// \endcode
///
/// Not covered: macro definitions the code expands (only the tokens as
/// written are hashed), functions of other translation units and
/// libraries, callers of the loop's function.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_CODEFINGERPRINT_H
#define PL_PASSES_CODEFINGERPRINT_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

/// Sets LoopRecord::CodeHash of every instrumentable loop.
void runCodeFingerprint(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops);

} // namespace pl

#endif // PL_PASSES_CODEFINGERPRINT_H
