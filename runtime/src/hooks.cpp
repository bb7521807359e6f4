// pl::on(...) builder, hook handles, and process-wide controls.
#include <cstdio>

#include "async.h"
#include "config.h"
#include "hook_state.h"
#include "registry.h"

namespace pl {

HookBuilder& HookBuilder::at(Event e) {
  spec_.events |= static_cast<std::uint8_t>(e);
  return *this;
}

HookBuilder& HookBuilder::at(std::initializer_list<Event> events) {
  for (Event e : events) at(e);
  return *this;
}

HookBuilder& HookBuilder::every(std::uint64_t n) {
  if (n == 0)
    throw Error("pl: every(0) on '" + spec_.selector + "': the period must be at least 1");
  spec_.every = n;
  return *this;
}

HookBuilder& HookBuilder::every_seconds(double seconds) {
  if (!(seconds > 0)) throw Error("pl: every_seconds on '" + spec_.selector + "' must be positive");
  spec_.every_seconds = seconds;
  return *this;
}

HookBuilder& HookBuilder::once_at(std::uint64_t iteration) {
  spec_.once_at = std::int64_t(iteration);
  return *this;
}

HookBuilder& HookBuilder::first(std::uint64_t k) {
  if (k == 0) throw Error("pl: first(0) on '" + spec_.selector + "' would never run");
  spec_.first = k;
  return *this;
}

namespace detail {
bool compare_values(double a, Compare op, double b) {
  switch (op) {
    case Compare::lt:
      return a < b;
    case Compare::le:
      return a <= b;
    case Compare::gt:
      return a > b;
    case Compare::ge:
      return a >= b;
    case Compare::eq:
      return a == b;
    case Compare::ne:
      return a != b;
  }
  return false;
}
}  // namespace detail

HookBuilder& HookBuilder::when(std::string var, Compare op, double value) {
  spec_.uses.push_back(var);
  spec_.comparisons.push_back({var, op, value});
  const bool opaque = spec_.opaque_when;
  auto warned = std::make_shared<std::atomic<bool>>(false);
  std::string sel = spec_.selector;
  return when([var, op, value, warned, sel](const Frame& f) {
           if (!f.has(var)) {
             if (!warned->exchange(true))
               std::fprintf(
                   stderr,
                   "pl: warning: hook on '%s' tests '%s', which is not in scope at %.*s (%.*s); "
                   "the condition is false there\n",
                   sel.c_str(), var.c_str(), int(f.loop().size()), f.loop().data(),
                   int(to_string(f.event()).size()), to_string(f.event()).data());
             return false;
           }
           return detail::compare_values(f.number(var), op, value);
         })
      .keep_opaque(opaque);
}

HookBuilder& HookBuilder::keep_opaque(bool opaque) {
  spec_.opaque_when = opaque;
  return *this;
}

HookBuilder& HookBuilder::when(std::function<bool(const Frame&)> predicate) {
  spec_.opaque_when = true;
  if (spec_.when) {
    auto a = std::move(spec_.when);
    spec_.when = [a, b = std::move(predicate)](const Frame& f) { return a(f) && b(f); };
  } else {
    spec_.when = std::move(predicate);
  }
  return *this;
}

HookBuilder& HookBuilder::async(std::size_t queue_depth) {
  if (queue_depth == 0) throw Error("pl: async(0) on '" + spec_.selector + "': depth must be >= 1");
  spec_.async_depth = queue_depth;
  return *this;
}

HookBuilder& HookBuilder::reads(std::vector<std::string> locals) {
  spec_.uses.insert(spec_.uses.end(), locals.begin(), locals.end());
  spec_.reads = std::move(locals);
  return *this;
}

HookBuilder& HookBuilder::named(std::string name) {
  spec_.name = std::move(name);
  return *this;
}

Hook HookBuilder::call(Callback fn) { return attach(spec_, std::move(fn)); }

Hook attach(HookSpec spec, Callback fn) {
  if (!fn) throw Error("pl: hook on '" + spec.selector + "' has an empty callback");
  auto rec = std::make_unique<detail::HookRec>();
  if (!spec.events) spec.events = static_cast<std::uint8_t>(abi::kEnd);
  rec->spec = std::move(spec);
  rec->fn = std::move(fn);
  if (rec->spec.async_depth > 0)
    rec->async = std::make_unique<detail::AsyncRunner>(*rec, rec->spec.async_depth);
  detail::HookRec& h = *rec;  // attached hooks are never freed
  Hook hook(detail::Registry::get().attach(std::move(rec)));
  detail::register_filter_state(h);
  for (const HookSpec::StateSlot& slot : h.spec.states)
    detail::register_hook_state(hook.id(), h.label() + " | state", {slot.save, slot.load});
  return hook;
}

void drain() { detail::Registry::get().drain_async(); }

void configure(std::string_view text, std::string_view source, char separator) {
  detail::apply_config(std::string(text), std::string(source), separator);
}

void finish() { detail::run_exit_handlers(); }

void Hook::remove() {
  if (id_) detail::Registry::get().detach(id_);
  if (id_) detail::forget_hook_states(id_);
  id_ = 0;
}

std::vector<SiteInfo> seen_sites() { return detail::Registry::get().seen(); }

void reset() {
  detail::Registry::get().reset();
  detail::forget_all_hook_states();
}

}  // namespace pl
