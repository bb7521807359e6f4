// Built-in `events`: every event as one JSON line — the debugging view of
// what fired, in order.
#include <mutex>

#include "common.h"

namespace pl::detail {

void attach_events(ConfigEntry& e) {
  struct State {
    std::FILE* out;
    std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
    std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  };
  std::string path = e.text("file", "pl-events.jsonl");
  HookSpec spec = e.spec(abi::kEnter | abi::kBegin | abi::kEnd | abi::kExit);
  auto s = std::make_shared<State>();
  s->out = open_resumable_output(e, path, s->mu);
  at_exit([s] { std::fflush(s->out); });
  attach(std::move(spec), [s](Frame& f) {
    std::lock_guard lock(*s->mu);
    std::fprintf(s->out,
                 "{\"loop\": %s, \"event\": \"%s\", \"iteration\": %llu, \"depth\": %zu, "
                 "\"t\": %.6f}\n",
                 json_string(f.loop()).c_str(), std::string(to_string(f.event())).c_str(),
                 (unsigned long long)f.iteration(), f.depth(), seconds_since(s->t0));
  });
}

}  // namespace pl::detail
