// Which loops the runtime follows; see loop_roles.h.
#include "loop_roles.h"

#include <pl/pl.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>

namespace pl::detail {
namespace {

constexpr std::string_view kAnything = "*";
constexpr std::string_view kVirtual = "virtual:";

std::vector<std::string> split_calls(const char* list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string c; std::getline(in, c, ';');)
    if (!c.empty()) out.push_back(std::move(c));
  return out;
}

std::string_view last_component(std::string_view key) {
  const std::size_t at = key.rfind("::");
  return at == std::string_view::npos ? key : key.substr(at + 2);
}

bool any_matches(const std::vector<std::string>& selectors, std::string_view name) {
  for (const std::string& s : selectors)
    if (selector_matches(s, name)) return true;
  return false;
}

}  // namespace

void LoopRoles::add_loops(const abi::ManifestLoop* loops, std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const abi::ManifestLoop& m = loops[i];
    // A row without a call graph (hand-written tables): it may call anything.
    if (m.function && m.calls)
      loops_[m.name].push_back({m.function, split_calls(m.calls)});
    else
      loops_[m.name].push_back({"", {std::string(kAnything)}});
  }
}

void LoopRoles::add_calls(const abi::ManifestFunction* functions, std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    std::vector<std::string>& calls = functions_[functions[i].key];
    for (std::string& c : split_calls(functions[i].calls)) {
      if (c[0] == '#')  // the function's code hash, not a call
        code_[functions[i].key].insert(c.substr(1));
      else
        calls.push_back(std::move(c));
    }
    // Inline functions come once per translation unit that uses them.
    std::sort(calls.begin(), calls.end());
    calls.erase(std::unique(calls.begin(), calls.end()), calls.end());
  }
}

bool LoopRoles::walk_calls(
    const std::string& name,
    const std::function<bool(const std::string&, const std::vector<std::string>*)>& visit) const {
  auto rows = loops_.find(name);
  if (rows == loops_.end()) return false;
  std::vector<std::string> work;
  for (const LoopCalls& row : rows->second)
    work.insert(work.end(), row.calls.begin(), row.calls.end());
  std::set<std::string> seen;
  while (!work.empty()) {
    std::string c = std::move(work.back());
    work.pop_back();
    if (c.empty() || c[0] == '!' || !seen.insert(c).second) continue;
    if (c.compare(0, kVirtual.size(), kVirtual) == 0) {  // every function of that name
      const std::string_view method = std::string_view(c).substr(kVirtual.size());
      for (const auto& [key, calls] : functions_)
        if (last_component(key) == method) work.push_back(key);
      continue;
    }
    auto f = functions_.find(c);  // none: "*", or a function no instrumented file defines
    if (visit(c, f == functions_.end() ? nullptr : &f->second)) return true;
    if (f != functions_.end()) work.insert(work.end(), f->second.begin(), f->second.end());
  }
  return false;
}

std::string LoopRoles::hidden_effect(const std::string& name, std::string_view tu) const {
  std::string found;
  walk_calls(name, [&](const std::string& key, const std::vector<std::string>* calls) {
    if (!calls) return false;
    for (const std::string& e : *calls) {
      if (e.empty() || e[0] != '!') continue;
      const std::size_t colon = e.find(':');
      if (colon == std::string::npos || std::string_view(e).substr(1, colon - 1) == tu) continue;
      found = e.substr(colon + 1) + " (in " + key + ", another file)";
      return true;
    }
    return false;
  });
  return found;
}

std::string LoopRoles::callee_code(const std::string& name) const {
  std::set<std::string> hashes;  // "key=hash", sorted
  walk_calls(name, [&](const std::string& key, const std::vector<std::string>*) {
    if (auto code = code_.find(key); code != code_.end())
      for (const std::string& h : code->second) hashes.insert(key + "=" + h);
    return false;
  });
  if (hashes.empty()) return "";
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the sorted list
  for (const std::string& s : hashes)
    for (const char ch : s + ";") h = (h ^ std::uint8_t(ch)) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

LoopRoles::Reach LoopRoles::reaches(const std::vector<std::string>& calls,
                                    const Reaching& r) const {
  Reach out = kNo;
  for (const std::string& c : calls) {
    if (!c.empty() && c[0] == '!') continue;  // an effect, not a call
    if (c.compare(0, kVirtual.size(), kVirtual) == 0) {
      if (r.names.count(c.substr(kVirtual.size()))) return kYes;
    } else if (r.keys.count(c)) {
      return kYes;
    } else if (c == kAnything || !functions_.count(c)) {
      out = kMaybe;  // anything, or a function pl did not see
    }
  }
  return out;
}

LoopRoles::Reaching LoopRoles::reaching(const std::vector<std::string>& selectors) const {
  Reaching r;
  auto add = [&r](const std::string& key) {
    r.keys.insert(key);
    r.names.insert(std::string(last_component(key)));
  };
  for (const auto& [name, rows] : loops_)
    if (any_matches(selectors, name))
      for (const LoopCalls& row : rows)
        if (!row.function.empty()) add(row.function);
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [key, calls] : functions_)
      if (!r.keys.count(key) && reaches(calls, r) != kNo) {
        add(key);
        changed = true;
      }
  }
  return r;
}

std::set<std::string> LoopRoles::enclosing(const std::vector<std::string>& selectors,
                                           bool direct) const {
  std::set<std::string> out;
  if (selectors.empty()) return out;
  const Reaching r = reaching(selectors);
  for (const auto& [name, rows] : loops_) {
    Reach calls = kNo;
    for (const LoopCalls& row : rows) calls = std::max(calls, reaches(row.calls, r));
    if (direct) {
      if (calls == kYes) out.insert(name);
      continue;
    }
    if (calls == kNo && !any_matches(selectors, name)) continue;
    out.insert(name);
    // The loops of the same function around it: "f/a" and "f" around "f/a/b".
    for (std::size_t cut = name.rfind('/'); cut != std::string::npos && cut > 0;
         cut = name.rfind('/', cut - 1)) {
      auto outer = loops_.find(name.substr(0, cut));
      if (outer == loops_.end()) continue;
      for (const LoopCalls& o : outer->second)
        for (const LoopCalls& row : rows)
          if (o.function == row.function) out.insert(outer->first);
    }
  }
  return out;
}

void LoopRoles::compute(const std::vector<std::string>& watched,
                        const std::vector<std::string>& kept) {
  const std::set<std::string> for_hooks = enclosing(watched, false);
  const std::set<std::string> for_policies = enclosing(kept, false);
  const std::set<std::string> begin_state = enclosing(kept, true);
  roles_.clear();
  for (const auto& [name, rows] : loops_) {
    std::uint8_t role = 0;
    if (for_hooks.count(name)) role |= kRoleTracked;
    if (for_policies.count(name)) role |= kRoleTracked | kRoleCheckpointed;
    if (begin_state.count(name)) role |= kRoleTracked | kRoleCheckpointed | kRoleBeginState;
    roles_[name] = role;
  }
  unknown_ = kRoleUnknown;
  if (!watched.empty()) unknown_ |= kRoleTracked;
  if (!kept.empty()) unknown_ |= kRoleTracked | kRoleCheckpointed;
}

std::uint8_t LoopRoles::of(std::string_view name) const {
  auto it = roles_.find(std::string(name));
  return it == roles_.end() ? unknown_ : it->second;
}

}  // namespace pl::detail
