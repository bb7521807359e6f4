// Internal: which loops the runtime follows — cost proportional to what is
// selected (docs/ARCHITECTURE.md, "Per-thread loop stack").
//
// A loop is tracked (linked on this thread's stack, timed and seen by the
// checkpoint engine) only when a hook or a checkpoint policy selects it, or
// when it may enclose a selected loop: a loop of the same function around
// it, or a loop whose body may call, through any chain of calls, the
// function of a selected loop. Every other loop keeps mask 0 and runs its
// uninstrumented copy. Decided when hooks and policies change, from the
// call graph pl-instrument writes into each manifest (pass call-graph):
// per loop its function and what its body can call, per function what it
// can call, as function keys, "virtual:<name>" (every function of that
// name) and "*" (anything). A key that no manifest defines is code pl did
// not see (another library, a plugin): it may call anything. A loop that no
// manifest describes is tracked (kRoleUnknown).
#ifndef PL_RUNTIME_LOOP_ROLES_H
#define PL_RUNTIME_LOOP_ROLES_H

#include <pl/abi.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pl::detail {

enum LoopRole : std::uint8_t {
  kRoleTracked = 1u << 0,  // selected, or may enclose a selected loop
  // Encloses a policy's loop through a call pl resolved: its state when
  // each iteration began is part of a checkpoint taken in the callee, kept
  // from the first iteration on. (Loops that reach one only through "*" or
  // unseen code learn it at the first checkpoint, ckpt_begin_states.h.)
  kRoleBeginState = 1u << 1,
  kRoleUnknown = 1u << 2,  // no manifest describes it: tracked, learnt as it runs
  // Tracked for a checkpoint policy (not only for hooks): the checkpoint
  // engine follows it.
  kRoleCheckpointed = 1u << 3,
};

class LoopRoles {
 public:
  void add_loops(const abi::ManifestLoop* loops, std::uint32_t count);
  void add_calls(const abi::ManifestFunction* functions, std::uint32_t count);
  // Recomputes every described loop's role: `watched` are the selectors of
  // hooks, `kept` those of checkpoint policies.
  void compute(const std::vector<std::string>& watched, const std::vector<std::string>& kept);
  // The role of loop `name` as of the last compute(). A loop no manifest
  // describes is tracked whenever anything is selected.
  std::uint8_t of(std::string_view name) const;
  // An effect no checkpoint of loop `name` holds, found in the functions it
  // may call in other translation units ("!<tu>:<why>" entries of their rows,
  // pass call-graph): "writes 'total' (in bump)"; "" when none is known.
  // `tu` is the loop's own file (its effects there are its state).
  std::string hidden_effect(const std::string& name, std::string_view tu) const;
  // A hash (hex) of the code of every function loop `name` may call that an
  // instrumented file registered ("#<hash>" entries of their rows, pass
  // call-graph) — functions of other files included, which the loop's own
  // code_hash cannot see; "" when it reaches none.
  std::string callee_code(const std::string& name) const;

 private:
  struct LoopCalls {
    std::string function;
    std::vector<std::string> calls;
  };
  // Walks the joined call graph from loop `name`'s calls ("virtual:<name>":
  // every function of that name), calling `visit` once per function key
  // reached with its row's entries (null: no instrumented file defines it);
  // true from `visit` stops the walk and is returned.
  bool walk_calls(
      const std::string& name,
      const std::function<bool(const std::string&, const std::vector<std::string>*)>& visit) const;
  // The function keys that may run a loop selected by `selectors`, and the
  // last components of their names (for "virtual:<name>").
  struct Reaching {
    std::set<std::string> keys, names;
  };
  Reaching reaching(const std::vector<std::string>& selectors) const;
  // Whether `calls` may run a selected loop: kYes through functions pl saw,
  // kMaybe only through "*" or a function no manifest defines.
  enum Reach { kNo, kMaybe, kYes };
  Reach reaches(const std::vector<std::string>& calls, const Reaching& r) const;
  // Loops selected by `selectors` or enclosing one; with `direct`, those
  // whose own calls surely reach one (kYes).
  std::set<std::string> enclosing(const std::vector<std::string>& selectors, bool direct) const;

  std::map<std::string, std::vector<LoopCalls>> loops_;  // by full name; headers repeat
  std::map<std::string, std::vector<std::string>> functions_;
  std::map<std::string, std::set<std::string>> code_;  // function key -> its code hashes
  std::unordered_map<std::string, std::uint8_t> roles_;
  std::uint8_t unknown_ = kRoleUnknown;
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_LOOP_ROLES_H
