//===- GenerateSerializers.cpp - Serializers pl writes itself -------------===//
#include "GenerateSerializers.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <map>

using namespace clang;

namespace pl {

namespace {

class Writer {
public:
  explicit Writer(ASTContext &Ctx) : Ctx(Ctx), Policy(Ctx.getPrintingPolicy()) {
    Policy.SuppressUnwrittenScope = true; // anonymous and inline namespaces
    Policy.SuppressTagKeyword = true;
    Policy.FullyQualifiedName = true;
  }

  /// Numbers the classes first: a class's fields function calls its
  /// generated bases' ones, which may come later in the list.
  void number(const std::vector<GeneratedClass> &Classes) {
    for (const GeneratedClass &G : Classes)
      Index.emplace(G.Class->getCanonicalDecl(), unsigned(Index.size()));
  }

  void add(const GeneratedClass &G) {
    const CXXRecordDecl *RD = G.Class;
    const std::string Class = spelled(Ctx.getRecordType(RD));
    const std::string Fn = "pl_fields_" + std::to_string(Index.at(RD->getCanonicalDecl()));
    std::string Body;
    // Bases: a generated one through its fields function (its pl_serialize
    // would see an object of another class), any other through its own.
    for (const CXXBaseSpecifier &B : RD->bases()) {
      const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
      auto It = Base ? Index.find(Base->getCanonicalDecl()) : Index.end();
      Body += It != Index.end()
                  ? "  pl_fields_" + std::to_string(It->second) + "(ar, x);\n"
                  : "  ar(static_cast<" + spelled(B.getType().getUnqualifiedType()) + "&>(x));\n";
    }
    // In declaration order: runs of plain fields in one ar(...), const ones
    // checked on their own.
    std::vector<std::string> Run;
    auto Flush = [&] {
      if (!Run.empty()) Body += "  ar(" + llvm::join(Run, ",\n     ") + ");\n";
      Run.clear();
    };
    for (const FieldDecl *F : RD->fields()) {
      QualType FT = F->getType();
      if (FT->isReferenceType()) continue; // a view: the replay rebuilds it
      if (llvm::is_contained(G.Transient, F)) continue; // PL_TRANSIENT_FIELD, --transient
      // A const number or enum is left to the replay too, but saved so that
      // loading can check the replay rebuilt the same value.
      bool Const = Ctx.getBaseElementType(FT).isConstQualified();
      if (Const && !FT->isArithmeticType() && !FT->isEnumeralType()) continue;
      std::string Tag = "pl_f" + std::to_string(NextTag++);
      Tags += "struct " + Tag + " {\n  friend auto pl_field(" + Tag +
              ");\n};\ntemplate struct pl_field_of<" + Tag + ", &" + Class +
              "::" + F->getNameAsString() + ">;\n";
      std::string Member = "x.*pl_field(" + Tag + "{})";
      if (!Const) {
        Run.push_back(Member);
        continue;
      }
      Flush();
      Body += "  ::pl::serial::const_field(ar, " + Member + ", \"" + name(RD) +
              "::" + F->getNameAsString() + "\");\n";
    }
    Flush();
    Declarations += "template <class Ar>\nvoid " + Fn + "(Ar& ar, " + Class + "& x);\n";
    Definitions += "template <class Ar>\nvoid " + Fn + "(Ar& ar, " + Class + "& x) {\n" +
                   (Body.empty() ? "  (void)ar;\n  (void)x;\n" : Body) + "}\n";
    // A polymorphic class: the object may be of a derived class (reached
    // through a reference or an owning pointer). Its class is saved by name
    // first, then its fields; loading checks the name (or re-creates the
    // object by it, pl_new_dynamic).
    std::string Save = "  " + Fn + "(ar, x);\n";
    std::string Factory;
    if (RD->isPolymorphic()) {
      Save = "  const ::std::type_info& t = typeid(x);\n";
      std::string Else = "  ";
      auto Branch = [&](const std::string &Name, const std::string &Type, const std::string &Then) {
        Save += Else + "if (t == typeid(" + Type + ")) {\n    ::pl::serial::dynamic_class(ar, \"" +
                Name + "\");\n" + Then + "  }";
        Else = " else ";
      };
      if (!RD->isAbstract()) {
        Branch(name(RD), Class, "    " + Fn + "(ar, x);\n");
        if (!G.Rebuilt)
          Factory += "  if (n == \"" + name(RD) + "\") return ::pl::serial::make_dynamic<" + Class +
                     ">();\n";
      }
      for (const DerivedClass &D : G.Derived) {
        std::string Type = spelled(Ctx.getRecordType(D.Class));
        if (!D.Problem.empty()) {
          Save += Else + "if (t == typeid(" + Type +
                  "))\n    throw ::std::logic_error(\"pl: " + "cannot save an object of class " +
                  name(D.Class) + " reached through " + name(RD) + ": " + escaped(D.Problem) +
                  "\");";
          Else = " else ";
          continue;
        }
        auto It = Index.find(D.Class->getCanonicalDecl());
        Branch(name(D.Class), Type,
               It != Index.end() ? "    pl_fields_" + std::to_string(It->second) +
                                       "(ar, static_cast<" + Type + "&>(x));\n"
                                 : "    ar(static_cast<" + Type + "&>(x));\n");
        if (D.Creatable)
          Factory += "  if (n == \"" + name(D.Class) + "\") return ::pl::serial::make_dynamic<" +
                     Type + ">();\n";
      }
      Save += Else + "::pl::serial::unknown_class(t, \"" + name(RD) + "\");\n";
    }
    // Objects that loading creates cannot get these fields back: the
    // marker tells pl/serialize.h (serial::HasRebuiltFields).
    std::string Marker =
        G.Rebuilt ? "template <class T,\n          ::std::enable_if_t<::std::is_same<T, " + Class +
                        ">::value, int> = 0>\n[[maybe_unused]] static void "
                        "pl_rebuilt_fields(T&);\n"
                  : "";
    Functions +=
        openNamespaces(RD) + Marker +
        "template <class Ar, class T,\n          ::std::enable_if_t<::std::is_same<T, " + Class +
        ">::value, int> = 0>\n[[maybe_unused]] static void pl_serialize(Ar& ar, T& x) {\n" + Save +
        "}\n" +
        (RD->isPolymorphic()
             ? "template <class T,\n          ::std::enable_if_t<::std::is_same<T, " + Class +
                   ">::value, int> = 0>\n[[maybe_unused]] static T* pl_new_dynamic(T*, const "
                   "::std::string& n) {\n" +
                   Factory + "  (void)n;\n  return nullptr;\n}\n"
             : "") +
        Closing + "\n";
  }

  std::string text(const std::string &Id) const {
    return "\n// pl-instrument: serializers of the classes in checkpoint state "
           "(pass generate-serializers).\n#ifndef PL_GENERATED_" +
           Id + "\n#define PL_GENERATED_" + Id +
           "\n#include <stdexcept>\n#include <string>\n#include <type_traits>\n#include "
           "<typeinfo>\nnamespace {\ntemplate <class Tag, auto M>\nstruct pl_field_of {\n"
           "  friend auto pl_field(Tag) { return M; }\n};\n" +
           Tags + Declarations + Definitions + "}  // namespace\n" + Functions + "#endif\n";
  }

private:
  /// A class's name in a checkpoint: as code names it, without the
  /// leading "::".
  std::string name(const CXXRecordDecl *RD) const {
    std::string N = escaped(spelled(Ctx.getRecordType(RD)));
    return N.rfind("::", 0) == 0 ? N.substr(2) : N;
  }

  /// Text inside a string literal.
  static std::string escaped(StringRef Text) {
    std::string Out;
    for (char C : Text) {
      if (C == '"' || C == '\\') Out += '\\';
      Out += C;
    }
    return Out;
  }

  /// A class as code at namespace scope names it.
  std::string spelled(QualType T) const {
    return TypeName::getFullyQualifiedName(T, Ctx, Policy, /*WithGlobalNsPrefix=*/true);
  }

  /// Opens the namespaces around `RD` (the ones argument-dependent lookup
  /// searches for it); sets Closing to what closes them.
  std::string openNamespaces(const CXXRecordDecl *RD) {
    std::vector<const NamespaceDecl *> Chain;
    for (const DeclContext *DC = RD->getDeclContext(); !DC->isTranslationUnit();
         DC = DC->getParent())
      if (auto *NS = dyn_cast<NamespaceDecl>(DC)) Chain.push_back(NS);
    std::string Open;
    Closing.clear();
    for (auto It = Chain.rbegin(); It != Chain.rend(); ++It) {
      const NamespaceDecl *NS = *It;
      Open += std::string(NS->isInline() ? "inline " : "") + "namespace " +
              (NS->isAnonymousNamespace() ? "" : NS->getName().str() + " ") + "{\n";
      Closing += "}\n";
    }
    return Open;
  }

  ASTContext &Ctx;
  PrintingPolicy Policy;
  std::map<const CXXRecordDecl *, unsigned> Index;
  unsigned NextTag = 0;
  std::string Tags, Declarations, Definitions, Functions, Closing;
};

} // namespace

unsigned runGenerateSerializers(ASTContext &Ctx, const std::vector<GeneratedClass> &Classes,
                                FileID File, Rewriter &RW) {
  if (Classes.empty()) return 0;
  Writer W(Ctx);
  W.number(Classes);
  for (const GeneratedClass &G : Classes)
    W.add(G);
  const SourceManager &SM = RW.getSourceMgr();
  // Named after the file's contents, as the manifest is.
  std::string Id = llvm::utohexstr(llvm::xxh3_64bits(SM.getBufferData(File)));
  RW.InsertTextAfter(SM.getLocForEndOfFile(File), W.text(Id));
  return unsigned(Classes.size());
}

} // namespace pl
