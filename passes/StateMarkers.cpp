//===- StateMarkers.cpp - PL_TRANSIENT and PL_PERSIST ---------------------===//
#include "StateMarkers.h"
#include "utils/PassUtils.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Token.h"
#include "llvm/ADT/STLExtras.h"

#include <map>
#include <set>

using namespace clang;

namespace pl {
namespace {

class Collector : public PPCallbacks {
public:
  explicit Collector(std::vector<StateMarker> &Out) : Out(Out) {}
  void MacroExpands(const Token &Name, const MacroDefinition &, SourceRange Range,
                    const MacroArgs *) override {
    const IdentifierInfo *II = Name.getIdentifierInfo();
    if (!II) return;
    StringRef N = II->getName();
    if (N == "PL_TRANSIENT" || N == "PL_PERSIST" || N == "PL_TRANSIENT_FIELD")
      Out.push_back({Range, N == "PL_PERSIST", N == "PL_TRANSIENT_FIELD"});
  }

private:
  std::vector<StateMarker> &Out;
};

/// Where a marker's expansion is in the AST.
struct Found {
  bool Seen = false;
  const Expr *Operand = nullptr;  ///< of the `sizeof`; null for a type
  const Stmt *Function = nullptr; ///< body of the outermost function around it
};

/// Finds the `sizeof` each marker expanded to, in the files that have markers.
class Finder : public RecursiveASTVisitor<Finder> {
public:
  Finder(const SourceManager &SM, const std::vector<StateMarker> &Markers) : SM(SM) {
    for (size_t I = 0; I < Markers.size(); ++I) {
      SourceLocation L = SM.getExpansionLoc(Markers[I].Range.getBegin());
      ByLoc.emplace(L, I);
      Files.insert(SM.getFileID(L));
    }
    Result.resize(Markers.size());
  }

  std::vector<Found> Result;

  bool shouldVisitTemplateInstantiations() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D) return true;
    if (!isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl, ExportDecl>(D) &&
        !Files.count(SM.getFileID(SM.getExpansionLoc(D->getLocation()))))
      return true;
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (Body || !FD || !FD->doesThisDeclarationHaveABody())
      return RecursiveASTVisitor::TraverseDecl(D);
    Body = FD->getBody();
    bool R = RecursiveASTVisitor::TraverseDecl(D);
    Body = nullptr;
    return R;
  }

  bool TraverseLambdaExpr(LambdaExpr *LE) { // a lambda at namespace scope
    if (Body) return RecursiveASTVisitor::TraverseLambdaExpr(LE);
    Body = LE->getBody();
    bool R = RecursiveASTVisitor::TraverseLambdaExpr(LE);
    Body = nullptr;
    return R;
  }

  bool VisitUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *E) {
    if (E->getKind() != UETT_SizeOf || !E->getBeginLoc().isMacroID()) return true;
    auto It = ByLoc.find(SM.getExpansionLoc(E->getBeginLoc()));
    if (It == ByLoc.end() || Result[It->second].Seen) return true;
    Result[It->second] = {true, E->isArgumentType() ? nullptr : E->getArgumentExpr(), Body};
    return true;
  }

private:
  const SourceManager &SM;
  std::map<SourceLocation, size_t> ByLoc;
  std::set<FileID> Files;
  const Stmt *Body = nullptr;
};

/// The variable a marker's operand names: a local, parameter, binding,
/// global, or field of `*this`; null for anything else.
const ValueDecl *namedVariable(const Expr *E) {
  if (!E) return nullptr;
  E = E->IgnoreParens();
  if (auto *DR = dyn_cast<DeclRefExpr>(E))
    return isa<VarDecl, BindingDecl>(DR->getDecl()) ? DR->getDecl() : nullptr;
  if (auto *M = dyn_cast<MemberExpr>(E))
    if (isa<CXXThisExpr>(M->getBase()->IgnoreParenImpCasts()) && isa<FieldDecl>(M->getMemberDecl()))
      return M->getMemberDecl();
  return nullptr;
}

/// The field a PL_TRANSIENT_FIELD operand names (in its class's scope).
const FieldDecl *namedField(const Expr *E) {
  if (!E) return nullptr;
  E = E->IgnoreParens();
  if (auto *DR = dyn_cast<DeclRefExpr>(E)) return dyn_cast<FieldDecl>(DR->getDecl());
  if (auto *M = dyn_cast<MemberExpr>(E)) return dyn_cast<FieldDecl>(M->getMemberDecl());
  return nullptr;
}

/// The fields `--transient` names: "ns::Class::field", a class template's
/// fields by the template's name ("Buffer::data_" for every Buffer<T>).
class FieldsByName : public RecursiveASTVisitor<FieldsByName> {
public:
  explicit FieldsByName(const std::vector<std::string> &Names) : Names(Names) {
    Found.resize(Names.size());
  }
  std::vector<std::vector<const FieldDecl *>> Found;
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseStmt(Stmt *, DataRecursionQueue * = nullptr) { return true; }
  bool VisitFieldDecl(FieldDecl *F) {
    auto *RD = dyn_cast<CXXRecordDecl>(F->getParent());
    if (!RD || !F->getIdentifier()) return true;
    std::string Class = RD->getQualifiedNameAsString(); // without template arguments
    for (size_t I = 0; I < Names.size(); ++I)
      if (Names[I] == Class + "::" + F->getName().str()) Found[I].push_back(F);
    return true;
  }

private:
  const std::vector<std::string> &Names;
};

/// What to write instead of a marker that names no variable.
std::string fixFor(const Expr *E, bool Persist) {
  const char *Macro = Persist ? "PL_PERSIST" : "PL_TRANSIENT";
  // `cfg.lr`, `v[0]`: the object it belongs to.
  for (const Expr *Sub = E ? E->IgnoreParenImpCasts() : nullptr; Sub;) {
    if (auto *DR = dyn_cast<DeclRefExpr>(Sub); DR && isa<VarDecl>(DR->getDecl()))
      return std::string("mark the whole variable, ") + Macro + "(" +
             DR->getDecl()->getName().str() + ")";
    if (auto *M = dyn_cast<MemberExpr>(Sub))
      Sub = M->getBase()->IgnoreParenImpCasts();
    else if (auto *A = dyn_cast<ArraySubscriptExpr>(Sub))
      Sub = A->getBase()->IgnoreParenImpCasts();
    else
      break;
  }
  return std::string("write ") + Macro + "(name) with the name of a variable";
}

bool within(const SourceManager &SM, SourceLocation L, const Stmt *S) {
  return S && SM.isPointWithin(SM.getFileLoc(L), SM.getFileLoc(S->getBeginLoc()),
                               SM.getFileLoc(S->getEndLoc()));
}

} // namespace

std::unique_ptr<PPCallbacks> makeStateMarkerCollector(std::vector<StateMarker> &Out) {
  return std::make_unique<Collector>(Out);
}

void runStateMarkers(ASTContext &Ctx, const std::vector<StateMarker> &Markers,
                     std::vector<LoopRecord> &Loops, std::vector<ToolNote> &Notes,
                     const std::vector<std::string> &Named,
                     std::vector<const FieldDecl *> *TransientFields) {
  std::vector<const FieldDecl *> Fields;
  auto Field = [&](const FieldDecl *D) {
    if (llvm::is_contained(Fields, D)) return;
    Fields.push_back(D);
    for (LoopRecord &R : Loops)
      R.Transient.push_back(D);
  };
  if (!Named.empty()) {
    FieldsByName Finder(Named);
    Finder.TraverseDecl(Ctx.getTranslationUnitDecl());
    for (size_t I = 0; I < Named.size(); ++I) {
      for (const FieldDecl *D : Finder.Found[I])
        Field(D);
      if (Finder.Found[I].empty()) {
        const SourceManager &SM = Ctx.getSourceManager();
        Notes.push_back(makeNote(SM, SM.getLocForStartOfFile(SM.getMainFileID()), "warning",
                                 "--transient=" + Named[I] +
                                     " names no field of a class this file sees (write the "
                                     "class with its namespaces: ns::Class::field)"));
      }
    }
  }
  if (TransientFields) *TransientFields = Fields;
  if (Markers.empty()) return;
  const SourceManager &SM = Ctx.getSourceManager();
  Finder F(SM, Markers);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  std::map<const ValueDecl *, const StateMarker *> Marked;
  for (size_t I = 0; I < Markers.size(); ++I) {
    const StateMarker &M = Markers[I];
    const Found &At = F.Result[I];
    CharSourceRange Range = CharSourceRange::getTokenRange(SM.getFileLoc(M.Range.getBegin()),
                                                           SM.getFileLoc(M.Range.getEnd()));
    std::string Text = Lexer::getSourceText(Range, SM, Ctx.getLangOpts()).str();
    SourceLocation Loc = M.Range.getBegin();
    if (M.Field) {
      const FieldDecl *D = At.Seen ? namedField(At.Operand) : nullptr;
      if (!D) {
        Notes.push_back(makeNote(SM, Loc, "error",
                                 Text + " does not name a field of the class it is in; write "
                                        "PL_TRANSIENT_FIELD(name) in the class, after the "
                                        "field's declaration"));
        continue;
      }
      Field(D);
      continue;
    }
    if (!At.Seen || !At.Function) {
      Notes.push_back(makeNote(SM, Loc, "warning",
                               Text + " is not inside a function, so it marks nothing; use it as "
                                      "a statement after the variable's declaration"));
      continue;
    }
    const ValueDecl *D = namedVariable(At.Operand);
    if (!D) {
      Notes.push_back(makeNote(
          SM, Loc, "error",
          Text +
              " does not name a variable: PL_TRANSIENT and PL_PERSIST take a local variable, "
              "parameter, field of *this or global by name; " +
              fixFor(At.Operand, M.Persist)));
      continue;
    }
    auto [It, Fresh] = Marked.emplace(D, &M);
    if (!Fresh && It->second->Persist != M.Persist) {
      Notes.push_back(makeNote(SM, Loc, "error",
                               "'" + D->getName().str() +
                                   "' is marked both PL_TRANSIENT and PL_PERSIST (also at line " +
                                   std::to_string(SM.getSpellingLineNumber(
                                       SM.getFileLoc(It->second->Range.getBegin()))) +
                                   "); keep one"));
      continue;
    }
    for (LoopRecord &R : Loops)
      if (within(SM, R.Loop->getBeginLoc(), At.Function))
        (M.Persist ? R.Persist : R.Transient).push_back(D);
  }
  if (TransientFields) *TransientFields = Fields;
}

} // namespace pl
