//===- CodeFingerprint.h - What a loop's resume depends on ------*- C++ -*-===//
//
/// \file
/// pass `code-fingerprint`: for every loop, a hash (xxh3, hex) of the code a
/// resume of it depends on — the tokens of the function the loop is in
/// (its outermost function, for a loop in a lambda), the tokens of every
/// function that function may call in this translation unit, transitively,
/// wherever it is defined (a header included), and the loop's state layout
/// (the names and types of its state variables). Tokens, not text: a
/// comment or a blank line changes nothing; a changed callee in a header, a
/// changed constant in the loop's function, or a changed state type does.
/// emit-manifest writes it as the loop's `code_hash`; the runtime compares
/// it for the loops on the path a checkpoint resumes and refuses (unless
/// PL_RESUME_FORCE=1) naming the loop whose code changed.
///
/// \code
///   // common.h
///   inline double decay(double lr) { return lr * 0.5; }   // edited: hash of train/epoch changes
///   // train.cpp
///   // a comment added here changes no hash
///   void train(Net &net) {
///     for (int e = 0; e < 10; ++e) net.lr = decay(net.lr);
///   }
///   void report() { std::puts("done"); }                   // edited: train/epoch unchanged
/// \endcode
///
/// Also hashed: the declarations, with their initializers, of the globals and
/// static constants those functions read (`static const float kDecay =
/// 0.95f;`), the enums whose enumerators they name, and the definitions of
/// the macros any of that spells (transitively; macros of system headers
/// excepted). Functions of other translation units are not in the loop's
/// hash: call-graph gives every function row its own hash
/// (functionCodeHash), and the runtime folds those of the functions a loop
/// can reach in other instrumented files into its fingerprint. Not covered:
/// libraries that are not instrumented, callers of the loop's function.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_CODEFINGERPRINT_H
#define PL_PASSES_CODEFINGERPRINT_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/PPCallbacks.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
}

namespace pl {

/// A macro's definition as the code fingerprint hashes it, and the
/// identifiers it uses (to follow macros that expand to other macros).
struct MacroText {
  std::string Text;
  std::vector<std::string> Names;
};
/// Macros defined outside system headers, by name (the last definition).
using MacroDefinitions = std::map<std::string, MacroText>;

/// The preprocessor callback that fills `Out` while the file is parsed.
std::unique_ptr<clang::PPCallbacks> makeMacroRecorder(clang::Preprocessor &PP,
                                                      MacroDefinitions &Out);

/// xxh3 (hex) of the code of the functions `Fns` (overloads sharing one
/// call-graph key) and of what they may call in this translation unit,
/// hashed as a loop's function is: CallRow::CodeHash.
std::string functionCodeHash(const std::vector<const clang::FunctionDecl *> &Fns,
                             clang::ASTContext &Ctx, const MacroDefinitions &Macros);

/// Sets LoopRecord::CodeHash of every instrumentable loop.
void runCodeFingerprint(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                        const MacroDefinitions &Macros = {});

} // namespace pl

#endif // PL_PASSES_CODEFINGERPRINT_H
