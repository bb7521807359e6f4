// Which loops keep their begin state; see ckpt_begin_states.h.
#include "ckpt_begin_states.h"

#include "registry.h"

namespace pl::detail {

BeginStates& BeginStates::get() {
  static BeginStates* b = new BeginStates;  // leaked: loops may run during exit
  return *b;
}

BeginStates::Level BeginStates::level(const SiteRt& rt) const {
  if (rt.role.load(std::memory_order_relaxed) & kRoleBeginState) return kEnclosing;
  std::lock_guard lock(mu_);
  const char* name = rt.site->desc->name;
  if (enclosing_.count(name)) return kEnclosing;
  return before_first_checkpoint() && candidates_.count(name) ? kCandidate : kNone;
}

bool BeginStates::add_candidate(const std::string& site) {
  std::lock_guard lock(mu_);
  return candidates_.insert(site).second;
}

bool BeginStates::add_enclosing(const std::string& site) {
  std::lock_guard lock(mu_);
  return enclosing_.insert(site).second;
}

bool BeginStates::mark_first_checkpoint() { return !first_taken_.exchange(true); }

}  // namespace pl::detail
