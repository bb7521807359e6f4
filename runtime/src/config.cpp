// The hook configuration language: tokenizer, entries, common filters.
#include "config.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "registry.h"

namespace pl::detail {

namespace {

unsigned edit_distance(const std::string& a, const std::string& b) {
  std::vector<unsigned> row(b.size() + 1);
  for (unsigned j = 0; j <= b.size(); ++j) row[j] = j;
  for (unsigned i = 1; i <= a.size(); ++i) {
    unsigned diag = row[0];
    row[0] = i;
    for (unsigned j = 1; j <= b.size(); ++j) {
      unsigned up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

const std::vector<std::string> kCommonOptions = {"at",   "every", "once", "first",
                                                 "when", "async", "name"};

}  // namespace

std::string near_matches(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<std::pair<unsigned, std::string>> scored;
  for (const std::string& c : candidates) {
    unsigned d = edit_distance(word, c);
    if (d <= std::max<std::size_t>(2, word.size() / 3) || c.find(word) != std::string::npos)
      scored.emplace_back(d, c);
  }
  std::sort(scored.begin(), scored.end());
  std::string out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i)
    out += (i ? "', '" : "'") + scored[i].second;
  return out.empty() ? out : out + "'";
}

std::string ConfigEntry::where(unsigned col) const {
  return source + ":" + std::to_string(line) + ":" + std::to_string(col);
}

std::string ConfigEntry::origin() const {
  return by_entry ? source + ":entry " + std::to_string(entry)
                  : source + ":" + std::to_string(line);
}

void ConfigEntry::fail_at(unsigned col, const std::string& message) const {
  throw Error(where(col) + ": " + message);
}

void ConfigEntry::fail(const std::string& key, const std::string& message) const {
  for (const ConfigOption& o : options)
    if (o.key == key) fail_at(o.column, "'" + key + "=" + o.value + "': " + message);
  fail_at(column, message);
}

ConfigOption* ConfigEntry::find(const std::string& key) {
  for (ConfigOption& o : options)
    if (o.key == key) {
      o.used = true;
      return &o;
    }
  return nullptr;
}

bool ConfigEntry::has(const std::string& key) const {
  return std::any_of(options.begin(), options.end(), [&](auto& o) { return o.key == key; });
}

std::string ConfigEntry::text(const std::string& key, const std::string& fallback) {
  ConfigOption* o = find(key);
  return o ? o->value : fallback;
}

double ConfigEntry::number(const std::string& key, double fallback) {
  ConfigOption* o = find(key);
  if (!o) return fallback;
  double v = 0;
  auto [end, ec] = std::from_chars(o->value.data(), o->value.data() + o->value.size(), v);
  if (ec != std::errc() || end != o->value.data() + o->value.size()) fail(key, "expected a number");
  return v;
}

std::uint64_t ConfigEntry::count(const std::string& key, std::uint64_t fallback) {
  ConfigOption* o = find(key);
  if (!o) return fallback;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(o->value.data(), o->value.data() + o->value.size(), v);
  if (ec != std::errc() || end != o->value.data() + o->value.size())
    fail(key, "expected a whole number");
  return v;
}

std::vector<std::string> ConfigEntry::list(const std::string& key) {
  std::vector<std::string> out;
  ConfigOption* o = find(key);
  if (!o) return out;
  std::size_t start = 0;
  while (start <= o->value.size()) {
    std::size_t comma = o->value.find(',', start);
    if (comma == std::string::npos) comma = o->value.size();
    if (comma > start) out.push_back(o->value.substr(start, comma - start));
    start = comma + 1;
  }
  if (out.empty()) fail(key, "expected a comma-separated list");
  return out;
}

static std::uint8_t parse_events(ConfigEntry& e, const std::vector<std::string>& names) {
  std::uint8_t bits = 0;
  for (const std::string& n : names) {
    if (n == "enter")
      bits |= abi::kEnter;
    else if (n == "begin")
      bits |= abi::kBegin;
    else if (n == "end")
      bits |= abi::kEnd;
    else if (n == "exit")
      bits |= abi::kExit;
    else
      e.fail("at", "unknown event '" + n + "'; expected enter, begin, end or exit");
  }
  return bits;
}

static void parse_when(ConfigEntry& e, const std::string& expr, HookBuilder& b) {
  static const std::pair<const char*, Compare> ops[] = {{"<=", Compare::le}, {">=", Compare::ge},
                                                        {"==", Compare::eq}, {"!=", Compare::ne},
                                                        {"<", Compare::lt},  {">", Compare::gt}};
  for (auto& [tok, op] : ops) {
    std::size_t at = expr.find(tok);
    if (at == std::string::npos) continue;
    std::string var = expr.substr(0, at), num = expr.substr(at + std::string(tok).size());
    double v = 0;
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
    if (var.empty() || ec != std::errc() || end != num.data() + num.size())
      e.fail("when", "expected <local><op><number>, e.g. when=loss<0.3");
    b.when(var, op, v);
    return;
  }
  e.fail("when", "expected a comparison (<, <=, >, >=, ==, !=), e.g. when=loss<0.3");
}

HookSpec ConfigEntry::spec(std::uint8_t default_events) {
  HookBuilder b(selector);
  b.named(text("name", hook + " " + selector));
  std::uint8_t events = has("at") ? parse_events(*this, list("at")) : default_events;
  for (int bit = 1; bit <= abi::kExit; bit <<= 1)
    if (events & bit) b.at(static_cast<Event>(bit));
  if (ConfigOption* o = find("every")) {
    const std::string& v = o->value;
    std::size_t unit = v.find_first_not_of("0123456789.");
    double scale = 0;
    if (unit == std::string::npos)
      scale = -1;
    else if (v.substr(unit) == "s")
      scale = 1;
    else if (v.substr(unit) == "ms")
      scale = 1e-3;
    else if (v.substr(unit) == "min")
      scale = 60;
    else
      fail("every", "expected N (iterations) or a time such as 2s, 500ms, 1min");
    double x = 0;
    auto [end, ec] =
        std::from_chars(v.data(), v.data() + (unit == std::string::npos ? v.size() : unit), x);
    if (ec != std::errc() || !(x > 0)) fail("every", "expected a positive amount");
    if (scale < 0) {
      if (x != double(std::uint64_t(x))) fail("every", "an iteration period must be whole");
      b.every(std::uint64_t(x));
    } else {
      b.every_seconds(x * scale);
    }
  }
  if (has("once")) b.once_at(count("once", 0));
  if (has("first")) {
    std::uint64_t k = count("first", 0);
    if (k == 0) fail("first", "must be at least 1");
    b.first(k);
  }
  if (ConfigOption* o = find("when")) parse_when(*this, o->value, b);
  if (has("async")) {
    std::uint64_t depth = count("async", 0);
    if (depth == 0) fail("async", "the queue depth must be at least 1");
    b.async(depth);
  }
  HookSpec out = b.spec();
  out.origin = origin();
  return out;
}

void ConfigEntry::reject_unused(const std::vector<std::string>& known) const {
  std::vector<std::string> all = known;
  all.insert(all.end(), kCommonOptions.begin(), kCommonOptions.end());
  for (const ConfigOption& o : options) {
    if (o.used) continue;
    std::string hint = near_matches(o.key, all);
    std::string expected;
    for (const std::string& k : all) expected += (expected.empty() ? "" : ", ") + k;
    fail_at(o.column, "unknown option '" + o.key + "' for hook '" + hook + "'" +
                          (hint.empty() ? "" : " (did you mean " + hint + "?)") +
                          "; it takes: " + expected);
  }
}

namespace {
std::mutex exit_mu;
std::vector<std::function<void()>>& exit_handlers() {
  static auto* v = new std::vector<std::function<void()>>;
  return *v;
}
}  // namespace

void at_exit(std::function<void()> fn) {
  std::lock_guard lock(exit_mu);
  exit_handlers().push_back(std::move(fn));
}

namespace {
std::atomic<bool> strict_failed{false};
}

bool strict_mode() {
  static const bool strict = [] {
    const char* s = std::getenv("PL_STRICT");
    return s && *s && std::string(s) != "0";
  }();
  return strict;
}

void note_strict_failure() { strict_failed.store(true); }

void run_exit_handlers() {
  drain();
  std::vector<std::function<void()>> fns;
  {
    std::lock_guard lock(exit_mu);
    fns.swap(exit_handlers());
  }
  for (auto& fn : fns) fn();
}

void exit_if_strict_failure() {
  if (!strict_failed.load()) return;
  std::fflush(nullptr);
  std::_Exit(3);
}

}  // namespace pl::detail
