//===- LoopLabels.h - Find, name and nest every loop ------------*- C++ -*-===//
//
/// \file
/// pass `loop-labels`: collects every loop statement in the selected files and
/// gives it a stable full name `<function>/<enclosing loops>/<label>`.
///
/// The label is, in order of preference, a `PL_LOOP(name)` marker placed
/// before the loop, a C++ label on it, or `loopN` where N is the loop's
/// position among all loops of its function (source order), so editing
/// another function never renames it.
///
/// \code
///   namespace mlp {
///   void train() {
///     PL_LOOP(epoch) for (int e = 0; e < 3; ++e)   // mlp::train/epoch
///       batch: for (int b = 0; b < 9; ++b) {}       // mlp::train/epoch/batch
///     while (more()) {}                             // mlp::train/loop2
///     auto f = [] { for (;;) break; };              // mlp::train/lambda0/loop0
///   }}
/// \endcode
///
/// Template patterns are visited once; instantiations are never visited,
/// and loops are keyed by source location, so each loop is recorded once.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_LOOPLABELS_H
#define PL_PASSES_LOOPLABELS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/PPCallbacks.h"

#include <functional>
#include <memory>

namespace pl {

/// Records every expansion of the PL_LOOP marker macro.
std::unique_ptr<clang::PPCallbacks> makeMarkerCollector(std::vector<LoopMarker> &Out);

/// True for files whose loops are instrumented.
using FileFilter = std::function<bool(clang::FileID)>;

std::vector<LoopRecord> runLoopLabels(clang::ASTContext &Ctx, const FileFilter &Selected,
                                      const std::vector<LoopMarker> &Markers,
                                      std::vector<ToolNote> &Notes);

} // namespace pl

#endif // PL_PASSES_LOOPLABELS_H
