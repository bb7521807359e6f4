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
///
/// `PL_TRANSIENT_FIELD(x)` goes in a class, after its field `x`, and expands
/// to `static_assert(sizeof(x) > 0, ...)`; `--transient=Class::x` names such
/// a field of a class the user cannot edit. A name that matches no field of
/// the translation unit is a warning (the flag is shared by every file).
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
  bool Field = false; ///< PL_TRANSIENT_FIELD(x), in a class
};

/// Records every expansion of PL_TRANSIENT and PL_PERSIST.
std::unique_ptr<clang::PPCallbacks> makeStateMarkerCollector(std::vector<StateMarker> &Out);

/// Also fills `TransientFields`: the fields PL_TRANSIENT_FIELD marks and
/// those `Named` names ("ns::Class::field", --transient), which every loop
/// treats as PL_TRANSIENT and generated serializers leave out.
void runStateMarkers(clang::ASTContext &Ctx, const std::vector<StateMarker> &Markers,
                     std::vector<LoopRecord> &Loops, std::vector<ToolNote> &Notes,
                     const std::vector<std::string> &Named = {},
                     std::vector<const clang::FieldDecl *> *TransientFields = nullptr);

} // namespace pl

#endif // PL_PASSES_STATEMARKERS_H
