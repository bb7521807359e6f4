//===- ModifiedVars.cpp - The state a loop nest may change ----------------===//
#include "ModifiedVars.h"
#include "utils/PassUtils.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

using namespace clang;

namespace pl {
namespace {

/// The field `E` names through `this` (`f` or `this->f`), or null.
const FieldDecl *thisField(const Expr *E) {
  auto *M = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  if (!M || !isa<CXXThisExpr>(M->getBase()->IgnoreParenImpCasts())) return nullptr;
  return dyn_cast<FieldDecl>(M->getMemberDecl());
}

/// A namespace-scope variable or static data member, or null.
const VarDecl *globalVar(const Decl *D) {
  auto *V = dyn_cast<VarDecl>(D);
  return V && V->hasGlobalStorage() && !V->isLocalVarDeclOrParm() ? V : nullptr;
}

bool definedHere(const VarDecl *V, ASTContext &Ctx) {
  return V->hasDefinition(Ctx) != VarDecl::DeclarationOnly;
}

/// Dereferences of each pointer variable or field (`*p`, `p[i]`, `p->m`) and
/// the closure variables holding lambdas that capture a variable by
/// reference, or `this`.
struct Aliases : RecursiveASTVisitor<Aliases> {
  std::multimap<const ValueDecl *, const Expr *> Derefs;      // pointer -> *p
  std::multimap<const ValueDecl *, const VarDecl *> Closures; // captured -> closure var
  std::map<const VarDecl *, const LambdaExpr *> Lambdas;
  std::vector<const VarDecl *> ThisClosures;

  static const ValueDecl *refTo(const Expr *E) {
    if (auto *DR = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts())) return DR->getDecl();
    return thisField(E);
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
      for (const LambdaCapture &C : L->captures()) {
        if (C.capturesThis()) ThisClosures.push_back(V);
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          Closures.emplace(C.getCapturedVar(), V);
      }
    }
    return true;
  }
};

/// What a loop nest refers to. The analyzer only ever finds mutations
/// through references, so nothing else needs a query.
struct NestRefs : RecursiveASTVisitor<NestRefs> {
  const CXXRecordDecl *This = nullptr;
  std::set<const ValueDecl *> Decls;
  std::vector<const VarDecl *> Globals;  // first use order
  std::vector<const FieldDecl *> Fields; // of *this, first use order
  std::map<const FieldDecl *, std::vector<const Expr *>> FieldUses;

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (Decls.insert(E->getDecl()).second)
      if (const VarDecl *G = globalVar(E->getDecl())) Globals.push_back(G);
    return true;
  }
  bool VisitMemberExpr(MemberExpr *E) {
    const FieldDecl *F = thisField(E);
    if (!F || !This) return true;
    const CXXRecordDecl *Of =
        E->getBase()->IgnoreParenImpCasts()->getType()->getPointeeCXXRecordDecl();
    if (!Of || Of->getCanonicalDecl() != This) return true; // a local class's `this`
    auto &Uses = FieldUses[F];
    if (Uses.empty()) Fields.push_back(F);
    Uses.push_back(E);
    return true;
  }
};

/// A field of `*this` or a global that is state of a nest: its name where
/// nothing hides it, and the one that always works.
struct OuterVar {
  VisibleVar Var;
  std::string Qualified; ///< "this->f", "::ns::g"
  bool ArrayOnly = false; ///< a pointer the nest only writes through (Saving::Array)
};

/// One outermost loop with everything inside it.
struct Nest {
  std::unique_ptr<ExprMutationAnalyzer> Mutations;
  NestRefs Refs;
  std::vector<OuterVar> Outer;
};

/// Whether the nest may modify what `D` names or points to, given the
/// expressions that name it (`Uses`; for a variable, the analyzer finds them).
bool mayModify(const ValueDecl *D, Nest &N, Aliases &A,
               const std::vector<const Expr *> *Uses = nullptr, bool Pointee = true) {
  // A const object (or what a reference-to-const names) cannot be modified
  // through this name; only its `mutable` members could, which the analyzer
  // would not see either. Skipping it saves a query.
  QualType Named = D->getType().getNonReferenceType();
  if (!Named.isConstQualified() || Named->isPointerType()) {
    if (!Uses && N.Mutations->isMutated(D)) return true;
    if (Uses && llvm::any_of(*Uses, [&](const Expr *E) { return N.Mutations->isMutated(E); }))
      return true;
  }
  // A pointer whose pointee the nest writes (`*p += 1`, `p[i] = 0`): the
  // pointee is state, and it is reached through the pointer (unless the
  // pointer is array state: LoopRecord::Arrays, saved as its pointee).
  if (!Pointee) return false;
  auto Derefs = A.Derefs.equal_range(D);
  for (auto It = Derefs.first; It != Derefs.second; ++It)
    if (N.Mutations->isMutated(It->second)) return true;
  return false;
}

/// Captured by reference in a lambda the nest uses, which may write it.
bool closureMayModify(const ValueDecl *D, Nest &N, Aliases &A, ASTContext &Ctx) {
  auto Closures = A.Closures.equal_range(D);
  for (auto It = Closures.first; It != Closures.second; ++It) {
    const LambdaExpr *L = A.Lambdas[It->second];
    if (N.Refs.Decls.count(It->second) && ExprMutationAnalyzer(*L->getBody(), Ctx).isMutated(D))
      return true;
  }
  return false;
}

/// Fields of `*this` that lambdas capturing `this`, used by the nest, may write.
std::vector<const FieldDecl *> fieldsWrittenByClosures(Nest &N, Aliases &A, ASTContext &Ctx) {
  std::vector<const FieldDecl *> Out;
  for (const VarDecl *C : A.ThisClosures) {
    if (!N.Refs.Decls.count(C)) continue;
    const LambdaExpr *L = A.Lambdas[C];
    NestRefs Body;
    Body.This = N.Refs.This;
    Body.TraverseStmt(L->getBody());
    ExprMutationAnalyzer Mutations(*L->getBody(), Ctx);
    for (const FieldDecl *F : Body.Fields)
      for (const Expr *E : Body.FieldUses[F])
        if (Mutations.isMutated(E)) {
          Out.push_back(F);
          break;
        }
  }
  return Out;
}

/// A variable a hook can be handed: named, addressable, not volatile.
bool exposable(const ValueDecl *D) {
  if (!D->getIdentifier() || D->getType()->isVariablyModifiedType()) return false;
  if (auto *F = dyn_cast<FieldDecl>(D); F && F->isBitField()) return false;
  return !D->getType().getNonReferenceType().isVolatileQualified();
}

OuterVar outerVar(const ValueDecl *D, const LoopRecord &Top, const CXXRecordDecl *This,
                  ASTContext &Ctx) {
  OuterVar O;
  O.Var.Decl = D;
  O.Var.Type = D->getType().getAsString(Ctx.getPrintingPolicy());
  O.Var.Name = D->getName().str();
  if (isa<FieldDecl>(D)) {
    O.Qualified = "this->" + O.Var.Name;
    return O;
  }
  O.Qualified = "::" + qualifiedName(D, Ctx);
  // The plain name resolves to the global only from inside its scope, and
  // when no member of the class hides it.
  auto *Fn = dyn_cast_or_null<DeclContext>(Top.Context);
  bool InScope = Fn && D->getDeclContext()->getRedeclContext()->Encloses(Fn);
  if (!InScope || (This && !This->lookup(D->getDeclName()).empty()))
    O.Var.Name = qualifiedName(D, Ctx);
  return O;
}

/// The fields of `*this` and the globals of this file the nest may modify
/// (or that PL_PERSIST names), minus PL_TRANSIENT ones.
std::vector<OuterVar> outerState(const LoopRecord &Top, Nest &N, Aliases &A, ASTContext &Ctx) {
  std::vector<const ValueDecl *> Chosen;
  auto Choose = [&](const ValueDecl *D) {
    if (!llvm::is_contained(Top.Transient, D) && exposable(D) && !llvm::is_contained(Chosen, D))
      Chosen.push_back(D);
  };
  for (const FieldDecl *F : N.Refs.Fields)
    if (mayModify(F, N, A, &N.Refs.FieldUses[F], !llvm::is_contained(Top.Arrays, F))) Choose(F);
  if (N.Refs.This)
    for (const FieldDecl *F : fieldsWrittenByClosures(N, A, Ctx))
      Choose(F);
  const SourceManager &SM = Ctx.getSourceManager();
  for (const VarDecl *G : N.Refs.Globals)
    if (definedHere(G, Ctx) && !SM.isInSystemHeader(G->getLocation()) && mayModify(G, N, A))
      Choose(G);
  for (const auto *Named : {&Top.Persist, &Top.WrittenThrough})
    for (const ValueDecl *D : *Named)
      if ((isa<FieldDecl>(D) && N.Refs.This) || (isa<VarDecl>(D) && globalVar(D))) Choose(D);
  size_t Itself = Chosen.size(); // the pointer fields after these are only written through
  for (const ValueDecl *D : Top.Arrays)
    if (isa<FieldDecl>(D) && N.Refs.This) Choose(D);
  std::vector<OuterVar> Out;
  for (const ValueDecl *D : Chosen) {
    Out.push_back(outerVar(D, Top, N.Refs.This, Ctx));
    Out.back().ArrayOnly = Out.size() > Itself;
  }
  return Out;
}

/// The state among the variables visible between two iterations (the
/// loop's own variables included, the body's locals excluded: they are
/// dead there).
void selectVisibleState(LoopRecord &R, const LoopRecord &Top, Nest &N, Aliases &A,
                        ASTContext &Ctx) {
  for (const VisibleVar &V : R.BeginVars) {
    if (llvm::is_contained(R.Transient, V.Decl)) continue;
    if (llvm::is_contained(R.ReadOnly, V.Decl) && !llvm::is_contained(R.Persist, V.Decl)) continue;
    bool State = llvm::is_contained(R.Persist, V.Decl) ||
                 llvm::is_contained(R.WrittenThrough, V.Decl) ||
                 declaredInside(V.Decl, Top.Loop, Ctx.getSourceManager()) ||
                 (N.Refs.Decls.count(V.Decl) &&
                  mayModify(V.Decl, N, A, nullptr, !llvm::is_contained(R.Arrays, V.Decl))) ||
                 closureMayModify(V.Decl, N, A, Ctx);
    if (State)
      R.State.push_back({V});
    else if (llvm::is_contained(R.Arrays, V.Decl)) // only written through
      R.State.push_back({V, Saving::Array});
  }
}

/// Puts the nest's fields and globals that are state before the locals of
/// every point of R (and of its state), named so the name resolves there.
void addOuterState(LoopRecord &R, const std::vector<OuterVar> &Outer) {
  if (Outer.empty()) return;
  auto AddTo = [&](std::vector<VisibleVar> &Vs) {
    llvm::StringSet<> Taken;
    for (const VisibleVar &V : Vs)
      Taken.insert(V.Name);
    std::vector<VisibleVar> Add;
    for (const OuterVar &O : Outer) {
      Add.push_back(O.Var);
      if (Taken.contains(O.Var.Name)) Add.back().Name = O.Qualified;
    }
    Vs.insert(Vs.begin(), Add.begin(), Add.end());
    return Add;
  };
  AddTo(R.EnterVars);
  std::vector<VisibleVar> AtBegin = AddTo(R.BeginVars);
  AddTo(R.EndVars);
  for (ContinuePoint &C : R.Continues)
    AddTo(C.Vars);
  std::vector<StateVar> Outers;
  for (size_t I = 0; I < AtBegin.size(); ++I)
    Outers.push_back({AtBegin[I], Outer[I].ArrayOnly ? Saving::Array : Saving::Yes});
  R.State.insert(R.State.begin(), Outers.begin(), Outers.end());
}

} // namespace

void runModifiedVars(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  std::map<const Stmt *, Nest> Nests;
  std::map<const Stmt *, std::unique_ptr<Aliases>> AliasMaps;
  for (LoopRecord &R : Loops) {
    // The whole nest this loop belongs to in its function: the outermost
    // enclosing loop. Code of an outer iteration between its boundary and
    // this loop (a shuffle before the batch loop) is replayed on resume, so
    // what it changes must be restored here too.
    const LoopRecord *Top = &R;
    while (Top->Parent >= 0)
      Top = &Loops[Top->Parent];
    auto &Alias = AliasMaps[R.ContextBody];
    if (!Alias) {
      Alias = std::make_unique<Aliases>();
      Alias->TraverseStmt(const_cast<Stmt *>(R.ContextBody));
    }
    Nest &N = Nests[Top->Loop];
    if (!N.Mutations) {
      N.Mutations = std::make_unique<ExprMutationAnalyzer>(*Top->Loop, Ctx);
      N.Refs.This = thisClass(Top->Context);
      N.Refs.TraverseStmt(const_cast<Stmt *>(Top->Loop));
      N.Outer = outerState(*Top, N, *Alias, Ctx);
    }
    selectVisibleState(R, *Top, N, *Alias, Ctx);
    addOuterState(R, N.Outer);
  }
}

} // namespace pl
