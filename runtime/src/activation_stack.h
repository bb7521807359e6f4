// Internal: the loops active on this thread, one stack per thread, shared by
// dispatch and the checkpoint engine.
//
// Dispatch links every tracked loop at its kEnter (Loop::parent points to
// the loop that was on top: Frame::enclosing walks that chain) and unlinks
// it at loop_exit. The checkpoint engine keeps, for the linked loops it
// follows, one Activation record each: which activation of its site it is
// within its parent's current iteration, the exit states of children that
// completed in that iteration, and its state when the iteration began.
#ifndef PL_RUNTIME_ACTIVATION_STACK_H
#define PL_RUNTIME_ACTIVATION_STACK_H

#include <pl/abi.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pl::detail {

struct SiteRt;

// Runtime-owned bits of abi::Loop::state.
enum LoopStateBits : std::uint32_t {
  kLinked = 1u << 0,     // on this thread's stack of active loops
  kExitFired = 1u << 1,  // loop_exit hooks ran
  kHasRec = 1u << 2,     // the checkpoint engine keeps an Activation for it
};

inline constexpr std::uint64_t kNoIteration = ~std::uint64_t(0);

// One local as saved: its name, its type's spelling and pl::save bytes.
struct SavedVar {
  std::string name, type;
  std::vector<unsigned char> bytes;
};

// A child loop that completed in its parent's current iteration.
struct DoneLoop {
  std::string site;
  std::uint64_t activation = 0;
  std::vector<SavedVar> vars;  // its exit state
};

struct Activation {
  abi::Loop* loop = nullptr;  // null: the thread's top level
  SiteRt* rt = nullptr;
  std::uint64_t activation = 0;
  std::int64_t t_enter = 0;
  // Children in the current iteration: activations per site, exit states.
  std::uint64_t kids_iter = kNoIteration;
  std::vector<std::pair<const abi::Site*, std::uint64_t>> kid_counts;
  std::vector<DoneLoop> done;
  // State when the current iteration began (loops whose callees checkpoint).
  std::vector<SavedVar> begin_state;
  std::uint64_t begin_iter = kNoIteration;
  const char* begin_unsaveable = nullptr;  // a variable the begin state lacks
  std::int64_t last_begin_ns = 0;
  // Resume: index in the saved position, restored yet.
  int path = -1;
  bool restored = false;

  std::uint64_t iteration_key() const { return loop ? loop->iterations : 0; }
  // Forgets the children of a previous iteration.
  void sync_kids();
  // The activation index a new child of `site` gets (0 for the first).
  std::uint64_t next_activation_of(const abi::Site& site);
};

class ActivationStack {
 public:
  static ActivationStack& here();  // this thread's

  // ---- the chain of tracked loops (dispatch) ----
  void link(abi::Loop& loop);
  void unlink(abi::Loop& loop);

  // ---- the checkpoint engine's records, innermost last ----
  std::vector<Activation>& records() { return records_; }
  Activation& root() { return root_; }
  // The innermost record, or the thread's top level when there is none.
  Activation& innermost() { return records_.empty() ? root_ : records_.back(); }
  // The record of the loop enclosing records()[index] (root for index 0).
  Activation& parent_of(std::size_t index) { return index == 0 ? root_ : records_[index - 1]; }
  // The innermost record of `loop`, or null.
  Activation* find(const abi::Loop& loop);
  // Drops `loop`'s record and every record above it.
  void drop(const Activation& record);

 private:
  abi::Loop* top_ = nullptr;
  Activation root_;
  std::vector<Activation> records_;
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_ACTIVATION_STACK_H
