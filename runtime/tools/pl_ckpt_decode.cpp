// pl-ckpt: payload decoding; see pl_ckpt_decode.h.
#include "pl_ckpt_decode.h"

#include <pl/serialize.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <type_traits>

#include "pl_ckpt_types.h"
#include "scalar_kinds.h"

namespace pl::ckpt {
namespace {

template <class T>
std::string shortest(T v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

abi::ScalarKind kind_of(Scalar s) {
  static_assert(int(Scalar::kSigned) == int(detail::ScalarCategory::kSigned) &&
                int(Scalar::kUnsigned) == int(detail::ScalarCategory::kUnsigned) &&
                int(Scalar::kFloat) == int(detail::ScalarCategory::kFloat) &&
                int(Scalar::kBool) == int(detail::ScalarCategory::kBool) &&
                int(Scalar::kChar) == int(detail::ScalarCategory::kChar));
  return detail::scalar_kind(static_cast<detail::ScalarCategory>(s.kind), s.size);
}

double scalar_value(Scalar s, const unsigned char* p) {
  double out = 0;
  detail::with_scalar_type(kind_of(s), [&](auto tag) {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::is_same_v<T, bool>)
      out = p[0] != 0;
    else
      out = double(v);
  });
  return out;
}

std::string scalar_text(Scalar s, const unsigned char* p) {
  std::string out = "?";
  detail::with_scalar_type(kind_of(s), [&](auto tag) {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::is_same_v<T, bool>)
      out = p[0] ? "true" : "false";
    else if constexpr (std::is_same_v<T, char>)
      out = p[0] >= 0x20 && p[0] < 0x7f
                ? "'" + std::string(1, v) + "' (" + std::to_string(int(v)) + ")"
                : std::to_string(int(v));
    else if constexpr (std::is_floating_point_v<T>)
      out = shortest(v);
    else if constexpr (std::is_signed_v<T>)
      out = std::to_string(std::int64_t(v));
    else
      out = std::to_string(std::uint64_t(v));
  });
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// An arithmetic value, an Eigen matrix or a sequence of arithmetic values,
// pointing into the payload it was decoded from.
struct Numbers {
  enum Shape { kScalar, kMatrix, kSequence } shape = kScalar;
  Scalar scalar{};
  std::uint64_t rows = 1, cols = 1;
  const unsigned char* data = nullptr;

  std::size_t count() const { return std::size_t(rows * cols); }
  double at(std::size_t i) const { return scalar_value(scalar, data + i * scalar.size); }
  std::string text(std::size_t i) const { return scalar_text(scalar, data + i * scalar.size); }
  std::string shape_text() const {
    return shape == kMatrix ? std::to_string(rows) + " x " + std::to_string(cols)
                            : std::to_string(rows) + " elements";
  }
};

// Whether `n` elements of `size` bytes fill exactly the `left` bytes.
bool fills(std::uint64_t n, std::size_t size, std::size_t left) {
  return n <= left / size && n * size == left;
}

std::uint64_t u64_at(const Bytes& payload, std::size_t offset) {
  return pl::Reader(payload.data() + offset, 8).u64();
}

std::optional<Numbers> decode_numbers(const Encoding& e, const Bytes& payload) {
  const std::size_t size = payload.size(), scalar = e.scalar.size;
  switch (e.kind) {
    case Encoding::kScalar:
      if (size != scalar) return std::nullopt;
      return Numbers{Numbers::kScalar, e.scalar, 1, 1, payload.data()};
    case Encoding::kEigen: {
      if (size < 16) return std::nullopt;
      Numbers n{Numbers::kMatrix, e.scalar, u64_at(payload, 0), u64_at(payload, 8),
                payload.data() + 16};
      bool fit = n.rows == 0 ? size == 16
                             : n.cols <= (size - 16) / scalar / n.rows &&
                                   fills(n.rows * n.cols, scalar, size - 16);
      return fit ? std::optional(n) : std::nullopt;
    }
    case Encoding::kSequence:
      if (size < 8 || !fills(u64_at(payload, 0), scalar, size - 8)) return std::nullopt;
      return Numbers{Numbers::kSequence, e.scalar, u64_at(payload, 0), 1, payload.data() + 8};
    case Encoding::kFixedArray:
      if (!fills(e.length, scalar, size)) return std::nullopt;
      return Numbers{Numbers::kSequence, e.scalar, e.length, 1, payload.data()};
    default:
      return std::nullopt;
  }
}

std::string matrix_summary(const Numbers& n) {
  std::string shape = n.shape_text();
  if (n.count() == 0) return shape + " (empty)";
  double lo = INFINITY, hi = -INFINITY, sum = 0, squares = 0;
  std::size_t nans = 0;
  for (std::size_t i = 0; i < n.count(); ++i) {
    double v = n.at(i);
    if (std::isnan(v)) {
      ++nans;
      continue;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
    squares += v * v;
  }
  if (nans == n.count()) return shape + ", all NaN";
  std::string s = shape + ", " + number(lo) + " .. " + number(hi) + ", mean " +
                  number(sum / double(n.count() - nans)) + ", L2 norm " +
                  number(std::sqrt(squares));
  return nans ? s + ", " + std::to_string(nans) + " NaN" : s;
}

std::string sequence_summary(const Numbers& n) {
  constexpr std::size_t kFirst = 4;
  std::size_t count = n.count();
  std::string s = std::to_string(count) + (count == 1 ? " element" : " elements");
  for (std::size_t i = 0; i < count && i < kFirst; ++i) s += (i ? ", " : ": ") + n.text(i);
  if (count > kFirst + 1) s += ", ...";
  if (count > kFirst) s += ", " + n.text(count - 1);
  return s;
}

std::string numbers_summary(const Numbers& n) {
  if (n.shape == Numbers::kScalar) return n.text(0);
  if (n.shape == Numbers::kMatrix) return matrix_summary(n);
  return sequence_summary(n);
}

std::optional<std::string> decode_string(const Bytes& payload) {
  if (payload.size() < 8) return std::nullopt;
  std::uint64_t n = pl::Reader(payload.data(), 8).u64();
  if (n != payload.size() - 8) return std::nullopt;
  return std::string(payload.begin() + 8, payload.end());
}

std::string quoted(const std::string& text) {
  constexpr std::size_t kMax = 60;
  std::string s = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\')
      s += std::string("\\") + char(c);
    else if (c == '\n')
      s += "\\n";
    else if (c == '\t')
      s += "\\t";
    else if (c < 0x20 || c == 0x7f)
      s += "\\x" + std::string(1, "0123456789abcdef"[c >> 4]) + "0123456789abcdef"[c & 15];
    else
      s += char(c);
  }
  s += '"';
  if (text.size() > kMax) s += "... (" + std::to_string(text.size()) + " chars)";
  return s;
}

std::string words_of(const std::string& text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return std::to_string(words) + (words == 1 ? " word" : " words");
}

std::string bytes_summary(const Bytes& payload) {
  constexpr std::size_t kShown = 16;
  std::string s = std::to_string(payload.size()) + " bytes";
  for (std::size_t i = 0; i < payload.size() && i < kShown; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02x", payload[i]);
    s += (i ? " " : ": ") + std::string(hex);
  }
  return payload.size() > kShown ? s + " ..." : s;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string text_state_name(const Encoding& e) {
  return e.kind == Encoding::kEngineText ? "engine" : "distribution";
}

std::string runtime_record_summary(std::string_view name, const Bytes& payload) {
  if (name == detail::kMetaRecord) {
    Meta m = decode_meta(payload);
    return "sequence " + std::to_string(m.sequence) + ", " + m.reason + ", " +
           format_time(m.time_ns);
  }
  if (name == detail::kPositionRecord) {
    auto position = decode_position(payload);
    return std::to_string(position.size()) + " entries: " + position_summary(position);
  }
  if (name == detail::kTripsRecord) {
    std::string s;
    for (std::int64_t t : detail::decode_trips(payload))
      s += (s.empty() ? "" : ", ") + (t < 0 ? std::string("?") : std::to_string(t));
    return "trip counts " + (s.empty() ? std::string("none") : s);
  }
  auto completed = decode_completed(payload);
  return completed.empty() ? "none" : std::to_string(completed.size()) + " completed loops";
}

}  // namespace

std::string role_in_words(const PositionEntry& entry) {
  switch (entry.role) {
    case detail::kOtherFrame:
      return "enclosing loop in another function (its begin state is saved)";
    case detail::kSameFrame:
      return "enclosing loop in the same function";
    case detail::kHere:
      return "the checkpointed loop, at the end of iteration " +
             std::to_string(shown_iteration(entry));
    case detail::kExited:
      return "the checkpointed loop, after it exited (" + std::to_string(entry.iterations) +
             " iterations)";
  }
  return "unknown role " + std::to_string(entry.role);
}

std::string position_summary(const std::vector<PositionEntry>& position) {
  std::string s;
  for (const PositionEntry& e : position) {
    if (!s.empty()) s += " > ";
    s += e.site;
    if (e.activation != 0) s += " (activation " + std::to_string(e.activation) + ")";
    s += ' ';
    s += std::to_string(shown_iteration(e));  // (not " " + ...: a GCC 12 -Wrestrict false positive)
    if (e.role == detail::kExited) s += " (exited)";
  }
  return s.empty() ? "-" : s;
}

std::string format_time(std::uint64_t time_ns) {
  std::time_t seconds = static_cast<std::time_t>(time_ns / 1000000000u);
  std::tm local{};
  char buf[32];
  if (time_ns == 0 || !localtime_r(&seconds, &local) ||
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local) == 0)
    return "-";
  return buf;
}

std::string summarize(std::string_view name, std::string_view type, const Bytes& payload) {
  if (detail::is_runtime_record(name)) {
    try {
      return runtime_record_summary(name, payload);
    } catch (const FormatError& e) {
      return bytes_summary(payload) + " (malformed: " + e.what() + ")";
    }
  }
  Encoding e = encoding_of(type);
  if ((e.kind == Encoding::kFileOffset || starts_with(name, detail::kExtraPrefix)) && payload.size() == 8)
    return "offset " + std::to_string(u64_at(payload, 0));
  if (auto n = decode_numbers(e, payload)) return numbers_summary(*n);
  if (e.kind == Encoding::kString)
    if (auto text = decode_string(payload)) return quoted(*text);
  if (e.kind == Encoding::kEngineText || e.kind == Encoding::kDistributionText)
    if (auto text = decode_string(payload))
      return text_state_name(e) + " state (" + words_of(*text) + ")";
  return bytes_summary(payload);
}

namespace {

std::string numbers_difference(const Numbers& a, const Numbers& b) {
  if (a.shape == Numbers::kScalar)
    return a.text(0) + " -> " + b.text(0) + " (abs diff " + number(std::fabs(a.at(0) - b.at(0))) +
           ")";
  if (a.rows != b.rows || a.cols != b.cols)
    return (a.shape == Numbers::kMatrix ? "shape " : "length ") + a.shape_text() + " -> " +
           b.shape_text();
  double max_diff = 0;
  std::size_t where = 0, differing = 0;
  for (std::size_t i = 0; i < a.count(); ++i) {
    double x = a.at(i), y = b.at(i);
    if (x == y || (std::isnan(x) && std::isnan(y))) continue;
    ++differing;
    double d = std::isnan(x - y) ? INFINITY : std::fabs(x - y);
    if (differing == 1 || d > max_diff) max_diff = d, where = i;
  }
  if (differing == 0) return "same numbers, different bytes (NaN payloads or -0)";
  std::string at = a.shape == Numbers::kMatrix ? "(" + std::to_string(where % a.rows) + ", " +
                                                     std::to_string(where / a.rows) + ")"
                                               : "[" + std::to_string(where) + "]";
  return "max abs diff " + number(max_diff) + " at " + at + ", " + std::to_string(differing) +
         " of " + std::to_string(a.count()) + " elements differ";
}

}  // namespace

std::string describe_difference(std::string_view type, const Bytes& a, const Bytes& b) {
  Encoding e = encoding_of(type);
  auto na = decode_numbers(e, a), nb = decode_numbers(e, b);
  if (na && nb) return numbers_difference(*na, *nb);
  if (e.kind == Encoding::kString) {
    auto sa = decode_string(a), sb = decode_string(b);
    if (sa && sb) return quoted(*sa) + " -> " + quoted(*sb);
  }
  if (e.kind == Encoding::kEngineText || e.kind == Encoding::kDistributionText)
    return text_state_name(e) + " state differs";
  if (e.kind == Encoding::kFileOffset && a.size() == 8 && b.size() == 8)
    return "offset " + std::to_string(u64_at(a, 0)) + " -> " + std::to_string(u64_at(b, 0));
  std::size_t common = std::min(a.size(), b.size()), at = 0;
  while (at < common && a[at] == b[at]) ++at;
  return "first differing byte at offset " + std::to_string(at);
}

}  // namespace pl::ckpt
