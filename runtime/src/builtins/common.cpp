// Built-in hook table and shared helpers.
#include "common.h"

#include "../checkpoint.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cmath>
#include <cstring>

namespace pl::detail {

const std::map<std::string, BuiltinHook>& builtin_hooks() {
  static const std::map<std::string, BuiltinHook> table = {
      {"progress",
       {"progress <sel> [vars=a,b] [interval=0.1]: nested progress bars (plain lines "
        "when stderr is not a terminal)",
        {"vars", "interval"},
        attach_progress}},
      {"log",
       {"log <sel> vars=a,b[:norm|:mean|:min|:max|:sum] [file=metrics.jsonl|.csv]",
        {"vars", "file"},
        attach_log}},
      {"trace",
       {"trace <sel> [file=pl-trace.json] [capacity=200000]: Chrome trace events",
        {"file", "capacity"},
        attach_trace}},
      {"profile",
       {"profile <sel> [file=-]: time per loop, printed at exit", {"file"}, attach_profile}},
      {"earlystop",
       {"earlystop <sel> var=x [mode=min|max] [patience=3] [min_delta=0]",
        {"var", "mode", "patience", "min_delta"},
        attach_earlystop}},
      {"events",
       {"events <sel> [file=pl-events.jsonl]: every event as a JSON line",
        {"file"},
        attach_events}},
      {"set",
       {"set <sel> var=x (value=v | add=v | mul=v): change a local",
        {"var", "value", "add", "mul"},
        attach_set}},
      {"break", {"break <sel> [when=...]: leave the loop", {}, attach_break}},
      {"stop", {"stop <sel> [when=...]: stop the run cleanly", {}, attach_stop}},
      {"checkpoint",
       {"checkpoint <sel> [every=N|every=10min] [on_signal=1] [at_end=0] [dir=pl-checkpoints] "
        "[keep=3]: checkpoints for PL_RESUME=1 (docs/CHECKPOINTS.md)",
        {"on_signal", "at_end", "dir", "keep"},
        attach_checkpoint}},
  };
  return table;
}

std::FILE* open_output(ConfigEntry& e, const std::string& path, const char* mode) {
  if (path == "-") return stderr;
  std::FILE* f = std::fopen(path.c_str(), mode);
  if (!f) e.fail("file", "cannot open '" + path + "' for writing: " + std::strerror(errno));
  return f;
}

std::FILE* open_resumable_output(ConfigEntry& e, const std::string& path,
                                 std::shared_ptr<std::mutex> lock,
                                 std::function<void(std::uint64_t)> after_truncate) {
  if (path == "-") return stderr;
  std::FILE* f = open_output(e, path, resume_requested() ? "a" : "w");
  char* abs = ::realpath(path.c_str(), nullptr);
  std::string key = e.hook + ":" + (abs ? abs : path);
  std::free(abs);
  register_output(
      key,
      [f, lock] {
        std::lock_guard guard(*lock);
        std::fflush(f);
        struct stat st {};
        return ::fstat(::fileno(f), &st) == 0 ? std::uint64_t(st.st_size) : std::uint64_t(0);
      },
      [f, lock, key, after_truncate](std::uint64_t length) {
        std::lock_guard guard(*lock);
        std::fflush(f);
        if (::ftruncate(::fileno(f), off_t(length)) != 0)
          std::fprintf(stderr, "pl: cannot truncate %s to %llu bytes for the resume: %s\n",
                       key.c_str(), (unsigned long long)length, std::strerror(errno));
        std::fseek(f, 0, SEEK_END);
        if (after_truncate) after_truncate(length);
      });
  return f;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

bool local_value(const Frame& f, const std::string& spec, double& out, std::string& why) {
  std::size_t colon = spec.find(':');
  std::string name = spec.substr(0, colon);
  if (!f.has(name)) {
    why = "'" + name + "' is not in scope at " + std::string(f.loop()) + " (" +
          std::string(to_string(f.event())) + ")";
    return false;
  }
  if (colon == std::string::npos) {
    try {
      out = f.number(name);
      return true;
    } catch (const Error& e) {
      why = e.what();
      why += "; log a reduction instead, e.g. '" + name + ":norm'";
      return false;
    }
  }
  std::string op = spec.substr(colon + 1);
  Frame::Elements el;
  if (!f.elements(name, el)) {
    why = "'" + name + "' has no contiguous arithmetic elements to reduce";
    return false;
  }
  double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY;
  for (std::size_t i = 0; i < el.count; ++i) {
    double x = el.at(i);
    sum += x;
    sq += x * x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (op == "norm")
    out = std::sqrt(sq);
  else if (op == "mean")
    out = el.count ? sum / double(el.count) : NAN;
  else if (op == "sum")
    out = sum;
  else if (op == "min")
    out = lo;
  else if (op == "max")
    out = hi;
  else {
    why = "unknown reduction '" + op + "' (norm, mean, sum, min, max)";
    return false;
  }
  return true;
}

}  // namespace pl::detail
