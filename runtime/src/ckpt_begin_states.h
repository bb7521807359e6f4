// Internal: which loops keep their state at the start of each iteration.
//
// A checkpoint taken in a function called from a loop's body (main's fold
// loop around train()) must also save that enclosing loop, as it was when
// its current iteration began: its locals have moved on since. Loops the
// call graph shows to enclose a policy's loop through a call (kRoleBeginState,
// loop_roles.h) keep that begin state from their first iteration, so the
// first iteration is checkpointable too. Loops learnt otherwise — an
// enclosing loop found at a checkpoint attempt, one no manifest describes —
// keep it from their next iteration; until the first checkpoint, top-level
// loops no manifest describes are candidates that keep it while it is cheap.
#ifndef PL_RUNTIME_CKPT_BEGIN_STATES_H
#define PL_RUNTIME_CKPT_BEGIN_STATES_H

#include <atomic>
#include <mutex>
#include <set>
#include <string>

namespace pl::detail {

struct SiteRt;

class BeginStates {
 public:
  enum Level { kNone, kCandidate, kEnclosing };
  static BeginStates& get();

  // Takes only a leaf lock: the registry asks while recomputing masks (the
  // engine caches the answer in SiteRt::begin_level for the event path).
  Level level(const SiteRt& rt) const;
  // Each returns true when the level of a loop changed (masks must follow).
  bool add_candidate(const std::string& site);  // a top-level loop, before the first checkpoint
  bool add_enclosing(const std::string& site);
  bool mark_first_checkpoint();  // candidates stop keeping begin states
  bool before_first_checkpoint() const { return !first_taken_.load(std::memory_order_relaxed); }

 private:
  mutable std::mutex mu_;
  std::set<std::string> enclosing_;   // loops keeping their begin state
  std::set<std::string> candidates_;  // top-level loops, until the first checkpoint
  std::atomic<bool> first_taken_{false};
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_BEGIN_STATES_H
