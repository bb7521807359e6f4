// The hook language's entries: tokenizer, validation, attaching — all or
// nothing (pl::configure) or entry by entry (PL_CONFIG, PL_HOOKS).
#include <cctype>
#include <cstdio>

#include "config.h"
#include "registry.h"

namespace pl::detail {

namespace {

struct Cursor {
  const std::string& text;
  std::size_t pos = 0;
  unsigned line = 1, col = 1;
  char separator;
  bool at_entry_end() const {
    return pos >= text.size() || text[pos] == '\n' || text[pos] == separator || text[pos] == '#';
  }
  void skip_blanks() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r')) {
      ++pos;
      ++col;
    }
  }
  std::string word() {
    std::size_t start = pos;
    while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos])) &&
           text[pos] != separator && text[pos] != '#') {
      ++pos;
      ++col;
    }
    return text.substr(start, pos - start);
  }
  // After an error inside an entry: the rest of it (comment included) goes.
  void skip_rest() {
    while (pos < text.size() && text[pos] != '\n' && text[pos] != separator) {
      ++pos;
      ++col;
    }
  }
  void next_entry() {
    if (pos < text.size() && text[pos] == '#')
      while (pos < text.size() && text[pos] != '\n') ++pos;
    if (pos < text.size()) {
      if (text[pos] == '\n') {
        ++line;
        col = 0;
      }
      ++pos;
      ++col;
    }
  }
};

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (auto& [n, b] : builtin_hooks()) names.push_back(n);
  return names;
}

// One entry as parsed; `error` is set when it is malformed.
struct Parsed {
  ConfigEntry entry;
  std::string error;
  bool checkpoint = false;  // it is, or is spelt nearly like, a checkpoint policy
};

// Reads one entry at the cursor (not at an entry end); throws on a problem.
void read_entry(Cursor& c, ConfigEntry& e) {
  e.hook = c.word();
  if (!builtin_hooks().count(e.hook)) {
    std::string hint = near_matches(e.hook, builtin_names());
    std::string all;
    for (const std::string& n : builtin_names()) all += (all.empty() ? "" : ", ") + n;
    e.fail_at(e.column, "unknown hook '" + e.hook + "'" +
                            (hint.empty() ? "" : " (did you mean " + hint + "?)") +
                            "; built-in hooks: " + all);
  }
  c.skip_blanks();
  if (c.at_entry_end())
    e.fail_at(c.col, "expected a loop selector after '" + e.hook +
                         "' (e.g. '*/epoch' or 'mlp::train/**')");
  e.selector_column = c.col;
  e.selector = c.word();
  if (e.selector.find('=') != std::string::npos)
    e.fail_at(e.selector_column,
              "expected a loop selector before the options, got '" + e.selector + "'");
  while (true) {
    c.skip_blanks();
    if (c.at_entry_end()) break;
    ConfigOption o;
    o.line = c.line;
    o.column = c.col;
    std::string w = c.word();
    std::size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0)
      e.fail_at(o.column, "expected key=value, got '" + w + "'");
    o.key = w.substr(0, eq);
    o.value = w.substr(eq + 1);
    if (o.value.empty())
      e.fail_at(o.column + unsigned(eq) + 1, "missing value after '" + o.key + "='");
    if (e.has(o.key)) e.fail_at(o.column, "option '" + o.key + "' given twice");
    e.options.push_back(o);
  }
}

// Checks an entry's options without attaching anything; throws on a problem.
void validate(ConfigEntry e) {
  const BuiltinHook& b = builtin_hooks().at(e.hook);
  HookSpec probe = e.spec(abi::kEnd);  // validates the common options
  (void)probe;
  for (const std::string& k : b.options)
    if (e.has(k)) e.text(k, "");
  e.reject_unused(b.options);
}

std::vector<Parsed> parse(const std::string& text, const std::string& source, char separator) {
  Cursor c{text, 0, 1, 1, separator};
  std::vector<Parsed> out;
  while (c.pos < text.size()) {
    c.skip_blanks();
    if (c.at_entry_end()) {
      c.next_entry();
      continue;
    }
    Parsed p;
    ConfigEntry& e = p.entry;
    e.source = source;
    e.line = c.line;
    e.column = c.col;
    e.entry = unsigned(out.size() + 1);
    e.by_entry = separator != '\n';
    try {
      read_entry(c, e);
      validate(e);
    } catch (const std::exception& ex) {
      p.error = ex.what();
      c.skip_rest();
    }
    p.checkpoint = e.hook == "checkpoint" || !near_matches(e.hook, {"checkpoint"}).empty();
    out.push_back(std::move(p));
    c.next_entry();
  }
  return out;
}

// Attaches `e`; the ids of the hooks it attached go to `attached`.
void attach_entry(ConfigEntry& e, std::vector<Hook>& attached) {
  std::uint64_t before = Registry::get().last_id();
  try {
    builtin_hooks().at(e.hook).attach(e);
  } catch (...) {
    for (std::uint64_t id = before + 1; id <= Registry::get().last_id(); ++id) Hook(id).remove();
    throw;
  }
  for (std::uint64_t id = before + 1; id <= Registry::get().last_id(); ++id)
    attached.emplace_back(id);
}

}  // namespace

void apply_config(const std::string& text, const std::string& source, char separator) {
  std::vector<Parsed> entries = parse(text, source, separator);
  // Every entry is validated before any attaches, so a bad line attaches nothing.
  for (const Parsed& p : entries)
    if (!p.error.empty()) throw Error(p.error);
  std::vector<Hook> attached;
  try {
    for (Parsed& p : entries) attach_entry(p.entry, attached);
  } catch (...) {
    for (Hook& h : attached) h.remove();
    throw;
  }
}

ConfigReport apply_config_entries(const std::string& text, const std::string& source,
                                  char separator, bool all_or_nothing) {
  ConfigReport report;
  std::vector<Parsed> entries = parse(text, source, separator);
  report.entries = entries.size();
  for (const Parsed& p : entries) {
    if (!p.error.empty()) report.errors.push_back(p.error);
    report.configures_checkpoints |= p.checkpoint;
  }
  const bool whole = all_or_nothing || report.configures_checkpoints;
  if (whole && !report.errors.empty()) {
    report.rejected = true;
    return report;
  }
  std::vector<Hook> attached;
  for (Parsed& p : entries) {
    if (!p.error.empty()) continue;
    try {
      attach_entry(p.entry, attached);
      ++report.attached;
    } catch (const std::exception& ex) {  // e.g. a log file that cannot be opened
      report.errors.push_back(ex.what());
      if (!whole) continue;
      for (Hook& h : attached) h.remove();
      report.attached = 0;
      report.rejected = true;
      return report;
    }
  }
  return report;
}

}  // namespace pl::detail
