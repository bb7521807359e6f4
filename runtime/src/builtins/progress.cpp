// Built-in `progress`: one bar per active selected loop, nested, with
// iteration/trip, rate, ETA and the values of chosen locals. On a terminal
// (stderr) the bars redraw in place at most every `interval` seconds
// (default 0.1); otherwise plain lines are printed at each iteration end of
// the outermost selected loop and every `interval` seconds (default 10), so
// CI logs stay readable. Drawing happens on the training thread but is
// rate-limited, so it never slows the loop measurably.
#include <unistd.h>

#include <cmath>
#include <map>
#include <mutex>

#include "../hook_state.h"
#include "common.h"

namespace pl::detail {
namespace {

using Clock = std::chrono::steady_clock;

struct Level {
  std::string name;
  std::uint64_t done = 0;
  std::int64_t trip = -1;
  Clock::time_point start;
};

struct ProgressState {
  std::mutex mu;
  std::vector<std::string> vars;
  std::map<std::string, double> values;
  std::vector<Level> levels;
  bool tty = false;
  double interval = 0.1;
  Clock::time_point last_draw{};
  int drawn_lines = 0;
};

std::string clock_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  char buf[32];
  long t = long(s + 0.5);
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

std::string render(const ProgressState& s, const Level& l, bool with_values) {
  char buf[256];
  double elapsed = std::chrono::duration<double>(Clock::now() - l.start).count();
  std::string line;
  if (l.trip > 0) {
    double frac = std::min(1.0, double(l.done) / double(l.trip));
    int filled = int(frac * 20);
    std::string count = std::to_string(l.done) + "/" + std::to_string(l.trip);
    std::snprintf(buf, sizeof buf, "%s %*s [%s%s] %3d%%", l.name.c_str(),
                  int(2 * std::to_string(l.trip).size() + 1), count.c_str(),
                  std::string(filled, '#').c_str(), std::string(20 - filled, '-').c_str(),
                  int(frac * 100));
  } else {
    std::snprintf(buf, sizeof buf, "%s %llu", l.name.c_str(), (unsigned long long)l.done);
  }
  line = buf;
  if (l.done > 0 && elapsed > 0) {
    double per = elapsed / double(l.done);
    if (per >= 1)
      std::snprintf(buf, sizeof buf, "  %.2f s/it", per);
    else
      std::snprintf(buf, sizeof buf, "  %.1f it/s", 1 / per);
    line += buf;
    if (l.trip > 0) line += "  ETA " + clock_text(per * double(l.trip - std::int64_t(l.done)));
  }
  if (with_values)
    for (const std::string& v : s.vars) {
      auto it = s.values.find(v);
      if (it == s.values.end()) continue;
      std::snprintf(buf, sizeof buf, "  %s=%.4g", v.c_str(), it->second);
      line += buf;
    }
  return line;
}

void draw(ProgressState& s) {
  std::string out;
  if (s.drawn_lines > 1) out += "\033[" + std::to_string(s.drawn_lines - 1) + "A";
  for (std::size_t i = 0; i < s.levels.size(); ++i) {
    out += "\r\033[K" + render(s, s.levels[i], i + 1 == s.levels.size());
    if (i + 1 < s.levels.size()) out += "\n";
  }
  for (int extra = int(s.levels.size()); extra < s.drawn_lines; ++extra) out += "\n\r\033[K";
  if (s.drawn_lines > int(s.levels.size()) && s.drawn_lines > 1)
    out += "\033[" +
           std::to_string(s.drawn_lines - int(std::max<std::size_t>(1, s.levels.size()))) + "A";
  s.drawn_lines = int(std::max<std::size_t>(1, s.levels.size()));
  std::fputs(out.c_str(), stderr);
  std::fflush(stderr);
}

void plain_line(ProgressState& s) {
  std::string line = "pl progress:";
  for (std::size_t i = 0; i < s.levels.size(); ++i)
    line += (i ? " | " : " ") + render(s, s.levels[i], i + 1 == s.levels.size());
  std::fprintf(stderr, "%s\n", line.c_str());
}

void on_event(ProgressState& s, Frame& f) {
  auto now = Clock::now();
  for (const std::string& v : s.vars)
    if (f.has(v)) try {
        s.values[v] = f.number(v);
      } catch (const Error&) {
      }
  switch (f.event()) {
    case loop_enter:
      s.levels.push_back({std::string(leaf(f.loop())), 0, f.trip(), now});
      return;
    case iteration_begin:
      return;
    case iteration_end:
      if (!s.levels.empty()) s.levels.back().done = f.iteration() + 1;
      break;
    case loop_exit:
      if (s.levels.empty()) return;
      s.levels.back().done = f.iteration();
      if (s.tty) draw(s);
      s.levels.pop_back();
      if (s.tty && s.levels.empty()) {
        std::fputs("\n", stderr);
        s.drawn_lines = 0;
      }
      return;
  }
  double since = std::chrono::duration<double>(now - s.last_draw).count();
  bool outermost_end = s.levels.size() == 1;
  if (s.tty) {
    if (since >= s.interval || outermost_end) {
      draw(s);
      s.last_draw = now;
    }
  } else if (outermost_end || since >= s.interval) {
    plain_line(s);
    s.last_draw = now;
  }
}

}  // namespace

void attach_progress(ConfigEntry& e) {
  auto s = std::make_shared<ProgressState>();
  if (e.has("vars")) s->vars = e.list("vars");
  s->tty = isatty(STDERR_FILENO);
  s->interval = e.number("interval", s->tty ? 0.1 : 10.0);
  if (!(s->interval > 0)) e.fail("interval", "must be positive (seconds)");
  HookSpec spec = e.spec(abi::kEnter | abi::kEnd | abi::kExit);
  spec.events = abi::kEnter | abi::kEnd | abi::kExit;
  spec.uses.insert(spec.uses.end(), s->vars.begin(), s->vars.end());
  s->last_draw = Clock::now();
  const std::string key = spec.name + " | progress";
  Hook hook = attach(std::move(spec), [s](Frame& f) {
    std::lock_guard lock(s->mu);
    on_event(*s, f);
  });
  // The time already spent in each active loop: after a resume, rate and
  // ETA go on from the whole run, not from the replay's first seconds.
  HookStateOps ops;
  ops.save = [s](Writer& w) {
    std::lock_guard lock(s->mu);
    const auto now = Clock::now();
    w.u64(s->levels.size());
    for (const Level& l : s->levels)
      w(l.name, l.done, l.trip, std::chrono::duration<double>(now - l.start).count());
    w(s->values);
  };
  ops.load = [s](Reader& r) {
    std::lock_guard lock(s->mu);
    const auto now = Clock::now();
    s->levels.clear();
    for (std::size_t n = r.count(8 * 4); n > 0; --n) {
      Level l;
      double elapsed = 0;
      r(l.name, l.done, l.trip, elapsed);
      l.start =
          now - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(elapsed));
      s->levels.push_back(std::move(l));
    }
    r(s->values);
  };
  register_hook_state(hook.id(), key, std::move(ops));
}

}  // namespace pl::detail
