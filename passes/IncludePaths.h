//===- IncludePaths.h - Keep quoted includes working ------------*- C++ -*-===//
//
/// \file
/// pass `include-paths`: an instrumented copy lives in another directory than
/// its original, so `#include "model.h"` — found next to the original —
/// would no longer resolve. This pass records every quoted include of the
/// rewritten file that was found relative to that file's own directory and
/// rewrites its name to the absolute path of the header it found. Includes
/// found through -I/-iquote paths, and angled includes, are left alone.
///
/// \code
///   #include "model.h"   // -> #include "/home/u/proj/src/model.h"
///   #include <vector>    // unchanged
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_INCLUDEPATHS_H
#define PL_PASSES_INCLUDEPATHS_H

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Rewrite/Core/Rewriter.h"

#include <memory>
#include <string>
#include <vector>

namespace pl {

struct LocalInclude {
  clang::CharSourceRange FilenameRange; ///< the "name" token, quotes included
  std::string AbsolutePath;
};

std::unique_ptr<clang::PPCallbacks> makeIncludeRecorder(const clang::SourceManager &SM,
                                                        std::vector<LocalInclude> &Out);

/// Rewrites the recorded includes that lie in `File`.
void runIncludePaths(const clang::SourceManager &SM, const std::vector<LocalInclude> &Includes,
                     clang::FileID File, clang::Rewriter &RW);

} // namespace pl

#endif // PL_PASSES_INCLUDEPATHS_H
