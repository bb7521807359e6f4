//===- ModifiedVars.cpp - The state a loop nest may change ----------------===//
#include "ModifiedVars.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Basic/SourceManager.h"

#include <map>
#include <memory>
#include <set>

using namespace clang;

namespace pl {
namespace {

/// Dereferences of each pointer variable (`*p`, `p[i]`, `p->m`) and the
/// closure variables holding lambdas that capture a variable by reference.
struct Aliases : RecursiveASTVisitor<Aliases> {
  std::multimap<const ValueDecl *, const Expr *> Derefs;      // pointer -> *p
  std::multimap<const ValueDecl *, const VarDecl *> Closures; // captured -> closure var
  std::map<const VarDecl *, const LambdaExpr *> Lambdas;

  static const ValueDecl *refTo(const Expr *E) {
    if (auto *DR = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts())) return DR->getDecl();
    return nullptr;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->getOpcode() == UO_Deref)
      if (const ValueDecl *D = refTo(U->getSubExpr())) Derefs.emplace(D, U);
    return true;
  }
  bool VisitArraySubscriptExpr(ArraySubscriptExpr *A) {
    if (const ValueDecl *D = refTo(A->getBase())) Derefs.emplace(D, A);
    return true;
  }
  bool VisitMemberExpr(MemberExpr *M) {
    if (M->isArrow())
      if (const ValueDecl *D = refTo(M->getBase())) Derefs.emplace(D, M);
    return true;
  }
  bool VisitVarDecl(VarDecl *V) {
    if (!V->getInit()) return true;
    const Expr *Init = V->getInit()->IgnoreImplicit();
    if (auto *C = dyn_cast<CXXConstructExpr>(Init); C && C->getNumArgs() == 1)
      Init = C->getArg(0)->IgnoreImplicit();
    if (auto *L = dyn_cast<LambdaExpr>(Init)) {
      Lambdas[V] = L;
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          Closures.emplace(C.getCapturedVar(), V);
    }
    return true;
  }
};

/// Every declaration the nest refers to (the analyzer only ever finds
/// mutations through such references, so the others need no query).
std::set<const ValueDecl *> referencedIn(const Stmt *Nest) {
  struct Finder : RecursiveASTVisitor<Finder> {
    std::set<const ValueDecl *> Refs;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Refs.insert(E->getDecl());
      return true;
    }
  } F;
  F.TraverseStmt(const_cast<Stmt *>(Nest));
  return std::move(F.Refs);
}

bool declaredInside(const ValueDecl *D, const Stmt *Nest, const SourceManager &SM) {
  SourceLocation L = SM.getFileLoc(D->getLocation());
  SourceRange R(SM.getFileLoc(Nest->getBeginLoc()), SM.getFileLoc(Nest->getEndLoc()));
  return !SM.isBeforeInTranslationUnit(L, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), L);
}

} // namespace

void runModifiedVars(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::map<const Stmt *, std::unique_ptr<ExprMutationAnalyzer>> Analyzers;
  std::map<const Stmt *, std::unique_ptr<Aliases>> AliasMaps;
  std::map<const Stmt *, std::set<const ValueDecl *>> Referenced;
  for (LoopRecord &R : Loops) {
    // The whole nest this loop belongs to in its function: the outermost
    // enclosing loop. Code of an outer iteration between its boundary and
    // this loop (a shuffle before the batch loop) is replayed on resume, so
    // what it changes must be restored here too.
    const LoopRecord *Top = &R;
    while (Top->Parent >= 0)
      Top = &Loops[Top->Parent];
    auto &Mutations = Analyzers[Top->Loop];
    if (!Mutations) {
      Mutations = std::make_unique<ExprMutationAnalyzer>(*Top->Loop, Ctx);
      Referenced[Top->Loop] = referencedIn(Top->Loop);
    }
    const std::set<const ValueDecl *> &Refs = Referenced[Top->Loop];
    auto Mentions = [&](const ValueDecl *D) { return Refs.count(D) > 0; };
    // Candidates: what is in scope between two iterations (the loop's own
    // variables included, the body's locals excluded: they are dead there).
    auto &Alias = AliasMaps[R.ContextBody];
    if (!Alias) {
      Alias = std::make_unique<Aliases>();
      Alias->TraverseStmt(const_cast<Stmt *>(R.ContextBody));
    }
    for (const VisibleVar &V : R.BeginVars) {
      // A const object (or what a reference-to-const names) cannot be
      // modified through this name; only its `mutable` members could, which
      // the analyzer would not see either. Skipping it saves a query.
      QualType Named = V.Decl->getType().getNonReferenceType();
      bool ReadOnly = Named.isConstQualified() && !Named->isPointerType();
      bool State = declaredInside(V.Decl, Top->Loop, SM) ||
                   (!ReadOnly && Mentions(V.Decl) && Mutations->isMutated(V.Decl));
      // A pointer whose pointee the nest writes (`*p += 1`, `p[i] = 0`): the
      // pointee is state, and it is reached through the pointer.
      auto Derefs = Alias->Derefs.equal_range(V.Decl);
      for (auto It = Derefs.first; !State && It != Derefs.second; ++It)
        State = declaredInside(V.Decl, Top->Loop, SM) ||
                (Mentions(V.Decl) && Mutations->isMutated(It->second));
      // Captured by reference in a lambda the nest uses, which may write it.
      auto Closures = Alias->Closures.equal_range(V.Decl);
      for (auto It = Closures.first; !State && It != Closures.second; ++It) {
        const LambdaExpr *L = Alias->Lambdas[It->second];
        State = Mentions(It->second) && ExprMutationAnalyzer(*L->getBody(), Ctx).isMutated(V.Decl);
      }
      if (State) R.State.push_back(V.Name);
    }
  }
}

} // namespace pl
