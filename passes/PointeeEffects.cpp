//===- PointeeEffects.cpp - What a loop nest writes behind pointers -------===//
#include "PointeeEffects.h"
#include "WriteEffects.h"
#include "utils/PassUtils.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/Analyses/ExprMutationAnalyzer.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

#include <map>
#include <memory>
#include <set>

using namespace clang;

namespace pl {
namespace {

/// What one loop's nest writes, sorted out for that loop.
struct Findings {
  std::vector<const ValueDecl *> State;
  std::vector<const ValueDecl *> Arrays; ///< pointers saved as the arrays they point into
  std::vector<std::string> ArrayWrites; ///< for each: "writes through 'p' (double *) in f() at ..."
  std::vector<std::pair<const ValueDecl *, std::string>> Refused; ///< variable, reason
  std::vector<std::string> Uncaptured;
};

bool visibleAt(const LoopRecord &R, const ValueDecl *D) {
  return llvm::any_of(R.BeginVars, [&](const VisibleVar &V) { return V.Decl == D; });
}

/// `Name` as the nest writes through it ("net", "this->net_"); what
/// PL_TRANSIENT names is its plain name.
std::string refusal(const std::string &Name, const ValueDecl *D, const std::string &Type,
                    const RootWrite &W) {
  return "writes through '" + Name + "' (" + Type + ") " + W.Witness.Where +
         "; pl cannot tell how much memory that reaches, so checkpoints of this loop are refused "
         "(keep the data in a variable of a type pl can save and pass it by reference or by "
         "its address, or mark it PL_TRANSIENT(" +
         D->getNameAsString() + ") if the loop rebuilds it)";
}

class Sorter {
public:
  Sorter(ASTContext &Ctx, WriteEffects &Effects, const LoopRecord &R, const LoopRecord &Top)
      : Ctx(Ctx), Effects(Effects), R(R), Top(Top), This(thisClass(Top.Context)) {}

  Findings sort(const std::vector<RootWrite> &Writes) {
    for (const RootWrite &W : Writes) {
      if (!W.Var)
        thisWrite(W);
      else if (W.Var->hasGlobalStorage())
        globalWrite(W);
      else
        localWrite(W);
    }
    return std::move(F);
  }

private:
  ASTContext &Ctx;
  WriteEffects &Effects;
  const LoopRecord &R, &Top;
  const CXXRecordDecl *This;
  Findings F;

  std::string typeOf(const ValueDecl *D) const {
    return D->getType().getAsString(Ctx.getPrintingPolicy());
  }
  void state(const ValueDecl *D) {
    if (!llvm::is_contained(F.State, D)) F.State.push_back(D);
  }
  /// A pointer written through is state as the array it points into when
  /// its elements hold no pointers of their own (every write rooted at it
  /// then stays inside that array); state-types checks the element type.
  static bool arrayPointer(const ValueDecl *D) {
    QualType T = D->getType();
    if (!T->isPointerType()) return false;
    QualType E = T->getPointeeType();
    return !E.isConstQualified() && !E->isVoidType() && !E->isFunctionType() &&
           !E->isAnyPointerType() && !E->isMemberPointerType() && !E->isReferenceType() &&
           !E->isIncompleteType();
  }
  void array(const ValueDecl *D, const std::string &Name, const RootWrite &W) {
    if (llvm::is_contained(F.Arrays, D)) return;
    F.Arrays.push_back(D);
    F.ArrayWrites.push_back("writes through '" + Name + "' (" + typeOf(D) + ") " + W.Witness.Where);
  }
  void refuse(const ValueDecl *D, std::string Why) {
    for (const auto &[V, Old] : F.Refused)
      if (V == D) return;
    F.Refused.push_back({D, std::move(Why)});
  }

  void thisWrite(const RootWrite &W) {
    if (!This) return;
    if (W.Field) {
      auto *Of = dyn_cast<CXXRecordDecl>(W.Field->getParent());
      if (!Of || Of->getCanonicalDecl() != This || llvm::is_contained(R.Transient, W.Field))
        return; // a field of another class's `this` (a local class)
      if (!W.Indirect) return state(W.Field);
      if (arrayPointer(W.Field)) return array(W.Field, "this->" + W.Field->getNameAsString(), W);
      return refuse(W.Field,
                    refusal("this->" + W.Field->getNameAsString(), W.Field, typeOf(W.Field), W));
    }
    // An opaque call got `*this`: every field may change.
    const CXXRecordDecl *Class = This->getDefinition();
    if (!Class) return;
    for (const FieldDecl *Fd : Class->fields()) {
      if (llvm::is_contained(R.Transient, Fd)) continue;
      if (Fd->getType()->isPointerType() || sharesOnCopy(Fd->getType()))
        refuse(Fd, refusal("this->" + Fd->getNameAsString(), Fd, typeOf(Fd), W));
      else
        state(Fd);
    }
  }

  void globalWrite(const RootWrite &W) {
    const VarDecl *G = W.Var;
    const SourceManager &SM = Ctx.getSourceManager();
    if (SM.isInSystemHeader(SM.getFileLoc(G->getLocation())) ||
        llvm::is_contained(R.Transient, G) || G->getType().isConstQualified())
      return;
    if (G->isStaticLocal())
      return refuse(G, "writes static local '" + G->getNameAsString() + "' " + W.Witness.Where +
                           ", which a checkpoint cannot hold; checkpoints of this loop are "
                           "refused (make it a global or a field)");
    if (W.Indirect) return refuse(G, refusal(qualifiedName(G, Ctx), G, typeOf(G), W));
    if (G->hasDefinition(Ctx) != VarDecl::DeclarationOnly) return state(G);
    if (W.NotNamed)
      F.Uncaptured.push_back("writes global '" + qualifiedName(G, Ctx) +
                             "' defined in another translation unit " + W.Witness.Where);
  }

  /// A pointer that points only into locals' own storage, which are state.
  bool pointsIntoLocals(const VarDecl *V) {
    if (isa<ParmVarDecl>(V)) return false;
    MemoryRoots Targets = Effects.aliasesOf(V, Top.ContextBody);
    return !Targets.empty() && llvm::all_of(Targets, [&](const MemoryRoot &T) {
      return T.Var && !T.Indirect && !T.Var->hasGlobalStorage() && !isa<ParmVarDecl>(T.Var) &&
             !T.Var->getType()->isPointerType() && !T.Var->getType()->isReferenceType();
    });
  }

  void localWrite(const RootWrite &W) {
    const VarDecl *V = W.Var;
    if (!visibleAt(R, V) || llvm::is_contained(R.Transient, V) ||
        declaredInside(V, Top.Loop, Ctx.getSourceManager()))
      return;
    QualType T = V->getType();
    if (T->isReferenceType()) {
      if (!T.getNonReferenceType().isConstQualified()) state(V);
      return;
    }
    if (!W.Indirect) {
      if (W.NotNamed) state(V); // the nest's own writes are modified-vars' to find
      return;
    }
    if (pointsIntoLocals(V)) return;
    if (arrayPointer(V)) return array(V, V->getNameAsString(), W);
    refuse(V, refusal(V->getNameAsString(), V, typeOf(V), W));
  }
};

/// The uses of one variable in a nest, and those that are the object of a
/// non-const accessor call (`v[i]`, `v.at(i)`, `v.begin()`).
struct UsesOf : RecursiveASTVisitor<UsesOf> {
  explicit UsesOf(const VarDecl *V) : V(V) {}
  const VarDecl *V;
  std::set<const Expr *> AsAccessorObject;
  std::vector<const DeclRefExpr *> All;

  bool VisitCallExpr(CallExpr *C) {
    const Expr *Obj = objectOf(C);
    auto *Ref = Obj ? dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()) : nullptr;
    if (Ref && Ref->getDecl() == V &&
        isAccessor(dyn_cast_or_null<CXXMethodDecl>(C->getDirectCallee())))
      AsAccessorObject.insert(Ref);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V) All.push_back(E);
    return true;
  }
};

/// Visible class objects the nest only reads, though through non-const
/// accessors the mutation analyzer counts as writes: every other use is
/// not a mutation, and the write analysis (which follows what the
/// accessors return) finds no write to them.
std::vector<const ValueDecl *> readOnly(const LoopRecord &R, const LoopRecord &Top,
                                        const std::vector<RootWrite> &Writes,
                                        std::unique_ptr<ExprMutationAnalyzer> &Mutations,
                                        ASTContext &Ctx) {
  std::vector<const ValueDecl *> Out;
  for (const VisibleVar &V : R.BeginVars) {
    auto *Var = dyn_cast_or_null<VarDecl>(V.Decl);
    if (!Var || !Var->getType().getNonReferenceType()->isRecordType() ||
        declaredInside(Var, Top.Loop, Ctx.getSourceManager()) ||
        llvm::any_of(Writes, [&](const RootWrite &W) { return W.Var == Var; }))
      continue;
    UsesOf Uses(Var);
    Uses.TraverseStmt(const_cast<Stmt *>(Top.Loop));
    if (Uses.AsAccessorObject.empty()) continue;
    if (!Mutations) Mutations = std::make_unique<ExprMutationAnalyzer>(*Top.Loop, Ctx);
    if (llvm::all_of(Uses.All, [&](const DeclRefExpr *E) {
          return Uses.AsAccessorObject.count(E) || !Mutations->isMutated(E);
        }))
      Out.push_back(Var);
  }
  return Out;
}

/// A warning per refused variable of loops the user named, once per
/// variable and function.
void warn(const LoopRecord &R, const Findings &F,
          std::set<std::pair<const Decl *, const Decl *>> &Said, const SourceManager &SM,
          std::vector<ToolNote> &Notes) {
  if (R.Source == LabelSource::Automatic) return;
  for (const auto &[V, Why] : F.Refused)
    if (Said.insert({V, R.Context}).second)
      Notes.push_back(
          makeNote(SM, R.Loop->getBeginLoc(), "warning",
                   "loop '" + R.FullName + "' cannot be checkpointed: its nest " + Why));
}

} // namespace

void runPointeeEffects(ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                       std::vector<ToolNote> &Notes) {
  WriteEffects Effects(Ctx);
  std::map<const Stmt *, std::vector<RootWrite>> ByNest;
  std::map<const Stmt *, std::unique_ptr<ExprMutationAnalyzer>> MutationsOf;
  std::set<std::pair<const Decl *, const Decl *>> Said;
  for (LoopRecord &R : Loops) {
    if (!R.Instrumentable) continue;
    const LoopRecord *Top = &R;
    while (Top->Parent >= 0)
      Top = &Loops[Top->Parent];
    auto [It, Fresh] = ByNest.try_emplace(Top->Loop);
    if (Fresh) It->second = Effects.writesOf(Top->Loop, Top->Context, Top->ContextBody);
    Findings F = Sorter(Ctx, Effects, R, *Top).sort(It->second);
    for (const ValueDecl *D : F.State)
      if (!llvm::is_contained(R.WrittenThrough, D)) R.WrittenThrough.push_back(D);
    for (size_t I = 0; I < F.Arrays.size(); ++I)
      if (!llvm::is_contained(R.Arrays, F.Arrays[I])) {
        R.Arrays.push_back(F.Arrays[I]);
        R.ArrayWrites.push_back(F.ArrayWrites[I]);
      }
    for (const auto &[V, Why] : F.Refused)
      R.Unsaveable.push_back(Why);
    for (std::string &U : F.Uncaptured)
      if (!llvm::is_contained(R.Uncaptured, U)) R.Uncaptured.push_back(std::move(U));
    R.ReadOnly = readOnly(R, *Top, It->second, MutationsOf[Top->Loop], Ctx);
    warn(R, F, Said, Ctx.getSourceManager(), Notes);
  }
}

} // namespace pl
