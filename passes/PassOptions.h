//===- PassOptions.h - What the command line asks of the passes -*- C++ -*-===//
//
/// \file
/// The options of one pl-instrument run that change what the passes do, in
/// one struct: the driver fills it from the command line and the pass tests
/// (tests/passes/run_pass.h) from their arguments, so an option cannot reach
/// one and not the other. Free of Clang headers on purpose: the tests include
/// it.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_PASSOPTIONS_H
#define PL_PASSES_PASSOPTIONS_H

#include <string>
#include <vector>

namespace pl {

struct PassOptions {
  /// Globs over absolute header paths whose loops are instrumented too
  /// (`--headers`; loop-labels collects their loops).
  std::vector<std::string> HeaderGlobs;
  /// Innermost loops also get an uninstrumented copy for when nothing
  /// listens (instrument-loops; off with `--no-versioning`).
  bool Versioning = true;
  /// A state variable pl cannot save is an error in any loop, not a warning
  /// (in a labeled loop) or a note (per file, for the others); state-types,
  /// `--require-resumable`.
  bool RequireResumable = false;
  /// Fields no checkpoint holds, by qualified name ("Loader::file_"), for
  /// classes the user cannot edit (`--transient`; state-markers). The replay
  /// rebuilds them, as for PL_TRANSIENT_FIELD(x) in the class.
  std::vector<std::string> TransientFields;
};

} // namespace pl

#endif // PL_PASSES_PASSOPTIONS_H
