// Output — how pl-instrument writes files: atomically, and the shadow
// include tree that instrumented headers (--headers) live in.
#ifndef PL_COMPILER_OUTPUT_H
#define PL_COMPILER_OUTPUT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"

#include <string>
#include <vector>

namespace pl {

/// Prints "pl-instrument: error: <Msg>" and returns false, for
/// `return fail(...)`.
bool fail(const llvm::Twine &Msg);

/// Writes `Data` to `Path` through a temporary file and a rename.
bool writeAtomically(const std::string &Path, llvm::StringRef Data);

/// Copies into the shadow tree (under `Shadow` + original path) every file
/// of `Files` that lies under include directory `Root`, so that quoted
/// includes between headers resolve inside the shadow tree.
bool mirrorIncludedFiles(const std::string &Root, const std::vector<std::string> &Files,
                         const std::string &Shadow);

} // namespace pl

#endif // PL_COMPILER_OUTPUT_H
