//===- TrackArrays.cpp - Record the length of arrays the program allocates ===//
#include "TrackArrays.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace pl {
namespace {

class Tracker : public RecursiveASTVisitor<Tracker> {
public:
  Tracker(ASTContext &Ctx, FileID File, Rewriter &RW)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), File(File), RW(RW) {}

  unsigned Count = 0;

  // Constant evaluation cannot call the runtime.
#define PL_FUNCTION_KIND(Kind)                                                                     \
  bool Traverse##Kind(Kind *FD) {                                                                  \
    bool Was = Constexpr;                                                                          \
    Constexpr = FD->isConstexpr();                                                                 \
    bool Ok = RecursiveASTVisitor::Traverse##Kind(FD);                                             \
    Constexpr = Was;                                                                               \
    return Ok;                                                                                     \
  }
  PL_FUNCTION_KIND(FunctionDecl)
  PL_FUNCTION_KIND(CXXMethodDecl)
  PL_FUNCTION_KIND(CXXConstructorDecl)
  PL_FUNCTION_KIND(CXXDestructorDecl)
  PL_FUNCTION_KIND(CXXConversionDecl)
#undef PL_FUNCTION_KIND

  bool VisitCXXNewExpr(CXXNewExpr *E) {
    if (Constexpr || !E->isArray() || E->getNumPlacementArgs() > 0 || E->isGlobalNew() ||
        !E->getArraySize() || !*E->getArraySize() || E->getAllocatedType()->isArrayType() ||
        classOperatorNew(E))
      return true;
    bool Value = false;
    if (E->hasInitializer()) {
      const Expr *Init = E->getInitializer();
      auto *Construct = dyn_cast<CXXConstructExpr>(Init);
      auto *List = dyn_cast<InitListExpr>(Init);
      auto *Parens = dyn_cast<ParenListExpr>(Init);
      bool Empty = (Construct && Construct->getNumArgs() == 0) ||
                   (List && List->getNumInits() == 0) || (Parens && Parens->getNumExprs() == 0) ||
                   isa<ImplicitValueInitExpr>(Init);
      if (!Empty) return true;
      Value = true;
    }
    const Expr *Size = *E->getArraySize();
    SourceLocation Begin = E->getBeginLoc(), SizeBegin = Size->getBeginLoc(),
                   SizeEnd = Size->getEndLoc(), End = E->getEndLoc();
    if (!mine(Begin) || !mine(SizeBegin) || !mine(SizeEnd) || !mine(End)) return true;
    // `new T[` : the text before the length, ending in '['.
    StringRef Head = text(Begin, SizeBegin);
    StringRef Trimmed = Head.rtrim();
    if (!Trimmed.consume_front("new") || !Trimmed.ends_with("[")) return true;
    StringRef Type = Trimmed.drop_back().trim();
    if (Type.empty() || Type.contains('[') || Type.starts_with("(")) return true;
    // `]` (and the empty initializer) after the length.
    SourceLocation AfterSize = Lexer::getLocForEndOfToken(SizeEnd, 0, SM, LO);
    SourceLocation AfterAll = Lexer::getLocForEndOfToken(End, 0, SM, LO);
    if (AfterSize.isInvalid() || AfterAll.isInvalid()) return true;
    StringRef Tail = text(AfterSize, AfterAll).trim();
    if (!Tail.starts_with("]")) return true;
    RW.ReplaceText(CharSourceRange::getCharRange(Begin, SizeBegin),
                   std::string("::pl::abi::") + (Value ? "new_array_value<" : "new_array<") +
                       Type.str() + ">(");
    RW.ReplaceText(CharSourceRange::getCharRange(AfterSize, AfterAll), ")");
    ++Count;
    return true;
  }

  bool VisitCXXDeleteExpr(CXXDeleteExpr *E) {
    if (Constexpr || !E->isArrayForm() || E->isGlobalDelete()) return true;
    const Expr *Arg = E->getArgument();
    QualType P = Arg->IgnoreImpCasts()->getType();
    if (!P->isDependentType() && P->isPointerType() &&
        (P->getPointeeType()->isArrayType() || classOperatorDelete(P->getPointeeType())))
      return true;
    SourceLocation Begin = E->getBeginLoc(), ArgBegin = Arg->getBeginLoc(),
                   ArgEnd = Arg->getEndLoc();
    if (!mine(Begin) || !mine(ArgBegin) || !mine(ArgEnd)) return true;
    StringRef Head = text(Begin, ArgBegin);
    std::string Compact;
    for (char C : Head)
      if (!isspace(static_cast<unsigned char>(C))) Compact += C;
    if (Compact != "delete[]") return true;
    SourceLocation AfterArg = Lexer::getLocForEndOfToken(ArgEnd, 0, SM, LO);
    if (AfterArg.isInvalid()) return true;
    RW.ReplaceText(CharSourceRange::getCharRange(Begin, ArgBegin), "::pl::abi::delete_array(");
    RW.InsertTextAfter(AfterArg, ")");
    ++Count;
    return true;
  }

private:
  /// A file location of this file, not from a macro.
  bool mine(SourceLocation L) const {
    return L.isValid() && L.isFileID() && SM.getFileID(L) == File;
  }

  StringRef text(SourceLocation B, SourceLocation E) const {
    bool Invalid = false;
    StringRef T = Lexer::getSourceText(CharSourceRange::getCharRange(B, E), SM, LO, &Invalid);
    return Invalid ? StringRef() : T;
  }

  static bool classOperatorNew(const CXXNewExpr *E) {
    const FunctionDecl *Op = E->getOperatorNew();
    return Op && isa<CXXMethodDecl>(Op);
  }
  static bool classOperatorDelete(QualType T) {
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition()) return false;
    return !RD->lookup(RD->getASTContext().DeclarationNames.getCXXOperatorName(OO_Array_Delete))
                .empty();
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const LangOptions &LO;
  FileID File;
  Rewriter &RW;
  bool Constexpr = false;
};

} // namespace

unsigned runTrackArrays(ASTContext &Ctx, FileID File, Rewriter &RW) {
  if (!Ctx.getLangOpts().CPlusPlus) return 0;
  Tracker T(Ctx, File, RW);
  T.TraverseDecl(Ctx.getTranslationUnitDecl());
  return T.Count;
}

} // namespace pl
