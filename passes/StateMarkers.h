//===- StateMarkers.h - PL_TRANSIENT and PL_PERSIST -------------*- C++ -*-===//
//
/// \file
/// pass `state-markers`: finds the variables that `PL_TRANSIENT(x)` and
/// `PL_PERSIST(x)` (pl/marker.h) name, and hands them to every loop of the
/// function the marker is in (LoopRecord::Transient, ::Persist), for
/// modified-vars to apply:
///
/// \code
///   void train(Net& net, const char* path) {
///     Dataset data = load(path);
///     PL_TRANSIENT(data);   // never state: reloaded when the program resumes
///     int seen = 0;
///     PL_PERSIST(seen);     // always state where visible, even if only read
///     for (int e = 0; e < 10; ++e) fit(net, data, seen);
///   }
/// \endcode
///
/// The preprocessor records where each marker expands; the marker expands to
/// `static_cast<void>(sizeof(x))`, so the variable is the operand of the
/// `sizeof` expanded there. It may be a local variable, a parameter, a
/// structured binding, a field of `*this` or a global. A marker naming
/// anything else (`cfg.lr`, a function, a type) is an error.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_STATEMARKERS_H
#define PL_PASSES_STATEMARKERS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/PPCallbacks.h"

#include <memory>

namespace pl {

/// A PL_TRANSIENT(x) or PL_PERSIST(x) marker seen by the preprocessor.
struct StateMarker {
  clang::SourceRange Range; ///< the marker's name to its closing parenthesis
  bool Persist = false;
};

/// Records every expansion of PL_TRANSIENT and PL_PERSIST.
std::unique_ptr<clang::PPCallbacks> makeStateMarkerCollector(std::vector<StateMarker> &Out);

void runStateMarkers(clang::ASTContext &Ctx, const std::vector<StateMarker> &Markers,
                     std::vector<LoopRecord> &Loops, std::vector<ToolNote> &Notes);

} // namespace pl

#endif // PL_PASSES_STATEMARKERS_H
