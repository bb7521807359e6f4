// pl/serialize.h — data-only serialization of checkpoint state.
//
// A value is written as bytes (little-endian arithmetic, lengths as u64) and
// read back into an existing object of the same type. Nothing in a stream
// can make the reader run code or allocate without bound: every length is
// checked against the bytes that remain before anything is allocated.
//
// Built in: arithmetic types, enums, std::string, the standard containers
// and wrappers listed in pl/detail/saveable_types.def, C arrays, Eigen dense
// matrices and arrays (any scalar and shape, detected without including
// Eigen), and the standard random engines and distributions (their exact
// state, through their text form).
//
// Aggregates (plain structs of saveable fields) are saved field by field
// without any help. Other user types, one customization point found by ADL,
// used for both directions:
//
//   struct Net { Eigen::MatrixXf W; float lr; };
//   template <class Archive> void pl_serialize(Archive& ar, Net& n) { ar(n.W, n.lr); }
#ifndef PL_SERIALIZE_H
#define PL_SERIALIZE_H

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace pl {

// A stream that does not hold what the reader expects (truncated, corrupt,
// or written for another type).
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Writer {
 public:
  enum Mode { kStore, kCountOnly };
  explicit Writer(Mode mode = kStore) : count_only_(mode == kCountOnly) {}
  void bytes(const void* p, std::size_t n) {
    counted_ += n;
    if (count_only_) return;
    const auto* b = static_cast<const unsigned char*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  // Bytes written (or counted) so far.
  std::size_t size() const { return counted_; }
  void u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(b, 8);
  }
  template <class... T>
  void operator()(const T&... values);
  const std::vector<unsigned char>& data() const { return out_; }
  std::vector<unsigned char> take() {
    counted_ = 0;
    return std::move(out_);
  }
  // Appends to `out` instead of a buffer of its own (one snapshot buffer for
  // many variables).
  void reset(std::vector<unsigned char>&& out) {
    out_ = std::move(out);
    counted_ = out_.size();
  }

 private:
  std::vector<unsigned char> out_;
  std::size_t counted_ = 0;
  bool count_only_ = false;
};

class Reader {
 public:
  Reader(const unsigned char* data, std::size_t size) : p_(data), end_(data + size) {}
  void bytes(void* p, std::size_t n) {
    need(n);
    std::memcpy(p, p_, n);
    p_ += n;
  }
  std::uint64_t u64() {
    unsigned char b[8];
    bytes(b, 8);
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | b[i];
    return v;
  }
  // A count of elements of at least `min_bytes` each: bounded by what is left.
  std::size_t count(std::size_t min_bytes) {
    std::uint64_t n = u64();
    if (min_bytes > 0 && n > remaining() / min_bytes)
      throw FormatError("pl: a length of " + std::to_string(n) + " exceeds the " +
                        std::to_string(remaining()) + " bytes left in the record");
    return static_cast<std::size_t>(n);
  }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  template <class... T>
  void operator()(T&... values);

 private:
  void need(std::size_t n) const {
    if (n > remaining())
      throw FormatError("pl: record truncated: needs " + std::to_string(n) + " more bytes, has " +
                        std::to_string(remaining()));
  }
  const unsigned char* p_;
  const unsigned char* end_;
};

namespace serial {

template <class T, class = void>
struct IsEigenDense : std::false_type {};
template <class T>
struct IsEigenDense<
    T,
    std::void_t<typename T::Scalar, decltype(T::RowsAtCompileTime), decltype(T::ColsAtCompileTime),
                decltype(std::declval<T&>().resize(1, 1)), decltype(std::declval<T&>().data())>>
    : std::is_arithmetic<typename T::Scalar> {};

template <class T>
struct IsEngine : std::false_type {};
template <class U, U a, U c, U m>
struct IsEngine<std::linear_congruential_engine<U, a, c, m>> : std::true_type {};
template <class U, std::size_t w, std::size_t n, std::size_t m, std::size_t r, U a, std::size_t u,
          U d, std::size_t s, U b, std::size_t t, U c, std::size_t l, U f>
struct IsEngine<std::mersenne_twister_engine<U, w, n, m, r, a, u, d, s, b, t, c, l, f>>
    : std::true_type {};
template <class U, std::size_t w, std::size_t s, std::size_t r>
struct IsEngine<std::subtract_with_carry_engine<U, w, s, r>> : std::true_type {};
template <class E, std::size_t p, std::size_t r>
struct IsEngine<std::discard_block_engine<E, p, r>> : std::true_type {};
template <class E, std::size_t w, class U>
struct IsEngine<std::independent_bits_engine<E, w, U>> : std::true_type {};
template <class E, std::size_t k>
struct IsEngine<std::shuffle_order_engine<E, k>> : std::true_type {};

// Standard distributions: they have a param_type and stream their state.
template <class T, class = void>
struct IsDistribution : std::false_type {};
template <class T>
struct IsDistribution<T, std::void_t<typename T::param_type, typename T::result_type,
                                     decltype(std::declval<std::ostream&>() << std::declval<T&>())>>
    : std::true_type {};

template <class T, class = void>
struct HasUserSerialize : std::false_type {};
template <class T>
struct HasUserSerialize<
    T, std::void_t<decltype(pl_serialize(std::declval<Writer&>(), std::declval<T&>()))>>
    : std::true_type {};

template <class T>
inline constexpr bool kTextState = IsEngine<T>::value || IsDistribution<T>::value;

// Aggregates without a pl_serialize (`struct Net { Eigen::MatrixXf W1, W2; float lr; };`)
// are saved field by field, in declaration order, through structured
// bindings. The field count is found by aggregate initialization with
// placeholders; pl-instrument only lets aggregates of up to 16 fields, with
// no base classes, bit-fields, references or C-array members, reach this.
struct AnyField {
  template <class U>
  operator U() const;  // declared only: used in unevaluated contexts
};
template <class T, class Seq, class = void>
struct InitsWith : std::false_type {};
template <class T, std::size_t... I>
struct InitsWith<T, std::index_sequence<I...>, std::void_t<decltype(T{(void(I), AnyField{})...})>>
    : std::true_type {};
template <class T, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (N > 16)
    return N;
  else if constexpr (InitsWith<T, std::make_index_sequence<N + 1>>::value)
    return field_count<T, N + 1>();
  else
    return N;
}

template <class T>
struct IsStdArray : std::false_type {};
template <class T, std::size_t N>
struct IsStdArray<std::array<T, N>> : std::true_type {};

template <class T>
inline constexpr bool kReflected = std::is_aggregate_v<T> && std::is_class_v<T> &&
                                   !std::is_union_v<T> && !IsStdArray<T>::value &&
                                   !HasUserSerialize<T>::value;

template <class T, class F>
void for_fields(T& x, F&& f) {
  constexpr std::size_t n = field_count<std::remove_const_t<T>>();
  static_assert(n >= 1 && n <= 16,
                "pl: an aggregate is saved field by field, for 1 to 16 fields; give this type a "
                "pl_serialize(ar, x) instead");
  if constexpr (n == 1) {
    auto& [f0] = x;
    f(f0);
  }
  else if constexpr (n == 2) {
    auto& [f0, f1] = x;
    f(f0, f1);
  }
  else if constexpr (n == 3) {
    auto& [f0, f1, f2] = x;
    f(f0, f1, f2);
  }
  else if constexpr (n == 4) {
    auto& [f0, f1, f2, f3] = x;
    f(f0, f1, f2, f3);
  }
  else if constexpr (n == 5) {
    auto& [f0, f1, f2, f3, f4] = x;
    f(f0, f1, f2, f3, f4);
  }
  else if constexpr (n == 6) {
    auto& [f0, f1, f2, f3, f4, f5] = x;
    f(f0, f1, f2, f3, f4, f5);
  }
  else if constexpr (n == 7) {
    auto& [f0, f1, f2, f3, f4, f5, f6] = x;
    f(f0, f1, f2, f3, f4, f5, f6);
  }
  else if constexpr (n == 8) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7);
  }
  else if constexpr (n == 9) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8);
  }
  else if constexpr (n == 10) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9);
  }
  else if constexpr (n == 11) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10);
  }
  else if constexpr (n == 12) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11);
  }
  else if constexpr (n == 13) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12);
  }
  else if constexpr (n == 14) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13);
  }
  else if constexpr (n == 15) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14);
  }
  else if constexpr (n == 16) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15);
  }
}

// Whether save/load accept T, decided without instantiating them: what
// pl-instrument's state-types pass decides from the source, for the types it
// only learns when a template is instantiated (abi::maybe_state_var). It
// follows save()'s dispatch order. Elements that loading creates (container
// elements, optional/variant/unique_ptr contents) must also be default
// constructible, and cv-qualified or reference elements cannot be loaded
// into. An aggregate's fields cannot be listed by a trait, so any aggregate
// of 1 to 16 fields is accepted; pl-instrument checks the fields of the
// ones it sees.
template <class T>
struct Saveable;
template <class T>
inline constexpr bool kSaveable = Saveable<T>::value;

template <class E>
inline constexpr bool kSaveableElement = !std::is_const_v<E> && !std::is_volatile_v<E> &&
                                         !std::is_reference_v<E> && kSaveable<E>;
template <class E>
inline constexpr bool kCreatable = kSaveableElement<E> && std::is_default_constructible_v<E>;

// Eigen's plain matrices and arrays (and classes deriving from them), not
// Map, Ref, Block or other expressions, which have a PlainObject but are not one.
template <class T, class = void>
struct IsEigenPlain : std::false_type {};
template <class T>
struct IsEigenPlain<T, std::void_t<typename T::PlainObject>>
    : std::bool_constant<IsEigenDense<T>::value && std::is_base_of_v<typename T::PlainObject, T>> {
};

template <class T>
struct SaveableBuiltin : std::false_type {};
template <>
struct SaveableBuiltin<std::string> : std::true_type {};
// The standard templates, from the one list of them.
template <class... E>
inline constexpr bool kRuleCreated = (kCreatable<E> && ...);
template <class... E>
inline constexpr bool kRuleElements = (kSaveableElement<E> && ...);
template <class E>
inline constexpr bool kRuleOwned = !std::is_array_v<E> && kCreatable<E>;
#define PL_UNPAREN_(...) __VA_ARGS__
#define PL_SAVEABLE_STD(name, rule, count, params, args, checked) \
  template <PL_UNPAREN_ params>                                   \
  struct SaveableBuiltin<std::name<PL_UNPAREN_ args>>             \
      : std::bool_constant<kRule##rule<PL_UNPAREN_ checked>> {};
#include <pl/detail/saveable_types.def>
#undef PL_UNPAREN_

template <class T>
constexpr bool saveable() {
  if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>)
    return true;
  else if constexpr (std::is_array_v<T>)
    return std::extent_v<T> != 0 && kSaveableElement<std::remove_extent_t<T>>;
  else if constexpr (kTextState<T>)
    return true;
  else if constexpr (IsEigenDense<T>::value)
    return IsEigenPlain<T>::value;
  else if constexpr (HasUserSerialize<T>::value)
    return true;
  else if constexpr (kReflected<T>)
    return field_count<T>() >= 1 && field_count<T>() <= 16;
  else
    return SaveableBuiltin<T>::value;
}

template <class T>
struct Saveable : std::bool_constant<saveable<T>()> {};

}  // namespace serial

template <class T>
void save(Writer& w, const T& v);
template <class T>
void load(Reader& r, T& v);

namespace serial {

template <class C>
void save_range(Writer& w, const C& c) {
  w.u64(c.size());
  for (const auto& e : c) save(w, e);
}

}  // namespace serial

template <class T>
void save(Writer& w, const T& v) {
  if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    w.bytes(b, sizeof(T));
  } else if constexpr (std::is_array_v<T>) {
    for (const auto& e : v) save(w, e);
  } else if constexpr (serial::kTextState<T>) {
    std::ostringstream s;
    s << v;
    save(w, s.str());
  } else if constexpr (serial::IsEigenDense<T>::value) {
    w.u64(static_cast<std::uint64_t>(v.rows()));
    w.u64(static_cast<std::uint64_t>(v.cols()));
    w.bytes(v.data(), sizeof(typename T::Scalar) * static_cast<std::size_t>(v.size()));
  } else if constexpr (serial::HasUserSerialize<T>::value) {
    pl_serialize(w, const_cast<T&>(v));
  } else if constexpr (serial::kReflected<T>) {
    serial::for_fields(v, [&w](const auto&... f) { (save(w, f), ...); });
  } else {
    save_builtin(w, v);
  }
}

inline void save_builtin(Writer& w, const std::string& s) {
  w.u64(s.size());
  w.bytes(s.data(), s.size());
}
template <class T, class A>
void save_builtin(Writer& w, const std::vector<T, A>& v) {
  if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    // The same bytes as element by element (each is its own bytes), at once.
    w.u64(v.size());
    w.bytes(v.data(), v.size() * sizeof(T));
  } else {
    serial::save_range(w, v);
  }
}
template <class A>
void save_builtin(Writer& w, const std::vector<bool, A>& v) {
  w.u64(v.size());
  for (bool b : v) save(w, b);
}
template <class T, std::size_t N>
void save_builtin(Writer& w, const std::array<T, N>& v) {
  for (const auto& e : v) save(w, e);
}
template <class T, class A>
void save_builtin(Writer& w, const std::deque<T, A>& v) {
  serial::save_range(w, v);
}
template <class T, class A>
void save_builtin(Writer& w, const std::list<T, A>& v) {
  serial::save_range(w, v);
}
template <class K, class V, class C, class A>
void save_builtin(Writer& w, const std::map<K, V, C, A>& m) {
  serial::save_range(w, m);
}
template <class K, class C, class A>
void save_builtin(Writer& w, const std::set<K, C, A>& s) {
  serial::save_range(w, s);
}
template <class K, class V, class H, class E, class A>
void save_builtin(Writer& w, const std::unordered_map<K, V, H, E, A>& m) {
  serial::save_range(w, m);
}
template <class K, class H, class E, class A>
void save_builtin(Writer& w, const std::unordered_set<K, H, E, A>& s) {
  serial::save_range(w, s);
}
template <class A, class B>
void save_builtin(Writer& w, const std::pair<A, B>& p) {
  save(w, p.first);
  save(w, p.second);
}
template <class... T>
void save_builtin(Writer& w, const std::tuple<T...>& t) {
  std::apply([&w](const auto&... e) { (save(w, e), ...); }, t);
}
template <class T>
void save_builtin(Writer& w, const std::optional<T>& o) {
  save(w, o.has_value());
  if (o) save(w, *o);
}
template <class... T>
void save_builtin(Writer& w, const std::variant<T...>& v) {
  w.u64(v.index());
  std::visit([&w](const auto& e) { save(w, e); }, v);
}
template <class T, class D>
void save_builtin(Writer& w, const std::unique_ptr<T, D>& p) {
  save(w, p != nullptr);
  if (p) save(w, *p);
}

template <class T>
void load_builtin(Reader& r, T& v);

namespace serial {

template <class T, std::size_t... I>
void emplace_variant(Reader& r, std::size_t index, T& v, std::index_sequence<I...>) {
  bool done = false;
  (void)((index == I ? (load(r, v.template emplace<I>()), done = true) : false) || ...);
  if (!done)
    throw FormatError("pl: variant alternative " + std::to_string(index) + " out of range");
}

template <class C>
void load_sequence(Reader& r, C& c) {
  std::size_t n = r.count(1);
  c.clear();
  for (std::size_t i = 0; i < n; ++i) {
    typename C::value_type e{};
    load(r, e);
    c.push_back(std::move(e));
  }
}

template <class C>
void load_associative(Reader& r, C& c) {
  std::size_t n = r.count(1);
  c.clear();
  for (std::size_t i = 0; i < n; ++i) {
    std::remove_const_t<typename C::key_type> k{};
    if constexpr (std::is_same_v<typename C::key_type, typename C::value_type>) {
      load(r, k);
      c.insert(std::move(k));
    } else {
      typename C::mapped_type m{};
      load(r, k);
      load(r, m);
      c.emplace(std::move(k), std::move(m));
    }
  }
}

}  // namespace serial

template <class T>
void load(Reader& r, T& v) {
  if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    unsigned char b[sizeof(T)];
    r.bytes(b, sizeof(T));
    std::memcpy(&v, b, sizeof(T));
  } else if constexpr (std::is_array_v<T>) {
    for (auto& e : v) load(r, e);
  } else if constexpr (serial::kTextState<T>) {
    std::string text;
    load(r, text);
    std::istringstream s(text);
    s >> v;
    if (s.fail()) throw FormatError("pl: random engine or distribution state does not parse");
  } else if constexpr (serial::IsEigenDense<T>::value) {
    std::uint64_t rows = r.u64(), cols = r.u64();
    using S = typename T::Scalar;
    if ((T::RowsAtCompileTime >= 0 && rows != std::uint64_t(T::RowsAtCompileTime)) ||
        (T::ColsAtCompileTime >= 0 && cols != std::uint64_t(T::ColsAtCompileTime)))
      throw FormatError("pl: matrix of " + std::to_string(rows) + "x" + std::to_string(cols) +
                        " does not fit a fixed-size " + std::to_string(T::RowsAtCompileTime) + "x" +
                        std::to_string(T::ColsAtCompileTime));
    if (rows != 0 && cols > r.remaining() / sizeof(S) / rows)
      throw FormatError("pl: matrix of " + std::to_string(rows) + "x" + std::to_string(cols) +
                        " exceeds the bytes left in the record");
    v.resize(static_cast<long>(rows), static_cast<long>(cols));
    r.bytes(v.data(), sizeof(S) * static_cast<std::size_t>(rows * cols));
  } else if constexpr (serial::HasUserSerialize<T>::value) {
    pl_serialize(r, v);
  } else if constexpr (serial::kReflected<T>) {
    serial::for_fields(v, [&r](auto&... f) { (load(r, f), ...); });
  } else {
    load_builtin(r, v);
  }
}

inline void load_builtin(Reader& r, std::string& s) {
  std::size_t n = r.count(1);
  s.resize(n);
  r.bytes(s.data(), n);
}
template <class T, class A>
void load_builtin(Reader& r, std::vector<T, A>& v) {
  if constexpr ((std::is_arithmetic_v<T> || std::is_enum_v<T>)&&!std::is_same_v<T, bool>) {
    v.resize(r.count(sizeof(T)));  // bounded by the bytes left
    r.bytes(v.data(), v.size() * sizeof(T));
  } else {
    serial::load_sequence(r, v);
  }
}
template <class T, std::size_t N>
void load_builtin(Reader& r, std::array<T, N>& v) {
  for (auto& e : v) load(r, e);
}
template <class T, class A>
void load_builtin(Reader& r, std::deque<T, A>& v) {
  serial::load_sequence(r, v);
}
template <class T, class A>
void load_builtin(Reader& r, std::list<T, A>& v) {
  serial::load_sequence(r, v);
}
template <class K, class V, class C, class A>
void load_builtin(Reader& r, std::map<K, V, C, A>& m) {
  serial::load_associative(r, m);
}
template <class K, class C, class A>
void load_builtin(Reader& r, std::set<K, C, A>& s) {
  serial::load_associative(r, s);
}
template <class K, class V, class H, class E, class A>
void load_builtin(Reader& r, std::unordered_map<K, V, H, E, A>& m) {
  serial::load_associative(r, m);
}
template <class K, class H, class E, class A>
void load_builtin(Reader& r, std::unordered_set<K, H, E, A>& s) {
  serial::load_associative(r, s);
}
template <class A, class B>
void load_builtin(Reader& r, std::pair<A, B>& p) {
  load(r, p.first);
  load(r, p.second);
}
template <class... T>
void load_builtin(Reader& r, std::tuple<T...>& t) {
  std::apply([&r](auto&... e) { (load(r, e), ...); }, t);
}
template <class T>
void load_builtin(Reader& r, std::optional<T>& o) {
  bool has = false;
  load(r, has);
  if (!has) {
    o.reset();
    return;
  }
  if (!o) o.emplace();
  load(r, *o);
}
template <class... T>
void load_builtin(Reader& r, std::variant<T...>& v) {
  std::size_t index = static_cast<std::size_t>(r.u64());
  serial::emplace_variant(r, index, v, std::index_sequence_for<T...>{});
}
template <class T, class D>
void load_builtin(Reader& r, std::unique_ptr<T, D>& p) {
  bool has = false;
  load(r, has);
  if (!has) {
    p.reset();
    return;
  }
  if (!p) p = std::make_unique<T>();
  load(r, *p);
}

template <class... T>
void Writer::operator()(const T&... values) {
  (save(*this, values), ...);
}
template <class... T>
void Reader::operator()(T&... values) {
  (load(*this, values), ...);
}

}  // namespace pl

#endif  // PL_SERIALIZE_H
