//===- WriteEffects.h - What code may write, through what -------*- C++ -*-===//
//
/// \file
/// The write-effects analysis the state passes share (not a pass of its
/// own): for a statement — a loop nest, a function body — the memory it may
/// write, named by the *root* it is reached from: a variable (its own
/// storage, or what it points or refers to), a field of `*this`, a global.
///
/// \code
///   struct net { double *w; int n; };
///   void train_epoch(struct net *net, const double *x) {
///     for (int i = 0; i < net->n; ++i) net->w[i] += x[i];  // root: param 0, indirect
///   }
///   void train(struct net *net, const double *x, int epochs) {
///     for (int e = 0; e < epochs; ++e) train_epoch(net, x);  // writes through `net`
///   }
/// \endcode
///
/// Every function defined in the translation unit (headers included, system
/// headers and the std/Eigen libraries not) gets a summary: which of its
/// parameters' pointees or referents it may write (through any number of
/// pointer or reference fields), which fields of `*this`, which globals —
/// directly or through the functions it calls, to a fixpoint (recursion is
/// fine). A call pl cannot follow — no body here, a virtual call, a call
/// through a function pointer, a library function — is judged by its
/// signature: it may write everything reachable from its non-const pointer
/// and reference arguments, its by-value arguments that share memory
/// (iterators, views, C structs holding pointers), and the object of a
/// non-const method. Const access, const methods, and accessors (a
/// non-const method with a const overload: `operator[]`, `at`, `begin`,
/// `data` of a container) whose result is only read are not writes.
///
/// Locals that point or refer into other memory (`double *w = net->w;`,
/// `auto &row = m[i];`, an iterator, an `Eigen::Map`) are followed: a write
/// through them is also a write through what they were made from
/// (flow-insensitively, within the function).
///
/// Known limits: code in templates is analyzed as written (calls whose
/// callee depends on a template parameter are judged by the arguments'
/// types); a pointer that escapes into a container or a field of another
/// object and is written through later is found only when the write
/// happens through the same object; what an opaque call writes through a
/// pointer it stored earlier is not seen.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_WRITEEFFECTS_H
#define PL_PASSES_WRITEEFFECTS_H

#include "utils/MemoryRoots.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pl {

/// Where a write happens: the function it is in and its location, or the
/// call pl could not follow.
struct WriteWitness {
  std::string
      Where; ///< "in train_epoch() at fann.c:123", "by a call to 'f' (no body here) at x.c:9"
};

/// One root written by a statement.
struct RootWrite {
  /// The variable (local, parameter or global), or null for `*this`.
  const clang::VarDecl *Var = nullptr;
  /// For `*this`: the field written (null: any field, an opaque call got `this`).
  const clang::FieldDecl *Field = nullptr;
  /// Written through a pointer or reference it holds (its pointee, referent,
  /// or what a pointer field reaches), not its own storage.
  bool Indirect = false;
  WriteWitness Witness;
  /// Found in a callee, an opaque call, or through an alias: not a write
  /// that names the variable.
  bool NotNamed = false;
};

/// What a function may write, as its callers see it.
struct WriteSummary {
  std::map<unsigned, WriteWitness> Params; ///< param index -> first write through it
  std::vector<RootWrite> This;             ///< fields of *this (Var null)
  std::vector<RootWrite> Globals;          ///< globals, and locals of other functions (lambdas)
};

class WriteEffects {
public:
  explicit WriteEffects(clang::ASTContext &Ctx);
  ~WriteEffects();

  /// The roots statement `S` of function `Fn` (whose body is `Body`) may
  /// write, each root once (the first witness), locals that alias other
  /// memory resolved to what they alias as well as kept.
  std::vector<RootWrite> writesOf(const clang::Stmt *S, const clang::Decl *Fn,
                                  const clang::Stmt *Body);

  /// The summary of a function with a body this analysis follows.
  const WriteSummary &summaryOf(const clang::FunctionDecl *FD);

  /// Whether the analysis follows calls to `FD`: its definition, or null.
  const clang::FunctionDecl *followed(const clang::FunctionDecl *FD) const;

  /// The followed functions `S` may call, transitively (virtual calls: the
  /// function named), first-call order.
  std::vector<const clang::FunctionDecl *> calleesOf(const clang::Stmt *S);

  /// What local `V` of the function with body `Body` was made to point or
  /// refer to (its initializer and assignments); empty when nothing is known.
  MemoryRoots aliasesOf(const clang::VarDecl *V, const clang::Stmt *Body);

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace pl

#endif // PL_PASSES_WRITEEFFECTS_H
