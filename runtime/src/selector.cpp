// Glob matching of selectors against full loop names.
//
// `*` matches any run of characters except '/', `**` any run including '/',
// `?` one character other than '/'. A selector may list alternatives
// separated by ',' ("*/epoch,*/batch"). Matching runs when hooks or sites
// appear, never per event, so plain backtracking is fine.
#include <pl/pl.h>

namespace pl {
namespace {

bool glob(std::string_view p, std::string_view s) {
  if (p.empty()) return s.empty();
  if (p.substr(0, 2) == "**") {
    std::string_view rest = p.substr(2);
    for (std::size_t i = 0; i <= s.size(); ++i)
      if (glob(rest, s.substr(i))) return true;
    return false;
  }
  if (p[0] == '*') {
    for (std::size_t i = 0; i <= s.size(); ++i) {
      if (glob(p.substr(1), s.substr(i))) return true;
      if (i < s.size() && s[i] == '/') return false;
    }
    return false;
  }
  if (s.empty()) return false;
  if (p[0] == '?' ? s[0] == '/' : p[0] != s[0]) return false;
  return glob(p.substr(1), s.substr(1));
}

}  // namespace

bool selector_matches(std::string_view selector, std::string_view full_name) {
  while (true) {
    std::size_t comma = selector.find(',');
    std::string_view alt = selector.substr(0, comma);
    while (!alt.empty() && alt.front() == ' ') alt.remove_prefix(1);
    while (!alt.empty() && alt.back() == ' ') alt.remove_suffix(1);
    if (!alt.empty() && glob(alt, full_name)) return true;
    if (comma == std::string_view::npos) return false;
    selector.remove_prefix(comma + 1);
  }
}

}  // namespace pl
