//===- StateTypes.cpp - Which state pl can save ---------------------------===//
#include "StateTypes.h"
#include "utils/PassUtils.h"

#include "clang/AST/CXXInheritance.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <map>
#include <optional>
#include <set>

using namespace clang;

namespace pl {
namespace {

/// Whether a type can be saved and, if not, why and what to do about it.
struct Verdict {
  bool Ok = true;
  std::string Why; ///< "'FILE *' is a pointer: ..."
  std::string Fix; ///< "hold the data itself ..."
};

Verdict saveable() { return {}; }

/// "C++14", "GNU C++11": the standard a file is compiled as.
std::string standardName(const LangOptions &LO) {
  std::string Std = LO.CPlusPlus26   ? "C++26"
                    : LO.CPlusPlus23 ? "C++23"
                    : LO.CPlusPlus20 ? "C++20"
                    : LO.CPlusPlus17 ? "C++17"
                    : LO.CPlusPlus14 ? "C++14"
                    : LO.CPlusPlus11 ? "C++11"
                    : LO.CPlusPlus   ? "C++98"
                                     : "C";
  return LO.GNUMode ? "GNU " + Std : Std;
}
Verdict unsaveable(std::string Why, std::string Fix) {
  return {false, std::move(Why), std::move(Fix)};
}

/// The outermost namespace around `D`: "std", "Eigen", or "".
StringRef outermostNamespace(const Decl *D) {
  StringRef Name;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (auto *NS = dyn_cast<NamespaceDecl>(DC); NS && !NS->isInline()) Name = NS->getName();
  return Name;
}

/// The types std::is_arithmetic holds for in every mode.
bool standardArithmetic(const BuiltinType *BT) {
  switch (BT->getKind()) {
  case BuiltinType::Bool:
  case BuiltinType::Char_U:
  case BuiltinType::Char_S:
  case BuiltinType::SChar:
  case BuiltinType::UChar:
  case BuiltinType::WChar_U:
  case BuiltinType::WChar_S:
  case BuiltinType::Char8:
  case BuiltinType::Char16:
  case BuiltinType::Char32:
  case BuiltinType::Short:
  case BuiltinType::UShort:
  case BuiltinType::Int:
  case BuiltinType::UInt:
  case BuiltinType::Long:
  case BuiltinType::ULong:
  case BuiltinType::LongLong:
  case BuiltinType::ULongLong:
  case BuiltinType::Float:
  case BuiltinType::Double:
  case BuiltinType::LongDouble: return true;
  default: return false;
  }
}

/// `Eigen::Matrix` or `Eigen::Array` (the plain objects), or a class
/// deriving from one; null for maps, refs, blocks and other expressions.
const ClassTemplateSpecializationDecl *eigenPlainObject(const CXXRecordDecl *RD) {
  auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD);
  if (S && (S->getName() == "Matrix" || S->getName() == "Array") &&
      outermostNamespace(S) == "Eigen")
    return S;
  if (!RD->hasDefinition()) return nullptr;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
      if (const ClassTemplateSpecializationDecl *Plain = eigenPlainObject(Base)) return Plain;
  return nullptr;
}

/// Every `pl_serialize` function (template) declared outside system headers.
class SerializerFinder : public RecursiveASTVisitor<SerializerFinder> {
public:
  explicit SerializerFinder(const SourceManager &SM) : SM(SM) {}
  std::vector<const FunctionDecl *> Found;

  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && SM.isInSystemHeader(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool TraverseStmt(Stmt *, DataRecursionQueue * = nullptr) { return true; } // no bodies
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->getIdentifier() && FD->getName() == "pl_serialize" && FD->getNumParams() == 2)
      Found.push_back(FD);
    return true;
  }

private:
  const SourceManager &SM;
};

class TypeChecker {
public:
  TypeChecker(ASTContext &Ctx, const std::vector<const FieldDecl *> &TransientFields)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), TransientFields(TransientFields) {
    Policy = Ctx.getPrintingPolicy();
    if (Ctx.Idents.find("pl_serialize") == Ctx.Idents.end()) return; // never written
    SerializerFinder F(SM);
    F.TraverseDecl(Ctx.getTranslationUnitDecl());
    Serializers = std::move(F.Found);
  }

  /// A state variable's type: references and top-level cv do not matter.
  /// (A reference to a polymorphic class may be bound to an object of a
  /// derived class: the serializer pl writes for it saves the object's
  /// dynamic class.)
  Verdict variable(QualType T) {
    QualType U = T.getNonReferenceType().getUnqualifiedType();
    if (!Ctx.getLangOpts().CPlusPlus17) {
      // Numbers and enums are saved as bytes by libpl; everything else goes
      // through pl/serialize.h, which needs C++17.
      QualType C = Ctx.getCanonicalType(U);
      if (C->isArithmeticType() || C->isEnumeralType()) return saveable();
      if (C->isPointerType()) return check(U); // says why a pointer is not data
      return unsaveable(quoted(U) +
                            " is saved by pl/serialize.h, which needs C++17, and this "
                            "file is compiled as " +
                            standardName(Ctx.getLangOpts()),
                        "compile this file as C++17 or later to checkpoint the loop");
    }
    return check(U);
  }

  /// How pl saves a saveable state variable's type, for --list.
  std::string how(QualType T) {
    QualType C = Ctx.getCanonicalType(T.getNonReferenceType().getUnqualifiedType());
    if (C->isArithmeticType() || C->isEnumeralType()) return "its bytes";
    if (Ctx.getAsConstantArrayType(C)) return "element by element";
    const CXXRecordDecl *RD = C->getAsCXXRecordDecl();
    if (!RD) return "pl/serialize.h";
    if (RD->isInStdNamespace()) return "pl/serialize.h (standard library)";
    if (eigenPlainObject(RD)) return "pl/serialize.h (Eigen matrix)";
    if (serializerFor(RD)) return "its pl_serialize";
    if (aggregateProblem(RD).empty()) return "field by field (an aggregate)";
    if (!GeneratedSeen.count(RD->getCanonicalDecl())) return "pl/serialize.h";
    std::vector<std::string> Saved, Left;
    for (const CXXBaseSpecifier &B : RD->getDefinition()->bases())
      Saved.push_back("base " + B.getType().getAsString(Policy));
    for (const FieldDecl *F : RD->getDefinition()->fields()) {
      QualType FT = F->getType();
      bool Transient = transient(F);
      bool Replay =
          FT->isReferenceType() || Ctx.getBaseElementType(FT).isConstQualified() || Transient;
      bool Checked = Replay && !Transient && !FT->isReferenceType() &&
                     (FT->isArithmeticType() || FT->isEnumeralType());
      (Replay ? Left : Saved)
          .push_back(F->getNameAsString() + (Checked     ? " (checked)"
                                             : Transient ? " (transient)"
                                                         : ""));
    }
    std::string Out = "a serializer pl generates (" +
                      (Saved.empty() ? std::string("no fields") : llvm::join(Saved, ", "));
    if (!Left.empty()) Out += "; left to the replay: " + llvm::join(Left, ", ");
    if (RD->isPolymorphic()) Out += "; the object's class saved by name";
    return Out + ")";
  }

  /// Completes Generated: the classes deriving from each polymorphic
  /// generated class (which may add more classes) and whether each can be
  /// saved, and loading may create it.
  void addDerivedClasses() {
    for (size_t I = 0; I < Generated.size(); ++I) {
      const CXXRecordDecl *B = Generated[I];
      if (!B->isPolymorphic()) continue;
      std::vector<DerivedClass> Found;
      for (const CXXRecordDecl *D : definitions()) {
        CXXBasePaths Paths(/*FindAmbiguities=*/true, /*RecordPaths=*/false,
                           /*DetectVirtual=*/true);
        if (D == B || !D->isDerivedFrom(B, Paths)) continue;
        DerivedClass DC{D, "", false};
        QualType DT = Ctx.getRecordType(D);
        if (Paths.isAmbiguous(Ctx.getCanonicalType(Ctx.getRecordType(B))))
          DC.Problem = "it derives from " + quoted(Ctx.getRecordType(B)) + " more than once";
        else if (Paths.getDetectedVirtual())
          DC.Problem =
              "it derives from " + quoted(Ctx.getRecordType(B)) + " through a virtual base";
        else if (!nameable(D))
          DC.Problem = "it is local to a function, or a private or protected nested class";
        else if (Verdict V = check(DT); !V.Ok)
          DC.Problem = V.Why;
        DC.Creatable = DC.Problem.empty() && !D->isAbstract() && !leavesFieldsToReplay(D);
        if (!D->isAbstract()) Found.push_back(std::move(DC));
      }
      DerivedOf[B] = std::move(Found);
    }
  }

  const std::vector<DerivedClass> &derivedOf(const CXXRecordDecl *B) const {
    static const std::vector<DerivedClass> None;
    auto It = DerivedOf.find(B);
    return It == DerivedOf.end() ? None : It->second;
  }

  /// A polymorphic class something may derive from: an object reached
  /// through a reference or an owning pointer may be of another class.
  static bool mayBeDerived(const CXXRecordDecl *RD) {
    RD = RD->getDefinition();
    return RD && RD->isPolymorphic() && !RD->hasAttr<FinalAttr>();
  }

private:
  std::string quoted(QualType T) const { return "'" + T.getAsString(Policy) + "'"; }

  Verdict check(QualType T) {
    const Type *Key = Ctx.getCanonicalType(T).getTypePtr();
    if (auto It = Memo.find(Key); It != Memo.end()) return It->second;
    if (!InProgress.insert(Key).second) return saveable(); // recursive through a container
    Verdict V = compute(T);
    InProgress.erase(Key);
    return Memo[Key] = V;
  }

  Verdict compute(QualType T) {
    QualType C = Ctx.getCanonicalType(T);
    if (auto *BT = dyn_cast<BuiltinType>(C); BT && standardArithmetic(BT)) return saveable();
    if (C->isEnumeralType()) return saveable();
    if (C->isAnyPointerType() || C->isMemberPointerType())
      return unsaveable(quoted(T) + " is a pointer, and pl saves data, not addresses",
                        "hold the data itself rather than a pointer to it");
    if (auto *A = Ctx.getAsConstantArrayType(C))
      return check(A->getElementType().getUnqualifiedType());
    if (const CXXRecordDecl *RD = C->getAsCXXRecordDecl()) return record(RD, T);
    return library(T);
  }

  Verdict library(QualType T) const {
    return unsaveable(quoted(T) + " is not data pl knows how to save",
                      "keep what it holds in types pl can save (numbers, strings, standard "
                      "containers, Eigen matrices, random engines, aggregates, types with "
                      "pl_serialize)");
  }

  Verdict record(const CXXRecordDecl *RD, QualType T) {
    if (RD->isLambda()) return library(T);
    if (RD->isInStdNamespace())
      return standardRecord(dyn_cast<ClassTemplateSpecializationDecl>(RD), T);
    if (const ClassTemplateSpecializationDecl *Plain = eigenPlainObject(RD))
      return element(Plain->getTemplateArgs()[0].getAsType(), T, false);
    if (outermostNamespace(RD) == "Eigen" || SM.isInSystemHeader(RD->getLocation()))
      return library(T);
    if (const FunctionDecl *S = serializerFor(RD)) {
      if (inNamespaceOf(S, RD)) return saveable();
      return unsaveable(
          "its pl_serialize at line " + std::to_string(SM.getSpellingLineNumber(S->getLocation())) +
              " is not in the namespace of " + quoted(T) + ", where pl/serialize.h looks for it",
          "move that pl_serialize into the namespace of " + quoted(T));
    }
    if (aggregateProblem(RD).empty()) return saveable();
    std::string Problem = generatedProblem(RD);
    if (Problem.empty()) {
      if (GeneratedSeen.insert(RD->getCanonicalDecl()).second)
        Generated.push_back(RD->getDefinition());
      return saveable();
    }
    std::string Name = T.getAsString(Policy);
    std::string Fix = "give " + quoted(T) + " a serializer in its class: template <class Ar> " +
                      "friend void pl_serialize(Ar& ar, " + Name + "& x) { ar(...); }";
    if (!ProblemField.empty())
      Fix += ", or, if the constructor rebuilds that field on resume, mark it transient: "
             "PL_TRANSIENT_FIELD(" +
             ProblemField +
             ") in the class, or pl-instrument --transient=" + RD->getQualifiedNameAsString() +
             "::" + ProblemField;
    return unsaveable(quoted(T) + " has no pl_serialize and pl cannot write one: " + Problem, Fix);
  }

  /// Whether code at namespace scope can name `RD` (public all the way out,
  /// not local to a function).
  static bool nameable(const CXXRecordDecl *RD) {
    const Decl *D = RD;
    for (const DeclContext *DC = D->getDeclContext(); !DC->isFileContext();
         DC = D->getDeclContext()) {
      if (!isa<CXXRecordDecl>(DC) || D->getAccess() != AS_public) return false;
      D = cast<CXXRecordDecl>(DC);
    }
    return true;
  }
  bool nameable(QualType T) const {
    const CXXRecordDecl *RD = Ctx.getBaseElementType(T)->getAsCXXRecordDecl();
    return !RD || nameable(RD);
  }

  /// Why pass generate-serializers cannot write a serializer for `RD`, or
  /// "": its public bases and its fields, const ones (and references to
  /// const) left to the replay, private ones reached by member pointers.
  std::string generatedProblem(const CXXRecordDecl *RD) {
    ProblemField.clear();
    RD = RD->getDefinition();
    if (!RD) return "its definition is not visible here";
    if (!Ctx.getLangOpts().CPlusPlus17) // the generated code uses `auto` template parameters
      return "pl writes serializers for C++17 and later, and this file is compiled as an older "
             "standard";
    if (RD->isUnion()) return "it is a union";
    if (!nameable(RD)) return "it is local to a function, or a private or protected nested class";
    for (const CXXBaseSpecifier &B : RD->bases()) {
      std::string Base = "its base class " + quoted(B.getType());
      if (B.isVirtual()) return Base + " is virtual";
      if (B.getAccessSpecifier() != AS_public) return Base + " is not public";
      if (Verdict V = check(B.getType().getUnqualifiedType()); !V.Ok)
        return Base + " cannot be saved (" + V.Why + ")";
    }
    for (const FieldDecl *F : RD->fields()) {
      std::string Field = "its field '" + F->getNameAsString() + "'";
      QualType FT = F->getType();
      if (!F->getIdentifier()) return "it has an anonymous member";
      if (transient(F)) { // the replay rebuilds it; objects loading creates would lack it
        Rebuilt.emplace(RD->getCanonicalDecl(), "a transient field '" + F->getNameAsString() + "'");
        continue;
      }
      if (FT->isReferenceType()) {
        if (!FT->getPointeeType().isConstQualified())
          return Field + " is a reference to data the object does not hold";
        Rebuilt.emplace(RD->getCanonicalDecl(), "a reference field '" + F->getNameAsString() + "'");
        continue; // a view: not its data
      }
      if (Ctx.getBaseElementType(FT).isConstQualified()) { // never written
        Rebuilt.emplace(RD->getCanonicalDecl(), "a const field '" + F->getNameAsString() + "'");
        continue;
      }
      if (F->isBitField()) return Field + " is a bit-field";
      if (!nameable(FT)) return Field + " has a private or protected nested type";
      if (Verdict V = check(FT.getUnqualifiedType()); !V.Ok) {
        ProblemField = F->getNameAsString();
        return Field + " has type " + quoted(FT) + ", which pl cannot save (" + V.Why + ")";
      }
      inheritRebuilt(RD, FT);
    }
    for (const CXXBaseSpecifier &B : RD->bases())
      inheritRebuilt(RD, B.getType());
    return "";
  }

  /// A class holding (by value) a class with fields left to the replay
  /// has them too.
  void inheritRebuilt(const CXXRecordDecl *RD, QualType Part) {
    const CXXRecordDecl *P = Ctx.getBaseElementType(Part)->getAsCXXRecordDecl();
    if (auto It = Rebuilt.find(P ? P->getCanonicalDecl() : nullptr); It != Rebuilt.end())
      Rebuilt.emplace(RD->getCanonicalDecl(), It->second);
  }

  /// A template argument or element: a reference or cv-qualified one cannot
  /// be loaded into; containers create elements by value-initializing them.
  Verdict element(QualType A, QualType Whole, bool Created) {
    if (A.isNull() || A->isReferenceType() || A.hasQualifiers()) return library(Whole);
    Verdict V = check(A);
    if (!V.Ok || !Created) return V;
    const CXXRecordDecl *RD = Ctx.getCanonicalType(A)->getAsCXXRecordDecl();
    if (RD && RD->hasDefinition() && RD->isAbstract())
      return unsaveable(quoted(A) + " is abstract: the objects of a " + quoted(Whole) +
                            " are of derived classes, which pl cannot re-create",
                        "hold the objects by value, or give the class that holds them a "
                        "pl_serialize");
    if (RD && RD->hasDefinition() && !RD->hasDefaultConstructor())
      return unsaveable(quoted(A) + " has no default constructor, which loading a " +
                            quoted(Whole) + " needs",
                        "give " + quoted(A) + " a default constructor");
    // Loading creates these objects: no replay rebuilds what pl leaves to it.
    if (auto It = Rebuilt.find(RD ? RD->getCanonicalDecl() : nullptr); It != Rebuilt.end())
      return unsaveable(quoted(A) + " has " + It->second + ", which loading a " + quoted(Whole) +
                            " cannot restore (loading creates its objects; only objects the "
                            "replay rebuilds get their const fields back)",
                        "make the field non-const, or give " + quoted(A) + " a pl_serialize");
    return V;
  }

  Verdict elements(ArrayRef<TemplateArgument> Args, QualType Whole, bool Created) {
    for (const TemplateArgument &A : Args) {
      if (A.getKind() == TemplateArgument::Pack) {
        if (Verdict V = elements(A.pack_elements(), Whole, Created); !V.Ok) return V;
        continue;
      }
      if (Verdict V = element(A.getAsType(), Whole, Created); !V.Ok) return V;
    }
    return saveable();
  }

  /// One entry of pl/detail/saveable_types.def.
  struct StdTemplate {
    StringRef Name;
    StringRef Rule; // Created, Elements or Owned
    unsigned Count; // leading type arguments the rule checks; 0: all
  };

  Verdict standardRecord(const ClassTemplateSpecializationDecl *S, QualType T) {
    static const StdTemplate Templates[] = {
#define PL_SAVEABLE_STD(name, rule, count, params, args, checked) {#name, #rule, count},
#include "pl/detail/saveable_types.def"
    };
    static const llvm::StringSet<> TextState = {
#define PL_SAVEABLE_TEXT_STATE(name) #name,
#include "pl/detail/saveable_types.def"
    };
    if (!S) return library(T); // std::mutex, std::random_device, ...
    StringRef Name = S->getName();
    ArrayRef<TemplateArgument> Args = S->getTemplateArgs().asArray();
    if (TextState.contains(Name) || Name.ends_with("_distribution")) return saveable();
    if (Name == "basic_string") // std::string only: the serializer takes exactly that
      return Ctx.hasSameType(Ctx.getCanonicalType(T), Ctx.getCanonicalType(stringType(S)))
                 ? saveable()
                 : library(T);
    for (const StdTemplate &E : Templates) {
      if (Name != E.Name) continue;
      ArrayRef<TemplateArgument> Checked = E.Count ? Args.take_front(E.Count) : Args;
      if (E.Rule == "Owned") {
        const CXXRecordDecl *Deleter = Args[1].getAsType()->getAsCXXRecordDecl();
        if (Args[0].getAsType()->isArrayType() || !Deleter ||
            Deleter->getName() != "default_delete")
          return library(T);
        const CXXRecordDecl *Owned = Args[0].getAsType()->getAsCXXRecordDecl();
        if (Owned && mayBeDerived(Owned)) {
          // A generated serializer saves the dynamic class, and loading
          // re-creates it by name (or refuses, naming it, at run time).
          QualType O = Args[0].getAsType();
          if (O.hasQualifiers()) return library(T);
          if (Verdict V = check(O); !V.Ok) return V;
          if (GeneratedSeen.count(Owned->getCanonicalDecl())) return saveable();
          return unsaveable(quoted(T) + " owns a polymorphic " + quoted(O) +
                                ", which may be an object of a derived class, and its "
                                "pl_serialize saves data by the declared type",
                            "hold the object by value, or let pl write the serializers (remove "
                            "the class's pl_serialize)");
        }
      }
      return elements(Checked, T, E.Rule != "Elements");
    }
    return library(T);
  }

  /// `std::basic_string<char>` as this library spells it: `S` with `char`
  /// and the library's own defaults.
  QualType stringType(const ClassTemplateSpecializationDecl *S) const {
    ArrayRef<TemplateArgument> Args = S->getTemplateArgs().asArray();
    if (Args.size() != 3 || !Ctx.hasSameType(Args[0].getAsType(), Ctx.CharTy)) return Ctx.VoidTy;
    auto IsStd = [](QualType Q, StringRef Name) {
      auto *R = dyn_cast_or_null<ClassTemplateSpecializationDecl>(Q->getAsCXXRecordDecl());
      return R && R->isInStdNamespace() && R->getName() == Name &&
             R->getTemplateArgs()[0].getAsType()->isCharType();
    };
    bool Plain =
        IsStd(Args[1].getAsType(), "char_traits") && IsStd(Args[2].getAsType(), "allocator");
    return Plain ? Ctx.getRecordType(S) : Ctx.VoidTy;
  }

  /// Argument-dependent lookup from pl/serialize.h finds `S` for `RD`.
  static bool inNamespaceOf(const FunctionDecl *S, const CXXRecordDecl *RD) {
    return S->getDeclContext()->getRedeclContext()->getEnclosingNamespaceContext()->Equals(
        RD->getDeclContext()->getEnclosingNamespaceContext());
  }

  /// The pl_serialize for this class: one whose second parameter is the
  /// class or its template, or a bare template parameter (any type of its
  /// namespace). Prefers one that lookup finds; null if none would do.
  const FunctionDecl *serializerFor(const CXXRecordDecl *RD) const {
    const CXXRecordDecl *Self = RD->getCanonicalDecl();
    const CXXRecordDecl *Pattern = nullptr;
    if (auto *S = dyn_cast<ClassTemplateSpecializationDecl>(RD))
      Pattern = S->getSpecializedTemplate()->getTemplatedDecl()->getCanonicalDecl();
    const FunctionDecl *Elsewhere = nullptr;
    for (const FunctionDecl *FD : Serializers) {
      QualType P = FD->getParamDecl(1)->getType().getNonReferenceType();
      bool Generic = P->getAs<TemplateTypeParmType>() != nullptr;
      const CXXRecordDecl *Named = P->getAsCXXRecordDecl();
      if (auto *TST = P->getAs<TemplateSpecializationType>())
        if (TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl())
          Named = dyn_cast_or_null<CXXRecordDecl>(TD->getTemplatedDecl());
      bool Names =
          Named && (Named->getCanonicalDecl() == Self || Named->getCanonicalDecl() == Pattern);
      if (!Generic && !Names) continue;
      if (inNamespaceOf(FD, RD)) return FD;
      if (Names && !Elsewhere) Elsewhere = FD;
    }
    return Elsewhere;
  }

  /// Why pl/serialize.h cannot save `RD` field by field, or "".
  std::string aggregateProblem(const CXXRecordDecl *RD) {
    if (!RD->hasDefinition()) return "its definition is not visible here";
    if (RD->isUnion()) return "it is a union";
    if (!RD->isAggregate()) return "it has constructors, non-public fields or virtual functions";
    if (RD->getNumBases() > 0) return "it has a base class";
    unsigned N = 0;
    for (const FieldDecl *F : RD->fields()) {
      std::string Field = "its field '" + F->getNameAsString() + "'";
      QualType FT = F->getType();
      if (!F->getIdentifier()) return "it has an anonymous member";
      if (F->isBitField()) return Field + " is a bit-field";
      if (transient(F)) return Field + " is transient"; // a generated serializer leaves it out
      if (FT->isReferenceType()) return Field + " is a reference";
      if (FT.isConstQualified()) return Field + " is const";
      if (FT->isArrayType()) return Field + " is a C array";
      if (!check(FT.getUnqualifiedType()).Ok)
        return Field + " has type " + quoted(FT) + ", which pl cannot save";
      ++N;
    }
    if (N == 0) return "it has no fields";
    if (N > 16) return "it has more than 16 fields";
    return "";
  }

public:
  /// The classes pass generate-serializers writes serializers for, in the
  /// order they were found.
  std::vector<const CXXRecordDecl *> Generated;

  bool transient(const FieldDecl *F) const { return llvm::is_contained(TransientFields, F); }

  std::vector<const FieldDecl *> transientFieldsOf(const CXXRecordDecl *RD) const {
    std::vector<const FieldDecl *> Out;
    for (const FieldDecl *F : RD->fields())
      if (transient(F)) Out.push_back(F);
    return Out;
  }

  bool leavesFieldsToReplay(const CXXRecordDecl *RD) const {
    return Rebuilt.count(RD->getCanonicalDecl()) != 0;
  }

private:
  /// Every class definition of the translation unit outside system headers
  /// (template instantiations included, patterns not).
  const std::vector<const CXXRecordDecl *> &definitions() {
    if (!Definitions) {
      struct Finder : RecursiveASTVisitor<Finder> {
        const SourceManager &SM;
        std::vector<const CXXRecordDecl *> Found;
        explicit Finder(const SourceManager &SM) : SM(SM) {}
        bool shouldVisitTemplateInstantiations() const { return true; }
        bool TraverseStmt(Stmt *, DataRecursionQueue * = nullptr) { return true; }
        bool TraverseDecl(Decl *D) {
          if (D && !isa<TranslationUnitDecl>(D) && SM.isInSystemHeader(D->getLocation()))
            return true;
          return RecursiveASTVisitor::TraverseDecl(D);
        }
        bool VisitCXXRecordDecl(CXXRecordDecl *RD) {
          if (RD->isThisDeclarationADefinition() && !RD->isDependentContext() && !RD->isLambda() &&
              !isa<ClassTemplatePartialSpecializationDecl>(RD) &&
              RD->getDescribedClassTemplate() == nullptr)
            Found.push_back(RD);
          return true;
        }
      } F(SM);
      F.TraverseDecl(Ctx.getTranslationUnitDecl());
      Definitions = std::move(F.Found);
    }
    return *Definitions;
  }

  std::optional<std::vector<const CXXRecordDecl *>> Definitions;
  /// The field the last generatedProblem() names, when marking it transient would do.
  std::string ProblemField;
  std::map<const CXXRecordDecl *, std::vector<DerivedClass>> DerivedOf;
  std::set<const CXXRecordDecl *> GeneratedSeen;
  /// Generated classes with fields left to the replay (const, references to
  /// const), directly or in a part: "a const field 'epoch_'".
  std::map<const CXXRecordDecl *, std::string> Rebuilt;
  ASTContext &Ctx;
  const SourceManager &SM;
  const std::vector<const FieldDecl *> &TransientFields;
  PrintingPolicy Policy{LangOptions()};
  std::vector<const FunctionDecl *> Serializers;
  std::map<const Type *, Verdict> Memo;
  std::set<const Type *> InProgress;
};

/// An unsaveable variable and the labeled loops it keeps from being
/// checkpointed (every loop with --require-resumable).
struct Finding {
  const StateVar *Var = nullptr;
  std::vector<std::string> Loops;
};

/// Why `S` cannot be saved and what to do about it, after "which pl cannot
/// save ".
std::string advice(const StateVar &S, const LoopRecord &R, const Verdict &V,
                   const SourceManager &SM) {
  // A field's or global's declaration is not where the marker goes.
  std::string Where;
  auto *Var = dyn_cast<VarDecl>(S.Decl);
  if (!Var ? isa<FieldDecl>(S.Decl) : !Var->isLocalVarDeclOrParm())
    Where = " in '" + R.Function + "'";
  // A pointer the nest reassigns (buffers swapped each iteration): the code
  // before the loop sets it to the first buffer again, not to the one the
  // loop had reached, so PL_TRANSIENT would resume wrong (new-user trial).
  QualType T = S.Decl->getType().getNonReferenceType();
  QualType E = T->isPointerType() ? T->getPointeeType() : QualType();
  const CXXRecordDecl *ERD = E.isNull() ? nullptr : E->getAsCXXRecordDecl();
  bool Data = !E.isNull() && (E->isArithmeticType() || E->isEnumeralType() ||
                              (ERD && !SM.isInSystemHeader(SM.getFileLoc(ERD->getLocation()))));
  if (Data && S.Saveable != Saving::Array)
    return "(" + V.Why +
           "; the loop assigns the pointer itself, and pl restores data, not "
           "which buffer a pointer was left at); keep the buffers in a container "
           "and an index or a flag saying which is current, or swap the containers "
           "themselves (std::swap of two std::vector) — marking it PL_TRANSIENT "
           "would resume with the pointer at the buffer the code before the loop "
           "chose";
  return "(" + V.Why + "); if '" + S.Name + "' is recomputed on resume, mark it PL_TRANSIENT(" +
         S.Name + ")" + Where + ", otherwise " + V.Fix;
}

std::string message(const Finding &F) {
  std::string Who = F.Loops.size() == 1 ? "loop '" + F.Loops[0] + "' cannot be checkpointed: its"
                                        : "loops '" + llvm::join(F.Loops, "', '") +
                                              "' cannot be checkpointed: their";
  return Who + " state variable '" + F.Var->Name + "' has type '" + F.Var->Type +
         "', which pl cannot save " + F.Var->Why;
}

/// The loops of one file that nobody named and that cannot be checkpointed.
struct Unnamed {
  const LoopRecord *First = nullptr;
  unsigned Count = 0;
};

ToolNote unnamedNote(const Unnamed &U) {
  std::string Loops =
      U.Count == 1 ? "1 loop without a label cannot be checkpointed"
                   : std::to_string(U.Count) + " loops without a label cannot be checkpointed";
  return {U.First->File, U.First->Line, U.First->Column, "note",
          Loops + " (state of types pl cannot save); pl-instrument --list shows which and why"};
}

bool dependent(QualType T) { return T->isDependentType() || T->isInstantiationDependentType(); }

} // namespace

/// The state variable an expression's object is reached from (`accs` in
/// `accs[0]`, `this->net_.layers`), or null.
const ValueDecl *rootOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (auto *DR = dyn_cast<DeclRefExpr>(E)) return DR->getDecl();
    if (auto *M = dyn_cast<MemberExpr>(E)) {
      if (isa<CXXThisExpr>(M->getBase()->IgnoreParenImpCasts())) return M->getMemberDecl();
      E = M->getBase();
    } else if (auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
      E = A->getBase();
    } else if (auto *O = dyn_cast<CXXOperatorCallExpr>(E); O && O->getNumArgs() > 0) {
      E = O->getArg(0);
    } else if (auto *C = dyn_cast<CXXMemberCallExpr>(E)) {
      E = C->getImplicitObjectArgument();
    } else if (auto *U = dyn_cast<UnaryOperator>(E)) {
      E = U->getSubExpr();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

bool smartPointer(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getIdentifier() &&
         (RD->getName() == "unique_ptr" || RD->getName() == "shared_ptr");
}

/// Where `Init` reaches its object through a pointer (`*p`, `p->x`,
/// `*accs[0]`, `accs[0].get()`): the pointer expression, or null.
const Expr *throughPointer(const Expr *Init) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const Expr *Found = nullptr;
    bool VisitUnaryOperator(UnaryOperator *U) {
      if (U->getOpcode() == UO_Deref && !Found) Found = U->getSubExpr();
      return true;
    }
    bool VisitMemberExpr(MemberExpr *M) {
      if (M->isArrow() && !isa<CXXThisExpr>(M->getBase()->IgnoreParenImpCasts()) && !Found)
        Found = M->getBase();
      return true;
    }
    bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *O) {
      if ((O->getOperator() == OO_Star || O->getOperator() == OO_Arrow) && O->getNumArgs() > 0 &&
          smartPointer(O->getArg(0)->getType()) && !Found)
        Found = O->getArg(0);
      return true;
    }
    bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
      const CXXMethodDecl *MD = C->getMethodDecl();
      if (MD && MD->getIdentifier() && MD->getName() == "get" &&
          smartPointer(C->getImplicitObjectArgument()->getType()) && !Found)
        Found = C->getImplicitObjectArgument();
      return true;
    }
  } F;
  F.TraverseStmt(const_cast<Expr *>(Init));
  return F.Found;
}

/// A reference or pointer bound before the loop to an object that a state
/// variable owns through a pointer (`Acc& first = *accs[0];`): the loop may
/// change which object that is (a swap of the unique_ptrs), and a resume
/// restores the owner by position while the replay binds the reference to
/// the object it first found there — a silently wrong resume (new-user
/// trial). Refused, naming both.
void refuseBindingsIntoOwnedObjects(LoopRecord &R, const LoopRecord &Top, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  std::set<const ValueDecl *> State;
  for (const StateVar &S : R.State)
    State.insert(S.Decl);
  for (const VisibleVar &V : R.BeginVars) {
    auto *Var = dyn_cast_or_null<VarDecl>(V.Decl);
    if (!Var || isa<ParmVarDecl>(Var) || !Var->getInit() || declaredInside(Var, Top.Loop, SM) ||
        !(Var->getType()->isReferenceType() || Var->getType()->isPointerType()))
      continue;
    const Expr *Through = throughPointer(Var->getInit());
    const ValueDecl *Owner = Through ? rootOf(Through) : nullptr;
    if (!Owner || Owner == Var || !State.count(Owner)) continue;
    std::string Why =
        "'" + V.Name + "' is bound before the loop to an object '" + Owner->getNameAsString() +
        "' holds through a pointer, and the loop changes '" + Owner->getNameAsString() +
        "' (it may hand that object to another place); "
        "a resume restores '" +
        Owner->getNameAsString() + "' place by place, not the object '" + V.Name +
        "' is bound to: bind it inside the loop, or keep an index";
    if (!llvm::is_contained(R.Unsaveable, Why)) R.Unsaveable.push_back(Why);
  }
}

/// At most kMaxPointVars locals reach one boundary (the emitted code's
/// preprocessor for-each has that many slots): state first, then the other
/// locals in scope order. A loop with more state than that refuses
/// checkpoints; one with more locals shows hooks the first ones, with a note.
static void capPointVars(LoopRecord &R, ASTContext &Ctx, std::vector<ToolNote> &Notes) {
  std::set<const ValueDecl *> State;
  for (const StateVar &S : R.State)
    State.insert(S.Decl);
  bool Dropped = false;
  auto Cap = [&](std::vector<VisibleVar> &Vs) {
    if (Vs.size() <= kMaxPointVars) return;
    size_t Room = kMaxPointVars;
    for (const VisibleVar &V : Vs)
      Room -= Room && State.count(V.Decl);
    std::vector<VisibleVar> Kept;
    size_t StateKept = 0;
    for (VisibleVar &V : Vs) {
      if (State.count(V.Decl) ? StateKept++ < kMaxPointVars : Room && Room--)
        Kept.push_back(std::move(V));
    }
    Vs = std::move(Kept);
    Dropped = true;
  };
  Cap(R.EnterVars);
  Cap(R.BeginVars);
  Cap(R.EndVars);
  for (ContinuePoint &C : R.Continues)
    Cap(C.Vars);
  if (!Dropped) return;
  std::string Msg = "loop '" + R.FullName + "' has more than " + std::to_string(kMaxPointVars) +
                    " locals in scope: hooks see the first " + std::to_string(kMaxPointVars) +
                    ", state first";
  if (State.size() > kMaxPointVars) {
    R.Unsaveable.push_back("more than " + std::to_string(kMaxPointVars) +
                           " state variables at one boundary");
    Msg += "; its " + std::to_string(State.size()) +
           " state variables are too many to "
           "checkpoint (split the function)";
  }
  Notes.push_back(makeNote(Ctx.getSourceManager(), R.Loop->getBeginLoc(), "note", Msg));
}

void runStateTypes(ASTContext &Ctx, std::vector<LoopRecord> &Loops, std::vector<ToolNote> &Notes,
                   std::vector<GeneratedClass> &Generated, bool RequireResumable,
                   const std::vector<const FieldDecl *> &TransientFields) {
  TypeChecker Types(Ctx, TransientFields);
  std::vector<Finding> Findings;
  // One message per variable and function: where a marker would go.
  std::map<std::pair<const ValueDecl *, const Decl *>, size_t> FindingOf;
  std::vector<std::string> Files; // in order of their first unnamed loop
  std::map<std::string, Unnamed> UnnamedIn;
  for (LoopRecord &R : Loops) {
    if (!R.Instrumentable) continue;
    capPointVars(R, Ctx, Notes);
    const LoopRecord *Top = &R;
    while (Top->Parent >= 0)
      Top = &Loops[Top->Parent];
    refuseBindingsIntoOwnedObjects(R, *Top, Ctx);
    // Unlabeled loops are mostly not meant to be checkpointed (library code,
    // argument parsing): one note per file instead of a warning each.
    bool Warn = RequireResumable || R.Source != LabelSource::Automatic;
    for (StateVar &S : R.State) {
      QualType T = S.Decl->getType();
      if (S.Saveable == Saving::Array) { // the elements of the array it points into
        QualType E = T.getNonReferenceType()->getPointeeType().getUnqualifiedType();
        if (dependent(E)) {
          // PL_SA_ instantiates the elements' serializer: decide now or refuse.
          S.Saveable = Saving::No;
          S.Why = "(the elements of the array it points to have a type that depends on a "
                  "template parameter, which pl does not save as an array yet)";
          R.Unsaveable.push_back(S.Name + ": " + S.Type);
          continue;
        }
        Verdict V = Types.variable(E);
        if (V.Ok) {
          S.How = "the array it points into, elements by " + Types.how(E) +
                  " (length: from `new T[n]` in instrumented code or PL_EXTENT, else refused "
                  "at run time)";
          continue;
        }
        V.Why = "its elements' type " + V.Why;
        S.Saveable = Saving::No;
        S.Why = advice(S, R, V, Ctx.getSourceManager());
        // The reason names the write, as pointee-effects' refusals do.
        size_t At = llvm::find(R.Arrays, S.Decl) - R.Arrays.begin();
        R.Unsaveable.push_back(
            (At < R.ArrayWrites.size() ? R.ArrayWrites[At] : "writes through '" + S.Name + "'") +
            "; pl saves what such a pointer points to as the array it points into, but cannot "
            "save the elements " +
            S.Why);
        if (!Warn) continue;
        auto [It, Fresh] = FindingOf.emplace(std::make_pair(S.Decl, R.Context), Findings.size());
        if (Fresh) Findings.push_back({&S, {}});
        Findings[It->second].Loops.push_back(R.FullName);
        continue;
      }
      if (dependent(T)) {
        S.Saveable = RequireResumable ? Saving::AssertAtInstantiation : Saving::AtInstantiation;
        S.How = "decided when the template is instantiated";
        continue;
      }
      Verdict V = Types.variable(T);
      if (V.Ok) {
        S.How = Types.how(T);
        continue;
      }
      S.Saveable = Saving::No;
      S.Why = advice(S, R, V, Ctx.getSourceManager());
      R.Unsaveable.push_back(S.Name + ": " + S.Type);
      if (!Warn) continue;
      auto [It, Fresh] = FindingOf.emplace(std::make_pair(S.Decl, R.Context), Findings.size());
      if (Fresh) Findings.push_back({&S, {}});
      Findings[It->second].Loops.push_back(R.FullName);
    }
    if (Warn || R.Unsaveable.empty()) continue;
    Unnamed &U = UnnamedIn[R.File];
    if (U.Count++ == 0) {
      U.First = &R;
      Files.push_back(R.File);
    }
  }
  for (const Finding &F : Findings)
    Notes.push_back(makeNote(Ctx.getSourceManager(), F.Var->Decl->getLocation(),
                             RequireResumable ? "error" : "warning", message(F)));
  for (const std::string &File : Files)
    Notes.push_back(unnamedNote(UnnamedIn[File]));
  Types.addDerivedClasses();
  Generated.clear();
  for (const CXXRecordDecl *RD : Types.Generated)
    Generated.push_back(
        {RD, Types.leavesFieldsToReplay(RD), Types.derivedOf(RD), Types.transientFieldsOf(RD)});
}

} // namespace pl
