// Internal: helpers shared by the built-in hooks.
#ifndef PL_RUNTIME_BUILTINS_COMMON_H
#define PL_RUNTIME_BUILTINS_COMMON_H

#include <pl/pl.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../config.h"

namespace pl::detail {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Last '/' segment of a full loop name: "mlp::train/epoch/batch" -> "batch".
inline std::string_view leaf(std::string_view name) {
  std::size_t slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// Opens `path` for writing (or stderr for "-"); a failure is a config error.
std::FILE* open_output(ConfigEntry& e, const std::string& path, const char* mode = "w");

// Files that grow row by row (log, events) and must resume without
// duplicated or missing rows: opened for appending when the run resumes
// (the checkpoint engine then truncates them to the length it recorded,
// through `truncate`), else truncated at once. `lock` guards the file.
std::FILE* open_resumable_output(ConfigEntry& e, const std::string& path,
                                 std::shared_ptr<std::mutex> lock,
                                 std::function<void(std::uint64_t)> after_truncate = {});

// JSON string literal.
std::string json_string(std::string_view s);

// The value of local `name` for a log row: a number, or a reduction such as
// "W1:norm" of a local with contiguous arithmetic elements. Returns false
// (and says why in `why`) when the frame cannot provide it.
bool local_value(const Frame& f, const std::string& spec, double& out, std::string& why);

// Attach helpers for each built-in (defined in their own files).
void attach_progress(ConfigEntry& e);
void attach_log(ConfigEntry& e);
void attach_trace(ConfigEntry& e);
void attach_profile(ConfigEntry& e);
void attach_earlystop(ConfigEntry& e);
void attach_events(ConfigEntry& e);
void attach_set(ConfigEntry& e);
void attach_break(ConfigEntry& e);
void attach_stop(ConfigEntry& e);

}  // namespace pl::detail

#endif  // PL_RUNTIME_BUILTINS_COMMON_H
