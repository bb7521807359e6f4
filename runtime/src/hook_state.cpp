// The registry of hook state (hook_state.h).
#include "hook_state.h"

#include <algorithm>
#include <mutex>
#include <set>

#include "registry.h"

namespace pl::detail {
namespace {

struct Entry {
  std::uint64_t hook_id;
  std::string key;
  HookStateOps ops;
};

struct Table {
  std::mutex mu;
  std::vector<Entry> entries;  // in registration order
};

Table& table() {
  static Table* t = new Table;  // leaked: hooks may run during exit
  return *t;
}

}  // namespace

std::string register_hook_state(std::uint64_t hook_id, const std::string& key, HookStateOps ops) {
  Table& t = table();
  std::lock_guard lock(t.mu);
  // The lowest ordinal no live hook uses: the same sequence of attaching
  // (and removing) hooks gives the same keys in every run.
  std::string unique = key;
  for (unsigned n = 2; std::any_of(t.entries.begin(), t.entries.end(),
                                   [&](const Entry& e) { return e.key == unique; });
       ++n)
    unique = key + " #" + std::to_string(n);
  t.entries.push_back({hook_id, unique, std::move(ops)});
  return unique;
}

void forget_hook_states(std::uint64_t hook_id) {
  Table& t = table();
  std::lock_guard lock(t.mu);
  std::erase_if(t.entries, [&](const Entry& e) { return e.hook_id == hook_id; });
}

void forget_all_hook_states() {
  Table& t = table();
  std::lock_guard lock(t.mu);
  t.entries.clear();
}

HookStateBlobs save_all_hook_states() {
  Table& t = table();
  drain();  // not under t.mu: an asynchronous hook may be registering
  HookStateBlobs out;
  std::lock_guard lock(t.mu);
  for (const Entry& e : t.entries) {
    Writer w;
    e.ops.save(w);
    const std::vector<unsigned char>& b = w.data();
    out.emplace_back(e.key, std::string(b.begin(), b.end()));
  }
  return out;
}

std::vector<std::string> restore_hook_states(const HookStateBlobs& blobs) {
  Table& t = table();
  std::lock_guard lock(t.mu);
  std::vector<std::string> notes;
  std::set<std::string> loaded;
  for (const auto& [key, bytes] : blobs) {
    auto it = std::find_if(t.entries.begin(), t.entries.end(),
                           [&](const Entry& e) { return e.key == key; });
    if (it == t.entries.end()) {
      notes.push_back("the checkpoint holds the state of hook '" + key +
                      "', which this run does not have; it is ignored");
      continue;
    }
    Reader r(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    it->ops.load(r);
    if (r.remaining() != 0)
      throw FormatError("pl: the state of hook '" + key + "' has " + std::to_string(r.remaining()) +
                        " bytes left over");
    loaded.insert(key);
  }
  for (const Entry& e : t.entries)
    if (!loaded.count(e.key))
      notes.push_back("hook '" + e.key +
                      "' has no saved state in the checkpoint; it starts afresh");
  return notes;
}

// every=T: the time since the last run, not a clock reading (another
// process, another clock); first=K and every=N at enter/exit: counts.
void register_filter_state(HookRec& h) {
  const HookSpec& s = h.spec;
  const bool counts_activations = s.every > 1 && (s.events & (abi::kEnter | abi::kExit));
  if (s.first == 0 && s.every_seconds <= 0 && !counts_activations) return;
  HookRec* p = &h;  // attached hooks are never freed (registry.h)
  HookStateOps ops;
  ops.save = [p](Writer& w) {
    w.u64(p->runs.load());
    w.u64(p->activations[0].load());
    w.u64(p->activations[1].load());
    const std::int64_t last = p->last_run_ns.load();
    w.u64(last == 0 ? ~std::uint64_t(0) : std::uint64_t(steady_now_ns() - last));
  };
  ops.load = [p](Reader& r) {
    const std::uint64_t runs = r.u64();
    p->runs.store(runs);
    p->activations[0].store(r.u64());
    p->activations[1].store(r.u64());
    const std::uint64_t since = r.u64();
    p->last_run_ns.store(since == ~std::uint64_t(0) ? 0 : steady_now_ns() - std::int64_t(since));
    // A timed hook that ran while the run was replayed sleeps for a whole
    // period from then: awake, it waits for the restored one (its filter).
    if (p->spec.every_seconds > 0) p->asleep.store(false);
    // Exhausted: asleep from now on (the caller remasks; see checkpoint.cpp).
    if (p->spec.first > 0 && runs >= p->spec.first) p->asleep.store(true);
  };
  register_hook_state(h.id, h.label() + " | filters", std::move(ops));
}

}  // namespace pl::detail
