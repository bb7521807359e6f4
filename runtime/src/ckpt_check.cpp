// The replay self-check; see ckpt_check.h.
#include "ckpt_check.h"

#include <algorithm>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "config.h"
#include "registry.h"

namespace pl::detail {
namespace {

struct Target {
  std::unique_ptr<LoadedCheckpoint> newest;
  std::string dir, source;
  std::atomic<bool> done{false};
};

Target& target() {
  static Target* t = new Target;  // leaked: loops may run during exit
  return *t;
}

// pl-ckpt check-replay learns the outcome from a file it names, so that a
// program that never ran the check (not linked to libpl, no policy) cannot
// pass for one that did.
void tell_pl_ckpt(int status) {
  const char* path = std::getenv("PL_RESUME_CHECK_REPORT");
  if (!path || !*path) return;
  if (std::FILE* f = std::fopen(path, "w")) {
    std::fprintf(f, "%d\n", status);
    std::fclose(f);
  }
}

[[noreturn]] void finish(int status) {
  target().done.store(true);
  tell_pl_ckpt(status);
  std::fflush(nullptr);
  run_exit_handlers();
  std::_Exit(status);
}

// Also called while the resume is being loaded, under its lock: runs no exit handlers.
[[noreturn]] void cannot_check(const std::string& why) {
  target().done.store(true);
  tell_pl_ckpt(2);
  std::fprintf(stderr, "pl: resume check: %s; nothing was checked\n", why.c_str());
  std::fflush(nullptr);
  std::_Exit(2);
}

std::string canonical(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

// One loop of a position, as compared: where a run is, or where a checkpoint was taken.
struct Place {
  std::string_view site;
  std::uint64_t activation, iterations;
};
enum Order { kBefore, kAt, kPast, kUnknown };

// Where position `a` lies relative to `b` in the run; `*_exited`: the
// innermost loop had exited (an at_end checkpoint) rather than ended an iteration.
Order order_of(const std::vector<Place>& a, bool a_exited, const std::vector<Place>& b,
               bool b_exited) {
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) {
    if (a[k].site != b[k].site) return kUnknown;
    if (a[k].activation != b[k].activation)
      return a[k].activation > b[k].activation ? kPast : kBefore;
    if (a[k].iterations != b[k].iterations)
      return a[k].iterations > b[k].iterations ? kPast : kBefore;
  }
  // `a` ends an iteration that holds `b`, or is inside the iteration `b` ends.
  if (a.size() != b.size()) return a.size() < b.size() ? kPast : kBefore;
  if (a_exited == b_exited) return kAt;
  return a_exited ? kPast : kBefore;
}

std::vector<Place> places(const std::vector<PositionEntry>& pos) {
  std::vector<Place> out;
  for (const PositionEntry& e : pos) out.push_back({e.site, e.activation, e.iterations});
  return out;
}

bool exited(const std::vector<PositionEntry>& pos) { return pos.back().role == kExited; }

// The variable records of a checkpoint by a name that does not depend on
// which completed loops it stored (done/J/VAR becomes done/LEVEL/SITE#ACT/VAR)
// with the loop they belong to, for messages.
struct Variable {
  const CheckpointRecord* record;
  std::string loop, name;
  bool completed;  // an exit state the run chose to store (by cost)
};

std::map<std::string, Variable> variables(const CheckpointData& d,
                                          const std::vector<PositionEntry>& pos,
                                          const std::vector<CompletedLoop>& done) {
  std::map<std::string, Variable> out;
  for (const CheckpointRecord& r : d.records) {
    const bool state = r.name.rfind("state/", 0) == 0, set = r.name.rfind("set/", 0) == 0,
               completed = r.name.rfind("done/", 0) == 0;
    if (!state && !set && !completed) continue;
    const std::size_t a = r.name.find('/'), b = r.name.find('/', a + 1);
    if (b == std::string::npos) continue;
    const std::size_t k = std::strtoull(r.name.c_str() + a + 1, nullptr, 10);
    const std::string var = r.name.substr(b + 1);
    if (completed && k < done.size()) {
      const CompletedLoop& c = done[k];
      out[r.name.substr(0, a) + "/" + std::to_string(c.level) + "/" + c.site + "#" +
          std::to_string(c.activation) + "/" + var] = {&r, c.site, var, true};
    } else if (!completed) {
      out[r.name] = {&r, k < pos.size() ? pos[k].site : "?", (set ? "hook-set " : "") + var, false};
    }
  }
  return out;
}

std::string difference(const CheckpointRecord& want, const CheckpointRecord& got) {
  if (want.type != got.type)
    return "differs (type '" + want.type + "', replayed '" + got.type + "')";
  if (want.payload.size() != got.payload.size())
    return "differs (" + std::to_string(want.payload.size()) + " bytes, replayed " +
           std::to_string(got.payload.size()) + ")";
  std::size_t n = 0, first = 0;
  for (std::size_t i = want.payload.size(); i-- > 0;)
    if (want.payload[i] != got.payload[i]) ++n, first = i;
  return n == 0 ? ""
                : "differs (" + std::to_string(n) + " of " + std::to_string(want.payload.size()) +
                      " bytes, the first at byte " + std::to_string(first) + ")";
}

// Every difference between the newest checkpoint and the replayed one, the
// first (in the file's record order) first.
std::vector<std::string> compare(const LoadedCheckpoint& newest, const CheckpointData& now) {
  std::vector<CompletedLoop> now_done;
  for (const CheckpointRecord& r : now.records)
    if (r.name == kCompletedRecord) now_done = decode_completed(r.payload);
  auto want = variables(newest.data, newest.pos, newest.done);
  auto got = variables(now, newest.pos, now_done);
  std::vector<std::pair<const CheckpointRecord*, std::string>> found;
  for (const auto& [key, w] : want) {
    auto it = got.find(key);
    std::string what = it == got.end() ? (w.completed ? "" : "is missing from the replay")
                                       : difference(*w.record, *it->second.record);
    if (!what.empty())
      found.push_back({w.record, "variable '" + w.name + "' of loop '" + w.loop + "' " + what});
  }
  for (const auto& [key, g] : got)
    if (!want.count(key) && !g.completed)
      found.push_back(
          {nullptr, "variable '" + g.name + "' of loop '" + g.loop + "' is only in the replay"});
  std::stable_sort(found.begin(), found.end(), [&](const auto& x, const auto& y) {
    auto index = [&](const CheckpointRecord* r) {
      return r ? std::size_t(r - newest.data.records.data()) : newest.data.records.size();
    };
    return index(x.first) < index(y.first);
  });
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

[[noreturn]] void report(const CheckpointData& now) {
  Target& t = target();
  const std::vector<std::string> diffs = compare(*t.newest, now);
  const std::string where = "the replay from " + t.source + " reached the position of " +
                            t.newest->file + " (" + t.newest->meta.summary + ")";
  if (diffs.empty()) {
    std::fprintf(stderr, "pl: resume check passed: %s; every saved variable is identical\n",
                 where.c_str());
    finish(0);
  }
  std::fprintf(stderr, "pl: resume check FAILED: %s, but %s", where.c_str(), diffs[0].c_str());
  if (diffs.size() > 1) std::fprintf(stderr, " (and %zu more)", diffs.size() - 1);
  std::fprintf(stderr,
               ".\nThe saved state does not determine the run: the loop changes something pl "
               "does not save (a static local, a global of another translation unit, a file "
               "position ...), or reads something that changed.\n");
  char name[64];
  std::snprintf(name, sizeof name, "/replay-%06llu.plck",
                (unsigned long long)t.newest->meta.sequence);
  try {
    write_checkpoint(t.dir + name, now);
    std::fprintf(stderr, "The replayed state: %s%s (pl-ckpt diff %s %s%s shows every difference)\n",
                 t.dir.c_str(), name, t.newest->file.c_str(), t.dir.c_str(), name);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pl: resume check: %s\n", e.what());
  }
  finish(4);
}

}  // namespace

void refuse_check_without_policy() {
  cannot_check(
      "no checkpoint policy is attached (PL_CONFIG or PL_HOOKS must configure the "
      "checkpoints to check, e.g. 'checkpoint <loop> every=100 dir=ckpt')");
}

bool resume_check_requested() {
  static const bool on = [] {
    const char* c = std::getenv("PL_RESUME_CHECK");
    return c && *c && std::string(c) != "0";
  }();
  return on;
}

std::unique_ptr<LoadedCheckpoint> choose_for_check(
    const std::string& dir, const std::vector<std::pair<std::uint64_t, std::string>>& files) {
  Target& t = target();
  t.dir = dir;
  if (const char* given = std::getenv("PL_RESUME_CHECK_DIR"); given && *given)
    if (canonical(given) != canonical(dir))
      cannot_check(std::string("pl-ckpt check-replay was given '") + given +
                   "', but the program's checkpoint policy uses '" + dir +
                   "' (see its PL_CONFIG or PL_HOOKS)");
  for (std::size_t i = files.size(); i-- > 0;) {
    std::unique_ptr<LoadedCheckpoint> c;
    try {
      c = std::make_unique<LoadedCheckpoint>(load_checkpoint_file(files[i].second));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pl: resume check: %s is unusable (%s); skipped\n",
                   files[i].second.c_str(), e.what());
      continue;
    }
    if (!t.newest) {
      t.newest = std::move(c);
    } else if (const Order o = order_of(places(c->pos), exited(c->pos), places(t.newest->pos),
                                        exited(t.newest->pos));
               o == kBefore || o == kUnknown) {  // unknown: in another loop nest
      t.source = c->file;
      std::fprintf(stderr, "pl: resume check: replaying from %s up to the position of %s (%s)\n",
                   c->file.c_str(), t.newest->file.c_str(), t.newest->meta.summary.c_str());
      return c;
    }
  }
  cannot_check("it needs two valid checkpoints in '" + dir +
               "', at different positions, the newest not before the other; " +
               (t.newest ? "only " + t.newest->file + " qualifies" : "there is none"));
}

void replay_check_at_boundary(const CheckpointRequest& q, int signal) {
  Target& t = target();
  if (!t.newest || t.done.load()) return;
  if (signal)
    cannot_check(std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") +
                 " received before the replay reached the newest checkpoint's position");
  std::vector<Activation>& st = ActivationStack::here().records();
  if (st.empty() || st.back().loop != q.loop) return;
  std::vector<Place> now;
  for (const Activation& a : st)
    now.push_back({a.loop->site.desc->name, a.activation, a.loop->iterations});
  const Order o =
      order_of(now, q.event == abi::kExit, places(t.newest->pos), exited(t.newest->pos));
  if (o == kBefore || o == kUnknown) return;
  if (o == kPast) {
    std::fprintf(stderr,
                 "pl: resume check FAILED: the replay from %s passed the position of %s (%s) "
                 "without reaching it: it is at %s %llu\n",
                 t.source.c_str(), t.newest->file.c_str(), t.newest->meta.summary.c_str(),
                 q.loop->site.desc->name, (unsigned long long)(q.loop->iterations - 1));
    finish(4);
  }
  CheckpointData data;
  CheckpointRequest c = q;
  c.capture = &data;
  c.reason = "check";
  if (!take_checkpoint(c)) cannot_check("no checkpoint can be taken at the newest one's position");
  report(data);
}

void replay_check_at_exit() {
  Target& t = target();
  if (!t.newest || t.done.exchange(true)) return;
  tell_pl_ckpt(4);
  std::fprintf(stderr,
               "pl: resume check FAILED: the run from %s ended without reaching the position of "
               "%s (%s)\n",
               t.source.c_str(), t.newest->file.c_str(), t.newest->meta.summary.c_str());
  std::fflush(nullptr);
  std::_Exit(4);
}

}  // namespace pl::detail
