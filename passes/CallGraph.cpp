//===- CallGraph.cpp - What each loop can call ----------------------------===//
#include "CallGraph.h"
#include "UncapturedEffects.h"
#include "WriteEffects.h"
#include "utils/PassUtils.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <map>
#include <set>

using namespace clang;

namespace pl {
namespace {

constexpr const char *kAnything = "*";
constexpr const char *kVirtual = "virtual:";

/// What a callee is: a function (each template instantiation its own, so
/// that std::vector<int> does not call what std::vector<Model> calls), or
/// "*" / "virtual:<name>".
struct Target {
  const FunctionDecl *Fn = nullptr; ///< canonical declaration
  std::string Special;
  bool operator<(const Target &O) const {
    return Fn != O.Fn ? std::less<const FunctionDecl *>()(Fn, O.Fn) : Special < O.Special;
  }
};

/// One function of the graph and what its body calls.
struct Node {
  std::string Key;
  std::set<Target> Calls;
  bool Body = false;      ///< it has a body here
  bool Elsewhere = false; ///< called, but defined in another file
  bool User = false;      ///< declared outside system headers
  bool Exported = false;  ///< a non-inline external definition: other files may call it
  bool Host = false;      ///< its key holds instrumented loops
};

/// A call in a user function's body, and where (to find its loop).
struct Located {
  std::string From; ///< the caller's key
  SourceLocation Loc;
  Target To;
};

/// A virtual call: every overrider of `Method` seen here may run.
struct VirtualCall {
  const FunctionDecl *From;
  SourceLocation Loc;
  const CXXMethodDecl *Method;
  bool User;
};

/// std::function and friends: calling one may run anything.
bool typeErasedCall(const FunctionDecl *FD, const ASTContext &Ctx) {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  if (!M || M->getOverloadedOperator() != OO_Call) return false;
  const std::string Class = qualifiedName(M->getParent(), Ctx);
  return Class == "std::function" || Class == "std::move_only_function" ||
         Class == "std::copyable_function" || Class == "std::function_ref" ||
         Class == "std::packaged_task";
}

/// An argument that hands code to the callee without naming it here: a
/// function pointer or std::function held in a variable.
bool opaqueCallback(const Expr *Arg, const ASTContext &Ctx) {
  Arg = Arg->IgnoreParenImpCasts();
  if (auto *U = dyn_cast<UnaryOperator>(Arg); U && U->getOpcode() == UO_AddrOf)
    Arg = U->getSubExpr()->IgnoreParenImpCasts();
  if (auto *D = dyn_cast<DeclRefExpr>(Arg); D && isa<FunctionDecl>(D->getDecl())) return false;
  QualType T = Arg->getType();
  if (T->isFunctionPointerType() || T->isMemberFunctionPointerType() || T->isBlockPointerType())
    return true;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD) return false;
  const std::string Class = qualifiedName(RD, Ctx);
  return Class == "std::function" || Class == "std::move_only_function";
}

/// Whether a call to virtual method `M` dispatches (not `Base::f()`, not final).
bool dispatches(const CallExpr *E, const CXXMethodDecl *M) {
  if (!M->isVirtual() || M->hasAttr<FinalAttr>() || M->getParent()->hasAttr<FinalAttr>())
    return false;
  const auto *ME = dyn_cast<MemberExpr>(E->getCallee()->IgnoreParenImpCasts());
  return !ME || !ME->hasQualifier();
}

class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()) {}

  std::map<const FunctionDecl *, Node> Nodes;
  std::vector<Located> Sites;
  std::vector<VirtualCall> Virtuals;
  std::map<const CXXMethodDecl *, std::vector<const CXXMethodDecl *>> Overriders;

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool TraverseDecl(Decl *D) {
    auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody()) return RecursiveASTVisitor::TraverseDecl(D);
    if (!Done.insert(FD).second) return true;
    note(FD);
    Stack.push_back(
        {FD->getCanonicalDecl(), functionKey(FD, Ctx), !SM.isInSystemHeader(FD->getLocation())});
    bool R = RecursiveASTVisitor::TraverseDecl(D);
    Stack.pop_back();
    return R;
  }

  bool TraverseLambdaExpr(LambdaExpr *LE, DataRecursionQueue * = nullptr) {
    call(LE->getBeginLoc(), LE->getCallOperator());
    return RecursiveASTVisitor::TraverseLambdaExpr(LE);
  }

  bool VisitCXXMethodDecl(CXXMethodDecl *M) {
    for (const CXXMethodDecl *O : M->overridden_methods())
      Overriders[O->getCanonicalDecl()].push_back(M);
    return true;
  }

  bool VisitCallExpr(CallExpr *E) {
    if (Stack.empty()) return true;
    const bool User = Stack.back().User;
    const FunctionDecl *FD = E->getDirectCallee();
    if (!FD) {
      // Dependent calls are resolved in the instantiations; the rest go
      // through a pointer.
      if (!E->isTypeDependent() && !E->isValueDependent() && User &&
          !isa<CXXPseudoDestructorExpr>(E->getCallee()->IgnoreParens()))
        add(E->getBeginLoc(), {nullptr, kAnything});
      return true;
    }
    if (typeErasedCall(FD, Ctx)) return add(E->getBeginLoc(), {nullptr, kAnything}), true;
    call(E->getBeginLoc(), FD);
    if (auto *M = dyn_cast<CXXMethodDecl>(FD); M && dispatches(E, M))
      Virtuals.push_back({Stack.back().Fn, E->getBeginLoc(), M, User});
    if (User && !FD->hasBody() && SM.isInSystemHeader(FD->getLocation()))
      for (const Expr *Arg : E->arguments())
        if (opaqueCallback(Arg, Ctx)) add(E->getBeginLoc(), {nullptr, kAnything});
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    if (Stack.empty()) return true;
    call(E->getBeginLoc(), E->getConstructor());
    destructors(E->getBeginLoc(), E->getConstructor()->getParent());
    return true;
  }

  bool VisitCXXInheritedCtorInitExpr(CXXInheritedCtorInitExpr *E) {
    if (!Stack.empty()) call(E->getBeginLoc(), E->getConstructor());
    return true;
  }

  bool VisitCXXNewExpr(CXXNewExpr *E) {
    if (!Stack.empty() && E->getOperatorNew()) call(E->getBeginLoc(), E->getOperatorNew());
    return true;
  }

  bool VisitCXXDeleteExpr(CXXDeleteExpr *E) {
    if (Stack.empty()) return true;
    if (E->getOperatorDelete()) call(E->getBeginLoc(), E->getOperatorDelete());
    const QualType T = E->getDestroyedType();
    if (T.isNull() || T->isDependentType()) return true; // resolved in the instantiations
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    destructors(E->getBeginLoc(), RD);
    if (RD && RD->hasDefinition())
      if (const CXXDestructorDecl *Dt = RD->getDefinition()->getDestructor(); Dt && Dt->isVirtual())
        Virtuals.push_back({Stack.back().Fn, E->getBeginLoc(), Dt, Stack.back().User});
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    // A call's callee, or a function whose address is taken: a callback.
    if (auto *FD = dyn_cast<FunctionDecl>(E->getDecl()); FD && !Stack.empty())
      call(E->getBeginLoc(), FD);
    return true;
  }

  /// Records that function `FD` exists, and how; returns its node.
  Node &note(const FunctionDecl *FD) {
    Node &N = Nodes[FD->getCanonicalDecl()];
    if (N.Key.empty()) N.Key = functionKey(FD, Ctx);
    // Implicit declarations (the global operator new) belong to the library.
    const SourceLocation L = FD->getCanonicalDecl()->getLocation();
    N.User |=
        L.isValid() && !SM.isInSystemHeader(L) && !FD->isReplaceableGlobalAllocationFunction();
    if (FD->hasBody()) {
      N.Body = true;
      const FunctionDecl *Def = FD->getDefinition();
      N.Exported |=
          Def && Def->isExternallyVisible() && !Def->isInlined() && !Def->isMain() &&
          Def->getTemplatedKind() == FunctionDecl::TK_NonTemplate && !Def->isDependentContext() &&
          !(isa<CXXMethodDecl>(Def) && cast<CXXMethodDecl>(Def)->getParent()->isLocalClass());
    } else if (!FD->isPureVirtual() && !FD->isDeleted() && !FD->isImplicit() &&
               !FD->isDefaulted()) {
      N.Elsewhere = true; // (compiler-generated members without a body are trivial)
    }
    return N;
  }

  /// An edge from the current function to `To`, located when in user code.
  void add(SourceLocation Loc, Target To) {
    Nodes[Stack.back().Fn].Calls.insert(To);
    if (Stack.back().User && Loc.isValid())
      Sites.push_back({Stack.back().Key, SM.getExpansionLoc(Loc), std::move(To)});
  }

  /// The same edge from function `From` (a virtual call resolved later).
  void addFrom(const FunctionDecl *From, bool Located, SourceLocation Loc, Target To) {
    Node &N = Nodes[From];
    N.Calls.insert(To);
    if (Located && Loc.isValid()) Sites.push_back({N.Key, SM.getExpansionLoc(Loc), std::move(To)});
  }

private:
  void call(SourceLocation Loc, const FunctionDecl *FD) {
    if (FD->getBuiltinID() || Stack.empty()) return;
    note(FD);
    add(Loc, {FD->getCanonicalDecl(), ""});
  }

  /// What destroying an object of class `RD` may run: its destructor and
  /// those of its bases and members (implicit destructors have no body to
  /// show them).
  void destructors(SourceLocation Loc, const CXXRecordDecl *RD) {
    if (!RD || !RD->hasDefinition()) return;
    RD = RD->getDefinition();
    auto [It, Fresh] = DtorsOf.try_emplace(RD);
    if (Fresh) {
      std::set<const CXXRecordDecl *> Seen;
      collectDestructors(RD, Seen, It->second);
    }
    for (const FunctionDecl *Dt : It->second)
      call(Loc, Dt);
  }

  static void collectDestructors(const CXXRecordDecl *RD, std::set<const CXXRecordDecl *> &Seen,
                                 std::vector<const FunctionDecl *> &Out) {
    if (!RD || !RD->hasDefinition() || !Seen.insert(RD->getDefinition()).second) return;
    RD = RD->getDefinition();
    if (RD->hasTrivialDestructor()) return;
    if (const CXXDestructorDecl *Dt = RD->getDestructor()) Out.push_back(Dt);
    for (const CXXBaseSpecifier &B : RD->bases())
      collectDestructors(B.getType()->getAsCXXRecordDecl(), Seen, Out);
    for (const FieldDecl *F : RD->fields())
      collectDestructors(F->getType()->getBaseElementTypeUnsafe()->getAsCXXRecordDecl(), Seen, Out);
  }

  struct Frame {
    const FunctionDecl *Fn; ///< canonical
    std::string Key;
    bool User;
  };
  ASTContext &Ctx;
  const SourceManager &SM;
  std::vector<Frame> Stack;
  std::set<const FunctionDecl *> Done;
  std::map<const CXXRecordDecl *, std::vector<const FunctionDecl *>> DtorsOf;
};

/// Adds, for each virtual call, an edge to every overrider seen here and,
/// from user code, "virtual:<name>" for those defined in other files.
void resolveVirtuals(Collector &C) {
  for (const VirtualCall &V : C.Virtuals) {
    std::vector<const CXXMethodDecl *> Work = {V.Method->getCanonicalDecl()};
    std::set<const CXXMethodDecl *> Seen;
    while (!Work.empty()) {
      const CXXMethodDecl *M = Work.back();
      Work.pop_back();
      if (!Seen.insert(M).second) continue;
      C.note(M);
      C.addFrom(V.From, V.User, V.Loc, {M, ""});
      auto It = C.Overriders.find(M);
      if (It != C.Overriders.end())
        for (const CXXMethodDecl *O : It->second)
          Work.push_back(O->getCanonicalDecl());
    }
    if (V.User && !isa<CXXDestructorDecl>(V.Method))
      C.addFrom(V.From, true, V.Loc, {nullptr, kVirtual + V.Method->getNameAsString()});
  }
}

/// What `Start` can reach, followed through this file's bodies and written
/// at the frontier (see CallGraph.h).
std::set<std::string> frontier(const std::map<const FunctionDecl *, Node> &Nodes,
                               const std::set<Target> &Start) {
  std::set<std::string> Out;
  std::set<const FunctionDecl *> Seen;
  std::vector<Target> Work(Start.begin(), Start.end());
  while (!Work.empty()) {
    Target T = std::move(Work.back());
    Work.pop_back();
    if (!T.Fn) { // "*", "virtual:<name>"
      Out.insert(T.Special);
      continue;
    }
    auto It = Nodes.find(T.Fn);
    if (It == Nodes.end() || !Seen.insert(T.Fn).second) continue;
    const Node &N = It->second;
    if (N.User && (N.Host || N.Elsewhere)) Out.insert(N.Key);
    if (N.Host || !N.Body) continue; // a host's own calls are in its row
    Work.insert(Work.end(), N.Calls.begin(), N.Calls.end());
  }
  return Out;
}

/// The innermost instrumented loop of function `Key` holding `Loc`, or null.
LoopRecord *loopAt(std::vector<LoopRecord *> &Candidates, SourceLocation Loc,
                   const SourceManager &SM) {
  LoopRecord *Best = nullptr; // loops come outer before inner
  for (LoopRecord *R : Candidates) {
    SourceLocation B = SM.getExpansionLoc(R->Loop->getBeginLoc());
    SourceLocation E = SM.getExpansionLoc(R->Loop->getEndLoc());
    if (!SM.isBeforeInTranslationUnit(Loc, B) && !SM.isBeforeInTranslationUnit(E, Loc)) Best = R;
  }
  return Best;
}

} // namespace

std::string functionKey(const FunctionDecl *FD, const ASTContext &Ctx) {
  for (int I = 0; I < 16; ++I) {
    const FunctionDecl *P = FD->getTemplateInstantiationPattern();
    if (!P || P == FD) break;
    FD = P;
  }
  if (auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->getParent()->isLambda()) {
    const SourceManager &SM = Ctx.getSourceManager();
    SourceLocation L = SM.getExpansionLoc(M->getParent()->getLocation());
    return "lambda@" + absolutePath(SM, SM.getFileID(L)) + ":" +
           std::to_string(SM.getSpellingLineNumber(L)) + ":" +
           std::to_string(SM.getSpellingColumnNumber(L));
  }
  return qualifiedName(FD, Ctx);
}

void runCallGraph(ASTContext &Ctx, std::vector<LoopRecord> &Loops, std::vector<CallRow> &Rows,
                  const MacroDefinitions &Macros) {
  Collector C(Ctx);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
  resolveVirtuals(C);
  const SourceManager &SM = Ctx.getSourceManager();
  std::map<std::string, std::vector<LoopRecord *>> ByFunction;
  for (LoopRecord &R : Loops) {
    R.FunctionKey = functionKey(cast<FunctionDecl>(R.Context), Ctx);
    if (R.Instrumentable) ByFunction[R.FunctionKey].push_back(&R);
  }
  for (auto &[FD, N] : C.Nodes)
    N.Host = ByFunction.count(N.Key) != 0;
  std::map<LoopRecord *, std::set<Target>> Direct;
  for (const Located &S : C.Sites) {
    auto It = ByFunction.find(S.From);
    if (It == ByFunction.end()) continue;
    if (LoopRecord *R = loopAt(It->second, S.Loc, SM)) Direct[R].insert(S.To);
  }
  for (auto &[R, Calls] : Direct) {
    std::set<std::string> F = frontier(C.Nodes, Calls);
    R->Calls.assign(F.begin(), F.end());
  }
  // One row per key: overloads and instantiations together.
  struct Acc {
    bool Keep = false;
    std::set<std::string> Calls;
    std::vector<const FunctionDecl *> Fns;
  };
  std::map<std::string, Acc> ByKey;
  for (const auto &[FD, N] : C.Nodes) {
    if (!N.User || !N.Body) continue;
    Acc &A = ByKey[N.Key];
    A.Keep |= N.Host || N.Exported;
    A.Fns.push_back(FD);
    for (const std::string &K : frontier(C.Nodes, N.Calls))
      if (K != N.Key) A.Calls.insert(K);
  }
  // What each function does that only a loop of this file could hold.
  std::map<std::string, std::string> Hidden;
  WriteEffects Effects(Ctx);
  for (const auto &[FD, N] : C.Nodes) {
    if (!N.User || !N.Body || Hidden.count(N.Key)) continue;
    if (std::string H = hiddenEffectOf(FD, Ctx, Effects); !H.empty()) Hidden[N.Key] = H;
  }
  Rows.clear();
  for (auto &[Key, A] : ByKey)
    if (A.Keep || !A.Calls.empty())
      Rows.push_back({Key,
                      {A.Calls.begin(), A.Calls.end()},
                      Hidden.count(Key) ? Hidden[Key] : "",
                      functionCodeHash(A.Fns, Ctx, Macros)});
}

} // namespace pl
