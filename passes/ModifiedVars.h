//===- ModifiedVars.h - The state a loop nest may change --------*- C++ -*-===//
//
/// \file
/// pass `modified-vars`: for every loop, which of the variables visible at
/// its boundaries the loop nest (the loop with everything inside it) may
/// modify. Those are the state a checkpoint at that loop must hold;
/// everything else is only read by the nest and can be recomputed on resume
/// by replaying the code that made it (a training set loaded before the
/// loop, a `const Dataset&`).
///
/// A variable is state when the nest may modify it — assignment, `++`/`--`,
/// compound assignment, a non-const member call, binding it to a non-const
/// reference or passing its address or itself to a non-const parameter,
/// capturing it by reference in a lambda that may write it — or when it is
/// declared inside the nest. Clang's ExprMutationAnalyzer (the analysis
/// behind clang-tidy's const-correctness checks) decides "may modify";
/// like it, the pass is conservative: in doubt, a variable is state. A
/// reference is state when what it refers to may be modified.
///
/// Besides the visible locals, the state holds the fields of `*this` and the
/// globals defined in this file that the nest may modify (those it names;
/// pass pointee-effects, LoopRecord::WrittenThrough, adds what its callees
/// write and what it writes through references). They are added to
/// every point of the loop, before its locals, as `f` and `g` (`this->f`,
/// `::ns::g` where a local hides the name). `PL_TRANSIENT(x)` keeps a
/// variable out of the state, `PL_PERSIST(x)` puts it in (pass
/// state-markers).
///
/// \code
///   void Trainer::run(const Data& d, int epochs) {   // fields: net_, steps_
///     double loss = 0; int log_every = 10;
///     for (int e = 0; e < epochs; ++e) {   // state: net_, steps_, loss, e
///       loss = step(net_, d); ++steps_;    // d, epochs, log_every: read only
///     }
///   }
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_MODIFIEDVARS_H
#define PL_PASSES_MODIFIEDVARS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

void runModifiedVars(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops);

} // namespace pl

#endif // PL_PASSES_MODIFIEDVARS_H
