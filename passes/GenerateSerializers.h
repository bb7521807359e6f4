//===- GenerateSerializers.h - Serializers pl writes itself -----*- C++ -*-===//
//
/// \file
/// pass `generate-serializers`: appends to the main file a `pl_serialize`
/// for every class of checkpoint state that has none and that pass
/// state-types found pl can save field by field (StateTypes.h) — classes
/// with constructors, private and protected fields, public bases, virtual
/// functions, C-array fields; class template specializations, nested
/// classes, classes in anonymous namespaces. The user writes nothing and
/// the class's definition is left untouched (its layout and tokens stay the
/// same in other translation units and libraries).
///
/// Private fields are reached through member pointers named in explicit
/// instantiations, where the standard does not check access ([temp.spec]):
///
/// \code
///   namespace {                                   // every name internal to the TU
///   template <class Tag, auto M> struct pl_field_of {
///     friend auto pl_field(Tag) { return M; }      // the member pointer
///   };
///   struct pl_f0 { friend auto pl_field(pl_f0); };
///   template struct pl_field_of<pl_f0, &::model::Layer::w_>;
///   }
///   namespace model {
///   template <class Ar, class T,
///             ::std::enable_if_t<::std::is_same<T, ::model::Layer>::value, int> = 0>
///   [[maybe_unused]] static void pl_serialize(Ar& ar, T& x) {
///     ar(static_cast<::model::Base&>(x), x.*pl_field(pl_f0{}), ...);
///   }
///   }
/// \endcode
///
/// Only the class is spelled (a field's type, often a member typedef of a
/// class in an anonymous namespace, never is). Bases come first, then the
/// fields in declaration order; const fields and
/// references to const are skipped (the replay rebuilds them). The function
/// takes exactly the class (not a derived one, which would otherwise be
/// saved as its base) and is found by argument-dependent lookup when
/// pl/serialize.h's save and load are instantiated, at the end of the
/// translation unit — after this text. A user's own pl_serialize wins:
/// state-types never lists such a class. Appended after the last line, so
/// no line of the original moves.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_GENERATESERIALIZERS_H
#define PL_PASSES_GENERATESERIALIZERS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/Rewrite/Core/Rewriter.h"

#include <vector>

namespace pl {

/// Appends the serializers of `Classes` to `File`; returns how many.
unsigned runGenerateSerializers(clang::ASTContext &Ctx, const std::vector<GeneratedClass> &Classes,
                                clang::FileID File, clang::Rewriter &RW);

} // namespace pl

#endif // PL_PASSES_GENERATESERIALIZERS_H
