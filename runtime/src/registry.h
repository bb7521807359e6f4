// Internal: the process-wide table of loop sites and attached hooks.
//
// Sites register themselves on their first event (their mask starts with
// kUnseen set). Hooks are matched against sites when either side appears,
// so the event path never matches selectors. Each site's hook list is an
// immutable snapshot published through an atomic pointer: dispatch reads it
// without a lock; replaced snapshots are kept until exit (attaching hooks is
// rare, and a thread may still be walking an old one).
#ifndef PL_RUNTIME_REGISTRY_H
#define PL_RUNTIME_REGISTRY_H

#include <pl/pl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "loop_roles.h"

namespace pl::detail {

// Monotonic time in nanoseconds (filters, the ticker).
inline std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool compare_values(double a, Compare op, double b);

class AsyncRunner;

struct HookRec {
  std::uint64_t id = 0;
  HookSpec spec;
  Callback fn;
  std::atomic<std::uint64_t> activations[2] = {};  // enter, exit
  std::atomic<std::int64_t> last_run_ns{0};
  // Hooks whose events are out of reach until something re-arms them, so
  // their sites' masks leave those events idle: a time-filtered hook between
  // its periods (the ticker re-arms it), a first(K) hook after K runs.
  std::atomic<bool> asleep{false};
  std::atomic<std::uint64_t> runs{0};
  std::atomic<bool> disabled{false};
  std::atomic<bool> warned_async_break{false};  // said once: async hooks cannot break
  std::unique_ptr<AsyncRunner> async;           // set when spec.async_depth > 0

  HookRec();
  ~HookRec();
  const std::string& label() const { return spec.name.empty() ? spec.selector : spec.name; }
};

using HookList = std::vector<HookRec*>;

struct PolicyList;  // ckpt_policy.cpp

struct SiteRt {
  abi::Site* site;
  std::atomic<const HookList*> hooks{nullptr};
  // What pl-instrument said of the loop (found by name, on first need).
  // Looked up once, lazily, possibly by several threads at once (each finds
  // the same row): atomic, so that is not a data race.
  std::atomic<const abi::ManifestLoop*> manifest{nullptr};
  std::atomic<bool> manifest_looked{false};
  // The checkpoint policies matching the site, as of a generation of the
  // policy list (ckpt_policy.cpp keeps them).
  std::atomic<const PolicyList*> policies{nullptr};
  std::atomic<std::uint64_t> policies_gen{0};
  // LoopRole bits (loop_roles.h), set before the contributors are asked.
  std::atomic<std::uint8_t> role{kRoleUnknown};
  // The checkpoint engine's begin-state level (BeginStates::Level), as of
  // the last remask: read on the event path without a lock.
  std::atomic<std::uint8_t> begin_level{0};
};

// What pl-instrument said of the site's loop, or null.
const abi::ManifestLoop* manifest_of(SiteRt& rt);

// A listener failed at an event: says so once (naming it, the loop and the
// place), sets `disabled`, and with PL_STRICT stops the run (dispatch.cpp).
void report_listener_failure(std::atomic<bool>& disabled, const std::string& label, const Frame& f,
                             const char* what);

// Whatever listens at loop sites — the hooks, the checkpoint engine, its
// policies — says through this interface which events it needs at a site.
// The registry asks every contributor whenever it (re)computes a site's
// mask and gates; a contributor whose answers changed calls
// Registry::remask_all(). Answers may take only locks that are never held
// while calling remask_all().
class MaskContributor {
 public:
  // Event bits (abi::Event) the contributor needs at the site.
  virtual std::uint8_t mask(SiteRt& rt) = 0;
  // Of kBegin and kEnd, the events it needs at every iteration: no gate of
  // the emitted code may skip one.
  virtual std::uint8_t ungated(SiteRt&) { return 0; }

 protected:
  ~MaskContributor() = default;
};

class Registry {
 public:
  static Registry& get();

  // Called on a site's first event; idempotent and thread-safe.
  SiteRt* enroll(abi::Site& site);
  std::uint64_t attach(std::unique_ptr<HookRec> hook);
  void detach(std::uint64_t id);
  HookRec* find(std::uint64_t id);  // an attached hook, or null
  void reset();
  void request_stop();
  // A contributor's answers changed (a hook went to sleep or woke up, a
  // checkpoint began ...): recompute every site's mask and gates from the
  // hook lists they already have (no selector matching).
  void remask_all();
  // An effect in another translation unit that no checkpoint of loop `name`
  // (in file `tu`) holds, or "" (LoopRoles::hidden_effect).
  std::string hidden_effect(const std::string& name, std::string_view tu);
  // The code of the functions loop `name` may call, across instrumented
  // files (LoopRoles::callee_code).
  std::string callee_code(const std::string& name);
  // Adds a contributor for the rest of the process (again: no effect).
  void add_contributor(MaskContributor& c);
  // A listener that is not a hook (a checkpoint policy) gets a pl::Hook id:
  // Hook::remove() and pl::reset() call `on_remove`. `checked` (selector,
  // name, uses) is checked against the manifest as a hook's spec is.
  std::uint64_t attach_listener(HookSpec checked, std::function<void()> on_remove);
  // Puts a time-filtered hook to sleep until its next period (see ticker).
  void sleep_until(HookRec& h, std::int64_t wake_ns);
  void drain_async();
  static bool stopping() { return stopping_.load(std::memory_order_relaxed); }
  std::vector<SiteInfo> seen() const;
  void add_manifest(const abi::ManifestLoop* loops, std::uint32_t count);
  void add_calls(const abi::ManifestFunction* functions, std::uint32_t count);
  std::vector<abi::ManifestLoop> manifest() const {
    std::lock_guard lock(mu_);
    return manifest_;
  }
  // Grows with every register_manifest: a cheap "did the manifest change".
  std::size_t manifest_size() const {
    std::lock_guard lock(mu_);
    return manifest_.size();
  }
  // Grows with every register_manifest and register_calls.
  std::size_t graph_size() const {
    std::lock_guard lock(mu_);
    return manifest_.size() + calls_registered_;
  }
  // The row of loop `name` (rows point into static tables: stable), or null.
  const abi::ManifestLoop* manifest_entry(std::string_view name) const;
  std::uint64_t last_id() const {
    std::lock_guard lock(mu_);
    return next_id_ - 1;
  }

 private:
  void rebuild(SiteRt& rt);  // holds mu_
  void publish(SiteRt& rt);  // holds mu_: gates and mask from rt's hook list
  bool check_against_manifest(const HookSpec& h) const;  // holds mu_; false: said why
  std::uint8_t mask_for(SiteRt& rt);                       // holds mu_
  void refresh_roles();                                    // holds mu_
  void selection_changed();                                // holds mu_: roles and masks

  // The attached hooks' part of a site's mask.
  class HookMask : public MaskContributor {
   public:
    explicit HookMask(const Registry& r) : registry_(r) {}
    std::uint8_t mask(SiteRt& rt) override;

   private:
    const Registry& registry_;
  };
  struct Listener {
    std::uint64_t id;
    HookSpec checked;
    std::function<void()> on_remove;
  };

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<SiteRt>> sites_;
  std::vector<std::unique_ptr<HookRec>> hooks_;       // attached
  std::vector<std::unique_ptr<HookRec>> retired_;     // detached, maybe still read
  std::vector<std::unique_ptr<HookList>> snapshots_;  // every list ever published
  HookMask hook_mask_{*this};
  std::vector<MaskContributor*> contributors_{&hook_mask_};
  std::vector<Listener> listeners_;
  std::uint64_t next_id_ = 1;
  std::vector<abi::ManifestLoop> manifest_;
  std::size_t calls_registered_ = 0;  // rows given to add_calls
  std::vector<std::pair<const abi::ManifestLoop*, std::uint32_t>> manifest_tables_;
  struct OwnedGate {
    std::string var;  // what gate.var points into
    abi::WhenGate gate;
  };
  std::vector<std::unique_ptr<OwnedGate>> when_gates_;  // never freed: sites read them
  const abi::WhenGate* when_gate_for(const HookList& hooks, abi::Event ev);  // holds mu_
  bool checked_ = false;  // hooks attached so far were checked against manifest_
  LoopRoles roles_;       // which loops are followed, from the selectors
  bool roles_dirty_ = true;
  static inline std::atomic<bool> stopping_{false};  // read on every dispatched event
  void ticker();                                     // wakes sleeping time-filtered hooks
  std::condition_variable tick_cv_;
  std::vector<std::pair<std::int64_t, HookRec*>> wakeups_;  // guarded by mu_
  bool ticker_started_ = false;
};

}  // namespace pl::detail

#endif  // PL_RUNTIME_REGISTRY_H
