//===- PassUtils.cpp - Helpers more than one pass needs -------------------===//
#include "utils/PassUtils.h"

#include "clang/AST/StmtCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace clang;

namespace pl {

std::string absolutePath(const SourceManager &SM, FileID FID) {
  OptionalFileEntryRef FE = SM.getFileEntryRefForID(FID);
  if (!FE) return "<unknown>";
  llvm::SmallString<256> P(FE->getName());
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

ToolNote makeNote(const SourceManager &SM, SourceLocation Loc, const char *Kind,
                  std::string Message) {
  ToolNote N;
  SourceLocation F = SM.getFileLoc(Loc);
  N.File = absolutePath(SM, SM.getFileID(F));
  N.Line = SM.getSpellingLineNumber(F);
  N.Column = SM.getSpellingColumnNumber(F);
  N.Kind = Kind;
  N.Message = std::move(Message);
  return N;
}

bool declaredInside(const Decl *D, const Stmt *S, const SourceManager &SM) {
  return SM.isPointWithin(SM.getFileLoc(D->getLocation()), SM.getFileLoc(S->getBeginLoc()),
                          SM.getFileLoc(S->getEndLoc()));
}

const Stmt *loopBody(const Stmt *Loop) {
  if (auto *F = dyn_cast<ForStmt>(Loop)) return F->getBody();
  if (auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) return RF->getBody();
  if (auto *W = dyn_cast<WhileStmt>(Loop)) return W->getBody();
  if (auto *D = dyn_cast<DoStmt>(Loop)) return D->getBody();
  return nullptr;
}

SourceLocation endOfStatement(const Stmt *S, const SourceManager &SM, const LangOptions &LO) {
  if (auto *CS = dyn_cast<CompoundStmt>(S)) {
    if (CS->getRBracLoc().isMacroID()) return {};
    return CS->getRBracLoc().getLocWithOffset(1);
  }
  if (auto *I = dyn_cast<IfStmt>(S))
    return endOfStatement(I->getElse() ? I->getElse() : I->getThen(), SM, LO);
  if (isa<ForStmt, CXXForRangeStmt, WhileStmt>(S)) return endOfStatement(loopBody(S), SM, LO);
  if (auto *SW = dyn_cast<SwitchStmt>(S)) return endOfStatement(SW->getBody(), SM, LO);
  if (auto *L = dyn_cast<LabelStmt>(S)) return endOfStatement(L->getSubStmt(), SM, LO);
  if (auto *A = dyn_cast<AttributedStmt>(S)) return endOfStatement(A->getSubStmt(), SM, LO);
  if (auto *T = dyn_cast<CXXTryStmt>(S))
    return endOfStatement(T->getHandler(T->getNumHandlers() - 1), SM, LO);
  if (auto *C = dyn_cast<CXXCatchStmt>(S)) return endOfStatement(C->getHandlerBlock(), SM, LO);
  if (auto *N = dyn_cast<NullStmt>(S)) {
    if (N->getSemiLoc().isMacroID()) return {};
    return N->getSemiLoc().getLocWithOffset(1);
  }
  // Statements ending in ';': expressions, declarations, jumps, do-while.
  SourceLocation End = S->getEndLoc();
  if (End.isInvalid() || End.isMacroID()) return {};
  if (auto *DS = dyn_cast<DeclStmt>(S)) return DS->getEndLoc().getLocWithOffset(1); // at ';'
  return Lexer::findLocationAfterToken(End, tok::semi, SM, LO, false);
}

size_t startOfOwnLine(const SourceManager &SM, SourceLocation Loc) {
  auto [FID, Off] = SM.getDecomposedLoc(SM.getFileLoc(Loc));
  StringRef Buf = SM.getBufferData(FID);
  // StringRef::rfind(C, From) looks at [0, From); npos + 1 == 0.
  size_t LineStart = Buf.rfind('\n', Off) + 1;
  StringRef Before = Buf.slice(LineStart, Off).trim();
  while (Before.consume_front("PL_LOOP")) {
    size_t Close = Before.find(')');
    if (!Before.ltrim().starts_with("(") || Close == StringRef::npos) return StringRef::npos;
    Before = Before.drop_front(Close + 1).ltrim();
  }
  return Before.empty() ? LineStart : StringRef::npos;
}

const CXXRecordDecl *thisClass(const Decl *Context) {
  auto *MD = dyn_cast_or_null<CXXMethodDecl>(Context);
  while (MD && MD->getParent()->isLambda()) {
    const CXXRecordDecl *Closure = MD->getParent();
    if (std::none_of(Closure->captures().begin(), Closure->captures().end(),
                     [](const LambdaCapture &C) { return C.capturesThis(); }))
      return nullptr;
    MD = dyn_cast<CXXMethodDecl>(Closure->getDeclContext());
  }
  return MD && MD->isInstance() ? MD->getParent()->getCanonicalDecl() : nullptr;
}

std::string qualifiedName(const NamedDecl *D, const ASTContext &Ctx) {
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  Policy.SuppressUnwrittenScope = true; // no "(anonymous namespace)::"
  Policy.SuppressInlineNamespace = true;
  std::string S;
  llvm::raw_string_ostream OS(S);
  D->printQualifiedName(OS, Policy);
  return S;
}

std::string cxxStringLiteral(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\') Out += '\\';
    if (C == '\n') {
      Out += "\\n";
      continue;
    }
    Out += C;
  }
  return Out + "\"";
}

} // namespace pl
