// pl::on(...) builder, hook handles, and process-wide controls.
#include "registry.h"

namespace pl {

HookBuilder& HookBuilder::at(Event e) {
  events_ |= static_cast<std::uint8_t>(e);
  return *this;
}

HookBuilder& HookBuilder::at(std::initializer_list<Event> events) {
  for (Event e : events) at(e);
  return *this;
}

HookBuilder& HookBuilder::every(std::uint64_t n) {
  if (n == 0) throw Error("pl: every(0) on '" + selector_ + "': the period must be at least 1");
  every_ = n;
  return *this;
}

HookBuilder& HookBuilder::named(std::string name) {
  name_ = std::move(name);
  return *this;
}

Hook HookBuilder::call(Callback fn) {
  if (!fn) throw Error("pl: hook on '" + selector_ + "' has an empty callback");
  auto rec = std::make_unique<detail::HookRec>();
  rec->selector = selector_;
  rec->name = name_;
  rec->events = events_ ? events_ : static_cast<std::uint8_t>(abi::kEnd);
  rec->every = every_;
  rec->fn = std::move(fn);
  return Hook(detail::Registry::get().attach(std::move(rec)));
}

void Hook::remove() {
  if (id_) detail::Registry::get().detach(id_);
  id_ = 0;
}

std::vector<SiteInfo> seen_sites() { return detail::Registry::get().seen(); }

void reset() { detail::Registry::get().reset(); }

}  // namespace pl
