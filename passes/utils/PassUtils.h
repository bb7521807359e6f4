//===- PassUtils.h - Helpers more than one pass needs -----------*- C++ -*-===//
//
/// \file
/// The small helpers the passes share, like clang-tidy's `utils/`: where a
/// location is and how to report it, where a statement ends, how a name or
/// a string is spelled in C++. A helper only one pass uses stays in that
/// pass's file.
///
/// \code
///   Notes.push_back(makeNote(SM, Loop->getBeginLoc(), "warning", "..."));
///   RW.InsertText(endOfStatement(Loop, SM, LO), " }");       // after `;` or `}`
///   "PL_SITE_(" + cxxStringLiteral(R.FullName) + ...          // "a\"b" -> "\"a\\\"b\""
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_UTILS_PASSUTILS_H
#define PL_PASSES_UTILS_PASSUTILS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"

#include <string>

namespace pl {

// --- Locations and notes ---------------------------------------------------

/// The absolute path, without `.` and `..`, of file `FID`; "<unknown>" for
/// a buffer that is not a file.
std::string absolutePath(const clang::SourceManager &SM, clang::FileID FID);

/// A note at the file location of `Loc` (the expansion site of a macro),
/// printed clang-style as file:line:col: kind: text.
ToolNote makeNote(const clang::SourceManager &SM, clang::SourceLocation Loc, const char *Kind,
                  std::string Message);

// --- Statements --------------------------------------------------------------

/// Whether `D` is declared within the source range of `S` (a loop nest).
bool declaredInside(const clang::Decl *D, const clang::Stmt *S, const clang::SourceManager &SM);

/// Body of a loop statement (ForStmt, CXXForRangeStmt, WhileStmt, DoStmt).
const clang::Stmt *loopBody(const clang::Stmt *Loop);

/// Location just past the last token of statement S (after its `;` when
/// it ends with one). Invalid when that end is inside a macro expansion.
clang::SourceLocation endOfStatement(const clang::Stmt *S, const clang::SourceManager &SM,
                                     const clang::LangOptions &LO);

/// Offset of the start of Loc's line in its buffer when the statement at
/// Loc is the first thing on that line — blanks and `PL_LOOP(name)` markers
/// (which expand to nothing) may precede it — so `#pragma` lines right above
/// apply to it; StringRef::npos otherwise.
size_t startOfOwnLine(const clang::SourceManager &SM, clang::SourceLocation Loc);

/// The class `*this` is in, in the loop's function `Context` (through
/// lambdas that capture it), or null.
const clang::CXXRecordDecl *thisClass(const clang::Decl *Context);

// --- Names and text ----------------------------------------------------------

/// "mlp::train", "Registry::next": as written from the global scope, without
/// anonymous and inline namespaces.
std::string qualifiedName(const clang::NamedDecl *D, const clang::ASTContext &Ctx);

/// Quotes `S` as a C++ string literal.
std::string cxxStringLiteral(llvm::StringRef S);

} // namespace pl

#endif // PL_PASSES_UTILS_PASSUTILS_H
