// Checkpoint policies and their stage of dispatch; see ckpt_policy.h.
#include "ckpt_policy.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "checkpoint.h"
#include "ckpt_capture.h"
#include "ckpt_check.h"
#include "ckpt_resume.h"
#include "ckpt_writer.h"
#include "config.h"
#include "registry.h"

namespace pl::detail {

struct Policy {
  CheckpointPolicy spec;
  std::string name;                        // for messages: "checkpoint <selector>"
  std::function<bool(const Frame&)> when;  // filters from the configuration line
  std::int64_t once_at = -1;
  std::uint64_t first = 0;
  std::atomic<std::uint64_t> runs{0};
  std::atomic<std::int64_t> last_ns{0};  // every_seconds: when the last checkpoint was due
  std::atomic<bool> disabled{false};
  // For the exit report of a policy that never fell due (every=N larger than
  // its loop's iterations per activation): the most iterations one activation
  // reached, and how many times the policy fell due.
  std::atomic<std::uint64_t> most_iterations{0};
  std::atomic<std::uint64_t> fell_due{0};
};

// The policies matching one site (immutable once published).
struct PolicyList {
  std::vector<std::shared_ptr<Policy>> policies;
};

namespace {

volatile std::sig_atomic_t g_signal = 0;
std::atomic<bool> g_signal_answered{false};  // its checkpoint was taken or given up

// Only async-signal-safe calls in here: write(2) of fixed text.
void say_from_handler(const char* text) {
  ssize_t n = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)n;
}

extern "C" void on_signal(int sig) {
  const bool interrupt = sig == SIGINT;
  if (g_signal != 0) {  // a second signal: exit now, as the signal does by default
    say_from_handler(interrupt ? "pl: second SIGINT: exiting now, without a checkpoint\n"
                               : "pl: second SIGTERM: exiting now, without a checkpoint\n");
    std::signal(sig, SIG_DFL);
    std::raise(sig);  // delivered when the handler returns
    return;
  }
  g_signal = sig;
  say_from_handler(interrupt ? "pl: SIGINT received: checkpointing at the next end of an "
                               "iteration of a checkpointed loop, then exiting (SIGINT again: "
                               "exit now, without a checkpoint)\n"
                             : "pl: SIGTERM received: checkpointing at the next end of an "
                               "iteration of a checkpointed loop, then exiting (SIGTERM again: "
                               "exit now, without a checkpoint)\n");
}

void install_signal_handlers() {
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;  // the program's own reads and writes go on undisturbed
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  at_exit([] {  // a signal no boundary answered: the program finished first
    if (const int sig = g_signal; sig != 0 && !g_signal_answered.load())
      std::fprintf(stderr,
                   "pl: %s was received, but no loop with a checkpoint policy ended an "
                   "iteration before the program finished; no checkpoint was written for it\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
  });
}

const char* signal_name(int sig) { return sig == SIGINT ? "SIGINT" : "SIGTERM"; }

// The attached policies, and per site the ones matching it. A site's list
// is rebuilt when the set of policies changed since (generation).
class PolicyStage : public MaskContributor {
 public:
  static PolicyStage& get() {
    static PolicyStage* s = new PolicyStage;  // leaked: loops may run during exit
    return *s;
  }

  // Returns the policy's pl::Hook id.
  std::uint64_t add(std::shared_ptr<Policy> p, HookSpec checked_as) {
    {
      std::lock_guard lock(mu_);
      if (p->spec.on_signal && !signals_installed_) {
        signals_installed_ = true;
        install_signal_handlers();
      }
      policies_.push_back(p);
      generation_.fetch_add(1, std::memory_order_release);
    }
    Registry& registry = Registry::get();
    registry.add_contributor(*this);
    return registry.attach_listener(std::move(checked_as), [this, p] { remove(p); });
  }

  const PolicyList* of(SiteRt& rt) {
    const std::uint64_t gen = generation_.load(std::memory_order_acquire);
    if (rt.policies_gen.load(std::memory_order_acquire) == gen)
      return rt.policies.load(std::memory_order_acquire);
    std::lock_guard lock(mu_);
    auto list = std::make_unique<PolicyList>();
    for (const auto& p : policies_)
      if (selector_matches(p->spec.selector, rt.site->desc->name)) list->policies.push_back(p);
    rt.policies.store(list.get(), std::memory_order_release);
    rt.policies_gen.store(generation_.load(), std::memory_order_release);
    lists_.push_back(std::move(list));  // kept: another thread may be reading an old one
    return lists_.back().get();
  }

  std::uint8_t mask(SiteRt& rt) override {
    std::uint8_t m = 0;
    for (const auto& p : of(rt)->policies) m |= abi::kEnd | (p->spec.at_end ? abi::kExit : 0);
    return m;
  }
  // Its own period is checked by the policy: every iteration end must reach it.
  std::uint8_t ungated(SiteRt& rt) override { return mask(rt) & abi::kEnd; }

 private:
  void remove(const std::shared_ptr<Policy>& p) {
    {
      std::lock_guard lock(mu_);
      policies_.erase(std::remove(policies_.begin(), policies_.end(), p), policies_.end());
      generation_.fetch_add(1, std::memory_order_release);
    }
    Registry::get().remask_all();
  }

  std::mutex mu_;
  std::vector<std::shared_ptr<Policy>> policies_;
  std::vector<std::unique_ptr<PolicyList>> lists_;
  std::atomic<std::uint64_t> generation_{1};
  bool signals_installed_ = false;
};

bool passes_filters(Policy& p, const abi::Loop& loop, abi::Event ev, const abi::PointDesc* point,
                    void* const* addrs) {
  if (!p.when && p.once_at < 0 && p.first == 0) return true;
  Frame frame(const_cast<abi::Loop&>(loop), ev, point, addrs);
  if (p.once_at >= 0 && frame.iteration() != std::uint64_t(p.once_at)) return false;
  if (p.when && !p.when(frame)) return false;
  return p.first == 0 || p.runs.fetch_add(1, std::memory_order_relaxed) < p.first;
}

// A signal arrived: checkpoint here, then exit as the signal would have.
// Where no checkpoint can be taken yet (an enclosing loop in another
// function has no state kept for its current iteration), the run goes on to
// the next boundary where one can.
void checkpoint_for_signal(int sig, CheckpointRequest q) {
  q.reason = "signal";
  q.wait = true;
  bool not_yet = false;
  q.not_yet = &not_yet;
  const bool written = take_checkpoint(q);
  if (!written && not_yet) {
    static std::atomic<bool> said{false};
    if (!said.exchange(true))
      std::fprintf(stderr,
                   "pl: %s: no checkpoint can be taken at %s yet (see above); the run goes on "
                   "to the next point where one can (%s again: exit now, without one)\n",
                   signal_name(sig), q.loop->site.desc->name, signal_name(sig));
    return;
  }
  if (written)
    std::fprintf(stderr,
                 "pl: %s received: checkpoint %s written at %s iteration %llu; resume with "
                 "PL_RESUME=1 and the same command\n",
                 signal_name(sig), CheckpointWriter::get().last_good().c_str(),
                 q.loop->site.desc->name, (unsigned long long)(q.loop->iterations - 1));
  else
    std::fprintf(stderr, "pl: %s received; no checkpoint could be written here\n",
                 signal_name(sig));
  g_signal_answered.store(true);
  std::fflush(nullptr);
  run_exit_handlers();
  std::_Exit(128 + sig);
}

// Whether a periodic checkpoint is due at the end of the loop's current iteration.
bool due(Policy& policy, const abi::Loop& loop) {
  const CheckpointPolicy& p = policy.spec;
  bool due = p.every > 0 && loop.iterations % p.every == 0;  // iteration index + 1
  if (p.every > 0 && !due) {
    std::uint64_t most = policy.most_iterations.load(std::memory_order_relaxed);
    while (loop.iterations > most && !policy.most_iterations.compare_exchange_weak(
                                         most, loop.iterations, std::memory_order_relaxed)) {
    }
  }
  if (p.every_seconds > 0) {
    const std::int64_t now = steady_now_ns();
    std::int64_t last = policy.last_ns.load(std::memory_order_relaxed);
    if (last == 0) policy.last_ns.store(last = now, std::memory_order_relaxed);
    if (double(now - last) >= p.every_seconds * 1e9) {
      due = true;
      policy.last_ns.store(now, std::memory_order_relaxed);
    }
  }
  return due;
}

void apply(Policy& policy, const CheckpointRequest& q) {
  const CheckpointPolicy& p = policy.spec;
  if (Resumer::get().active()) return;
  if (q.event == abi::kExit) {
    if (p.at_end) take_checkpoint({q.loop, q.event, q.point, q.addrs, "end", true});
    return;
  }
  if (due(policy, *q.loop)) {
    policy.fell_due.fetch_add(1, std::memory_order_relaxed);
    take_checkpoint({q.loop, q.event, q.point, q.addrs,
                     p.every_seconds > 0 && p.every == 0 ? "seconds" : "every", false});
  }
}

// At exit: a policy whose every=N its loop never reached in one activation
// wrote nothing, which a user who counted iterations over the whole run
// would not expect (say so, with the number that would have worked).
void report_never_due(const Policy& p) {
  const std::uint64_t most = p.most_iterations.load();
  if (p.spec.every == 0 || p.spec.every_seconds > 0 || p.fell_due.load() > 0 || most == 0 ||
      most >= p.spec.every)
    return;
  std::fprintf(stderr,
               "pl: warning: %s every=%llu never fell due: every=N counts the iterations of one "
               "activation of its loop, and the loop ran at most %llu per activation; no "
               "periodic checkpoint was written (use every=%llu or less, or select an "
               "enclosing loop)\n",
               p.name.c_str(), (unsigned long long)p.spec.every, (unsigned long long)most,
               (unsigned long long)most);
}

const char* policy_problem(const CheckpointPolicy& c) {
  if (c.keep == 0) return "keep at least one checkpoint (keep=1 or more)";
  if (c.every == 0 && c.every_seconds <= 0 && !c.on_signal && !c.at_end)
    return "checkpoint needs when to write: every=N, every=10min, on_signal=1 or at_end=1";
  if (c.dir.empty()) return "checkpoint needs a directory (dir=...)";
  return nullptr;
}

// `spec`: the selector, name and filters of the policy's line or builder.
Hook attach_policy(const CheckpointPolicy& c, HookSpec spec) {
  auto p = std::make_shared<Policy>();
  p->spec = c;
  p->name = spec.name.empty() ? spec.selector : spec.name;
  p->when = spec.when;
  p->once_at = spec.once_at;
  p->first = spec.first;
  start_checkpoint_engine(c);
  at_exit([weak = std::weak_ptr<Policy>(p)] {
    if (auto q = weak.lock()) report_never_due(*q);
  });
  return Hook(PolicyStage::get().add(p, std::move(spec)));
}

}  // namespace

std::uint32_t run_checkpoint_policies(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                                      const abi::PointDesc* point, void* const* addrs) {
  if (!(ev & (abi::kEnd | abi::kExit))) return abi::kNone;
  CheckpointMachineryScope machinery;
  if (resume_check_requested()) {  // a checking run writes no checkpoints
    const PolicyList* list = PolicyStage::get().of(rt);
    const bool selected =
        std::any_of(list->policies.begin(), list->policies.end(),
                    [ev](const auto& p) { return ev == abi::kEnd || p->spec.at_end; });
    if (selected && !Resumer::get().active())
      replay_check_at_boundary({&loop, ev, point, addrs}, g_signal);
    return abi::kNone;
  }
  for (const auto& p : PolicyStage::get().of(rt)->policies) {
    if (p->disabled.load(std::memory_order_relaxed)) continue;
    if (ev == abi::kExit && !p->spec.at_end) continue;
    try {
      // A signal checkpoint ignores the policy's filters: the run is to stop.
      if (const int sig = g_signal;
          sig != 0 && ev == abi::kEnd && p->spec.on_signal && !Resumer::get().active())
        checkpoint_for_signal(sig, {&loop, ev, point, addrs});
      else if (passes_filters(*p, loop, ev, point, addrs))
        apply(*p, {&loop, ev, point, addrs});
    } catch (const std::exception& e) {
      report_listener_failure(p->disabled, p->name, Frame(loop, ev, point, addrs), e.what());
    } catch (...) {
      report_listener_failure(p->disabled, p->name, Frame(loop, ev, point, addrs),
                              "unknown exception");
    }
  }
  return abi::kNone;
}

void attach_checkpoint(ConfigEntry& e) {
  HookSpec spec = e.spec(abi::kEnd);
  CheckpointPolicy c;
  c.selector = e.selector;
  c.every = spec.every > 1 ? spec.every : (e.has("every") && spec.every_seconds == 0 ? 1 : 0);
  c.every_seconds = spec.every_seconds;
  c.on_signal = e.count("on_signal", 1) != 0;
  c.at_end = e.count("at_end", 0) != 0;
  c.dir = e.text("dir", "pl-checkpoints");
  const std::uint64_t keep = e.count("keep", 3);
  c.keep = keep > 1000000 ? 1000000 : unsigned(keep);
  if (keep == 0) e.fail("keep", policy_problem(c));
  if (const char* problem = policy_problem(c)) e.fail_at(e.column, problem);
  attach_policy(c, std::move(spec));
}

}  // namespace pl::detail

namespace pl {

Hook attach_checkpoint(CheckpointPolicy policy) {
  if (const char* problem = detail::policy_problem(policy))
    throw Error("pl: checkpoint " + policy.selector + ": " + problem);
  HookSpec spec;
  spec.selector = policy.selector;
  spec.name = "checkpoint " + policy.selector;
  return detail::attach_policy(policy, std::move(spec));
}

}  // namespace pl
