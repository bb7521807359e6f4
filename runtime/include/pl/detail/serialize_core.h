// pl/detail/serialize_core.h — pl/serialize.h without the standard
// library's containers: the streams, the dispatch of save and load, numbers,
// enums, C arrays, std::string, Eigen matrices, aggregates and types with a
// pl_serialize. The containers, random engines and distributions are in
// pl/detail/serialize_std.h, for the headers a translation unit includes.
// Include pl/serialize.h, not this.
#ifndef PL_DETAIL_SERIALIZE_CORE_H
#define PL_DETAIL_SERIALIZE_CORE_H

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>
#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#endif

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
inline constexpr bool kReflected =
    std::is_aggregate_v<T>&& std::is_class_v<T> && !std::is_union_v<T> && !IsStdArray<T>::value &&
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
  } else if constexpr (n == 2) {
    auto& [f0, f1] = x;
    f(f0, f1);
  } else if constexpr (n == 3) {
    auto& [f0, f1, f2] = x;
    f(f0, f1, f2);
  } else if constexpr (n == 4) {
    auto& [f0, f1, f2, f3] = x;
    f(f0, f1, f2, f3);
  } else if constexpr (n == 5) {
    auto& [f0, f1, f2, f3, f4] = x;
    f(f0, f1, f2, f3, f4);
  } else if constexpr (n == 6) {
    auto& [f0, f1, f2, f3, f4, f5] = x;
    f(f0, f1, f2, f3, f4, f5);
  } else if constexpr (n == 7) {
    auto& [f0, f1, f2, f3, f4, f5, f6] = x;
    f(f0, f1, f2, f3, f4, f5, f6);
  } else if constexpr (n == 8) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7);
  } else if constexpr (n == 9) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8);
  } else if constexpr (n == 10) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9);
  } else if constexpr (n == 11) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10);
  } else if constexpr (n == 12) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11);
  } else if constexpr (n == 13) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12);
  } else if constexpr (n == 14) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13);
  } else if constexpr (n == 15) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = x;
    f(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14);
  } else if constexpr (n == 16) {
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
inline constexpr bool kSaveableElement =
    !std::is_const_v<E> && !std::is_volatile_v<E> && !std::is_reference_v<E> && kSaveable<E>;
// A class whose serializer pl-instrument wrote leaves its const fields (and
// references to const) to the replay that rebuilds the object; the
// generated code declares pl_rebuilt_fields(x) for such a class. Objects
// that loading creates get no replay: such elements cannot be loaded.
template <class T, class = void>
struct HasRebuiltFields : std::false_type {};
template <class T>
struct HasRebuiltFields<T, std::void_t<decltype(pl_rebuilt_fields(std::declval<T&>()))>>
    : std::true_type {};
template <class E>
inline constexpr bool kCreatable =
    kSaveableElement<E>&& std::is_default_constructible_v<E> && !HasRebuiltFields<E>::value;

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
// The rules of pl/detail/saveable_types.def (its SaveableBuiltin
// specializations are in pl/detail/serialize_std.h).
template <class... E>
inline constexpr bool kRuleCreated = (kCreatable<E> && ...);
template <class... E>
inline constexpr bool kRuleElements = (kSaveableElement<E> && ...);
// A polymorphic class whose serializer pl-instrument wrote saves the class
// of the object by name and re-creates it by name (pl_new_dynamic).
template <class T, class = void>
struct HasDynamicClass : std::false_type {};
template <class T>
struct HasDynamicClass<T, std::void_t<decltype(pl_new_dynamic(static_cast<T*>(nullptr),
                                                              std::declval<const std::string&>()))>>
    : std::true_type {};
template <class E>
inline constexpr bool kRuleOwned =
    !std::is_array_v<E> &&
    (HasDynamicClass<E>::value
         ? kSaveableElement<E>
         : kCreatable<E> && (!std::is_polymorphic_v<E> || std::is_final_v<E>));

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
    save_text_state(w, v);  // pl/detail/serialize_std.h, with <random>
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
  // As many elements as the replay rebuilt: loaded in place (objects a
  // unique_ptr holds keep their class; fields left to the replay stay).
  if constexpr (!std::is_same_v<typename C::value_type, bool>) {
    if (n == c.size()) {
      for (auto& e : c) load(r, e);
      return;
    }
  }
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
    load_text_state(r, v);  // pl/detail/serialize_std.h, with <random>
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
namespace serial {

// The generated serializer of a polymorphic class: the object's class
// first, by name. Loading into an object of another class refuses, naming
// both (never a partial restore).
inline void dynamic_class(Writer& w, const char* name) { save_builtin(w, std::string(name)); }
inline void dynamic_class(Reader& r, const char* name) {
  std::string saved;
  load_builtin(r, saved);
  if (saved != name)
    throw FormatError("pl: the checkpoint holds an object of class " + saved +
                      " where the resumed program has one of class " + name);
}
// The class a generated serializer of a polymorphic class saves next, or "".
inline std::string peek_dynamic_class(const Reader& r) {
  Reader probe = r;
  std::string name;
  load_builtin(probe, name);
  return name;
}
[[noreturn]] inline void unknown_class(const std::type_info& t, const char* base) {
  std::string name = t.name();
#if __has_include(<cxxabi.h>)
  int status = 0;
  if (char* readable = ::abi::__cxa_demangle(t.name(), nullptr, nullptr, &status)) {
    name = readable;
    std::free(readable);
  }
#endif
  throw std::logic_error("pl: cannot save an object of class " + name + " reached through " + base +
                         ": its definition is not in this translation unit, so pl wrote no "
                         "serializer for it");
}
// A const number or enum field of a class whose serializer pl-instrument
// wrote: the replay rebuilds it; its saved value is checked on load, and a
// different one refuses the resume naming the field and both values.
template <class T>
void const_field(Writer& w, const T& v, const char*) {
  save(w, v);
}
template <class T>
void const_field(Reader& r, const T& v, const char* field) {
  std::remove_cv_t<T> saved{};
  load(r, saved);
  if (std::memcmp(&saved, &v, sizeof(T)) != 0) {
    auto text = [](const T& x) {
      if constexpr (std::is_enum_v<T>)
        return std::to_string(static_cast<std::underlying_type_t<T>>(x));
      else if constexpr (std::is_same_v<std::remove_cv_t<T>, bool>)
        return std::string(x ? "true" : "false");
      else if constexpr (std::is_floating_point_v<T>) {
        char b[40];
        std::snprintf(b, sizeof b, "%.17Lg", static_cast<long double>(x));
        return std::string(b);
      } else
        return std::to_string(x);
    };
    throw FormatError(std::string("the const field ") + field + " was " + text(saved) +
                      " when the checkpoint was written and is " + text(v) +
                      " in the resumed program (the replay rebuilds it; its inputs changed)");
  }
}

template <class T>
T* make_dynamic() {
  if constexpr (std::is_default_constructible_v<T>)
    return new T();
  else
    return nullptr;
}

}  // namespace serial

template <class... T>
void Writer::operator()(const T&... values) {
  (save(*this, values), ...);
}
template <class... T>
void Reader::operator()(T&... values) {
  (load(*this, values), ...);
}

}  // namespace pl

#endif  // PL_DETAIL_SERIALIZE_CORE_H
