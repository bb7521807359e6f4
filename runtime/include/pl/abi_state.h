// pl/abi_state.h — the part of the contract (pl/abi.h) for checkpoint state.
//
// pl-instrument includes this header instead of pl/abi.h in a file where some
// loop has checkpoint state other than numbers and enums: PL_S_(x) then
// instantiates x's save, load and size (pl/serialize.h), which costs compile
// time a file with only counters and scalars should not pay. Only the core of
// pl/serialize.h is included here, at the top of the file; the serializers of
// the standard containers (pl/detail/serialize_std.h) are included at its
// end, for the headers the file included — save and load are instantiated
// at the end of the translation unit, where lookup finds them.
#ifndef PL_ABI_STATE_H
#define PL_ABI_STATE_H

#include <pl/abi.h>
#include <pl/detail/serialize_core.h>

namespace pl::abi {
inline namespace PL_ABI_VERSION_NS {

// Every saveable type other than a number or an enum (those are in pl/abi.h).
template <class T>
struct StateOpsOf {
  static void save(const void* o, ::pl::Writer& w) { ::pl::save(w, *static_cast<const T*>(o)); }
  static void load(void* o, ::pl::Reader& r) { ::pl::load(r, *static_cast<T*>(o)); }
  static std::uint64_t bytes(const void* o) {
    ::pl::Writer w(::pl::Writer::kCountOnly);
    ::pl::save(w, *static_cast<const T*>(o));
    return w.size();
  }
  static constexpr StateOps ops{&save, &load, &bytes};
};

// A state variable whose type depends on a template parameter, so that
// pl-instrument could not tell whether it can be saved: decided here, for
// each instantiation, by serial::kSaveable.
template <class Ref>
constexpr VarDesc maybe_state_var(const char* name) {
  using T = std::remove_reference_t<Ref>;
  if constexpr (std::is_const_v<T> || ::pl::serial::kSaveable<std::remove_cv_t<T>>) {
    return state_var<Ref>(name);
  } else {
    return unsaveable_var<Ref>(name);
  }
}

// The same under pl-instrument --require-resumable: an instantiation whose
// type pl cannot save does not compile.
template <class Ref>
constexpr VarDesc required_state_var(const char* name) {
  using T = std::remove_reference_t<Ref>;
  static_assert(std::is_const_v<T> || ::pl::serial::kSaveable<std::remove_cv_t<T>>,
                "pl: --require-resumable: with this instantiation, a state variable of an "
                "instrumented loop has a type pl cannot save (pl/serialize.h); mark it "
                "PL_TRANSIENT if it is recomputed on resume, or give its type a pl_serialize");
  return maybe_state_var<Ref>(name);
}

// Arrays of elements other than numbers and enums (pl/abi.h: array_state_var).
template <class E>
struct ArrayOpsOf {
  static void save(const void* o, ::pl::Writer& w) {
    const E* p = *static_cast<E* const*>(o);
    const void* begin = nullptr;
    std::size_t n = 0, at = 0;
    constexpr ArrayType type = array_type<E>();
    array_locate(p, sizeof(E), &begin, &n, &at, &type);
    w.u64(n);
    w.u64(at);
    for (std::size_t i = 0; i < n; ++i) ::pl::save(w, static_cast<const E*>(begin)[i]);
  }
  static void load(void* o, ::pl::Reader& r) {
    E* p = *static_cast<E* const*>(o);
    const void* begin = nullptr;
    std::size_t n = 0, at = 0;
    constexpr ArrayType type = array_type<E>();
    array_locate(p, sizeof(E), &begin, &n, &at, &type);
    std::uint64_t saved_n = r.u64(), saved_at = r.u64();
    array_check_load(saved_n, saved_at, n, at);
    E* elements = static_cast<E*>(const_cast<void*>(begin));
    for (std::size_t i = 0; i < n; ++i) ::pl::load(r, elements[i]);
  }
  static std::uint64_t bytes(const void* o) {
    ::pl::Writer w(::pl::Writer::kCountOnly);
    save(o, w);
    return w.size();
  }
  static constexpr StateOps ops{&save, &load, &bytes};
};

}  // namespace PL_ABI_VERSION_NS
}  // namespace pl::abi

#define PL_SD_(x) ::pl::abi::maybe_state_var<decltype((x))>(#x)
#define PL_SR_(x) ::pl::abi::required_state_var<decltype((x))>(#x)

#endif  // PL_ABI_STATE_H
