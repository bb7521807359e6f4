// pl/pl.h — the user-facing API of libpl. Include this and nothing else.
//
//   pl::on("mlp::train/epoch").at(pl::iteration_end).every(5).call([](pl::Frame& f) {
//     std::printf("epoch %llu loss %g\n", f.iteration(), f.get<double>("loss"));
//   });
//
// Selectors are globs over full loop names (`<qualified function>/<loop>/...`):
// `*` matches within one `/` segment, `**` across segments, `?` one character.
// Matching happens when hooks are attached, never per event.
#ifndef PL_PL_H
#define PL_PL_H

#include <pl/abi.h>
#include <pl/marker.h>
#include <pl/serialize.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pl {

class Frame;
namespace detail {
class Snapshot;
}

enum class Event : std::uint8_t {
  loop_enter = abi::kEnter,
  iteration_begin = abi::kBegin,
  iteration_end = abi::kEnd,
  loop_exit = abi::kExit,
};
inline constexpr Event loop_enter = Event::loop_enter;
inline constexpr Event iteration_begin = Event::iteration_begin;
inline constexpr Event iteration_end = Event::iteration_end;
inline constexpr Event loop_exit = Event::loop_exit;

std::string_view to_string(Event e);

// Every misuse of a frame (missing variable, wrong type, writing a constant)
// throws this, with a message naming the loop, the variable and its type.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Description of one local visible at an event.
struct VarInfo {
  std::string_view name;
  std::string_view type;  // compiler spelling, e.g. "double"
  bool read_only;
  bool scalar;  // arithmetic, enum or pointer: readable by Frame::number
};

// An active loop on the current thread (this one or an enclosing one).
struct LoopInfo {
  std::string_view name;
  std::uint64_t iteration;  // index of the current iteration
  std::int64_t trip;        // trip count, -1 when unknown
};

// What a hook sees: one event at one loop boundary. For an asynchronous
// hook it is a snapshot: the declared locals were copied at the boundary.
class Frame {
 public:
  Frame(abi::Loop& loop, abi::Event ev, const abi::PointDesc* point, void* const* addrs)
      : loop_(&loop),
        site_(loop.site.desc),
        event_(ev),
        iterations_(loop.iterations),
        trip_(loop.trip),
        point_(point),
        addrs_(addrs) {}

  std::string_view loop() const { return site_->name; }
  Event event() const { return static_cast<Event>(event_); }
  // Index of the current iteration at begin/end; iterations begun at exit.
  std::uint64_t iteration() const;
  std::int64_t trip() const { return trip_; }  // -1 when unknown
  std::string_view file() const { return site_->file; }
  unsigned line() const { return site_->line; }

  // Enclosing loops on this thread, innermost first (depth 0 = this loop).
  std::size_t depth() const;
  LoopInfo enclosing(std::size_t k) const;

  std::size_t var_count() const { return point_ ? point_->nvars : 0; }
  VarInfo var(std::size_t i) const;
  bool has(std::string_view name) const;

  template <class T>
  const T& get(std::string_view name) const {
    return *static_cast<const T*>(lookup(name, abi::TypeOf<T>::info, false));
  }
  template <class T>
  T& ref(std::string_view name) {
    return *static_cast<T*>(lookup(name, abi::TypeOf<T>::info, true));
  }
  template <class T>
  void set(std::string_view name, const T& value) {
    ref<T>(name) = value;
  }
  // Any scalar local converted to double (bool, integers, floats, enums).
  double number(std::string_view name) const;
  // Writes a scalar local from a double, converting to its type.
  void set_number(std::string_view name, double value);

  // Read-only view of a local's contiguous arithmetic elements (an Eigen
  // dense matrix or array, a std::vector<double>, ...), as doubles.
  struct Elements {
    const void* data = nullptr;
    std::size_t count = 0;
    abi::ScalarKind kind = abi::kNotScalar;
    double at(std::size_t i) const;
  };
  bool elements(std::string_view name, Elements& out) const;

  // Leave this loop right at this boundary (the loop exits normally).
  void request_break() { actions_ |= abi::kBreak; }
  // Stop the run: every loop breaks at its next boundary, exit hooks run.
  void request_stop();
  std::uint32_t actions() const { return actions_; }

 private:
  friend class detail::Snapshot;
  Frame() = default;
  void* lookup(std::string_view name, const abi::TypeInfo& want, bool write) const;
  std::size_t index_of(std::string_view name) const;

  abi::Loop* loop_ = nullptr;  // null in a snapshot
  const abi::SiteDesc* site_ = nullptr;
  abi::Event event_ = abi::kEnd;
  std::uint64_t iterations_ = 0;
  std::int64_t trip_ = -1;
  const abi::PointDesc* point_ = nullptr;
  void* const* addrs_ = nullptr;
  const std::vector<LoopInfo>* enclosing_ = nullptr;  // a snapshot's copy
  std::uint32_t actions_ = 0;
};

using Callback = std::function<void(Frame&)>;

// Handle of an attached hook; remove() detaches it. Copyable; dropping it
// does not detach (hooks usually live for the whole run).
class Hook {
 public:
  Hook() = default;
  explicit Hook(std::uint64_t id) : id_(id) {}
  void remove();
  std::uint64_t id() const { return id_; }
  explicit operator bool() const { return id_ != 0; }

 private:
  std::uint64_t id_ = 0;
};

enum class Compare { lt, le, gt, ge, eq, ne };

// Everything that defines one hook; HookBuilder fills it, call() attaches.
struct HookSpec {
  std::string selector;
  std::string name;                        // for messages; defaults to the selector
  std::string origin;                      // "hooks.conf:4", "PL_HOOKS:entry 2" or empty
  std::uint8_t events = 0;                 // abi::Event bits; none means iteration_end
  std::uint64_t every = 1;                 // see HookBuilder::every
  double every_seconds = 0;                // at most once per this many seconds (0: off)
  std::int64_t once_at = -1;               // only at this iteration index (-1: off)
  std::uint64_t first = 0;                 // only the first K times it would run (0: off)
  std::function<bool(const Frame&)> when;  // predicate on the frame
  // The comparisons when() was given as (local, operator, value); when they
  // are the whole predicate, the emitted code can test them itself.
  struct Comparison {
    std::string var;
    Compare op;
    double value;
  };
  std::vector<Comparison> comparisons;
  bool opaque_when = false;        // when() was also given an arbitrary predicate
  std::size_t async_depth = 0;     // >0: asynchronous, queue this deep
  std::vector<std::string> reads;  // locals an async hook may read
  std::vector<std::string> uses;   // locals it needs (checked at start-up)
  // Memory the hook keeps outside the loop, saved with every checkpoint and
  // restored on resume (HookBuilder::state).
  struct StateSlot {
    std::function<void(Writer&)> save;
    std::function<void(Reader&)> load;
  };
  std::vector<StateSlot> states;
};

// Builder returned by pl::on(). Filters compose (all must pass), cheapest
// first: event, every(N), once_at, when, every_seconds, first.
class HookBuilder {
 public:
  explicit HookBuilder(std::string selector) { spec_.selector = std::move(selector); }
  HookBuilder& at(Event e);
  HookBuilder& at(std::initializer_list<Event> events);
  // Events default to iteration_end when at() is never called.
  // Begin: iterations 0, N, 2N…; end: iterations N-1, 2N-1…;
  // enter/exit: every N-th activation of the loop.
  HookBuilder& every(std::uint64_t n);
  HookBuilder& every_seconds(double seconds);
  HookBuilder& once_at(std::uint64_t iteration);
  HookBuilder& first(std::uint64_t k);
  // Runs only when the scalar local `var` compares to `value` (a local that
  // is missing at an event makes the predicate false; said once).
  HookBuilder& when(std::string var, Compare op, double value);
  HookBuilder& when(std::function<bool(const Frame&)> predicate);
  // Runs the hook on a oneTBB worker, in event order. At the boundary only
  // the scalar locals named in reads() are copied; when `queue_depth`
  // events wait, the loop waits (back-pressure) instead of using more memory.
  HookBuilder& async(std::size_t queue_depth = 1024);
  HookBuilder& reads(std::vector<std::string> locals);
  HookBuilder& named(std::string name);
  // `x` (held by the caller, alive while the hook is attached, of any type
  // pl/serialize.h saves) is the hook's memory: a checkpoint saves it, a
  // resume restores it once the saved position is reached, so the hook goes
  // on as in the uninterrupted run (a best value, a counter, a running sum).
  // The hook is keyed by its name() (else its selector) across runs.
  template <class T>
  HookBuilder& state(T& x) {
    spec_.states.push_back({[&x](Writer& w) { save(w, x); }, [&x](Reader& r) { load(r, x); }});
    return *this;
  }
  Hook call(Callback fn);
  const HookSpec& spec() const { return spec_; }

 private:
  HookBuilder& keep_opaque(bool opaque);
  HookSpec spec_;
};

// Attaches a fully described hook (what HookBuilder::call does).
Hook attach(HookSpec spec, Callback fn);

// Waits until every asynchronous hook has run all its queued events.
void drain();

// Attaches hooks described in the hook language (what PL_CONFIG and PL_HOOKS
// hold; docs/HOOKS.md). Entries are separated by newlines, or by
// `separator`. Throws pl::Error "source:line:column: ..." on the first
// problem, and then attaches nothing.
void configure(std::string_view text, std::string_view source = "config", char separator = '\n');

// Drains asynchronous hooks and lets built-in hooks write out their files
// (logs flushed, traces and profiles written). Runs by itself at exit.
void finish();

inline HookBuilder on(std::string selector) { return HookBuilder(std::move(selector)); }

// A checkpoint policy (docs/CHECKPOINTS.md): when to checkpoint, at the end
// of an iteration of the loops `selector` matches. Resume with PL_RESUME=1.
//
//   pl::checkpoint("mlp::train/epoch/batch").every(50).dir("ckpt").attach();
struct CheckpointPolicy {
  std::string selector;
  std::uint64_t every = 0;   // after every N-th iteration (0: off)
  double every_seconds = 0;  // at the first iteration end T s after the last one (0: off)
  bool on_signal = true;     // SIGINT/SIGTERM: checkpoint at the next iteration end, exit
  bool at_end = false;       // when the loop is left normally
  std::string dir = "pl-checkpoints";
  unsigned keep = 3;  // checkpoint files kept
};
// Throws pl::Error when the policy cannot work (keep = 0, nothing to trigger it).
Hook attach_checkpoint(CheckpointPolicy policy);

class CheckpointBuilder {
 public:
  explicit CheckpointBuilder(std::string selector) { p_.selector = std::move(selector); }
  CheckpointBuilder& every(std::uint64_t n) { return p_.every = n, *this; }
  CheckpointBuilder& every_seconds(double s) { return p_.every_seconds = s, *this; }
  CheckpointBuilder& on_signal(bool on) { return p_.on_signal = on, *this; }
  CheckpointBuilder& at_end(bool on) { return p_.at_end = on, *this; }
  CheckpointBuilder& dir(std::string d) { return p_.dir = std::move(d), *this; }
  CheckpointBuilder& keep(unsigned n) { return p_.keep = n, *this; }
  Hook attach() { return attach_checkpoint(p_); }

 private:
  CheckpointPolicy p_;
};
inline CheckpointBuilder checkpoint(std::string selector) {
  return CheckpointBuilder(std::move(selector));
}

// Glob matching as used by selectors (exposed for tools and tests).
bool selector_matches(std::string_view selector, std::string_view full_name);

// Loops that have fired at least one event in this process.
struct SiteInfo {
  std::string name;
  std::string file;
  unsigned line;
};
std::vector<SiteInfo> seen_sites();

// Removes every hook and clears a stop request (tests use this).
void reset();

}  // namespace pl

// Entry point of a hook plugin, loaded with PL_PLUGINS=./myhooks.so:
//
//   static void attach() { pl::on("*/epoch").call([](pl::Frame& f) { ... }); }
//   PL_PLUGIN(attach)
#define PL_PLUGIN(init_function)                                                \
  extern "C" __attribute__((visibility("default")))                             \
  const std::uint32_t pl_plugin_contract_version = ::pl::abi::kContractVersion; \
  extern "C" __attribute__((visibility("default"))) void pl_plugin_init() { init_function(); }

#endif  // PL_PL_H
