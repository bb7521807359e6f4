//===- TripCount.cpp - Trip counts of counted loops -----------------------===//
#include "TripCount.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <set>

using namespace clang;

namespace pl {
namespace {

class PureExpr {
public:
  PureExpr(const std::set<const ValueDecl *> &Visible) : Visible(Visible) {}

  /// Side-effect free, and names only variables visible before the loop.
  bool check(const Expr *E) const {
    E = E->IgnoreParenImpCasts();
    if (isa<IntegerLiteral, FloatingLiteral, CharacterLiteral, CXXBoolLiteralExpr,
            UnaryExprOrTypeTraitExpr>(E))
      return true;
    if (auto *DR = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = DR->getDecl();
      if (isa<EnumConstantDecl, NonTypeTemplateParmDecl>(D)) return true;
      if (auto *VD = dyn_cast<VarDecl>(D); VD && !VD->isLocalVarDeclOrParm()) return true;
      return Visible.count(D) > 0;
    }
    if (auto *U = dyn_cast<UnaryOperator>(E))
      return !U->isIncrementDecrementOp() && U->getOpcode() != UO_AddrOf &&
             U->getOpcode() != UO_Deref && check(U->getSubExpr());
    if (auto *B = dyn_cast<BinaryOperator>(E))
      return !B->isAssignmentOp() && !B->isCommaOp() && check(B->getLHS()) && check(B->getRHS());
    if (auto *M = dyn_cast<MemberExpr>(E))
      return !M->isArrow() && isa<FieldDecl>(M->getMemberDecl()) && check(M->getBase());
    if (auto *C = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = C->getMethodDecl();
      return MD && MD->isConst() && C->getNumArgs() == 0 && check(C->getImplicitObjectArgument());
    }
    if (auto *C = dyn_cast<ExplicitCastExpr>(E)) return check(C->getSubExpr());
    return false;
  }

private:
  const std::set<const ValueDecl *> &Visible;
};

bool arithmetic(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType();
  return !E->isTypeDependent() && !E->isValueDependent() && T->isArithmeticType() &&
         !T->isBooleanType();
}

const VarDecl *refVar(const Expr *E) {
  if (auto *DR = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return dyn_cast<VarDecl>(DR->getDecl());
  return nullptr;
}

/// E as written, joined onto one line: it is pasted into one line of the
/// emitted code, which must not move the lines after it. Empty when E
/// holds a `//` comment or a line continuation, which would swallow the rest.
std::string text(const Expr *E, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  CharSourceRange R = SM.getExpansionRange(E->getSourceRange());
  if (SM.getFileID(R.getBegin()) != SM.getFileID(R.getEnd())) return {};
  StringRef Written = Lexer::getSourceText(R, SM, Ctx.getLangOpts());
  if (Written.contains("//") || Written.contains("\\\n")) return {};
  std::string Line;
  for (StringRef Rest = Written; !Rest.empty();) {
    auto [Part, Tail] = Rest.split('\n');
    Line += (Line.empty() ? "" : " ") + Part.trim().str();
    Rest = Tail;
  }
  return Line;
}

/// The class of a range of type T; for a dependent specialization such as
/// `std::vector<T>`, the pattern of its primary template.
const CXXRecordDecl *classOf(QualType T) {
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl()) return RD;
  if (auto *TST = T->getAs<TemplateSpecializationType>())
    if (auto *CTD = dyn_cast_or_null<ClassTemplateDecl>(TST->getTemplateName().getAsTemplateDecl()))
      return CTD->getTemplatedDecl();
  return nullptr;
}

/// RD or a base of it declares a member `size`. Dependent bases are unknown
/// and do not count.
bool declaresSize(const CXXRecordDecl *RD, DeclarationName Size) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD) return false;
  if (!RD->lookup(Size).empty()) return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (declaresSize(B.getType()->getAsCXXRecordDecl(), Size)) return true;
  return false;
}

/// True when `::pl::abi::trip_of` compiles for a range of type T: an array,
/// or a class with a member `size` (trip_of calls it unchecked).
bool hasSize(QualType T, ASTContext &Ctx) {
  T = T.getNonReferenceType();
  return T->isConstantArrayType() ||
         declaresSize(classOf(T), DeclarationName(&Ctx.Idents.get("size")));
}

/// Step of `++i`, `i--`, `i += 3`, `i -= 2`; 0 if not of that form.
long long stepOf(const Expr *Inc, const VarDecl *Var) {
  if (!Inc) return 0;
  Inc = Inc->IgnoreParenImpCasts();
  if (auto *U = dyn_cast<UnaryOperator>(Inc);
      U && U->isIncrementDecrementOp() && refVar(U->getSubExpr()) == Var)
    return U->isIncrementOp() ? 1 : -1;
  if (auto *C = dyn_cast<CompoundAssignOperator>(Inc); C && refVar(C->getLHS()) == Var) {
    auto *Lit = dyn_cast<IntegerLiteral>(C->getRHS()->IgnoreParenImpCasts());
    if (!Lit) return 0;
    long long K = (long long)Lit->getValue().getLimitedValue(1u << 30);
    if (C->getOpcode() == BO_AddAssign) return K;
    if (C->getOpcode() == BO_SubAssign) return -K;
  }
  return 0;
}

std::string counted(const ForStmt *F, ASTContext &Ctx, std::set<const ValueDecl *> Visible) {
  // The induction variable and its start value.
  const VarDecl *Var = nullptr;
  const Expr *Start = nullptr;
  if (auto *DS = dyn_cast_or_null<DeclStmt>(F->getInit()); DS && DS->isSingleDecl()) {
    Var = dyn_cast<VarDecl>(DS->getSingleDecl());
    if (Var) Start = Var->getInit();
  } else if (auto *A = dyn_cast_or_null<BinaryOperator>(F->getInit());
             A && A->getOpcode() == BO_Assign) {
    Var = refVar(A->getLHS());
    Start = A->getRHS();
  }
  auto *Cond = dyn_cast_or_null<BinaryOperator>(F->getCond());
  if (!Var || !Start || !Cond || !arithmetic(Start)) return {};
  const Expr *Bound = nullptr;
  BinaryOperatorKind Op = Cond->getOpcode();
  if (refVar(Cond->getLHS()) == Var) {
    Bound = Cond->getRHS();
  } else if (refVar(Cond->getRHS()) == Var) {
    Bound = Cond->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  long long Step = stepOf(F->getInc(), Var);
  Visible.erase(Var); // the bounds must not depend on the induction variable
  PureExpr Pure(Visible);
  if (!Bound || Step == 0 || !arithmetic(Bound) || !Pure.check(Start) || !Pure.check(Bound))
    return {};
  bool Up = Step > 0;
  bool Inclusive;
  switch (Op) {
  case BO_LT:
    if (!Up) return {};
    Inclusive = false;
    break;
  case BO_LE:
    if (!Up) return {};
    Inclusive = true;
    break;
  case BO_GT:
    if (Up) return {};
    Inclusive = false;
    break;
  case BO_GE:
    if (Up) return {};
    Inclusive = true;
    break;
  case BO_NE:
    if (Step != 1 && Step != -1) return {};
    Inclusive = false;
    break;
  default: return {};
  }
  std::string S = text(Start, Ctx), B = text(Bound, Ctx);
  if (S.empty() || B.empty()) return {};
  return "::pl::abi::trip_count((long double)(" + S + "), (long double)(" + B + "), " +
         std::to_string(Step) + ", " + (Inclusive ? "true" : "false") + ")";
}

std::string rangeTrip(const CXXForRangeStmt *RF, ASTContext &Ctx, const PureExpr &Pure,
                      const std::set<const ValueDecl *> &Visible) {
  const Expr *Range = RF->getRangeInit();
  if (!Range) return {};
  const Expr *E = Range->IgnoreParenImpCasts();
  bool Named = false;
  if (auto *DR = dyn_cast<DeclRefExpr>(E))
    Named = Visible.count(DR->getDecl()) > 0;
  else if (isa<MemberExpr>(E))
    Named = Pure.check(E);
  if (!Named || !hasSize(E->getType(), Ctx)) return {};
  std::string T = text(Range, Ctx);
  return T.empty() ? std::string() : "::pl::abi::trip_of(" + T + ")";
}

} // namespace

void runTripCount(ASTContext &Ctx, std::vector<LoopRecord> &Loops) {
  for (LoopRecord &R : Loops) {
    std::set<const ValueDecl *> Visible;
    for (const VisibleVar &V : R.EnterVars)
      Visible.insert(V.Decl);
    PureExpr Pure(Visible);
    std::string T;
    if (auto *F = dyn_cast<ForStmt>(R.Loop))
      T = counted(F, Ctx, Visible);
    else if (auto *RF = dyn_cast<CXXForRangeStmt>(R.Loop))
      T = rangeTrip(RF, Ctx, Pure, Visible);
    R.TripExpr = T.empty() ? "-1" : T;
  }
}

} // namespace pl
