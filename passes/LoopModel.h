//===- LoopModel.h - What the passes know about one loop --------*- C++ -*-===//
//
/// \file
/// The shared record the analysis passes fill in and the transform and the
/// manifest read. One LoopRecord per loop statement in the files being
/// instrumented, in source order (outer loops before the loops they contain).
///
/// The passes that fill it in run in the order of the table in Pipeline.h
/// (`pl-instrument --help` lists it); each reads what the passes before it
/// wrote.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_LOOPMODEL_H
#define PL_PASSES_LOOPMODEL_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceLocation.h"

#include <string>
#include <vector>

namespace pl {

/// A local variable visible at an event point; or a field of `*this` or a
/// global the loop nest may modify (added by modified-vars).
/// The most locals one boundary passes to the runtime: the slots of the
/// preprocessor for-each in runtime/include/pl/abi_foreach.h (state-types
/// keeps state first when a loop has more).
constexpr size_t kMaxPointVars = 128;

/// A class whose serializer pl writes: pass state-types decides which, and
/// whether it leaves fields to the replay (const fields, references to
/// const, itself or in a generated part); generate-serializers writes it.
/// A class of the translation unit deriving from a polymorphic generated
/// class: the serializer of the base dispatches on the object's dynamic type.
struct DerivedClass {
  const clang::CXXRecordDecl *Class = nullptr;
  std::string Problem;    ///< why pl cannot save it, or "" (generated or user-serialized)
  bool Creatable = false; ///< loading may create it (no fields left to the replay)
};

struct GeneratedClass {
  const clang::CXXRecordDecl *Class = nullptr;
  bool Rebuilt = false; ///< objects loading creates cannot get those fields back
  /// Polymorphic classes: the concrete classes deriving from it that the
  /// translation unit defines (objects of others are refused when saved).
  std::vector<DerivedClass> Derived;
  /// Fields marked transient (PL_TRANSIENT_FIELD, --transient): left out.
  std::vector<const clang::FieldDecl *> Transient;
};

struct VisibleVar {
  const clang::ValueDecl *Decl = nullptr; ///< VarDecl, BindingDecl or FieldDecl
  std::string Name;                       ///< how the point names it: "loss", "this->count", "::g"
  std::string Type;                       ///< as written in the source, e.g. "const Dataset &"
};

/// Whether pl/serialize.h can save a state variable's type (pass state-types),
/// and so how instrument-loops declares it.
enum class Saving {
  Yes, ///< PL_S_
  No,  ///< PL_V_: the loop cannot be checkpointed
  /// PL_SD_: the type depends on a template parameter; decided per instantiation.
  AtInstantiation,
  /// PL_SR_: the same, but an instantiation pl cannot save does not compile
  /// (--require-resumable).
  AssertAtInstantiation,
  /// PL_SA_: a pointer the nest writes through (not the pointer itself): saved
  /// as the whole array it points into, whose length the runtime recorded
  /// when it was allocated (LoopRecord::Arrays).
  Array,
};

/// A variable a checkpoint at the loop holds.
struct StateVar : VisibleVar {
  Saving Saveable = Saving::Yes;
  std::string Why{}; ///< when not saveable: why, and what to do about it
  /// How a checkpoint saves it (pass state-types; --list): "its bytes",
  /// "a serializer pl generates (fields lr_, steps_)", "the array it points into ...".
  std::string How{};
};

/// A `continue` that belongs to the loop: iteration_end fires before it.
struct ContinuePoint {
  const clang::ContinueStmt *Stmt = nullptr;
  std::vector<VisibleVar> Vars;
};

enum class LabelSource { Automatic, CxxLabel, Marker };
enum class LoopKind { For, RangeFor, While, DoWhile };

struct LoopRecord {
  const clang::Stmt *Loop = nullptr;    ///< ForStmt, CXXForRangeStmt, WhileStmt, DoStmt
  const clang::Stmt *Outer = nullptr;   ///< Loop, or the AttributedStmt around it
  const clang::Decl *Context = nullptr; ///< function, method or lambda call operator
  const clang::Stmt *ContextBody = nullptr;
  LoopKind Kind = LoopKind::For;
  std::string Function; ///< qualified function path, e.g. "mlp::train", "main/lambda0"
  std::string Label;    ///< own segment: user label or "loopN"
  LabelSource Source = LabelSource::Automatic;
  std::string FullName; ///< Function + enclosing loops + Label
  int Parent = -1;      ///< index of the enclosing loop in the same function
  std::string File;     ///< absolute path
  unsigned Line = 0, Column = 0;

  bool Instrumentable = true;
  std::string SkipReason;

  std::vector<VisibleVar> EnterVars; ///< in scope just before the loop (and at exit)
  std::vector<VisibleVar> BeginVars; ///< at the top of the body
  std::vector<VisibleVar> EndVars;   ///< at the end of the body
  std::vector<ContinuePoint> Continues;
  std::string TripExpr = "-1"; ///< C++ expression, evaluated at loop enter

  /// Variables named by PL_TRANSIENT / PL_PERSIST in the loop's function.
  std::vector<const clang::ValueDecl *> Transient, Persist;
  /// What the nest writes that the state must hold although the nest may
  /// not name it (pass pointee-effects): references whose referent it
  /// writes, locals written through their address, fields of `*this` and
  /// this file's globals written by callees.
  std::vector<const clang::ValueDecl *> WrittenThrough;
  /// Pointers (locals, parameters, fields of `*this`) whose pointee the nest
  /// writes and whose elements have no pointers: state saved as the array
  /// each points into (pass pointee-effects; Saving::Array).
  std::vector<const clang::ValueDecl *> Arrays;
  /// For each of Arrays: the first write through it, "writes through 'G'
  /// (double *) in f() at x.c:3".
  std::vector<std::string> ArrayWrites;
  /// Visible containers the nest only reads through a non-const accessor
  /// (`x = v[i]` on a non-const vector): not state (pointee-effects).
  std::vector<const clang::ValueDecl *> ReadOnly;
  /// Checkpoint state: what the nest may modify (or declares) among the
  /// visible variables, the fields of `*this` and this file's globals.
  std::vector<StateVar> State;
  /// "fp: FILE *" for each state variable pl cannot save: the runtime refuses
  /// checkpoints through the loop. (State decided at instantiation is not
  /// listed; the runtime learns about it from the variable's flags.)
  std::vector<std::string> Unsaveable;
  /// Effects of the loop that may escape its state: "calls std::rand".
  std::vector<std::string> Uncaptured;
  /// Full name of the loop right after this one whose state holds all this
  /// loop changes: a resume of that loop skips this one (restored-later).
  std::string RestoredBy;
  /// xxh3 (hex) of the tokens of the loop's function, of every function it
  /// may call in this translation unit, and of its state layout (pass
  /// code-fingerprint): what a resume of the loop depends on.
  std::string CodeHash;
  /// Pass call-graph: the key of the function holding the loop (functionKey)
  /// and what the loop's body can call outside its nested instrumented loops,
  /// flattened over this file's bodies: keys of functions that hold loops or
  /// are defined elsewhere, "virtual:<name>" and "*" (anything).
  std::string FunctionKey;
  std::vector<std::string> Calls;
};

/// What one function of the translation unit can call (pass call-graph),
/// in the same terms as LoopRecord::Calls: a row of the manifest's call graph.
struct CallRow {
  std::string Key;
  std::vector<std::string> Calls;
  /// An effect of the function (or what it calls in this file) that only a
  /// checkpoint of a loop of this file could hold: "writes 'total'", "calls
  /// std::rand". Emitted as "!<file id>:<effect>" in its calls, so that a
  /// loop of another file reaching it refuses checkpoints (the runtime's
  /// LoopRoles::hidden_effect).
  std::string Hidden;
  /// xxh3 (hex) of the function's code as code-fingerprint hashes a loop's
  /// (its tokens, what it calls in this file, the globals and macros they
  /// use; all overloads of the key). Emitted as "#<hash>" in its calls: the
  /// runtime folds the hashes of the functions of *other* files a loop can
  /// reach into that loop's code fingerprint, so a resume after a callee in
  /// another instrumented file changed refuses.
  std::string CodeHash;
};

/// A message for the user, printed clang-style as file:line:col: kind: text.
struct ToolNote {
  std::string File;
  unsigned Line = 0, Column = 0;
  std::string Kind; ///< "note", "warning" or "error"
  std::string Message;
};

/// A PL_LOOP(name) marker seen by the preprocessor.
struct LoopMarker {
  clang::SourceLocation Loc; ///< expansion location (a file location)
  std::string Name;
};

const char *loopKindName(LoopKind K);
const char *abiLoopKind(LoopKind K);
const char *labelSourceName(LabelSource S); ///< "automatic", "label", "PL_LOOP"

} // namespace pl

#endif // PL_PASSES_LOOPMODEL_H
