//===- UncapturedEffects.cpp - What escapes a loop's state ----------------===//
#include "UncapturedEffects.h"
#include "WriteEffects.h"
#include "utils/PassUtils.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

using namespace clang;

namespace pl {
namespace {

struct Effect {
  SourceLocation Loc;
  std::string What;
};

/// A global only declared here (defined in another translation unit), not
/// one of a system header's.
const VarDecl *foreignGlobal(const Decl *D, ASTContext &Ctx) {
  auto *V = dyn_cast<VarDecl>(D);
  if (!V || !V->hasGlobalStorage() || V->isLocalVarDeclOrParm() ||
      V->hasDefinition(Ctx) != VarDecl::DeclarationOnly ||
      Ctx.getSourceManager().isInSystemHeader(V->getLocation()))
    return nullptr;
  return V;
}

/// The calls in a nest and its references to foreign globals.
struct NestUses : RecursiveASTVisitor<NestUses> {
  explicit NestUses(ASTContext &Ctx) : Ctx(Ctx) {}
  ASTContext &Ctx;
  std::vector<const DeclRefExpr *> Foreign;
  std::vector<const CallExpr *> Calls;

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (foreignGlobal(E->getDecl(), Ctx)) Foreign.push_back(E);
    return true;
  }
  bool VisitCallExpr(CallExpr *E) {
    Calls.push_back(E);
    return true;
  }
};

/// C library functions that act only on their arguments (which the
/// mutation analysis sees) or write to an output stream: a skipped loop
/// loses no state through them. Any other opaque function of a system
/// header — fread, gzread, recv, getline — may move a hidden position.
bool argumentsOnly(const FunctionDecl *FD) {
  static const llvm::StringSet<> Names = {
      "printf",  "fprintf", "vprintf", "vfprintf", "sprintf", "snprintf", "vsprintf", "vsnprintf",
      "puts",    "fputs",   "putc",    "fputc",    "putchar", "fflush",   "fwrite",   "perror",
      "memcpy",  "memmove", "memset",  "memcmp",   "memchr",  "strlen",   "strnlen",  "strcmp",
      "strncmp", "strcpy",  "strncpy", "strcat",   "strncat", "strchr",   "strrchr",  "strstr",
      "strtol",  "strtoul", "strtoll", "strtoull", "strtod",  "strtof",   "strtold",  "sscanf",
      "qsort",   "bsearch", "malloc",  "calloc",   "realloc", "free",     "exit",     "abort"};
  return FD->getIdentifier() && Names.contains(FD->getName());
}

bool inLibrary(const FunctionDecl *FD, const SourceManager &SM) {
  const NamespaceDecl *Outermost = nullptr;
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (auto *NS = dyn_cast<NamespaceDecl>(DC)) Outermost = NS;
  if (Outermost && (Outermost->getName() == "std" || Outermost->getName() == "Eigen"))
    return true;  // C++ libraries: their effects are on their arguments
  return SM.isInSystemHeader(FD->getLocation()) && argumentsOnly(FD);
}

/// Functions whose results depend on hidden state or the clock.
bool readsHiddenState(const FunctionDecl *FD) {
  static const llvm::StringSet<> Names = {
      "rand",    "srand",   "rand_r",  "random",  "srandom", "drand48", "erand48", "lrand48",
      "nrand48", "mrand48", "jrand48", "srand48", "seed48",  "lcong48", "time",    "clock"};
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  return Names.contains(FD->getName()) && (DC->isTranslationUnit() || DC->isStdNamespace());
}

std::string sourceText(const Expr *E, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::string S =
      Lexer::getSourceText(SM.getExpansionRange(E->getSourceRange()), SM, Ctx.getLangOpts()).str();
  std::replace(S.begin(), S.end(), '\n', ' ');
  return S.size() > 40 ? S.substr(0, 37) + "..." : S;
}

/// The state a checkpoint of some loop of a nest holds, by declaration:
/// a pointer argument into it is written into saved memory.
using StateDecls = std::set<const ValueDecl *>;

/// Whether `E` points into memory a checkpoint holds: a pointer saved as the
/// array it points into (`w`, `w + k`, `&w[k]`), or the address or data of a
/// state variable (`&x`, `buf` of a C array, `v.data()`).
bool pointsIntoState(const Expr *E, const StateDecls &State) {
  E = E->IgnoreParenImpCasts();
  if (auto *B = dyn_cast<BinaryOperator>(E); B && B->isAdditiveOp())
    return B->getLHS()->getType()->isPointerType() ? pointsIntoState(B->getLHS(), State)
                                                   : pointsIntoState(B->getRHS(), State);
  const Expr *Object = nullptr;
  if (auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    Object = U->getSubExpr();
  else if (auto *M = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = M->getMethodDecl();
    if (!MD || !MD->getIdentifier() || MD->getName() != "data") return false;
    Object = M->getImplicitObjectArgument();
  } else {
    Object = E; // the pointer itself, or an array that decays
  }
  Object = Object->IgnoreParenImpCasts();
  while (auto *A = dyn_cast<ArraySubscriptExpr>(Object))
    Object = A->getBase()->IgnoreParenImpCasts();
  const ValueDecl *D = nullptr;
  if (auto *DR = dyn_cast<DeclRefExpr>(Object)) D = DR->getDecl();
  if (auto *M = dyn_cast<MemberExpr>(Object);
      M && isa<CXXThisExpr>(M->getBase()->IgnoreParenImpCasts()))
    D = M->getMemberDecl();
  return D && State.count(D);
}

/// Why a call's effects may escape the state, or "". A pointer argument
/// into saved state (`State`) is not an escape: what the call writes there
/// is in the checkpoint (`cblas_daxpy(n, a, x, 1, w, 1)` with `w` saved).
std::string callEffect(const CallExpr *C, ASTContext &Ctx, const StateDecls &State = {}) {
  const FunctionDecl *FD = C->getDirectCallee();
  if (!FD || !FD->getIdentifier()) return "";
  if (readsHiddenState(FD)) {
    std::string Written; // as the call spells it: "std::rand" or "rand"
    llvm::raw_string_ostream OS(Written);
    if (auto *DR = dyn_cast<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts()))
      if (NestedNameSpecifier *Q = DR->getQualifier()) Q->print(OS, Ctx.getPrintingPolicy());
    OS << FD->getName();
    return "calls " + Written;
  }
  // Compiler builtins are pure; C library functions that clang also knows
  // as builtins (fread, fgets ...) are judged like any system function.
  const unsigned Builtin = FD->getBuiltinID();
  if (FD->hasBody() || FD->isImplicit() ||
      (Builtin && !Ctx.BuiltinInfo.isPredefinedLibFunction(Builtin)) ||
      inLibrary(FD, Ctx.getSourceManager()))
    return "";
  unsigned Object = isa<CXXOperatorCallExpr>(C) && isa<CXXMethodDecl>(FD) ? 1 : 0;
  for (unsigned I = Object; I < C->getNumArgs(); ++I) {
    const Expr *Arg = C->getArg(I);
    unsigned P = I - Object;
    QualType T = P < FD->getNumParams() ? FD->getParamDecl(P)->getType() : Arg->getType();
    if (!T->isPointerType() || T->getPointeeType().isConstQualified() ||
        T->getPointeeType()->isFunctionType() ||
        Arg->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) ||
        pointsIntoState(Arg, State))
      continue;
    return "calls opaque '" + qualifiedName(FD, Ctx) + "' with pointer argument '" +
           sourceText(Arg, Ctx) + "'";
  }
  return "";
}

/// The first call in a function's own body whose effects may escape the
/// state (a loader's next() calling fread), or "".
std::string calleeEffect(const FunctionDecl *FD, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const Stmt *Body = FD->getBody();
  if (!Body || SM.isInSystemHeader(SM.getFileLoc(FD->getLocation()))) return "";
  NestUses In(Ctx);
  In.TraverseStmt(const_cast<Stmt *>(Body));
  for (const CallExpr *C : In.Calls)
    if (std::string What = callEffect(C, Ctx); !What.empty())
      return What + " (in " + qualifiedName(FD, Ctx) + ")";
  return "";
}

/// Everything in the nest of `Top` that may escape its state, in source order.
std::vector<Effect> effectsOf(const LoopRecord &Top, ASTContext &Ctx, const StateDecls &State) {
  NestUses Uses(Ctx);
  Uses.TraverseStmt(const_cast<Stmt *>(Top.Loop));
  std::vector<Effect> Out;
  std::unique_ptr<ExprMutationAnalyzer> Mutations;
  for (const DeclRefExpr *E : Uses.Foreign) {
    const ValueDecl *G = E->getDecl();
    if (llvm::is_contained(Top.Transient, G) || llvm::is_contained(Top.Persist, G) ||
        G->getType().getNonReferenceType().isConstQualified())
      continue;
    if (!Mutations) Mutations = std::make_unique<ExprMutationAnalyzer>(*Top.Loop, Ctx);
    if (Mutations->isMutated(E))
      Out.push_back({E->getBeginLoc(), "writes global '" + qualifiedName(G, Ctx) +
                                           "' defined in another translation unit"});
  }
  for (const CallExpr *C : Uses.Calls)
    if (std::string What = callEffect(C, Ctx, State); !What.empty())
      Out.push_back({C->getBeginLoc(), What});
  const SourceManager &SM = Ctx.getSourceManager();
  std::stable_sort(Out.begin(), Out.end(), [&](const Effect &A, const Effect &B) {
    return SM.isBeforeInTranslationUnit(SM.getFileLoc(A.Loc), SM.getFileLoc(B.Loc));
  });
  return Out;
}

} // namespace

std::string hiddenEffectOf(const FunctionDecl *FD, ASTContext &Ctx, WriteEffects &Effects) {
  const SourceManager &SM = Ctx.getSourceManager();
  const FunctionDecl *Def = Effects.followed(FD);
  if (!Def || !Def->getBody()) return "";
  for (const RootWrite &W : Effects.summaryOf(Def).Globals) {
    const VarDecl *G = W.Var;
    if (!G || !G->hasGlobalStorage() || G->getType().isConstQualified() ||
        SM.isInSystemHeader(SM.getFileLoc(G->getLocation())))
      continue; // (the summary also lists locals of other functions: lambdas)
    if (auto *Fn = dyn_cast_or_null<FunctionDecl>(G->getParentFunctionOrMethod());
        Fn && G->isStaticLocal())
      return "writes static local '" + G->getNameAsString() + "' (in " + qualifiedName(Fn, Ctx) +
             ")";
    return "writes global '" + qualifiedName(G, Ctx) + "'";
  }
  std::vector<const FunctionDecl *> Fns = {Def};
  for (const FunctionDecl *C : Effects.calleesOf(Def->getBody()))
    Fns.push_back(C);
  for (const FunctionDecl *F : Fns)
    if (std::string E = calleeEffect(F, Ctx); !E.empty()) return E;
  return "";
}

void runUncapturedEffects(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  const SourceManager &SM = Ctx.getSourceManager();
  WriteEffects Callees(Ctx);
  std::map<const FunctionDecl *, std::string> ByFunction;
  std::map<const Stmt *, std::vector<Effect>> ByNest;
  for (LoopRecord &R : Loops) {
    const LoopRecord *Top = &R;
    while (Top->Parent >= 0)
      Top = &Loops[Top->Parent];
    auto [It, Fresh] = ByNest.try_emplace(Top->Loop);
    if (Fresh) {
      // The state of every loop of the nest: arrays and saveable locals.
      StateDecls State;
      for (const LoopRecord &L : Loops) {
        const LoopRecord *T = &L;
        while (T->Parent >= 0)
          T = &Loops[T->Parent];
        if (T != Top) continue;
        for (const StateVar &V : L.State)
          if (!V.Decl->getType()->isPointerType() || V.Saveable == Saving::Array)
            State.insert(V.Decl);
      }
      It->second = effectsOf(*Top, Ctx, State);
    }
    // Each loop has the effects of its own nest.
    SourceLocation Begin = SM.getFileLoc(R.Loop->getBeginLoc());
    SourceLocation End = SM.getFileLoc(R.Loop->getEndLoc());
    for (const Effect &E : It->second)
      if (SM.isPointWithin(SM.getFileLoc(E.Loc), Begin, End) &&
          !llvm::is_contained(R.Uncaptured, E.What))
        R.Uncaptured.push_back(E.What);
    // And what the functions it calls do (a loader class whose next() calls
    // fread moves a hidden file position the state does not hold).
    for (const FunctionDecl *FD : Callees.calleesOf(R.Loop)) {
      auto [At, New] = ByFunction.try_emplace(FD);
      if (New) At->second = calleeEffect(FD, Ctx);
      if (!At->second.empty() && !llvm::is_contained(R.Uncaptured, At->second))
        R.Uncaptured.push_back(At->second);
    }
  }
}

} // namespace pl
