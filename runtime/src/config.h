// Internal: the hook configuration language (PL_CONFIG file, PL_HOOKS).
//
//   # one hook per line (or per ';' in PL_HOOKS)
//   progress  */epoch,*/batch  vars=loss
//   log       mlp::train/epoch  vars=loss,accuracy  file=metrics.csv
//   set       mlp::train/epoch  var=lr mul=0.5 every=10
//
// Each entry is `<hook> <selector> [key=value]...`. Errors name the source,
// line and column, what was expected, and near matches.
#ifndef PL_RUNTIME_CONFIG_H
#define PL_RUNTIME_CONFIG_H

#include <pl/pl.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pl::detail {

struct ConfigOption {
  std::string key, value;
  unsigned line = 0, column = 0;
  bool used = false;
};

// One parsed entry. Accessors mark options as used; after a hook is built,
// any option nobody used is reported as unknown.
class ConfigEntry {
 public:
  std::string source, hook, selector;
  unsigned line = 0, column = 0, selector_column = 0;
  unsigned entry = 0;     // 1-based index among the source's entries
  bool by_entry = false;  // entries separated by ';' (PL_HOOKS): named by index, not line
  std::vector<ConfigOption> options;

  bool has(const std::string& key) const;
  std::string text(const std::string& key, const std::string& fallback);
  double number(const std::string& key, double fallback);
  std::uint64_t count(const std::string& key, std::uint64_t fallback);
  std::vector<std::string> list(const std::string& key);
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  [[noreturn]] void fail_at(unsigned column, const std::string& message) const;
  std::string where(unsigned column) const;
  // Where the entry came from, for messages long after parsing:
  // "hooks.conf:4", or "PL_HOOKS:entry 2" for ';'-separated entries.
  std::string origin() const;

  // Common filters: at, every, once, first, when, async, name.
  HookSpec spec(std::uint8_t default_events);
  void reject_unused(const std::vector<std::string>& known) const;

 private:
  ConfigOption* find(const std::string& key);
};

struct BuiltinHook {
  const char* help;                          // one line: options it takes
  std::vector<std::string> options;          // its own keys (common ones come on top)
  std::function<void(ConfigEntry&)> attach;  // builds and attaches the hook(s)
};
const std::map<std::string, BuiltinHook>& builtin_hooks();

// Parses `text` (named `source` in messages) and attaches every entry, or
// none: throws pl::Error with "source:line:column: ..." on the first problem
// (pl::configure).
void apply_config(const std::string& text, const std::string& source, char separator);

// What applying a configuration entry by entry did (PL_CONFIG, PL_HOOKS).
struct ConfigReport {
  std::vector<std::string> errors;  // "source:line:column: ...", one per bad entry
  std::size_t entries = 0, attached = 0;
  bool configures_checkpoints = false;  // some entry (even a broken one) is a checkpoint policy
  bool rejected = false;                // nothing attached: see apply_config_entries
};
// A malformed entry is an error for that entry only: the others attach. But
// when the source configures checkpoints (an entry that is, or is spelt
// nearly like, `checkpoint`), any error rejects the whole source: a run must
// not go on believing it is protected. With `all_or_nothing` (PL_STRICT)
// any error attaches nothing. Never throws for a configuration problem.
ConfigReport apply_config_entries(const std::string& text, const std::string& source,
                                  char separator, bool all_or_nothing);

// Closest candidates to `word`, for "did you mean" hints ("" if none).
std::string near_matches(const std::string& word, const std::vector<std::string>& candidates);

// Finalizers of built-in hooks (flush logs, write traces, print profiles),
// run once at exit, after asynchronous hooks drained.
void at_exit(std::function<void()> fn);
void run_exit_handlers();

// PL_STRICT=1: configuration errors stop the program before it starts, and a
// failing hook stops the run cleanly; the process then exits with status 3.
bool strict_mode();
void note_strict_failure();
void exit_if_strict_failure();  // at exit, after the handlers above

}  // namespace pl::detail

#endif  // PL_RUNTIME_CONFIG_H
