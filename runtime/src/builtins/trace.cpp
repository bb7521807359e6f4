// Built-in `trace`: Chrome trace-event JSON of loop and iteration spans
// (open in Perfetto or chrome://tracing). Memory is bounded: spans go to a
// ring buffer of `capacity` entries; when it wraps, the oldest are dropped
// (the file says how many). No I/O until exit.
#include <mutex>
#include <thread>

#include "common.h"

namespace pl::detail {
namespace {

struct Span {
  const char* name;  // the site's static full name
  std::int64_t start_ns, dur_ns;
  std::uint32_t tid;
  bool iteration;
  std::uint64_t index;
};

struct TraceState {
  std::mutex mu;
  std::vector<Span> ring;
  std::size_t next = 0;
  std::uint64_t total = 0;
  std::string path;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
};

struct Open {
  std::int64_t loop_start = 0, iter_start = -1;
};
thread_local std::vector<Open> open_spans;
thread_local std::uint32_t trace_tid = 0;
std::atomic<std::uint32_t> next_tid{1};

std::int64_t ns_since(const TraceState& s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              s.t0)
      .count();
}

void record(TraceState& s, Span sp) {
  std::lock_guard lock(s.mu);
  s.ring[s.next] = sp;
  s.next = (s.next + 1) % s.ring.size();
  ++s.total;
}

void write(TraceState& s) {
  std::lock_guard lock(s.mu);
  std::FILE* out = std::fopen(s.path.c_str(), "w");
  if (!out) {
    std::fprintf(stderr, "pl: trace: cannot write '%s'\n", s.path.c_str());
    return;
  }
  std::size_t n = std::min<std::uint64_t>(s.total, s.ring.size());
  std::size_t first = s.total > s.ring.size() ? s.next : 0;
  std::fprintf(out,
               "{\"displayTimeUnit\": \"ms\", \"otherData\": {\"spans\": %llu, "
               "\"dropped\": %llu}, \"traceEvents\": [\n",
               (unsigned long long)s.total, (unsigned long long)(s.total - n));
  for (std::size_t k = 0; k < n; ++k) {
    const Span& sp = s.ring[(first + k) % s.ring.size()];
    std::string name = sp.iteration ? std::string(leaf(sp.name)) + " #" + std::to_string(sp.index)
                                    : std::string(sp.name);
    std::fprintf(out,
                 "%s{\"name\": %s, \"cat\": \"%s\", \"ph\": \"X\", \"ts\": %.3f, \"dur\": %.3f, "
                 "\"pid\": 1, \"tid\": %u}\n",
                 k ? "," : "", json_string(name).c_str(), sp.iteration ? "iteration" : "loop",
                 sp.start_ns / 1e3, sp.dur_ns / 1e3, sp.tid);
  }
  std::fprintf(out, "]}\n");
  std::fclose(out);
  std::fprintf(stderr, "pl: trace: wrote %zu spans to %s%s\n", n, s.path.c_str(),
               s.total > n ? " (oldest dropped: ring buffer full)" : "");
}

}  // namespace

void attach_trace(ConfigEntry& e) {
  auto s = std::make_shared<TraceState>();
  s->path = e.text("file", "pl-trace.json");
  std::uint64_t capacity = e.count("capacity", 200000);
  if (capacity == 0) e.fail("capacity", "must be at least 1");
  HookSpec spec = e.spec(abi::kEnter | abi::kBegin | abi::kEnd | abi::kExit);
  spec.events = abi::kEnter | abi::kBegin | abi::kEnd | abi::kExit;
  if (std::FILE* probe = std::fopen(s->path.c_str(), "a"))
    std::fclose(probe);
  else
    e.fail("file", "cannot write '" + s->path + "'");
  s->ring.resize(capacity);
  at_exit([s] { write(*s); });
  attach(std::move(spec), [s](Frame& f) {
    if (!trace_tid) trace_tid = next_tid++;
    std::int64_t now = ns_since(*s);
    switch (f.event()) {
      case loop_enter:
        open_spans.push_back({now, -1});
        break;
      case iteration_begin:
        if (!open_spans.empty()) open_spans.back().iter_start = now;
        break;
      case iteration_end:
        if (!open_spans.empty() && open_spans.back().iter_start >= 0) {
          record(*s, {f.loop().data(), open_spans.back().iter_start,
                      now - open_spans.back().iter_start, trace_tid, true, f.iteration()});
          open_spans.back().iter_start = -1;
        }
        break;
      case loop_exit:
        if (open_spans.empty()) break;
        record(*s, {f.loop().data(), open_spans.back().loop_start,
                    now - open_spans.back().loop_start, trace_tid, false, f.iteration()});
        open_spans.pop_back();
        break;
    }
  });
}

}  // namespace pl::detail
