//===- VisibleVars.h - Locals in scope at each event point ------*- C++ -*-===//
//
/// \file
/// pass `visible-vars`: for every loop, the local variables a hook can read
/// at each event: parameters, locals declared earlier in enclosing blocks,
/// loop and condition variables, structured bindings, a lambda's parameters
/// and captures. Shadowed names resolve to the innermost declaration, as in
/// C++. Compiler-made variables (the `__range1`/`__begin1` of a range-for),
/// variably modified types, volatile objects and bindings to bit-fields are
/// never exposed.
///
/// \code
///   void f(int n) {
///     double loss = 0;
///     for (int e = 0; e < n; ++e) {   // enter/exit: n, loss
///       double acc = 1;               // begin: n, loss, e
///       if (acc > 2) continue;        // continue: n, loss, e, acc
///     }                               // end: n, loss, e, acc
///   }
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_VISIBLEVARS_H
#define PL_PASSES_VISIBLEVARS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

void runVisibleVars(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops);

} // namespace pl

#endif // PL_PASSES_VISIBLEVARS_H
