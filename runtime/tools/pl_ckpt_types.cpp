// pl-ckpt: the payload encoding a C++ type spelling implies; see pl_ckpt_types.h.
#include "pl_ckpt_types.h"

#include <charconv>
#include <initializer_list>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace pl::ckpt {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "const T", "T const" -> "T".
std::string_view strip_cv(std::string_view t) {
  for (t = trim(t);; t = trim(t)) {
    if (starts_with(t, "const "))
      t.remove_prefix(6);
    else if (starts_with(t, "volatile "))
      t.remove_prefix(9);
    else if (t.size() > 6 && t.substr(t.size() - 6) == " const")
      t.remove_suffix(6);
    else
      return t;
  }
}

// The top-level template arguments when `type` is exactly `name<...>`.
std::optional<std::vector<std::string_view>> template_args(std::string_view type,
                                                           std::string_view name) {
  type = strip_cv(type);
  if (type.size() < name.size() + 2 || !starts_with(type, name) || type[name.size()] != '<' ||
      type.back() != '>')
    return std::nullopt;
  std::string_view inner = type.substr(name.size() + 1, type.size() - name.size() - 2);
  std::vector<std::string_view> args;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    char c = inner[i];
    if (c == '<' || c == '(') ++depth;
    if (c == '>' || c == ')') --depth;
    if (depth < 0) return std::nullopt;
    if (c == ',' && depth == 0) {
      args.push_back(trim(inner.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0) return std::nullopt;
  args.push_back(trim(inner.substr(start)));
  return args;
}

std::optional<std::vector<std::string_view>> template_args_of_any(
    std::string_view type, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names)
    if (auto args = template_args(type, name)) return args;
  return std::nullopt;
}

// std::uint64_t, int32_t, std::size_t, Eigen::Index, ...
std::optional<Scalar> typedef_scalar(std::string_view t) {
  if (t == "Eigen::Index") return Scalar{Scalar::kSigned, sizeof(std::ptrdiff_t)};
  if (starts_with(t, "std::")) t.remove_prefix(5);
  if (t == "size_t" || t == "uintptr_t" || t == "uintmax_t")
    return Scalar{Scalar::kUnsigned, sizeof(std::size_t)};
  if (t == "ptrdiff_t" || t == "ssize_t" || t == "intptr_t" || t == "intmax_t")
    return Scalar{Scalar::kSigned, sizeof(std::ptrdiff_t)};
  bool is_unsigned = starts_with(t, "u");
  if (is_unsigned) t.remove_prefix(1);
  for (std::size_t bits : {8, 16, 32, 64})
    if (t == "int" + std::to_string(bits) + "_t")
      return Scalar{is_unsigned ? Scalar::kUnsigned : Scalar::kSigned, bits / 8};
  return std::nullopt;
}

// Fundamental types in any spelling: "long unsigned int", "unsigned long", "long double".
std::optional<Scalar> fundamental_scalar(std::string_view t) {
  int longs = 0, shorts = 0, signeds = 0, unsigneds = 0, ints = 0, chars = 0;
  std::string_view base;  // bool, float, double, wchar_t, char8/16/32_t
  for (std::size_t i = 0; i < t.size();) {
    std::size_t end = t.find(' ', i);
    if (end == std::string_view::npos) end = t.size();
    std::string_view w = t.substr(i, end - i);
    i = end + 1;
    if (w.empty()) continue;
    if (w == "long")
      ++longs;
    else if (w == "short")
      ++shorts;
    else if (w == "signed")
      ++signeds;
    else if (w == "unsigned")
      ++unsigneds;
    else if (w == "int")
      ++ints;
    else if (w == "char")
      ++chars;
    else if (base.empty() && (w == "bool" || w == "float" || w == "double" || w == "wchar_t" ||
                              w == "char8_t" || w == "char16_t" || w == "char32_t"))
      base = w;
    else
      return std::nullopt;
  }
  int modifiers = shorts + signeds + unsigneds + ints + chars;
  if (!base.empty()) {
    if (modifiers > 0 || longs > (base == "double" ? 1 : 0)) return std::nullopt;
    if (base == "bool") return Scalar{Scalar::kBool, 1};
    if (base == "float") return Scalar{Scalar::kFloat, sizeof(float)};
    if (base == "double") return Scalar{Scalar::kFloat, longs ? sizeof(long double) : 8};
    if (base == "wchar_t") return Scalar{Scalar::kSigned, sizeof(wchar_t)};
    return Scalar{Scalar::kUnsigned, base == "char8_t" ? 1u : base == "char16_t" ? 2u : 4u};
  }
  if (modifiers + longs == 0 || signeds + unsigneds > 1 || ints > 1 || chars > 1 || shorts > 1 ||
      longs > 2 || (shorts && longs))
    return std::nullopt;
  Scalar::Kind kind = unsigneds ? Scalar::kUnsigned : Scalar::kSigned;
  if (chars) {
    if (shorts || longs || ints) return std::nullopt;
    return Scalar{signeds + unsigneds ? kind : Scalar::kChar, 1};
  }
  std::size_t size = shorts       ? sizeof(short)
                     : longs == 1 ? sizeof(long)
                     : longs == 2 ? sizeof(long long)
                                  : sizeof(int);
  return Scalar{kind, size};
}

std::optional<Scalar> scalar_type(std::string_view type) {
  std::string_view t = strip_cv(type);
  if (auto s = typedef_scalar(t)) return s;
  return fundamental_scalar(t);
}

// The scalar of an Eigen dense matrix or array type, in template or alias spelling.
std::optional<Scalar> eigen_scalar(std::string_view type) {
  if (auto args = template_args_of_any(
          type, {"Eigen::Matrix", "Eigen::Array", "Eigen::Vector", "Eigen::RowVector"}))
    return scalar_type(args->front());
  static const std::regex kAlias(
      "Eigen::(Matrix|Array|Vector|RowVector)(X|[2-4])?(X|[2-4])?([fdi])");
  std::string t(strip_cv(type));
  std::smatch m;
  if (!std::regex_match(t, m, kAlias)) return std::nullopt;
  char s = m[4].str()[0];
  if (s == 'f') return Scalar{Scalar::kFloat, sizeof(float)};
  if (s == 'd') return Scalar{Scalar::kFloat, sizeof(double)};
  return Scalar{Scalar::kSigned, sizeof(int)};
}

bool is_string_type(std::string_view type) {
  std::string_view t = strip_cv(type);
  if (t == "std::string" || t == "std::__cxx11::string") return true;
  auto args = template_args_of_any(t, {"std::basic_string", "std::__cxx11::basic_string"});
  return args && args->front() == "char";
}

// Random engines and distributions are saved as their text state (a string).
const char* text_state_kind(std::string_view type) {
  std::string_view t = strip_cv(type);
  static const std::regex kEngine(
      "std::(mt19937(_64)?|minstd_rand0?|ranlux(24|48)(_base)?|knuth_b|default_random_engine|"
      "\\w+_engine<.*>)");
  static const std::regex kDistribution("std::\\w+_distribution<.*>");
  std::string s(t);
  if (std::regex_match(s, kEngine)) return "engine";
  if (std::regex_match(s, kDistribution)) return "distribution";
  return nullptr;
}

}  // namespace

Encoding encoding_of(std::string_view type) {
  if (auto s = scalar_type(type)) return {Encoding::kScalar, *s};
  if (auto s = eigen_scalar(type)) return {Encoding::kEigen, *s};
  if (auto args = template_args_of_any(
          type, {"std::vector", "std::deque", "std::list", "std::__cxx11::list"}))
    if (auto s = scalar_type(args->front())) return {Encoding::kSequence, *s};
  if (auto args = template_args(type, "std::array"); args && args->size() == 2) {
    std::uint64_t n = 0;
    std::string_view count = (*args)[1];
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), n);
    auto s = scalar_type(args->front());
    if (s && error == std::errc() && end == count.data() + count.size())
      return {Encoding::kFixedArray, *s, n};
  }
  if (is_string_type(type)) return {Encoding::kString};
  if (const char* kind = text_state_kind(type))
    return {kind[0] == 'e' ? Encoding::kEngineText : Encoding::kDistributionText};
  if (strip_cv(type) == "pl::FileOffset") return {Encoding::kFileOffset};
  return {};
}

}  // namespace pl::ckpt
