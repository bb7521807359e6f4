//===- RewriteSafety.h - Loops that must be left alone ----------*- C++ -*-===//
//
/// \file
/// pass `rewrite-safety`: decides which loops can be rewritten without
/// changing what the program means or whether it compiles. A loop is left
/// untouched, with a note naming file:line and the reason, when
///   - its head, body braces or a `continue` of it come from a macro
///     expansion (those tokens have no place in the file to edit);
///   - it is in a constexpr/consteval function, or a lambda inside one
///     (runtime calls are not constant expressions);
///   - code outside it jumps into it (a `goto` to a label inside, a `case`
///     of an enclosing switch inside its body — Duff's device — or a label
///     whose address is taken): the jump would bypass the loop's guard;
///   - it carries an OpenMP work-sharing pragma (iterations run on several
///     threads; the loops inside it are instrumented instead).
///
/// \code
///   #define EACH(i, n) for (int i = 0; i < n; ++i)
///   EACH(i, 3) {}                       // note: loop comes from a macro
///   constexpr int f() { int s = 0; for (int i = 0; i < 3; ++i) s += i; return s; }
///                                       // note: loop in a constexpr function
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_REWRITESAFETY_H
#define PL_PASSES_REWRITESAFETY_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

void runRewriteSafety(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                      std::vector<ToolNote> &Notes);

} // namespace pl

#endif // PL_PASSES_REWRITESAFETY_H
