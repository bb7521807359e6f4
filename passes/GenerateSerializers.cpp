//===- GenerateSerializers.cpp - Serializers pl writes itself -------------===//
#include "GenerateSerializers.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/QualTypeNames.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

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

  void add(const CXXRecordDecl *RD) {
    std::string Class = spelled(Ctx.getRecordType(RD));
    std::vector<std::string> Parts;
    for (const CXXBaseSpecifier &B : RD->bases())
      Parts.push_back("static_cast<" + spelled(B.getType().getUnqualifiedType()) + "&>(x)");
    for (const FieldDecl *F : RD->fields()) {
      QualType FT = F->getType();
      if (FT->isReferenceType() || Ctx.getBaseElementType(FT).isConstQualified()) continue;
      std::string Tag = "pl_f" + std::to_string(Fields++);
      Tags += "struct " + Tag + " {\n  friend auto pl_field(" + Tag +
              ");\n};\ntemplate struct pl_field_of<" + Tag + ", &" + Class +
              "::" + F->getNameAsString() + ">;\n";
      Parts.push_back("x.*pl_field(" + Tag + "{})");
    }
    std::string Body = Parts.empty() ? "  (void)ar;\n  (void)x;\n"
                                     : "  ar(" + llvm::join(Parts, ",\n     ") + ");\n";
    Functions +=
        openNamespaces(RD) +
        "template <class Ar, class T,\n          ::std::enable_if_t<::std::is_same<T, " + Class +
        ">::value, int> = 0>\n[[maybe_unused]] static void pl_serialize(Ar& ar, T& x) {\n" + Body +
        "}\n" + Closing + "\n";
  }

  std::string text(const std::string &Id) const {
    return "\n// pl-instrument: serializers of the classes in checkpoint state "
           "(pass generate-serializers).\n#ifndef PL_GENERATED_" +
           Id + "\n#define PL_GENERATED_" + Id +
           "\nnamespace {\ntemplate <class Tag, auto M>\nstruct pl_field_of {\n"
           "  friend auto pl_field(Tag) { return M; }\n};\n" +
           Tags + "}  // namespace\n" + Functions + "#endif\n";
  }

private:
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
  unsigned Fields = 0;
  std::string Tags, Functions, Closing;
};

} // namespace

unsigned runGenerateSerializers(ASTContext &Ctx, const std::vector<const CXXRecordDecl *> &Classes,
                                FileID File, Rewriter &RW) {
  if (Classes.empty()) return 0;
  Writer W(Ctx);
  for (const CXXRecordDecl *RD : Classes)
    W.add(RD);
  const SourceManager &SM = RW.getSourceMgr();
  // Named after the file's contents, as the manifest is.
  std::string Id = llvm::utohexstr(llvm::xxh3_64bits(SM.getBufferData(File)));
  RW.InsertTextAfter(SM.getLocForEndOfFile(File), W.text(Id));
  return unsigned(Classes.size());
}

} // namespace pl
