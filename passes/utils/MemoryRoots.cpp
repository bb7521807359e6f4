//===- MemoryRoots.cpp - Which variable an expression's memory hangs off --===//
#include "utils/MemoryRoots.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace pl {
namespace {

bool holdsPointers(const RecordDecl *RD, int Depth);

bool typeHoldsPointers(QualType T, int Depth) {
  if (Depth > 8) return false;
  T = T.getCanonicalType();
  if (T->isPointerType() || T->isReferenceType()) return true;
  if (const auto *A = dyn_cast<ArrayType>(T.getTypePtr()))
    return typeHoldsPointers(A->getElementType(), Depth + 1);
  if (const RecordDecl *RD = T->getAsRecordDecl()) return holdsPointers(RD, Depth + 1);
  return false;
}

/// A user-provided copy constructor copies what the object owns.
bool copiesDeeply(const CXXRecordDecl *RD) {
  for (const CXXConstructorDecl *C : RD->ctors())
    if (C->isCopyConstructor() && C->isUserProvided()) return true;
  return false;
}

bool holdsPointers(const RecordDecl *RD, int Depth) {
  RD = RD->getDefinition();
  if (!RD) return false;
  if (auto *CRD = dyn_cast<CXXRecordDecl>(RD)) {
    if (copiesDeeply(CRD)) return false;
    for (const CXXBaseSpecifier &B : CRD->bases())
      if (typeHoldsPointers(B.getType(), Depth)) return true;
  }
  for (const FieldDecl *F : RD->fields())
    if (typeHoldsPointers(F->getType(), Depth)) return true;
  return false;
}

bool isPointerLike(QualType T) {
  return T->isPointerType() || T->isArrayType() || sharesOnCopy(T) || T->isDependentType();
}

/// Accessors of `RD` and its bases named like `MD`.
bool hasConstOverload(const CXXRecordDecl *RD, const CXXMethodDecl *MD, int Depth) {
  if (!RD || !RD->hasDefinition() || Depth > 6) return false;
  for (const NamedDecl *ND : RD->lookup(MD->getDeclName())) {
    auto *Other = dyn_cast_or_null<CXXMethodDecl>(ND->getAsFunction());
    if (Other && Other != MD && Other->isConst() && Other->getNumParams() == MD->getNumParams())
      return true;
  }
  for (const CXXBaseSpecifier &B : RD->bases())
    if (hasConstOverload(B.getType()->getAsCXXRecordDecl(), MD, Depth + 1)) return true;
  return false;
}

} // namespace

bool sharesOnCopy(QualType T) {
  const RecordDecl *RD = T.getNonReferenceType()->getAsRecordDecl();
  return RD && holdsPointers(RD, 0);
}

bool mayWriteThrough(QualType T) {
  if (T.isNull() || T->isDependentType()) return true;
  if (const auto *R = T->getAs<ReferenceType>()) return !R->getPointeeType().isConstQualified();
  if (T->isPointerType()) {
    QualType P = T->getPointeeType();
    return !P.isConstQualified() && !P->isFunctionType();
  }
  return sharesOnCopy(T);
}

bool isAccessor(const CXXMethodDecl *MD) {
  if (!MD || MD->isConst() || MD->isStatic()) return false;
  return hasConstOverload(MD->getParent(), MD, 0);
}

const Expr *objectOf(const CallExpr *C) {
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(C)) return MC->getImplicitObjectArgument();
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(C))
    if (isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee()) && OC->getNumArgs() > 0)
      return OC->getArg(0);
  return nullptr;
}

void appendRoots(MemoryRoots &To, const MemoryRoots &From, bool Indirect) {
  for (MemoryRoot R : From) {
    R.Indirect = R.Indirect || Indirect;
    To.push_back(R);
  }
}

static MemoryRoots member(const MemberExpr *M) {
  const ValueDecl *D = M->getMemberDecl();
  if (auto *V = dyn_cast<VarDecl>(D)) return {{V, nullptr, false, false}}; // static member
  auto *F = dyn_cast<FieldDecl>(D);
  if (!F) return {};
  MemoryRoots Base = M->isArrow() ? pointees(M->getBase()) : locate(M->getBase());
  for (MemoryRoot &R : Base) {
    if (R.This && !R.Field) R.Field = F;
    if (F->getType()->isReferenceType()) R.Indirect = true;
  }
  return Base;
}

MemoryRoots locate(const Expr *E) {
  if (!E) return {};
  E = E->IgnoreParens();
  if (auto *C = dyn_cast<CastExpr>(E)) return locate(C->getSubExpr());
  if (auto *DR = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DR->getDecl();
    if (auto *B = dyn_cast<BindingDecl>(D)) D = B->getHoldingVar() ? B->getHoldingVar() : nullptr;
    auto *V = dyn_cast_or_null<VarDecl>(D);
    if (!V) return {};
    return {{V, nullptr, false, V->getType()->isReferenceType()}};
  }
  if (auto *M = dyn_cast<MemberExpr>(E)) return member(M);
  if (auto *A = dyn_cast<ArraySubscriptExpr>(E)) return pointees(A->getBase());
  if (auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() == UO_Deref) return pointees(U->getSubExpr());
    if (U->isPrefix() && U->isIncrementDecrementOp()) return locate(U->getSubExpr());
    return {};
  }
  if (auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->isAssignmentOp()) return locate(B->getLHS());
    if (B->getOpcode() == BO_Comma) return locate(B->getRHS());
    if (B->getOpcode() == BO_PtrMemD) return locate(B->getLHS());
    if (B->getOpcode() == BO_PtrMemI) return pointees(B->getLHS());
    return {};
  }
  if (auto *C = dyn_cast<AbstractConditionalOperator>(E)) {
    MemoryRoots Out = locate(C->getTrueExpr());
    appendRoots(Out, locate(C->getFalseExpr()));
    return Out;
  }
  if (auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) return locate(M->getSubExpr());
  if (auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) return locate(B->getSubExpr());
  if (auto *W = dyn_cast<ExprWithCleanups>(E)) return locate(W->getSubExpr());
  if (auto *O = dyn_cast<OpaqueValueExpr>(E)) return locate(O->getSourceExpr());
  if (isa<CallExpr, CXXConstructExpr>(E)) return resultOf(E);
  return {};
}

MemoryRoots pointees(const Expr *E) {
  if (!E) return {};
  E = E->IgnoreParens();
  if (auto *C = dyn_cast<ImplicitCastExpr>(E)) {
    if (C->getCastKind() == CK_ArrayToPointerDecay) return locate(C->getSubExpr());
    if (C->getCastKind() == CK_LValueToRValue) {
      MemoryRoots Out;
      appendRoots(Out, locate(C->getSubExpr()), true);
      return Out;
    }
    return pointees(C->getSubExpr());
  }
  if (auto *C = dyn_cast<ExplicitCastExpr>(E)) return pointees(C->getSubExpr());
  if (isa<CXXThisExpr>(E)) return {{nullptr, nullptr, true, false}};
  if (auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() == UO_AddrOf) return locate(U->getSubExpr());
    if (U->isIncrementDecrementOp()) return pointees(U->getSubExpr());
    return {};
  }
  if (auto *B = dyn_cast<BinaryOperator>(E)) {
    if (B->getOpcode() == BO_Comma) return pointees(B->getRHS());
    if (!B->isAdditiveOp() && !B->isAssignmentOp()) return {};
    MemoryRoots Out;
    for (const Expr *Side : {B->getLHS(), B->getRHS()})
      if (isPointerLike(Side->getType())) appendRoots(Out, pointees(Side));
    return Out;
  }
  if (auto *C = dyn_cast<AbstractConditionalOperator>(E)) {
    MemoryRoots Out = pointees(C->getTrueExpr());
    appendRoots(Out, pointees(C->getFalseExpr()));
    return Out;
  }
  if (auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) return pointees(M->getSubExpr());
  if (auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) return pointees(B->getSubExpr());
  if (auto *W = dyn_cast<ExprWithCleanups>(E)) return pointees(W->getSubExpr());
  if (isa<CallExpr, CXXConstructExpr>(E)) return resultOf(E);
  // An lvalue of array or record type (an array bound to a reference, a view).
  if (E->isGLValue()) {
    MemoryRoots Out;
    appendRoots(Out, locate(E), !E->getType()->isArrayType());
    return Out;
  }
  return {};
}

/// What an argument passed as `Param` (a parameter type, or null for a
/// variadic argument) lets the callee reach.
static MemoryRoots argumentRoots(const Expr *Arg, QualType Param) {
  if (!Param.isNull() && Param->isReferenceType()) return locate(Arg);
  return isPointerLike(Arg->getType()) ? pointees(Arg) : MemoryRoots{};
}

MemoryRoots resultOf(const Expr *E) {
  if (auto *C = dyn_cast<CXXConstructExpr>(E)) {
    // A copy of a view or iterator points where the original points.
    if (!sharesOnCopy(C->getType())) return {};
    MemoryRoots Out;
    for (unsigned I = 0; I < C->getNumArgs(); ++I) {
      const CXXConstructorDecl *Ctor = C->getConstructor();
      QualType P = I < Ctor->getNumParams() ? Ctor->getParamDecl(I)->getType() : QualType();
      if (Ctor->isCopyOrMoveConstructor())
        appendRoots(Out, locate(C->getArg(I)), true);
      else if (P.isNull() || mayWriteThrough(P))
        appendRoots(Out, argumentRoots(C->getArg(I), P));
    }
    return Out;
  }
  auto *C = dyn_cast<CallExpr>(E);
  if (!C) return {};
  // A reference result is a glvalue of the referred type.
  QualType R = C->getType();
  if (C->isGLValue() ? R.isConstQualified()
                     : !R->isDependentType() && !R->isPointerType() && !sharesOnCopy(R))
    return {};
  if (!C->isGLValue() && R->isPointerType() && R->getPointeeType().isConstQualified()) return {};
  MemoryRoots Out;
  const Expr *Obj = objectOf(C);
  if (Obj) appendRoots(Out, Obj->getType()->isPointerType() ? pointees(Obj) : locate(Obj));
  const FunctionDecl *FD = C->getDirectCallee();
  unsigned First = Obj && isa<CXXOperatorCallExpr>(C) ? 1 : 0;
  for (unsigned I = First; I < C->getNumArgs(); ++I) {
    unsigned P = I - First;
    QualType PT = FD && P < FD->getNumParams() ? FD->getParamDecl(P)->getType() : QualType();
    if (PT.isNull() || mayWriteThrough(PT)) appendRoots(Out, argumentRoots(C->getArg(I), PT));
  }
  return Out;
}

} // namespace pl
