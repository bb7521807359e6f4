//===- WriteEffects.cpp - What code may write, through what ---------------===//
#include "WriteEffects.h"
#include "utils/MemoryRoots.h"
#include "utils/PassUtils.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/Path.h"

#include <set>
#include <tuple>

using namespace clang;

namespace pl {
namespace {

using AliasMap = std::map<const VarDecl *, MemoryRoots>;

/// Code of a library pl does not follow: system headers, std, Eigen.
bool inLibrary(const Decl *D, const SourceManager &SM) {
  if (SM.isInSystemHeader(SM.getFileLoc(D->getLocation()))) return true;
  const NamespaceDecl *Outermost = nullptr;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (auto *NS = dyn_cast<NamespaceDecl>(DC)) Outermost = NS;
  if (!Outermost) return false;
  StringRef N = Outermost->getName();
  return N == "std" || N == "Eigen" || N == "__gnu_cxx";
}

bool isVirtualCall(const CallExpr *C, const FunctionDecl *FD) {
  auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
  if (!MD || !MD->isVirtual() || MD->hasAttr<FinalAttr>() || MD->getParent()->hasAttr<FinalAttr>())
    return false;
  if (auto *ME = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens())) return !ME->hasQualifier();
  return true;
}

/// A library's own object behind a pointer (`FILE *`): what a library
/// function does to it is I/O (uncaptured-effects judges that), not data.
bool libraryHandle(QualType T) {
  const RecordDecl *RD = T->isPointerType() ? T->getPointeeType()->getAsRecordDecl() : nullptr;
  return RD && RD->getASTContext().getSourceManager().isInSystemHeader(
                   RD->getASTContext().getSourceManager().getFileLoc(RD->getLocation()));
}

/// A write through `V` leaves its own storage: `V` refers or points
/// elsewhere, or shares memory with what it was copied from.
bool escapes(const VarDecl *V, bool Indirect) {
  return Indirect || V->getType()->isReferenceType() || sharesOnCopy(V->getType());
}

std::string functionName(const FunctionDecl *FD, const ASTContext &Ctx) {
  if (auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) return "a lambda";
  return qualifiedName(FD, Ctx) + "()";
}

/// The aliases a function body makes: locals that point or refer into
/// other memory, with what they were made from.
struct AliasBuilder : RecursiveASTVisitor<AliasBuilder> {
  AliasMap Aliases;

  static bool aliasing(QualType T) {
    return T->isReferenceType() || T->isPointerType() || sharesOnCopy(T);
  }
  bool VisitVarDecl(VarDecl *V) {
    if (V->hasGlobalStorage() || !V->getInit() || !aliasing(V->getType())) return true;
    appendRoots(Aliases[V],
                V->getType()->isReferenceType() ? locate(V->getInit()) : pointees(V->getInit()));
    return true;
  }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
    const VarDecl *LV = S->getLoopVariable();
    if (LV && aliasing(LV->getType()))
      appendRoots(Aliases[LV], locate(S->getRangeInit()), !LV->getType()->isReferenceType());
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->getOpcode() != BO_Assign) return true;
    auto *DR = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
    auto *V = DR ? dyn_cast<VarDecl>(DR->getDecl()) : nullptr;
    if (V && !V->hasGlobalStorage() && aliasing(V->getType()) && !V->getType()->isReferenceType())
      appendRoots(Aliases[V], pointees(B->getRHS()));
    return true;
  }
};

} // namespace

struct WriteEffects::Impl {
  explicit Impl(ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()) {}

  ASTContext &Ctx;
  const SourceManager &SM;
  std::map<const FunctionDecl *, WriteSummary> Summaries;
  std::set<const FunctionDecl *> Done, InGroup;
  std::map<const Stmt *, AliasMap> Aliases;

  const FunctionDecl *followed(const FunctionDecl *FD) const {
    const FunctionDecl *Def = nullptr;
    if (!FD || !FD->hasBody(Def) || !Def || inLibrary(Def, SM)) return nullptr;
    return Def;
  }

  std::string at(SourceLocation Loc) const {
    PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Loc));
    if (P.isInvalid()) return "";
    return " at " + llvm::sys::path::filename(P.getFilename()).str() + ":" +
           std::to_string(P.getLine());
  }

  const AliasMap &aliasesOf(const Stmt *Body) {
    auto [It, Fresh] = Aliases.try_emplace(Body);
    if (Fresh && Body) {
      AliasBuilder B;
      B.TraverseStmt(const_cast<Stmt *>(Body));
      It->second = std::move(B.Aliases);
    }
    return It->second;
  }

  const WriteSummary &summaryOf(const FunctionDecl *Def);
  WriteSummary compute(const FunctionDecl *Def);
  std::vector<const FunctionDecl *> callees(const Stmt *S, bool Virtuals);
  std::vector<RootWrite> writesOf(const Stmt *S, const Decl *Fn, const Stmt *Body);
};

namespace {

/// The writes of one statement, before aliases are resolved.
class WriteCollector : public RecursiveASTVisitor<WriteCollector> {
public:
  WriteCollector(WriteEffects::Impl &I, std::string FnName) : I(I), FnName(std::move(FnName)) {}
  std::vector<RootWrite> Out;

  // Local classes run only when called: their calls are followed.
  bool TraverseDecl(Decl *D) {
    return isa_and_nonnull<TagDecl>(D) || RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp()) write(locate(B->getLHS()), direct(B));
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->isIncrementDecrementOp()) write(locate(U->getSubExpr()), direct(U));
    return true;
  }
  bool VisitCXXDeleteExpr(CXXDeleteExpr *D) {
    write(pointees(D->getArgument()), direct(D));
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    InCall Scope(*this);
    const FunctionDecl *FD = C->getDirectCallee();
    if (const FunctionDecl *Def = isVirtualCall(C, FD) ? nullptr : I.followed(FD))
      return followedCall(C, Def), true;
    opaqueCall(C, FD);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    InCall Scope(*this);
    const CXXConstructorDecl *Ctor = C->getConstructor();
    const FunctionDecl *Def = I.followed(Ctor);
    const WriteSummary *S = Def ? &I.summaryOf(Def) : nullptr;
    WriteWitness Opaque{opaqueWhy(C, Ctor)};
    for (unsigned A = 0; A < C->getNumArgs() && A < Ctor->getNumParams(); ++A) {
      QualType P = Ctor->getParamDecl(A)->getType();
      if (S) {
        if (auto It = S->Params.find(A); It != S->Params.end())
          write(argRoots(C->getArg(A), P), It->second);
      } else if (!Ctor->isCopyOrMoveConstructor() && mayWriteThrough(P)) {
        write(argRoots(C->getArg(A), P), Opaque);
      }
    }
    if (S) globals(*S);
    return true;
  }

private:
  WriteEffects::Impl &I;
  std::string FnName;

  WriteWitness direct(const Stmt *S) const { return {"in " + FnName + I.at(S->getBeginLoc())}; }

  void write(const MemoryRoots &Roots, const WriteWitness &W) {
    for (const MemoryRoot &R : Roots)
      if (R.This || R.Var) Out.push_back({R.This ? nullptr : R.Var, R.Field, R.Indirect, W, Via});
  }
  /// Set while the writes of a call are recorded.
  bool Via = false;
  struct InCall {
    explicit InCall(WriteCollector &C) : C(C) { C.Via = true; }
    ~InCall() { C.Via = false; }
    WriteCollector &C;
  };

  static MemoryRoots argRoots(const Expr *Arg, QualType Param) {
    if (!Param.isNull() && Param->isReferenceType()) return locate(Arg);
    return pointees(Arg);
  }

  static MemoryRoots objectRoots(const Expr *Obj) {
    return Obj->getType()->isPointerType() ? pointees(Obj) : locate(Obj);
  }

  void followedCall(const CallExpr *C, const FunctionDecl *Def) {
    const WriteSummary &S = I.summaryOf(Def);
    const Expr *Obj = objectOf(C);
    unsigned First = Obj && isa<CXXOperatorCallExpr>(C) ? 1 : 0;
    for (const auto &[Index, W] : S.Params)
      if (First + Index < C->getNumArgs())
        write(argRoots(C->getArg(First + Index), Def->getParamDecl(Index)->getType()), W);
    auto *MD = dyn_cast<CXXMethodDecl>(Def);
    if (MD && MD->getParent()->isLambda()) { // its `this` is the one it captured
      for (RootWrite T : S.This) {
        T.NotNamed = true;
        Out.push_back(T);
      }
    } else if (Obj) {
      for (const RootWrite &T : S.This) {
        MemoryRoots Roots = objectRoots(Obj);
        for (MemoryRoot &R : Roots) {
          if (R.This && !R.Field) R.Field = T.Field;
          R.Indirect = R.Indirect || T.Indirect;
        }
        write(Roots, T.Witness);
      }
    }
    globals(S);
  }

  void globals(const WriteSummary &S) {
    for (RootWrite G : S.Globals) {
      G.NotNamed = true;
      Out.push_back(G);
    }
  }

  std::string opaqueWhy(const Expr *C, const FunctionDecl *FD) const {
    std::string Why;
    if (!FD)
      Why = "by a call through a function pointer or an unresolved callee";
    else if (isa<CallExpr>(C) && isVirtualCall(cast<CallExpr>(C), FD))
      Why = "by a virtual call to '" + qualifiedName(FD, I.Ctx) + "'";
    else if (inLibrary(FD, I.SM))
      Why = "by a call to library function '" + qualifiedName(FD, I.Ctx) + "'";
    else
      Why = "by a call to '" + qualifiedName(FD, I.Ctx) +
            "' (its body is not in this translation unit)";
    return Why + I.at(C->getBeginLoc());
  }

  /// What a call pl cannot follow may write: judged by its signature.
  void opaqueCall(const CallExpr *C, const FunctionDecl *FD) {
    WriteWitness W{opaqueWhy(C, FD)};
    const Expr *Obj = objectOf(C);
    auto *MD = dyn_cast_or_null<CXXMethodDecl>(FD);
    if (Obj && MD && !MD->isConst() && !isAccessor(MD)) write(objectRoots(Obj), W);
    if (!FD) dependentObject(C, W);
    const FunctionProtoType *Proto = nullptr;
    if (!FD)
      if (QualType T = C->getCallee()->getType(); !T.isNull() && T->isPointerType())
        Proto = T->getPointeeType()->getAs<FunctionProtoType>();
    unsigned First = Obj && isa<CXXOperatorCallExpr>(C) ? 1 : 0;
    bool Scanf = FD && FD->getIdentifier() && FD->getName().contains("scanf");
    for (unsigned A = First; A < C->getNumArgs(); ++A) {
      unsigned P = A - First;
      QualType PT = FD && P < FD->getNumParams()         ? FD->getParamDecl(P)->getType()
                    : Proto && P < Proto->getNumParams() ? Proto->getParamType(P)
                                                         : QualType();
      const Expr *Arg = C->getArg(A);
      if (PT.isNull()) { // variadic, or a callee depending on a template parameter
        if (FD && inLibrary(FD, I.SM) && !Scanf) continue;
        if (mayWriteThrough(Arg->getType())) write(pointees(Arg), W);
        if (Arg->getType()->isDependentType()) write(locate(Arg), W);
        continue;
      }
      if (mayWriteThrough(PT) && !(FD && inLibrary(FD, I.SM) && libraryHandle(PT)))
        write(argRoots(Arg, PT), W);
    }
  }

  /// `obj.f()` in a template, where `f` depends on a template parameter.
  void dependentObject(const CallExpr *C, const WriteWitness &W) {
    const Expr *Callee = C->getCallee()->IgnoreParens();
    if (auto *M = dyn_cast<CXXDependentScopeMemberExpr>(Callee); M && !M->isImplicitAccess())
      write(M->isArrow() ? pointees(M->getBase()) : locate(M->getBase()), W);
    if (auto *M = dyn_cast<UnresolvedMemberExpr>(Callee); M && !M->isImplicitAccess())
      write(M->isArrow() ? pointees(M->getBase()) : locate(M->getBase()), W);
  }
};

/// The followed functions a statement calls directly.
struct CalleeCollector : RecursiveASTVisitor<CalleeCollector> {
  CalleeCollector(WriteEffects::Impl &I, bool Virtuals) : I(I), Virtuals(Virtuals) {}
  WriteEffects::Impl &I;
  bool Virtuals;
  std::vector<const FunctionDecl *> Out;

  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!Virtuals && isVirtualCall(C, FD)) return true;
    if (const FunctionDecl *Def = I.followed(FD)) Out.push_back(Def);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    if (const FunctionDecl *Def = I.followed(C->getConstructor())) Out.push_back(Def);
    return true;
  }
};

} // namespace

std::vector<const FunctionDecl *> WriteEffects::Impl::callees(const Stmt *S, bool Virtuals) {
  CalleeCollector C(*this, Virtuals);
  C.TraverseStmt(const_cast<Stmt *>(S));
  return std::move(C.Out);
}

std::vector<RootWrite> WriteEffects::Impl::writesOf(const Stmt *S, const Decl *Fn,
                                                    const Stmt *Body) {
  auto *FD = dyn_cast_or_null<FunctionDecl>(Fn);
  WriteCollector C(*this, FD ? functionName(FD, Ctx) : "this code");
  C.TraverseStmt(const_cast<Stmt *>(S));
  const AliasMap &Alias = aliasesOf(Body);
  std::vector<RootWrite> Out;
  std::set<std::tuple<const VarDecl *, const FieldDecl *, bool>> Seen;
  std::vector<RootWrite> Work = std::move(C.Out);
  for (size_t K = 0; K < Work.size(); ++K) {
    RootWrite W = Work[K];
    if (!Seen.insert({W.Var, W.Field, W.Indirect}).second) continue;
    Out.push_back(W);
    if (!W.Var || !escapes(W.Var, W.Indirect)) continue;
    auto It = Alias.find(W.Var);
    if (It == Alias.end()) continue;
    for (const MemoryRoot &R : It->second)
      if (R.This || R.Var)
        Work.push_back({R.This ? nullptr : R.Var, R.Field, R.Indirect, W.Witness, true});
  }
  return Out;
}

WriteSummary WriteEffects::Impl::compute(const FunctionDecl *Def) {
  WriteSummary S;
  std::set<std::pair<const FieldDecl *, bool>> ThisSeen;
  for (const RootWrite &W : writesOf(Def->getBody(), Def, Def->getBody())) {
    if (!W.Var) {
      if (ThisSeen.insert({W.Field, W.Indirect}).second) S.This.push_back(W);
      continue;
    }
    const DeclContext *Owner = W.Var->getParentFunctionOrMethod();
    auto *P = dyn_cast<ParmVarDecl>(W.Var);
    if (P && Owner == Def) {
      if (escapes(P, W.Indirect)) S.Params.emplace(P->getFunctionScopeIndex(), W.Witness);
    } else if (W.Var->hasGlobalStorage() || Owner != Def) {
      S.Globals.push_back(W); // a global, a static local, or a local a lambda captured
    }
  }
  return S;
}

const WriteSummary &WriteEffects::Impl::summaryOf(const FunctionDecl *Def) {
  if (Done.count(Def) || InGroup.count(Def)) return Summaries[Def];
  // Everything it reaches that is not summarized yet, to a common fixpoint.
  std::vector<const FunctionDecl *> Group{Def};
  std::set<const FunctionDecl *> InThis{Def};
  for (size_t K = 0; K < Group.size(); ++K)
    for (const FunctionDecl *C : callees(Group[K]->getBody(), false))
      if (!Done.count(C) && !InGroup.count(C) && InThis.insert(C).second) Group.push_back(C);
  InGroup.insert(Group.begin(), Group.end());
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *F : Group) {
      WriteSummary New = compute(F);
      WriteSummary &Old = Summaries[F];
      if (New.Params.size() != Old.Params.size() || New.This.size() != Old.This.size() ||
          New.Globals.size() != Old.Globals.size()) {
        Old = std::move(New);
        Changed = true;
      }
    }
  }
  for (const FunctionDecl *F : Group) {
    InGroup.erase(F);
    Done.insert(F);
  }
  return Summaries[Def];
}

WriteEffects::WriteEffects(ASTContext &Ctx) : P(std::make_unique<Impl>(Ctx)) {}
WriteEffects::~WriteEffects() = default;

std::vector<RootWrite> WriteEffects::writesOf(const Stmt *S, const Decl *Fn, const Stmt *Body) {
  return P->writesOf(S, Fn, Body);
}

const WriteSummary &WriteEffects::summaryOf(const FunctionDecl *FD) { return P->summaryOf(FD); }

const FunctionDecl *WriteEffects::followed(const FunctionDecl *FD) const { return P->followed(FD); }

std::vector<const FunctionDecl *> WriteEffects::calleesOf(const Stmt *S) {
  std::vector<const FunctionDecl *> Out = P->callees(S, true);
  std::set<const FunctionDecl *> Seen(Out.begin(), Out.end());
  for (size_t K = 0; K < Out.size(); ++K)
    for (const FunctionDecl *C : P->callees(Out[K]->getBody(), true))
      if (Seen.insert(C).second) Out.push_back(C);
  return Out;
}

MemoryRoots WriteEffects::aliasesOf(const VarDecl *V, const Stmt *Body) {
  const AliasMap &A = P->aliasesOf(Body);
  auto It = A.find(V);
  return It == A.end() ? MemoryRoots{} : It->second;
}

} // namespace pl
