//===- RestoredLater.cpp - Completed loops a resume may skip --------------===//
#include "RestoredLater.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

#include <map>
#include <set>

using namespace clang;

namespace pl {
namespace {

/// The statement a loop is as a child of its block: through labels and
/// attributes around it.
const Stmt *asBlockChild(const Stmt *S, ASTContext &Ctx, const CompoundStmt *&Block) {
  while (true) {
    auto Parents = Ctx.getParents(*S);
    if (Parents.size() != 1) return nullptr;
    const Stmt *P = Parents[0].get<Stmt>();
    if (!P) return nullptr;
    if (auto *CS = dyn_cast<CompoundStmt>(P)) {
      Block = CS;
      return S;
    }
    if (!isa<LabelStmt, AttributedStmt>(P)) return nullptr;
    S = P;
  }
}

/// The loop statement inside labels and attributes, or null.
const Stmt *loopInside(const Stmt *S) {
  while (true) {
    if (auto *L = dyn_cast<LabelStmt>(S))
      S = L->getSubStmt();
    else if (auto *A = dyn_cast<AttributedStmt>(S))
      S = A->getSubStmt();
    else
      break;
  }
  return isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(S) ? S : nullptr;
}

/// Declarations read by what a loop evaluates before its first iteration.
std::set<const ValueDecl *> readBeforeFirstIteration(const Stmt *Loop) {
  struct Refs : RecursiveASTVisitor<Refs> {
    std::set<const ValueDecl *> Decls;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      Decls.insert(E->getDecl());
      return true;
    }
  } R;
  auto Visit = [&](const Stmt *S) {
    if (S) R.TraverseStmt(const_cast<Stmt *>(S));
  };
  if (auto *F = dyn_cast<ForStmt>(Loop)) {
    Visit(F->getInit());
    Visit(F->getCond());
  } else if (auto *W = dyn_cast<WhileStmt>(Loop)) {
    Visit(W->getCond());
  } else if (auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) {
    Visit(RF->getInit());
    Visit(RF->getRangeInit());
  }
  return std::move(R.Decls);
}

} // namespace

void runRestoredLater(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::map<const Stmt *, const LoopRecord *> ByStmt;
  for (const LoopRecord &R : Loops)
    ByStmt[R.Loop] = &R;
  for (LoopRecord &R : Loops) {
    if (!R.Instrumentable || !R.Uncaptured.empty() || !R.Unsaveable.empty()) continue;
    const CompoundStmt *Block = nullptr;
    const Stmt *Self = asBlockChild(R.Outer, Ctx, Block);
    if (!Self || !Block) continue;
    const Stmt *Next = nullptr;
    for (auto It = Block->body_begin(); It != Block->body_end(); ++It)
      if (*It == Self) {
        for (++It; It != Block->body_end() && isa<NullStmt>(*It); ++It) {
        }
        if (It != Block->body_end()) Next = *It;
        break;
      }
    const Stmt *NextLoop = Next ? loopInside(Next) : nullptr;
    auto M = NextLoop ? ByStmt.find(NextLoop) : ByStmt.end();
    if (M == ByStmt.end() || !M->second->Instrumentable) continue;
    // What this loop modifies that outlives it: its state declared outside it.
    SourceLocation Begin = SM.getFileLoc(R.Loop->getBeginLoc());
    SourceLocation End = SM.getFileLoc(R.Loop->getEndLoc());
    std::set<const ValueDecl *> Restored;
    for (const StateVar &V : M->second->State)
      if (V.Saveable == Saving::Yes || V.Saveable == Saving::Array) Restored.insert(V.Decl);
    const std::set<const ValueDecl *> ReadFirst = readBeforeFirstIteration(NextLoop);
    bool Covered = true;
    for (const StateVar &V : R.State) {
      SourceLocation At = SM.getFileLoc(V.Decl->getLocation());
      if (SM.isPointWithin(At, Begin, End)) continue; // dies with the loop
      if (!Restored.count(V.Decl) || ReadFirst.count(V.Decl)) {
        Covered = false;
        break;
      }
    }
    if (Covered) R.RestoredBy = M->second->FullName;
  }
}

} // namespace pl
