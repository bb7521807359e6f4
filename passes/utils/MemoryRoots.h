//===- MemoryRoots.h - Which variable an expression's memory hangs off -*- C++ -*-===//
//
/// \file
/// Type and expression helpers of the write-effects analysis
/// (passes/WriteEffects.h): whether memory may be written through a type,
/// whether a record shares memory when copied, whether a method is a plain
/// accessor, and which roots (variables, fields of `*this`) an lvalue or a
/// pointer expression reaches.
///
/// \code
///   net->w[i]       // locate: {net, indirect}
///   &row[2]         // pointees: {row, indirect} (row a pointer), {row} (row an array)
///   v[i] (vector)   // locate: {v} — the container's elements are its own storage
///   this->count     // locate: {*this, field count}
/// \endcode
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_UTILS_MEMORYROOTS_H
#define PL_PASSES_UTILS_MEMORYROOTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"

#include <vector>

namespace pl {

/// Memory reached from a root: a variable, or `*this` (Var null, This set).
struct MemoryRoot {
  const clang::VarDecl *Var = nullptr;
  const clang::FieldDecl *Field = nullptr; ///< for *this: the field, null for all of it
  bool This = false;
  bool Indirect = false; ///< through a pointer or reference the root holds
};
using MemoryRoots = std::vector<MemoryRoot>;

/// A record whose copies point at the same memory: a C struct or an
/// iterator holding a pointer, a view, a closure capturing by reference.
/// Containers that copy what they own (a user-provided copy constructor)
/// do not share.
bool sharesOnCopy(clang::QualType T);

/// Memory a callee may write through a parameter of this type: a pointer
/// or reference to non-const, or a record that shares on copy.
bool mayWriteThrough(clang::QualType T);

/// A non-const method with a const overload of the same name and arity
/// (`operator[]`, `at`, `begin`, `data`): it hands out access, it does not
/// write by itself.
bool isAccessor(const clang::CXXMethodDecl *MD);

/// The object a member call (or member operator call) is made on, or null.
const clang::Expr *objectOf(const clang::CallExpr *C);

/// The storage an lvalue names.
MemoryRoots locate(const clang::Expr *E);
/// The memory a pointer, array, iterator or view expression points at.
MemoryRoots pointees(const clang::Expr *E);
/// The memory a call's returned pointer, reference or view may reach: its
/// object's, and what its writable arguments reach (none when it returns
/// plain values or const access).
MemoryRoots resultOf(const clang::Expr *Call);

/// Appends `From` to `To`, every root marked indirect when `Indirect`.
void appendRoots(MemoryRoots &To, const MemoryRoots &From, bool Indirect = false);

} // namespace pl

#endif // PL_PASSES_UTILS_MEMORYROOTS_H
