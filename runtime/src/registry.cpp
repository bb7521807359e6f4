// The site/hook table: matching at attach time, masks, snapshots.
#include "registry.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>

#include "async.h"
#include "config.h"
#include "inputs.h"

namespace pl::detail {

HookRec::HookRec() = default;
HookRec::~HookRec() = default;

Registry& Registry::get() {
  // Leaked on purpose: sites in other static objects may fire during exit.
  static Registry* r = new Registry;
  return *r;
}

std::uint8_t Registry::HookMask::mask(SiteRt& rt) {
  std::uint8_t m = 0;
  if (const HookList* hl = rt.hooks.load(std::memory_order_relaxed))
    for (const HookRec* h : *hl)
      if (!h->asleep.load(std::memory_order_relaxed)) m |= h->spec.events;
  // Hooks see the loops enclosing theirs (Frame::enclosing): those are tracked.
  if (!registry_.hooks_.empty() && (rt.role.load(std::memory_order_relaxed) & kRoleTracked))
    m |= abi::kTrack;
  return m;
}

void Registry::refresh_roles() {
  if (!roles_dirty_) return;
  roles_dirty_ = false;
  std::vector<std::string> watched, kept;
  for (const auto& h : hooks_) watched.push_back(h->spec.selector);
  for (const Listener& l : listeners_) kept.push_back(l.checked.selector);
  roles_.compute(watched, kept);
}

void Registry::selection_changed() {
  roles_dirty_ = true;
  for (auto& s : sites_) rebuild(*s);
}

std::uint8_t Registry::mask_for(SiteRt& rt) {
  std::uint8_t m = 0;
  for (MaskContributor* c : contributors_) m |= c->mask(rt);
  if (stopping()) m |= abi::kEnter | abi::kBegin | abi::kEnd;
  return m;
}

const abi::ManifestLoop* manifest_of(SiteRt& rt) {
  if (!rt.manifest_looked.load(std::memory_order_acquire)) {
    rt.manifest.store(Registry::get().manifest_entry(rt.site->desc->name),
                      std::memory_order_relaxed);
    rt.manifest_looked.store(true, std::memory_order_release);
  }
  return rt.manifest.load(std::memory_order_relaxed);
}

// The gate of Site::gate_*: a set {i : i >= first, (i - first) % period == 0}
// holding every iteration at which some hook on `ev` may run. Each hook's
// own set comes from its every(N) (begin: i % N == 0; end: (i + 1) % N == 0)
// or once_at(N) (i == N); two sets are covered by period gcd(p1, p2,
// |f1 - f2|) from min(f1, f2). Any other hook may run anywhere: no gate.
static std::uint64_t gate_for(const HookList& hooks, abi::Event ev, bool stopping) {
  constexpr std::uint64_t kOnce = 0xffffffffu;  // a period no loop reaches
  if (stopping) return abi::Site::kAlways;
  bool any = false;
  std::uint64_t period = 0, first = 0;
  for (const HookRec* h : hooks) {
    if (!(h->spec.events & ev) || h->asleep.load(std::memory_order_relaxed)) continue;
    std::uint64_t p, f;
    if (h->spec.once_at >= 0 && std::uint64_t(h->spec.once_at) < kOnce) {
      p = kOnce;
      f = std::uint64_t(h->spec.once_at);
    } else if (h->spec.every > 1 && h->spec.every < kOnce) {
      p = h->spec.every;
      f = ev == abi::kEnd ? p - 1 : 0;
    } else {
      return abi::Site::kAlways;
    }
    if (!any) {
      period = p;
      first = f;
      any = true;
    } else {
      period = std::gcd(std::gcd(period, p), first > f ? first - f : f - first);
      first = std::min(first, f);
    }
  }
  if (!any || period <= 1) return abi::Site::kAlways;
  return period << 32 | first;
}

void Registry::rebuild(SiteRt& rt) {
  auto list = std::make_unique<HookList>();
  for (auto& h : hooks_)
    if (selector_matches(h->spec.selector, rt.site->desc->name)) list->push_back(h.get());
  rt.hooks.store(list.get(), std::memory_order_release);
  snapshots_.push_back(std::move(list));
  publish(rt);
}

const abi::WhenGate* Registry::when_gate_for(const HookList& hooks, abi::Event ev) {
  if (stopping()) return nullptr;
  const HookSpec::Comparison* common = nullptr;
  for (const HookRec* h : hooks) {
    if (!(h->spec.events & ev) || h->asleep.load(std::memory_order_relaxed)) continue;
    if (h->spec.opaque_when || h->spec.comparisons.size() != 1) return nullptr;
    const HookSpec::Comparison& c = h->spec.comparisons.front();
    if (common && (common->var != c.var || common->op != c.op || common->value != c.value))
      return nullptr;
    common = &c;
  }
  if (!common) return nullptr;
  const auto op = static_cast<std::uint8_t>(common->op);
  for (auto& g : when_gates_)
    if (g->var == common->var && g->gate.op == op && g->gate.value == common->value)
      return &g->gate;
  auto g = std::make_unique<OwnedGate>();
  g->var = common->var;
  g->gate.var = g->var.c_str();
  g->gate.op = op;
  g->gate.value = common->value;
  when_gates_.push_back(std::move(g));
  return &when_gates_.back()->gate;
}

void Registry::publish(SiteRt& rt) {
  const HookList& list = *rt.hooks.load(std::memory_order_relaxed);
  refresh_roles();
  rt.role.store(roles_.of(rt.site->desc->name), std::memory_order_relaxed);
  rt.site->when_begin.store(when_gate_for(list, abi::kBegin), std::memory_order_release);
  rt.site->when_end.store(when_gate_for(list, abi::kEnd), std::memory_order_release);
  // Gates before the mask: an event let through by a new mask must not be
  // held back by an old, narrower gate. A contributor (the checkpoint
  // engine, a policy) may need every kBegin or kEnd.
  std::uint8_t ungated = 0;
  for (MaskContributor* c : contributors_) ungated |= c->ungated(rt);
  if (ungated & abi::kBegin) rt.site->when_begin.store(nullptr, std::memory_order_release);
  if (ungated & abi::kEnd) rt.site->when_end.store(nullptr, std::memory_order_release);
  rt.site->gate_begin.store(
      ungated & abi::kBegin ? abi::Site::kAlways : gate_for(list, abi::kBegin, stopping()),
      std::memory_order_relaxed);
  rt.site->gate_end.store(
      ungated & abi::kEnd ? abi::Site::kAlways : gate_for(list, abi::kEnd, stopping()),
      std::memory_order_relaxed);
  rt.site->mask.store(mask_for(rt), std::memory_order_relaxed);
}

const abi::ManifestLoop* Registry::manifest_entry(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (const auto& [rows, count] : manifest_tables_)
    for (std::uint32_t i = 0; i < count; ++i)
      if (name == rows[i].name) return &rows[i];
  return nullptr;
}

void Registry::add_manifest(const abi::ManifestLoop* loops, std::uint32_t count) {
  std::lock_guard lock(mu_);
  manifest_.insert(manifest_.end(), loops, loops + count);
  manifest_tables_.emplace_back(loops, count);
  roles_.add_loops(loops, count);
  roles_dirty_ = true;
  for (auto& s : sites_) publish(*s);
}

std::string Registry::hidden_effect(const std::string& name, std::string_view tu) {
  std::lock_guard lock(mu_);
  return roles_.hidden_effect(name, tu);
}

std::string Registry::callee_code(const std::string& name) {
  std::lock_guard lock(mu_);
  return roles_.callee_code(name);
}

void Registry::add_calls(const abi::ManifestFunction* functions, std::uint32_t count) {
  std::lock_guard lock(mu_);
  roles_.add_calls(functions, count);
  calls_registered_ += count;
  roles_dirty_ = true;
  for (auto& s : sites_) publish(*s);
}

static std::vector<std::string> split_names(const char* csv) {
  std::vector<std::string> out;
  std::stringstream in(csv);
  for (std::string v; std::getline(in, v, ',');) out.push_back(v);
  return out;
}

// Warnings name the hook's configuration line; with PL_STRICT they are
// errors (the caller then stops the program).
bool Registry::check_against_manifest(const HookSpec& spec) const {
  if (manifest_.empty()) return true;
  const std::string& label = spec.name.empty() ? spec.selector : spec.name;
  const char* level = strict_mode() ? "error" : "warning";
  const std::string who = spec.origin.empty() ? "" : spec.origin + ": ";
  std::vector<std::string> names;
  std::set<std::string> visible;
  bool any = false;
  for (const abi::ManifestLoop& m : manifest_) {
    names.push_back(m.name);
    if (!selector_matches(spec.selector, m.name)) continue;
    any = true;
    for (std::string& v : split_names(m.vars)) visible.insert(std::move(v));
  }
  if (!any) {
    std::string hint = near_matches(spec.selector, names);
    std::fprintf(stderr, "pl: %s: %shook '%s': selector '%s' matches no instrumented loop%s\n",
                 level, who.c_str(), label.c_str(), spec.selector.c_str(),
                 hint.empty() ? " (pl-instrument --list shows them all)"
                              : ("; did you mean " + hint + "?").c_str());
    return false;
  }
  bool ok = true;
  for (const std::string& use : spec.uses) {
    std::string var = use.substr(0, use.find(':'));
    if (visible.count(var)) continue;
    std::string hint = near_matches(var, {visible.begin(), visible.end()});
    std::fprintf(stderr,
                 "pl: %s: %shook '%s' uses local '%s', which no loop matching '%s' has in "
                 "scope%s\n",
                 level, who.c_str(), label.c_str(), var.c_str(), spec.selector.c_str(),
                 hint.empty() ? "" : ("; did you mean " + hint + "?").c_str());
    ok = false;
  }
  return ok;
}

// PL_STRICT: a hook that can never run as written stops the program, a
// checkpoint policy included (a run must not go on unprotected).
static void stop_if_strict(bool ok) {
  if (ok || !strict_mode()) return;
  std::fprintf(stderr,
               "pl: PL_STRICT is set: a hook above matches nothing it names; exiting with "
               "status 2\n");
  std::fflush(nullptr);
  std::_Exit(2);
}

SiteRt* Registry::enroll(abi::Site& site) {
  if (void* p = site.runtime.load(std::memory_order_acquire)) return static_cast<SiteRt*>(p);
  std::lock_guard lock(mu_);
  if (!checked_) {
    // The first loop runs: every translation unit loaded so far has
    // registered its manifest, so hooks attached before main can be checked.
    checked_ = true;
    bool ok = true;
    for (auto& h : hooks_) ok &= check_against_manifest(h->spec);
    for (const Listener& l : listeners_) ok &= check_against_manifest(l.checked);
    stop_if_strict(ok);
  }
  if (void* p = site.runtime.load(std::memory_order_acquire)) return static_cast<SiteRt*>(p);
  sites_.push_back(std::make_unique<SiteRt>());
  SiteRt* rt = sites_.back().get();
  rt->site = &site;
  rebuild(*rt);
  site.runtime.store(rt, std::memory_order_release);
  return rt;
}

std::uint64_t Registry::attach(std::unique_ptr<HookRec> hook) {
  std::lock_guard lock(mu_);
  hook->id = next_id_++;
  std::uint64_t id = hook->id;
  if (checked_) stop_if_strict(check_against_manifest(hook->spec));
  hooks_.push_back(std::move(hook));
  selection_changed();
  return id;
}

std::uint64_t Registry::attach_listener(HookSpec checked, std::function<void()> on_remove) {
  std::uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    if (checked_) stop_if_strict(check_against_manifest(checked));
    listeners_.push_back({id, std::move(checked), std::move(on_remove)});
    roles_dirty_ = true;
  }
  remask_all();
  return id;
}

HookRec* Registry::find(std::uint64_t id) {
  std::lock_guard lock(mu_);
  for (auto& h : hooks_)
    if (h->id == id) return h.get();
  return nullptr;
}

void Registry::detach(std::uint64_t id) {
  std::function<void()> on_remove;
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(hooks_.begin(), hooks_.end(), [&](auto& h) { return h->id == id; });
    if (it != hooks_.end()) {
      retired_.push_back(std::move(*it));
      hooks_.erase(it);
      selection_changed();
      return;
    }
    auto l = std::find_if(listeners_.begin(), listeners_.end(),
                          [&](const Listener& x) { return x.id == id; });
    if (l == listeners_.end()) return;
    on_remove = std::move(l->on_remove);
    listeners_.erase(l);
    roles_dirty_ = true;
  }
  on_remove();  // outside mu_: the listener remasks
}

void Registry::reset() {
  drain_async();
  std::vector<Listener> listeners;
  {
    std::lock_guard lock(mu_);
    for (auto& h : hooks_) retired_.push_back(std::move(h));
    hooks_.clear();
    listeners.swap(listeners_);
    stopping_.store(false);
    selection_changed();
  }
  for (Listener& l : listeners) l.on_remove();
}

void Registry::drain_async() {
  std::vector<AsyncRunner*> runners;
  {
    std::lock_guard lock(mu_);
    for (auto& h : hooks_)
      if (h->async) runners.push_back(h->async.get());
    for (auto& h : retired_)
      if (h->async) runners.push_back(h->async.get());
  }
  for (AsyncRunner* r : runners) r->wait();
}

void Registry::remask_all() {
  std::lock_guard lock(mu_);
  for (auto& s : sites_) publish(*s);
}

void Registry::add_contributor(MaskContributor& c) {
  {
    std::lock_guard lock(mu_);
    if (std::find(contributors_.begin(), contributors_.end(), &c) != contributors_.end()) return;
    contributors_.push_back(&c);
  }
  remask_all();
}

void Registry::sleep_until(HookRec& h, std::int64_t wake_ns) {
  {
    std::lock_guard lock(mu_);
    h.asleep.store(true, std::memory_order_relaxed);
    wakeups_.emplace_back(wake_ns, &h);
    for (auto& s : sites_) publish(*s);
    if (!ticker_started_) {
      ticker_started_ = true;
      std::thread([this] { ticker(); }).detach();  // lives as long as the process
    }
  }
  tick_cv_.notify_one();
}

void Registry::ticker() {
  std::unique_lock lock(mu_);
  while (true) {
    if (wakeups_.empty()) {
      tick_cv_.wait(lock);
      continue;
    }
    auto next = std::min_element(wakeups_.begin(), wakeups_.end());
    std::int64_t wait = next->first - steady_now_ns();
    if (wait > 0) {
      tick_cv_.wait_for(lock, std::chrono::nanoseconds(wait));
      continue;
    }
    next->second->asleep.store(false, std::memory_order_relaxed);
    wakeups_.erase(next);
    for (auto& s : sites_) publish(*s);
  }
}

void Registry::request_stop() {
  std::lock_guard lock(mu_);
  stopping_.store(true);
  for (auto& s : sites_) rebuild(*s);
}

std::vector<SiteInfo> Registry::seen() const {
  std::lock_guard lock(mu_);
  std::vector<SiteInfo> out;
  for (auto& s : sites_) {
    const abi::SiteDesc* d = s->site->desc;
    out.push_back({d->name, d->file, d->line});
  }
  return out;
}

}  // namespace pl::detail

namespace pl::abi {
inline namespace PL_ABI_VERSION_NS {
std::uint32_t when_lookup(const WhenGate& gate, const PointDesc& point) noexcept {
  std::uint32_t slot = 0;
  for (std::uint32_t i = 0; i < point.nvars && i < 0xfffe; ++i)
    if (std::strcmp(gate.var, point.vars[i].name) == 0) slot = i + 1;
  gate.cache.store(std::uint64_t(reinterpret_cast<std::uintptr_t>(&point)) << 16 | slot,
                   std::memory_order_relaxed);
  return slot;
}

bool register_manifest(const ManifestLoop* loops, std::uint32_t count) noexcept {
  pl::detail::note_instrumented_object(loops);
  try {
    pl::detail::Registry::get().add_manifest(loops, count);
  } catch (...) {
    return false;
  }
  return true;
}

bool register_calls(const ManifestFunction* functions, std::uint32_t count) noexcept {
  try {
    pl::detail::Registry::get().add_calls(functions, count);
  } catch (...) {
    return false;
  }
  return true;
}
}  // namespace PL_ABI_VERSION_NS
}  // namespace pl::abi
