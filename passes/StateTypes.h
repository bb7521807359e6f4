//===- StateTypes.h - Which state pl can save -------------------*- C++ -*-===//
//
/// \file
/// pass `state-types`: for every state variable of every instrumented loop,
/// whether pl/serialize.h can save and load its type. instrument-loops
/// declares the saveable ones with `PL_S_` (which instantiates the
/// serializer, so a wrong "yes" would break the user's build) and the others
/// with `PL_V_`. A type that depends on a template parameter is decided when
/// the template is instantiated: `PL_SD_` (abi::maybe_state_var asks
/// pl::serial::kSaveable, and the runtime refuses checkpoints through an
/// instantiation it cannot save), or `PL_SR_` with `--require-resumable`
/// (such an instantiation does not compile).
///
/// A loop with an unsaveable state variable cannot be checkpointed. For a
/// loop the user named (a label or PL_LOOP) that is a warning at the
/// variable; loops without a label are mostly not meant to be checkpointed
/// (library code, argument parsing), so they get one note per file, at the
/// first of them, pointing at `--list`. With `--require-resumable` every
/// such variable is an error.
///
/// \code
///   std::vector<float> w;  Eigen::MatrixXf W;  std::mt19937 rng;   // saveable
///   struct Cfg { float lr; int steps; } cfg;                        // aggregate: saveable
///   FILE* fp;  std::function<void()> cb;  std::shared_ptr<Net> p;   // not saveable
///   for (int e = 0; e < n; ++e) { fputs("x", fp); ... }
///   // warning: loop 'main/loop0' cannot be checkpointed: its state variable 'fp' has
///   //   type 'FILE *', which pl cannot save (...); if 'fp' is recomputed on resume,
///   //   mark it PL_TRANSIENT(fp), otherwise ...
/// \endcode
///
/// Saveable (references and top-level cv removed): arithmetic types, enums,
/// `std::string`; `vector`, `array`, `deque`, `list`, `map`,
/// `unordered_map`, `set`, `unordered_set`, `pair`, `tuple`, `optional`,
/// `variant`, `unique_ptr` of saveable types (elements that loading creates
/// need a default constructor); C arrays of saveable types; `Eigen::Matrix`
/// and `Eigen::Array` of an arithmetic scalar (not `Map`, `Ref`, `Block` or
/// other expressions); the standard random engines and distributions; a
/// class with a `pl_serialize(ar, x)` in its namespace; an aggregate of 1 to
/// 16 public fields, all saveable, without bases, bit-fields, references,
/// const or C-array fields; and any other class whose definition the
/// translation unit sees, nameable at namespace scope, whose public
/// non-virtual bases and non-const fields (of any access) are saveable and
/// not bit-fields or references to non-const data: pass
/// generate-serializers writes its serializer (these classes are returned
/// in `Generated`). Everything else is not: pointers, closures,
/// `std::function`, `shared_ptr`, streams, mutexes, iterators, views.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_STATETYPES_H
#define PL_PASSES_STATETYPES_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"

namespace pl {

/// Sets StateVar::Saveable and ::Why and LoopRecord::Unsaveable; a warning
/// per unsaveable variable of labeled loops and a note per file for the
/// others (an error per variable of any loop with RequireResumable). Sets
/// `Generated` to the classes whose serializers pl writes.
void runStateTypes(clang::ASTContext &Ctx, std::vector<LoopRecord> &Loops,
                   std::vector<ToolNote> &Notes, std::vector<GeneratedClass> &Generated,
                   bool RequireResumable = false,
                   const std::vector<const clang::FieldDecl *> &TransientFields = {});

} // namespace pl

#endif // PL_PASSES_STATETYPES_H
