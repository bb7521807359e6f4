// pl/detail/serialize_std.h — the serializers of the standard library's
// templates (pl/detail/saveable_types.def), for those whose header the
// translation unit has included so far.
//
// Not guarded as a whole: each inclusion adds the sections of the headers
// included since the previous one. pl/serialize.h includes every standard
// header it supports and then this; code pl-instrument emits includes the
// core (pl/abi_state.h) at its top and this at its end, where everything the
// program includes is known — save and load are templates instantiated at
// the end of the translation unit, where argument-dependent lookup finds
// these overloads — so a file with a vector of state does not compile
// <map>, <random> and <sstream> for nothing. A standard library other than
// libstdc++ or libc++ gets every header.
#include <pl/detail/serialize_core.h>

#if !defined(__GLIBCXX__) && !defined(_LIBCPP_VERSION) && !defined(PL_SERIALIZE_ALL_STD)
#define PL_SERIALIZE_ALL_STD
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>
#endif

// PL_STD_NEW_<name>: its header is here and this inclusion adds its section.
#undef PL_STD_NEW_vector
#undef PL_STD_IF_vector
#if !defined(PL_STD_HAS_vector) && (defined(_GLIBCXX_VECTOR) || defined(_LIBCPP_VECTOR) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_vector
#define PL_STD_NEW_vector
#define PL_STD_IF_vector(...) __VA_ARGS__
#else
#define PL_STD_IF_vector(...)
#endif
#undef PL_STD_NEW_deque
#undef PL_STD_IF_deque
#if !defined(PL_STD_HAS_deque) && (defined(_GLIBCXX_DEQUE) || defined(_LIBCPP_DEQUE) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_deque
#define PL_STD_NEW_deque
#define PL_STD_IF_deque(...) __VA_ARGS__
#else
#define PL_STD_IF_deque(...)
#endif
#undef PL_STD_NEW_list
#undef PL_STD_IF_list
#if !defined(PL_STD_HAS_list) && (defined(_GLIBCXX_LIST) || defined(_LIBCPP_LIST) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_list
#define PL_STD_NEW_list
#define PL_STD_IF_list(...) __VA_ARGS__
#else
#define PL_STD_IF_list(...)
#endif
#undef PL_STD_NEW_set
#undef PL_STD_IF_set
#if !defined(PL_STD_HAS_set) && (defined(_GLIBCXX_SET) || defined(_LIBCPP_SET) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_set
#define PL_STD_NEW_set
#define PL_STD_IF_set(...) __VA_ARGS__
#else
#define PL_STD_IF_set(...)
#endif
#undef PL_STD_NEW_unordered_set
#undef PL_STD_IF_unordered_set
#if !defined(PL_STD_HAS_unordered_set) && (defined(_GLIBCXX_UNORDERED_SET) || defined(_LIBCPP_UNORDERED_SET) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_unordered_set
#define PL_STD_NEW_unordered_set
#define PL_STD_IF_unordered_set(...) __VA_ARGS__
#else
#define PL_STD_IF_unordered_set(...)
#endif
#undef PL_STD_NEW_map
#undef PL_STD_IF_map
#if !defined(PL_STD_HAS_map) && (defined(_GLIBCXX_MAP) || defined(_LIBCPP_MAP) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_map
#define PL_STD_NEW_map
#define PL_STD_IF_map(...) __VA_ARGS__
#else
#define PL_STD_IF_map(...)
#endif
#undef PL_STD_NEW_unordered_map
#undef PL_STD_IF_unordered_map
#if !defined(PL_STD_HAS_unordered_map) && (defined(_GLIBCXX_UNORDERED_MAP) || defined(_LIBCPP_UNORDERED_MAP) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_unordered_map
#define PL_STD_NEW_unordered_map
#define PL_STD_IF_unordered_map(...) __VA_ARGS__
#else
#define PL_STD_IF_unordered_map(...)
#endif
#undef PL_STD_NEW_optional
#undef PL_STD_IF_optional
#if !defined(PL_STD_HAS_optional) && (defined(_GLIBCXX_OPTIONAL) || defined(_LIBCPP_OPTIONAL) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_optional
#define PL_STD_NEW_optional
#define PL_STD_IF_optional(...) __VA_ARGS__
#else
#define PL_STD_IF_optional(...)
#endif
#undef PL_STD_NEW_variant
#undef PL_STD_IF_variant
#if !defined(PL_STD_HAS_variant) && (defined(_GLIBCXX_VARIANT) || defined(_LIBCPP_VARIANT) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_variant
#define PL_STD_NEW_variant
#define PL_STD_IF_variant(...) __VA_ARGS__
#else
#define PL_STD_IF_variant(...)
#endif
#undef PL_STD_NEW_array
#undef PL_STD_IF_array
#if !defined(PL_STD_HAS_array) && 1
#define PL_STD_HAS_array
#define PL_STD_NEW_array
#define PL_STD_IF_array(...) __VA_ARGS__
#else
#define PL_STD_IF_array(...)
#endif
#undef PL_STD_NEW_pair
#undef PL_STD_IF_pair
#if !defined(PL_STD_HAS_pair) && 1
#define PL_STD_HAS_pair
#define PL_STD_NEW_pair
#define PL_STD_IF_pair(...) __VA_ARGS__
#else
#define PL_STD_IF_pair(...)
#endif
#undef PL_STD_NEW_tuple
#undef PL_STD_IF_tuple
#if !defined(PL_STD_HAS_tuple) && (defined(_GLIBCXX_TUPLE) || defined(_LIBCPP_TUPLE) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_tuple
#define PL_STD_NEW_tuple
#define PL_STD_IF_tuple(...) __VA_ARGS__
#else
#define PL_STD_IF_tuple(...)
#endif
#undef PL_STD_NEW_unique_ptr
#undef PL_STD_IF_unique_ptr
#if !defined(PL_STD_HAS_unique_ptr) && (defined(_UNIQUE_PTR_H) || defined(_LIBCPP___MEMORY_UNIQUE_PTR_H) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_unique_ptr
#define PL_STD_NEW_unique_ptr
#define PL_STD_IF_unique_ptr(...) __VA_ARGS__
#else
#define PL_STD_IF_unique_ptr(...)
#endif
#undef PL_STD_NEW_random
#undef PL_STD_IF_random
#if !defined(PL_STD_HAS_random) && (defined(_GLIBCXX_RANDOM) || defined(_LIBCPP_RANDOM) || defined(PL_SERIALIZE_ALL_STD))
#define PL_STD_HAS_random
#define PL_STD_NEW_random
#define PL_STD_IF_random(...) __VA_ARGS__
#else
#define PL_STD_IF_random(...)
#endif

namespace pl {
namespace serial {

// Whether save/load accept each standard template (serial::Saveable).
#define PL_UNPAREN_(...) __VA_ARGS__
#define PL_SAVEABLE_STD(name, rule, count, params, args, checked) \
  PL_STD_IF_##name(template <PL_UNPAREN_ params> struct SaveableBuiltin<  \
                   std::name<PL_UNPAREN_ args>>                              \
                   : std::bool_constant<kRule##rule<PL_UNPAREN_ checked>> {};)
#include <pl/detail/saveable_types.def>
#undef PL_UNPAREN_

#ifdef PL_STD_NEW_random
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
#endif

}  // namespace serial

#ifdef PL_STD_NEW_vector
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

template <class T, class A>
void load_builtin(Reader& r, std::vector<T, A>& v) {
  if constexpr ((std::is_arithmetic_v<T> || std::is_enum_v<T>)&&!std::is_same_v<T, bool>) {
    v.resize(r.count(sizeof(T)));  // bounded by the bytes left
    r.bytes(v.data(), v.size() * sizeof(T));
  } else {
    serial::load_sequence(r, v);
  }
}
#endif

#ifdef PL_STD_NEW_array
template <class T, std::size_t N>
void save_builtin(Writer& w, const std::array<T, N>& v) {
  for (const auto& e : v) save(w, e);
}

template <class T, std::size_t N>
void load_builtin(Reader& r, std::array<T, N>& v) {
  for (auto& e : v) load(r, e);
}
#endif

#ifdef PL_STD_NEW_deque
template <class T, class A>
void save_builtin(Writer& w, const std::deque<T, A>& v) {
  serial::save_range(w, v);
}

template <class T, class A>
void load_builtin(Reader& r, std::deque<T, A>& v) {
  serial::load_sequence(r, v);
}
#endif

#ifdef PL_STD_NEW_list
template <class T, class A>
void save_builtin(Writer& w, const std::list<T, A>& v) {
  serial::save_range(w, v);
}

template <class T, class A>
void load_builtin(Reader& r, std::list<T, A>& v) {
  serial::load_sequence(r, v);
}
#endif

#ifdef PL_STD_NEW_map
template <class K, class V, class C, class A>
void save_builtin(Writer& w, const std::map<K, V, C, A>& m) {
  serial::save_range(w, m);
}

template <class K, class V, class C, class A>
void load_builtin(Reader& r, std::map<K, V, C, A>& m) {
  serial::load_associative(r, m);
}
#endif

#ifdef PL_STD_NEW_set
template <class K, class C, class A>
void save_builtin(Writer& w, const std::set<K, C, A>& s) {
  serial::save_range(w, s);
}

template <class K, class C, class A>
void load_builtin(Reader& r, std::set<K, C, A>& s) {
  serial::load_associative(r, s);
}
#endif

#ifdef PL_STD_NEW_unordered_map
template <class K, class V, class H, class E, class A>
void save_builtin(Writer& w, const std::unordered_map<K, V, H, E, A>& m) {
  serial::save_range(w, m);
}

template <class K, class V, class H, class E, class A>
void load_builtin(Reader& r, std::unordered_map<K, V, H, E, A>& m) {
  serial::load_associative(r, m);
}
#endif

#ifdef PL_STD_NEW_unordered_set
template <class K, class H, class E, class A>
void save_builtin(Writer& w, const std::unordered_set<K, H, E, A>& s) {
  serial::save_range(w, s);
}

template <class K, class H, class E, class A>
void load_builtin(Reader& r, std::unordered_set<K, H, E, A>& s) {
  serial::load_associative(r, s);
}
#endif

#ifdef PL_STD_NEW_pair
template <class A, class B>
void save_builtin(Writer& w, const std::pair<A, B>& p) {
  save(w, p.first);
  save(w, p.second);
}

template <class A, class B>
void load_builtin(Reader& r, std::pair<A, B>& p) {
  load(r, p.first);
  load(r, p.second);
}
#endif

#ifdef PL_STD_NEW_tuple
template <class... T>
void save_builtin(Writer& w, const std::tuple<T...>& t) {
  std::apply([&w](const auto&... e) { (save(w, e), ...); }, t);
}

template <class... T>
void load_builtin(Reader& r, std::tuple<T...>& t) {
  std::apply([&r](auto&... e) { (load(r, e), ...); }, t);
}
#endif

#ifdef PL_STD_NEW_optional
template <class T>
void save_builtin(Writer& w, const std::optional<T>& o) {
  save(w, o.has_value());
  if (o) save(w, *o);
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
#endif

#ifdef PL_STD_NEW_variant
template <class... T>
void save_builtin(Writer& w, const std::variant<T...>& v) {
  w.u64(v.index());
  std::visit([&w](const auto& e) { save(w, e); }, v);
}

template <class... T>
void load_builtin(Reader& r, std::variant<T...>& v) {
  std::size_t index = static_cast<std::size_t>(r.u64());
  serial::emplace_variant(r, index, v, std::index_sequence_for<T...>{});
}
#endif

#ifdef PL_STD_NEW_unique_ptr
}  // namespace pl
#include <typeinfo>
namespace pl {
template <class T, class D>
void save_builtin(Writer& w, const std::unique_ptr<T, D>& p) {
  // (a generated serializer saves the dynamic class; pl-instrument refuses
  // the others, templates may not)
  if constexpr (std::is_polymorphic_v<T> && !serial::HasDynamicClass<T>::value)
    if (p && typeid(*p) != typeid(T))
      throw FormatError(std::string("pl: a unique_ptr holds an object of a class derived from "
                                    "its element type (") +
                        typeid(*p).name() + "), which pl would save as its base");
  save(w, p != nullptr);
  if (p) save(w, *p);
}

template <class T, class D>
void load_builtin(Reader& r, std::unique_ptr<T, D>& p) {
  bool has = false;
  load(r, has);
  if (!has) {
    p.reset();
    return;
  }
  if (!p) {
    if constexpr (serial::HasDynamicClass<T>::value) {
      // Re-created by the class the checkpoint names.
      std::string name = serial::peek_dynamic_class(r);
      p.reset(pl_new_dynamic(static_cast<T*>(nullptr), name));
      if (!p)
        throw FormatError("pl: cannot re-create the object of class " + name +
                          " a std::unique_ptr held: pl calls only default constructors, and " +
                          name +
                          " has none (or is not defined in this translation unit); let the "
                          "replay create it before the loop, or give it a default constructor");
    } else {
      p = std::make_unique<T>();
    }
  }
  load(r, *p);
}
#endif

#ifdef PL_STD_NEW_random
}  // namespace pl
#include <sstream>
namespace pl {
// Random engines and distributions: their exact state, through their text form.
template <class T>
void save_text_state(Writer& w, const T& v) {
  std::ostringstream s;
  s << v;
  save(w, s.str());
}
template <class T>
void load_text_state(Reader& r, T& v) {
  std::string text;
  load(r, text);
  std::istringstream s(text);
  s >> v;
  if (s.fail()) throw FormatError("pl: random engine or distribution state does not parse");
}
#endif

}  // namespace pl
