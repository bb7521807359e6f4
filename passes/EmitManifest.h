//===- EmitManifest.h - Tell the runtime which loops exist ------*- C++ -*-===//
//
/// \file
/// pass `emit-manifest`: appends to the instrumented file a table of its
/// instrumented loops — full name, file, line, every local visible at one
/// of its events, its checkpoint state with types, why it cannot be
/// checkpointed or re-run on resume, a hash of the file's text (which a
/// checkpoint's fingerprint holds), its function and what it can call
/// (pass call-graph) — registered with the runtime when the program loads,
/// with the main file's call graph.
/// The runtime checks hooks against it before the first loop runs, so a
/// misspelled selector or variable is a warning with near matches at
/// start-up, not silence.
///
/// \code
///   #ifndef PL_MANIFEST_<hash of the path>       // headers may be included twice
///   namespace { const ::pl::abi::ManifestLoop pl_manifest_<hash>[] = {
///     {"mlp::train/epoch", "/src/mlp.cpp", 110, "net,train,test,cfg,epoch,loss",
///      "net:Net &,epoch:int,loss:double", "", "", "<hash>", "",
///      "mlp::train", "mlp::step;virtual:forward"}};
///   [[maybe_unused]] const bool pl_manifest_registered_<hash> =
///     ::pl::abi::register_manifest(pl_manifest_<hash>, 1);
///   const ::pl::abi::ManifestFunction pl_calls_<hash>[] = {   // main file only
///     {"mlp::step", "Dense::forward;virtual:forward"}, ...};
///   [[maybe_unused]] const bool pl_calls_registered_<hash> =
///     ::pl::abi::register_calls(pl_calls_<hash>, 7); }
///   #endif
/// \endcode
/// Appended after the last line, so no line of the original moves.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_EMITMANIFEST_H
#define PL_PASSES_EMITMANIFEST_H

#include "LoopModel.h"

#include "clang/Rewrite/Core/Rewriter.h"

namespace pl {

/// `Calls`: the call graph's rows (pass call-graph), emitted with the main
/// file's table only.
bool runEmitManifest(const std::vector<LoopRecord> &Loops, const std::vector<CallRow> &Calls,
                     clang::FileID File, clang::Rewriter &RW);

} // namespace pl

#endif // PL_PASSES_EMITMANIFEST_H
