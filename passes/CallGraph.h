//===- CallGraph.h - What each loop can call --------------------*- C++ -*-===//
//
/// \file
/// pass `call-graph`: the runtime tracks a loop only when a hook or a
/// checkpoint policy selects it or it can enclose a selected loop, across
/// call frames (docs/ARCHITECTURE.md, "Per-thread loop stack"). It decides
/// that when hooks are attached, from what this pass finds:
///
///  - per loop, the key of its function (functionKey) and what its body can
///    call outside its nested instrumented loops (LoopRecord::Calls);
///  - per function of the translation unit that holds loops, can reach some,
///    or may be called from another translation unit, what its body can call
///    (PassState::CallRows).
///
/// Calls are followed through every body of the translation unit, template
/// instantiations and system headers included (std::sort calling a lambda,
/// std::vector<T> constructing T), and written down at the frontier the
/// runtime resolves across translation units: the keys of functions that
/// hold loops or are only declared here (defined elsewhere), plus
///   "virtual:<name>"  a virtual call: every function named <name> may run;
///   "*"               anything may run: a call through a function pointer,
///                     a std::function, or a callback handed to a function
///                     whose body pl cannot see.
/// Keys are qualified names (overloads and instantiations share one, which
/// only adds calls) or "lambda@<file>:<line>:<col>". Conservative by
/// construction: what the pass cannot resolve is "*", never nothing.
///
/// \code
///   void train(Net &n) { for (...) step(n); }   // train/loop0  calls: step
///   void step(Net &n) { for (auto &l : n.layers) l->forward(); }
///   // step/loop0  calls: virtual:forward, Dense::forward (overrides here)
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_CALLGRAPH_H
#define PL_PASSES_CALLGRAPH_H

#include "CodeFingerprint.h"
#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

void runCallGraph(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                  std::vector<CallRow> &Rows, const MacroDefinitions &Macros = {});

/// The call-graph key of a function, method or lambda call operator.
std::string functionKey(const clang::FunctionDecl *FD, const clang::ASTContext &Ctx);

} // namespace pl

#endif // PL_PASSES_CALLGRAPH_H
