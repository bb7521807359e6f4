// The per-thread stack of active loops; see activation_stack.h.
#include "activation_stack.h"

namespace pl::detail {

ActivationStack& ActivationStack::here() {
  thread_local ActivationStack stack;
  return stack;
}

void ActivationStack::link(abi::Loop& loop) {
  loop.parent = top_;
  top_ = &loop;
  loop.state |= kLinked;
}

void ActivationStack::unlink(abi::Loop& loop) {
  // Loops nest on a thread, so this is the top; if a coroutine broke that,
  // leave the stack alone rather than cut off someone else's loops.
  if (top_ == &loop) top_ = loop.parent;
  loop.state &= ~std::uint32_t(kLinked);
}

Activation* ActivationStack::find(const abi::Loop& loop) {
  for (std::size_t i = records_.size(); i-- > 0;)
    if (records_[i].loop == &loop) return &records_[i];
  return nullptr;
}

void ActivationStack::drop(const Activation& record) {
  records_.erase(records_.begin() + (&record - records_.data()), records_.end());
}

void Activation::sync_kids() {
  if (kids_iter == iteration_key()) return;
  kids_iter = iteration_key();
  kid_counts.clear();
  done.clear();
}

std::uint64_t Activation::next_activation_of(const abi::Site& site) {
  sync_kids();
  for (auto& [s, n] : kid_counts)
    if (s == &site) return n++;
  kid_counts.emplace_back(&site, 1);
  return 0;
}

}  // namespace pl::detail
