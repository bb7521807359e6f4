//===- VisibleVars.cpp - Locals in scope at each event point --------------===//
#include "VisibleVars.h"

#include "clang/AST/ASTLambda.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

#include <map>
#include <memory>
#include <set>

using namespace clang;

namespace pl {
namespace {

class ScopeWalker {
public:
  ScopeWalker(ASTContext &Ctx, const LoopRecord &R)
      : Ctx(Ctx), Body(R.ContextBody), Context(R.Context) {}

  /// Variables in scope just before `S` runs (S a statement inside Body).
  std::vector<VisibleVar> before(const Stmt *S, ParentMap &PM) { return walk(S, nullptr, PM); }
  /// Variables in scope at the closing brace of compound statement `CS`.
  std::vector<VisibleVar> atEndOf(const CompoundStmt *CS, ParentMap &PM) {
    return walk(CS, CS, PM);
  }

private:
  std::vector<VisibleVar> walk(const Stmt *Child, const CompoundStmt *Inside, ParentMap &PM) {
    Out.clear();
    Names.clear();
    if (Inside) addDeclsBefore(Inside, nullptr);
    while (Child && Child != Body) {
      const Stmt *P = PM.getParent(const_cast<Stmt *>(Child));
      if (!P) break;
      addScopeOf(P, Child);
      Child = P;
    }
    addContextParams();
    std::reverse(Out.begin(), Out.end());
    return Out;
  }

  void add(const ValueDecl *D) {
    if (auto *DD = dyn_cast_or_null<DecompositionDecl>(D)) {
      auto Bs = DD->bindings();
      for (auto B = Bs.rbegin(); B != Bs.rend(); ++B)
        add(*B);
      return;
    }
    if (!D || D->isImplicit() || !D->getIdentifier()) return;
    // Shadowed by an inner one. Inserted before the checks below, so a
    // variable that is not exposed still hides the outer one it shadows.
    if (!Names.insert(D->getName().str()).second) return;
    if (D->getType()->isVariablyModifiedType() || D->getType()->isDependentSizedArrayType()) return;
    if (auto *VD = dyn_cast<VarDecl>(D); VD && VD->isParameterPack()) return;
    // Hooks get a copy that is written back: for a volatile object those
    // are accesses the program never made.
    if (D->getType().getNonReferenceType().isVolatileQualified()) return;
    // A binding to a bit-field has no address to hand to the runtime.
    if (auto *B = dyn_cast<BindingDecl>(D);
        B && B->getBinding() && B->getBinding()->refersToBitField())
      return;
    VisibleVar V;
    V.Decl = D;
    V.Name = D->getName().str();
    V.Type = D->getType().getAsString(Ctx.getPrintingPolicy());
    Out.push_back(std::move(V));
  }

  void addDeclStmt(const Stmt *S) {
    auto *DS = dyn_cast_or_null<DeclStmt>(S);
    if (!DS) return;
    // Collected innermost-first and reversed at the end: push in reverse.
    std::vector<const Decl *> Ds(DS->decl_begin(), DS->decl_end());
    for (auto It = Ds.rbegin(); It != Ds.rend(); ++It) {
      if (auto *DD = dyn_cast<DecompositionDecl>(*It)) {
        auto Bs = DD->bindings();
        for (auto B = Bs.rbegin(); B != Bs.rend(); ++B)
          add(*B);
      } else if (auto *VD = dyn_cast<VarDecl>(*It)) {
        add(VD);
      }
    }
  }

  void addDeclsBefore(const CompoundStmt *CS, const Stmt *Stop) {
    std::vector<const Stmt *> Before;
    for (const Stmt *S : CS->body()) {
      if (S == Stop) break;
      Before.push_back(S);
    }
    for (auto It = Before.rbegin(); It != Before.rend(); ++It)
      addDeclStmt(*It);
  }

  void addVar(const VarDecl *VD) {
    if (VD) add(VD);
  }

  void addScopeOf(const Stmt *P, const Stmt *C) {
    if (auto *CS = dyn_cast<CompoundStmt>(P)) {
      addDeclsBefore(CS, C);
    } else if (auto *F = dyn_cast<ForStmt>(P)) {
      if (C == F->getBody() || C == F->getInc()) addVar(F->getConditionVariable());
      if (C != F->getInit()) addDeclStmt(F->getInit());
    } else if (auto *RF = dyn_cast<CXXForRangeStmt>(P)) {
      if (C == RF->getBody()) add(RF->getLoopVariable());
      if (C != RF->getInit()) addDeclStmt(RF->getInit());
    } else if (auto *W = dyn_cast<WhileStmt>(P)) {
      if (C == W->getBody()) addVar(W->getConditionVariable());
    } else if (auto *I = dyn_cast<IfStmt>(P)) {
      if (C == I->getThen() || C == I->getElse()) addVar(I->getConditionVariable());
      if (C != I->getInit()) addDeclStmt(I->getInit());
    } else if (auto *SW = dyn_cast<SwitchStmt>(P)) {
      if (C == SW->getBody()) addVar(SW->getConditionVariable());
      if (C != SW->getInit()) addDeclStmt(SW->getInit());
    } else if (auto *CC = dyn_cast<CXXCatchStmt>(P)) {
      addVar(CC->getExceptionDecl());
    }
  }

  void addContextParams() {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(Context);
    if (!FD) return;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && isLambdaCallOperator(MD)) {
      const CXXRecordDecl *Closure = MD->getParent();
      std::vector<const ValueDecl *> Caps;
      for (const LambdaCapture &LC : Closure->captures())
        if (LC.capturesVariable()) Caps.push_back(LC.getCapturedVar());
      for (auto It = Caps.rbegin(); It != Caps.rend(); ++It)
        add(*It);
    }
    for (unsigned I = FD->getNumParams(); I-- > 0;)
      add(FD->getParamDecl(I));
  }

  ASTContext &Ctx;
  const Stmt *Body;
  const Decl *Context;
  std::vector<VisibleVar> Out;
  std::set<std::string> Names;
};

} // namespace

void runVisibleVars(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  std::map<const Stmt *, std::unique_ptr<ParentMap>> Maps;
  for (LoopRecord &R : Loops) {
    auto &PM = Maps[R.ContextBody];
    if (!PM) PM = std::make_unique<ParentMap>(const_cast<Stmt *>(R.ContextBody));
    ScopeWalker W(Ctx, R);
    R.EnterVars = W.before(R.Outer, *PM);
    const Stmt *Body = nullptr;
    if (auto *F = dyn_cast<ForStmt>(R.Loop))
      Body = F->getBody();
    else if (auto *RF = dyn_cast<CXXForRangeStmt>(R.Loop))
      Body = RF->getBody();
    else if (auto *Wh = dyn_cast<WhileStmt>(R.Loop))
      Body = Wh->getBody();
    else if (auto *D = dyn_cast<DoStmt>(R.Loop))
      Body = D->getBody();
    R.BeginVars = W.before(Body, *PM);
    if (auto *CS = dyn_cast<CompoundStmt>(Body)) {
      // Walk from the body's last position: its own top-level decls count.
      std::vector<VisibleVar> End = W.atEndOf(CS, *PM);
      R.EndVars = std::move(End);
    } else {
      R.EndVars = R.BeginVars;
    }
    for (ContinuePoint &CP : R.Continues)
      CP.Vars = W.before(CP.Stmt, *PM);
  }
}

} // namespace pl
