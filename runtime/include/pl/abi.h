// pl/abi.h — the contract between code emitted by pl-instrument and libpl.
//
// This is the only header instrumented sources include. It is deliberately
// small, free of runtime internals, and compiles as C++11 and every later
// standard (the emitted code is compiled with its file's own -std): the emitted code and the
// runtime agree on exactly what is declared here, and on nothing else.
// Bump kContractVersion whenever a layout or a semantic below changes; the
// runtime refuses code (and plugins) built against another version.
//
// What one instrumented loop looks like (tests/golden/ has the real output;
// see docs/ARCHITECTURE.md):
//
//   { PL_SITE_(s, "ns::f/loop0", "file.cpp", 12, kFor);
//     if (::pl::abi::idle(s)) { for (...) body }        // innermost loops only:
//     else {                                            // the untouched copy
//       PL_VARS_(pe, 12, PL_V_(n), PL_S_(x)); ::pl::abi::Loop l(s);
//       PL_ENTER_(l, pe, brk, <trip count>, n, x);
//       for (...) { PL_VARS_(pb, ...); PL_BEGIN_(l, pb, brk, n, x, i);
//                   body  (each `continue` preceded by PL_END_)
//                   PL_VARS_(pn, ...); PL_END_(l, pn, brk, n, x, i); }
//       brk: PL_EXIT_(l, pe, n, x); } }
//
// With no hook listening, each PL_AT_ is one byte load, one test and one
// branch; the Loop object adds one increment per iteration. Everything else
// (copying locals, building the address table, calling the runtime) lives on
// the cold side of that branch.
#ifndef PL_ABI_H
#define PL_ABI_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "abi_foreach.h"

#if defined(__GNUC__) || defined(__clang__)
#define PL_ABI_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PL_ABI_INLINE inline __attribute__((always_inline))
#define PL_ABI_COLD __attribute__((cold, noinline))
#define PL_ABI_NOINLINE __attribute__((noinline))
#else
#define PL_ABI_UNLIKELY(x) (x)
#define PL_ABI_INLINE inline
#define PL_ABI_COLD
#define PL_ABI_NOINLINE
#endif

// Everything lives in an inline namespace named after the contract version:
// code instrumented for another version fails to link against this libpl
// ("undefined reference to pl::abi::v4::dispatch"), instead of running with
// layouts that do not match.
#define PL_ABI_VERSION_NS v6
namespace pl {
class Writer;  // pl/serialize.h, included by pl/abi_state.h where there is state
class Reader;
}  // namespace pl
namespace pl {
namespace abi {
inline namespace PL_ABI_VERSION_NS {

constexpr std::uint32_t kContractVersion = 6;

// Loop boundary events. Also used as bits of Site::mask.
enum Event : std::uint8_t {
  kEnter = 1u << 0,   // before the loop's first condition test
  kBegin = 1u << 1,   // an iteration starts (after its condition held)
  kEnd = 1u << 2,     // an iteration finished normally or by `continue`
  kExit = 1u << 3,    // the loop was left, however (once per kEnter)
  kTrack = 1u << 4,   // keep the per-thread stack of active loops
  kUnseen = 1u << 7,  // site not yet registered with the runtime
};

enum LoopKind : std::uint8_t { kFor, kRangeFor, kWhile, kDoWhile };

// Scalar kinds the runtime can convert between (for logs, predicates).
enum ScalarKind : std::uint8_t {
  kNotScalar,
  kBool,
  kChar,
  kI8,
  kI16,
  kI32,
  kI64,
  kU8,
  kU16,
  kU32,
  kU64,
  kF32,
  kF64,
  kF80,
  kEnum,
  kPointer
};

// What the runtime knows of a C++ type. One constant object per type;
// its address is the type's identity (names are compared as a fallback
// when objects come from different shared objects built hidden).
struct TypeInfo {
  const char* (*name)();  // the compiler's spelling, e.g. "Eigen::Matrix<...>"
  std::uint32_t size;
  ScalarKind kind;
  // Contiguous arithmetic elements (Eigen dense objects, std::vector,
  // std::array, ...): element kind and an accessor, else kNotScalar/null.
  ScalarKind element_kind;
  std::size_t (*elements)(const void* object, const void** data);
};

template <class T>
const char* type_name_of() {
  // __PRETTY_FUNCTION__ = "const char* pl::abi::type_name_of() [with T = X]"
  // (GCC) or "... [T = X]" (Clang); the runtime trims it once, lazily.
  return __PRETTY_FUNCTION__;
}

// Numbers and enums: state libpl saves as bytes, with no serializer.
template <class T>
struct IsNumber
    : std::integral_constant<bool, std::is_arithmetic<T>::value || std::is_enum<T>::value> {};
template <class T>
struct IsConstOrNumber
    : std::integral_constant<bool, std::is_const<T>::value || IsNumber<T>::value> {};

// (C++11 constexpr functions: one return statement each.)
constexpr ScalarKind integral_kind(std::size_t size, bool is_signed) {
  return size == 1   ? (is_signed ? kI8 : kU8)
         : size == 2 ? (is_signed ? kI16 : kU16)
         : size == 4 ? (is_signed ? kI32 : kU32)
                     : (is_signed ? kI64 : kU64);
}
template <class T>
constexpr ScalarKind scalar_kind_of() {
  return std::is_same<T, bool>::value          ? kBool
         : std::is_same<T, char>::value        ? kChar
         : std::is_enum<T>::value              ? kEnum
         : std::is_pointer<T>::value           ? kPointer
         : std::is_integral<T>::value          ? integral_kind(sizeof(T), std::is_signed<T>::value)
         : std::is_same<T, float>::value       ? kF32
         : std::is_same<T, double>::value      ? kF64
         : std::is_same<T, long double>::value ? kF80
                                               : kNotScalar;
}
// 0..4 for 1, 2, 4, 8, 16 bytes (kRawStateOps, kRawArrayOps).
constexpr int size_index(std::size_t size) {
  return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : size == 8 ? 3 : 4;
}

template <class T, class = void>
struct ElementsOf {
  static constexpr ScalarKind kind = kNotScalar;
  static constexpr std::size_t (*get)(const void*, const void**) = nullptr;
};
// (Only where data() returns a pointer: a class whose data() returns a
// container, `const std::vector<T>& data() const`, has no elements here.)
template <class T>
struct ElementsOf<T,
                  typename std::enable_if<
                      std::is_pointer<decltype(std::declval<const T&>().data())>::value &&
                      std::is_integral<decltype(std::declval<const T&>().size())>::value>::type> {
  using E = typename std::remove_cv<
      typename std::remove_pointer<decltype(std::declval<const T&>().data())>::type>::type;
  static constexpr ScalarKind kind = std::is_arithmetic<E>::value && !std::is_same<E, char>::value
                                         ? scalar_kind_of<E>()
                                         : kNotScalar;
  static std::size_t elements(const void* object, const void** data) {
    const T& t = *static_cast<const T*>(object);
    *data = t.data();
    return std::size_t(t.size());
  }
  static constexpr std::size_t (*get)(const void*, const void**) = kind == kNotScalar ? nullptr
                                                                                      : &elements;
};

template <class T>
struct TypeOf {
  static constexpr TypeInfo info{&type_name_of<T>, sizeof(T), scalar_kind_of<T>(),
                                 ElementsOf<T>::kind, ElementsOf<T>::get};
};
#if __cplusplus < 201703L  // before C++17, a static constexpr member used by address needs this
template <class T>
constexpr TypeInfo TypeOf<T>::info;
#endif

enum VarFlags : std::uint8_t {
  kReadOnly = 1u << 0,
  kState = 1u << 1,  // checkpoint state of the loop (pass modified-vars); `state` is set
  // Checkpoint state whose type, known only when a template was instantiated,
  // pl cannot save (maybe_state_var); `state` is null. Checkpoints through a
  // point holding one are refused.
  kUnsaveable = 1u << 2,
};

// How a checkpoint saves and restores one state variable (pl/serialize.h).
// `bytes` counts what `save` would write, without writing it.
struct StateOps {
  void (*save)(const void* object, ::pl::Writer& w);
  void (*load)(void* object, ::pl::Reader& r);
  std::uint64_t (*bytes)(const void* object);
};

// The state operations of numbers and enums: their bytes, saved by libpl
// exactly as pl::save would (so no serializer is instantiated for them), by
// size: 1, 2, 4, 8, 16 bytes.
extern const StateOps kRawStateOps[5];
// The operations of every other saveable type: pl/abi_state.h (which
// pl-instrument includes where such state exists).
template <class T>
struct StateOpsOf;

template <class T>
constexpr const StateOps* state_ops_of(std::true_type /* a number or an enum */) {
  static_assert(sizeof(T) == std::size_t(1) << size_index(sizeof(T)),
                "pl: a number size libpl does not know");
  return &kRawStateOps[size_index(sizeof(T))];
}
template <class T>
constexpr const StateOps* state_ops_of(std::false_type) {
  return &StateOpsOf<T>::ops;
}
template <class T>
constexpr const StateOps* state_ops() {
  return state_ops_of<T>(IsNumber<T>());
}

// One local variable visible at a point. `Ref` is decltype((name)).
struct VarDesc {
  const char* name;
  const TypeInfo* type;
  std::uint8_t flags;
  const StateOps* state;  // non-null iff kState
};

template <class Ref>
constexpr VarDesc var_flagged(const char* name, std::uint8_t flags) {
  using T = typename std::remove_reference<Ref>::type;
  return VarDesc{name, &TypeOf<typename std::remove_cv<T>::type>::info,
                 std::uint8_t((std::is_const<T>::value ? kReadOnly : 0) | flags), nullptr};
}
template <class Ref>
constexpr VarDesc var(const char* name) {
  return var_flagged<Ref>(name, 0);
}
// State whose type, known only at instantiation, pl cannot save (kUnsaveable).
template <class Ref>
constexpr VarDesc unsaveable_var(const char* name) {
  return var_flagged<Ref>(name, kUnsaveable);
}

// A state variable: pl-instrument checked that its type can be saved. A
// const one is not state after all: replay recomputes it (its initializer
// reads restored state), and it could not be restored anyway.
template <class Ref>
constexpr VarDesc state_var_of(const char* name, std::true_type /* const */) {
  return var<Ref>(name);
}
template <class Ref>
constexpr VarDesc state_var_of(const char* name, std::false_type) {
  using T = typename std::remove_cv<typename std::remove_reference<Ref>::type>::type;
  return VarDesc{name, &TypeOf<T>::info, kState, state_ops<T>()};
}
template <class Ref>
constexpr VarDesc state_var(const char* name) {
  return state_var_of<Ref>(name, std::is_const<typename std::remove_reference<Ref>::type>());
}
// Before C++17 (PL_SN_): the state is saved when it is a number or an enum —
// libpl writes its bytes — and is unsaveable otherwise (pl/serialize.h needs
// C++17); decided per instantiation, for state whose type a template gives.
template <class Ref>
constexpr VarDesc number_state_var_of(const char* name, std::true_type /* saveable */) {
  return state_var<Ref>(name);
}
template <class Ref>
constexpr VarDesc number_state_var_of(const char* name, std::false_type) {
  return unsaveable_var<Ref>(name);
}
template <class Ref>
constexpr VarDesc number_state_var(const char* name) {
  using T = typename std::remove_reference<Ref>::type;
  return number_state_var_of<Ref>(name, IsConstOrNumber<T>());
}

// A pointer whose pointee the loop nest writes (pass pointee-effects;
// PL_SA_): saved as the whole array it points into (array_locate), with its
// length and the pointer's position in it. Loading needs the array the
// replay rebuilt to have the same length and the pointer the same position,
// or refuses naming both — never a partial restore. The pointer itself is
// not saved (the replay set it). Elements other than numbers and enums go
// through pl/serialize.h (ArrayOpsOf, pl/abi_state.h).
extern const StateOps kRawArrayOps[5];  // elements of 1, 2, 4, 8, 16 bytes
template <class E>
struct ArrayOpsOf;
template <class P, class E>
constexpr VarDesc array_state_var_of(const char* name, std::true_type /* numbers */) {
  static_assert(sizeof(E) == std::size_t(1) << size_index(sizeof(E)),
                "pl: an element size libpl does not know");
  return VarDesc{name, &TypeOf<P>::info, kState, &kRawArrayOps[size_index(sizeof(E))]};
}
template <class P, class E>
constexpr VarDesc array_state_var_of(const char* name, std::false_type) {
  return VarDesc{name, &TypeOf<P>::info, kState, &ArrayOpsOf<E>::ops};
}
template <class Ref>
constexpr VarDesc array_state_var(const char* name) {
  using P = typename std::remove_cv<typename std::remove_reference<Ref>::type>::type;
  static_assert(std::is_pointer<P>::value, "pl: PL_SA_ names a pointer");
  using E = typename std::remove_cv<typename std::remove_pointer<P>::type>::type;
  return array_state_var_of<P, E>(name, IsNumber<E>());
}

// A place in the code where one event fires, with the locals visible there.
struct PointDesc {
  const VarDesc* vars;
  std::uint32_t nvars;
  std::uint32_t line;
};

// Static description of one loop, fixed at compile time.
struct SiteDesc {
  const char* name;  // full name, e.g. "mlp::train/epoch/batch"
  const char* file;
  std::uint32_t line;
  LoopKind kind;
};

// Per-loop runtime switch. Constant-initialized (no guard on first use);
// the runtime rewrites `mask` when hooks are attached or removed.
struct Site {
  std::atomic<std::uint8_t> mask{0xff};  // kUnseen: registers on first event
  const SiteDesc* desc;
  std::atomic<void*> runtime{nullptr};  // owned by libpl
  // Which iterations i can interest a hook on kBegin (kEnd), computed by the
  // runtime from the hooks' every(N) and once_at(N) filters: i >= first and
  // (i - first) % period == 0, packed as period << 32 | first. An armed
  // boundary outside that set skips the runtime call altogether, so a
  // filtered-out event costs a load and a division, not a call.
  static constexpr std::uint64_t kAlways = std::uint64_t(1) << 32;  // period 1, first 0
  std::atomic<std::uint64_t> gate_begin{kAlways};
  std::atomic<std::uint64_t> gate_end{kAlways};
  // When every hook on kBegin (kEnd) runs only if one scalar local compares
  // true (`when=loss<0.3`), that comparison, owned by libpl: it is checked
  // before the runtime call (see when_holds). Null = no such gate.
  std::atomic<const struct WhenGate*> when_begin{nullptr};
  std::atomic<const struct WhenGate*> when_end{nullptr};
  constexpr explicit Site(const SiteDesc* d) : desc(d) {}
};

// What pl-instrument knew about the loops of one translation unit, registered
// at load time so the runtime can check selectors and variable names of
// hooks before any loop runs ("matches no loop; did you mean ...").
struct ManifestLoop {
  const char* name;  // full name
  const char* file;
  std::uint32_t line;
  const char* vars;   // every local visible at some event, comma-separated
  const char* state;  // checkpoint state, "name:type" comma-separated (type as the tool saw it)
  // Why a checkpoint cannot hold this loop's state (an unsaveable variable),
  // or why its effects may escape the state (a call to std::rand, a global
  // written): "" when none. A loop with `unsaveable` set refuses checkpoints;
  // one with only `uncaptured` set is always re-run on resume, never skipped.
  const char* unsaveable;
  const char* uncaptured;
  const char* source_hash;  // of the instrumented file's text (xxh3, hex)
  // The loop right after this one whose state holds everything this one
  // changes ("" if none): when a resume restores that loop, this one is
  // skipped, nothing stored (pass restored-later).
  const char* restored_by;
  // xxh3 (hex) of the tokens of the loop's function, of every function it
  // may call in its translation unit, and of its state layout (pass
  // code-fingerprint): a resume refuses when it differs for a loop on the
  // resumed path. Comments and unrelated functions do not change it.
  const char* code_hash;
  // The loop's function and what its body can call outside its nested
  // instrumented loops (pass call-graph): ';'-separated function keys,
  // "virtual:<name>" and "*" (anything). The runtime tracks a loop only when
  // a hook or policy selects it or it can enclose a selected loop.
  const char* function;
  const char* calls;
};
bool register_manifest(const ManifestLoop* loops, std::uint32_t count) noexcept;

// Arrays whose extent a checkpoint needs: pl-instrument rewrites `new T[n]`
// and `delete[] p` in instrumented code to new_array / delete_array, which
// record each array's bytes; `PL_EXTENT(p, n)` (pl/marker.h) records one
// allocated elsewhere. A pointer whose pointee is checkpoint state (PL_SA_,
// pl/abi_state.h) is saved as the whole array it points into, found here.
// What an array was allocated as: its element type's tag (array_type<T>())
// and whether that type is trivially copyable (its bytes are its value).
struct ArrayType {
  const void* tag;
  bool trivial;
};
template <class T>
struct ArrayTypeTag {
  static constexpr char id = 0;
};
#if __cplusplus < 201703L
template <class T>
constexpr char ArrayTypeTag<T>::id;
#endif
template <class T>
constexpr ArrayType array_type() {
  return ArrayType{&ArrayTypeTag<typename std::remove_cv<T>::type>::id,
                   std::is_trivially_copyable<T>::value};
}
void array_track(const void* begin, std::size_t bytes, ArrayType type) noexcept;
void array_untrack(const void* begin) noexcept;
// The array `p` points into: its first byte and size; false when none is
// recorded (the checkpoint is then refused).
bool array_find(const void* p, const void** begin, std::size_t* bytes,
                ArrayType* type = nullptr) noexcept;

// A state pointer's array: its first byte, its length in elements of
// `elem` bytes, and the pointer's position in it; throws (naming PL_EXTENT)
// when no array is recorded there, and when the pointer's type does not fit
// what the array was allocated as: elements saved through a serializer
// (`type` given) need exactly that type; numbers (`type` null, saved as
// bytes) need an array of a trivially copyable type.
void array_locate(const void* p, std::size_t elem, const void** begin, std::size_t* n,
                  std::size_t* at, const ArrayType* type = nullptr);
// Throws unless the saved length and position match the rebuilt array's.
void array_check_load(std::uint64_t saved_n, std::uint64_t saved_at, std::size_t n, std::size_t at);

template <class T>
T* new_array(std::size_t n) {
  T* p = new T[n];
  array_track(p, n * sizeof(T), array_type<T>());
  return p;
}
template <class T>
T* new_array_value(std::size_t n) {  // new T[n]()
  T* p = new T[n]();
  array_track(p, n * sizeof(T), array_type<T>());
  return p;
}
template <class T>
void delete_array(T* p) {
  array_untrack(p);
  delete[] p;
}
template <class T>
void array_extent(T* p, std::size_t n) {  // PL_EXTENT
  if (p) array_track(p, n * sizeof(T), array_type<T>());
}

// One function of a translation unit and what it can call, in the terms of
// ManifestLoop::calls: the call graph the runtime resolves across units.
// `calls` may also hold "!<file id>:<effect>" (an effect only a loop of that
// file could hold: a global written, std::rand) and "#<hash>" (the
// function's code, as code_hash hashes a loop's): a resume refuses when a
// function of another file that a loop on its path may call has changed.
struct ManifestFunction {
  const char* key;
  const char* calls;
};
bool register_calls(const ManifestFunction* functions, std::uint32_t count) noexcept;

// A one-local comparison (`when=loss<0.3`) that the emitted code checks
// before calling the runtime (Site::when_begin/when_end). Owned by libpl.
// The local's position differs per boundary point: the last one found is
// cached with the point's address, in one atomic word (address << 16 |
// position + 1; position + 1 == 0: not in scope there).
struct WhenGate {
  const char* var;
  std::uint8_t op;  // pl::Compare: lt, le, gt, ge, eq, ne
  double value;
  mutable std::atomic<std::uint64_t> cache{0};
};

struct Loop;
// Out-of-line entry points, defined in libpl. Return action bits.
// kSkip (at kBegin only): the iteration is not run — the body is skipped as
// by `continue` (on resume: iterations before the checkpoint's).
enum Action : std::uint32_t { kNone = 0, kBreak = 1u << 0, kSkip = 1u << 1 };
PL_ABI_COLD std::uint32_t dispatch(Loop& loop, Event ev, const PointDesc& point,
                                   void* const* addrs) noexcept;
PL_ABI_COLD void loop_exit(Loop& loop) noexcept;
// Finds gate.var among the locals of `point`, caches and returns its
// position + 1 (0 when not in scope).
PL_ABI_COLD std::uint32_t when_lookup(const WhenGate& gate, const PointDesc& point) noexcept;

// One activation of a loop. Lives on the stack of the instrumented
// function; its destructor is the single place `kExit` fires from, so a
// loop left by break, return, goto or an exception exits exactly once.
struct Loop {
  Site& site;
  std::uint64_t iterations = 0;  // iterations begun so far
  std::int64_t trip = -1;        // known trip count, or -1
  Loop* parent = nullptr;        // enclosing tracked loop on this thread
  std::uint32_t state = 0;       // runtime-owned flags (linked, exit fired)

  explicit Loop(Site& s) noexcept : site(s) {}
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;
  ~Loop() {
    if (PL_ABI_UNLIKELY(state != 0 || (armed() & kExit))) loop_exit(*this);
  }
  PL_ABI_INLINE std::uint8_t armed() const noexcept {
    return site.mask.load(std::memory_order_relaxed);
  }
};

// A local handed to the runtime. Small trivially copyable values are copied
// so that the original's address never escapes (an escaping address would
// pin the variable to memory on the hot path too); after the runtime
// returns, the copy is written back, which is how hooks modify locals.
// Everything else is passed by address: it lives in memory anyway.
template <class T>
struct CopyCell
    : std::integral_constant<bool,
                             std::is_trivially_copyable<T>::value && !std::is_array<T>::value &&
                                 !std::is_volatile<T>::value && sizeof(T) <= 16 &&
                                 (std::is_const<T>::value || std::is_copy_assignable<T>::value)> {};

// The copy of one local (empty when the local is passed by address). A cell
// holds the copy only, never a reference to the original: the runtime gets
// the copy's address, and compilers treat every byte of an object whose
// address escapes as escaped, so a reference stored beside the copy would
// make the original escape too (GCC 12 then kept every copied local of an
// instrumented loop on the stack, ~6x the plain time of a tight loop).
// The original is reached through fire()'s own parameters instead.
template <class T, bool kCopy = CopyCell<T>::value>
struct Cell {
  PL_ABI_INLINE explicit Cell(T&) {}
  PL_ABI_INLINE void* ptr(T& ref) { return const_cast<void*>(static_cast<const void*>(&ref)); }
  PL_ABI_INLINE void store(T&) const {}
};
// A local visible at kEnter may not be initialized yet (`int i; for (i = 0;
// ...)`): GCC's -Wmaybe-uninitialized would report the copy in the user's
// build, though the runtime never relies on such a value. (Copying bytes with
// memcpy instead also silences it, but made an active hook's events ~35%
// slower in bench/boundary_bench: the original became address-taken.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
template <class T>
struct Cell<T, true> {
  typename std::remove_const<T>::type copy;
  PL_ABI_INLINE explicit Cell(T& ref) : copy(ref) {}
  PL_ABI_INLINE void* ptr(T&) { return &copy; }
  PL_ABI_INLINE void store(T& ref) const { store_to(ref, std::is_const<T>()); }
  PL_ABI_INLINE void store_to(T& ref, std::false_type) const { ref = copy; }
  PL_ABI_INLINE void store_to(T&, std::true_type /* const */) const {}
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

template <class Ref>
using CellOf = Cell<typename std::remove_reference<Ref>::type>;

// True when nothing listens to this loop at all (registered, no hook, no
// tracking): the emitted code then runs an uninstrumented copy of an
// innermost loop, so idle loops keep their vectorization.
PL_ABI_INLINE bool idle(const Site& site) noexcept {
  return site.mask.load(std::memory_order_relaxed) == 0;
}

template <class T>
double as_double(const void* v) noexcept {
  return double(*static_cast<const T*>(v));
}
// The value of a scalar of each arithmetic ScalarKind, as a double.
static constexpr double (*kAsDouble[])(const void*) = {nullptr,
                                                       &as_double<bool>,
                                                       &as_double<char>,
                                                       &as_double<std::int8_t>,
                                                       &as_double<std::int16_t>,
                                                       &as_double<std::int32_t>,
                                                       &as_double<std::int64_t>,
                                                       &as_double<std::uint8_t>,
                                                       &as_double<std::uint16_t>,
                                                       &as_double<std::uint32_t>,
                                                       &as_double<std::uint64_t>,
                                                       &as_double<float>,
                                                       &as_double<double>,
                                                       &as_double<long double>};
static_assert(sizeof(kAsDouble) / sizeof(kAsDouble[0]) == kEnum, "one reader per arithmetic kind");

// Whether an armed begin/end boundary passes the site's comparison gate
// (Site::when_begin/when_end), read from the point's address table — the
// copies, already made. Not a template, and never inlined: one copy per
// translation unit, called from the cold side of armed boundaries only
// (GCC inlined it into each of them when left to decide: +20% compile time
// of an emitted file, docs/BENCHMARKS.md §6).
PL_ABI_NOINLINE inline bool when_ok(const Loop& loop, Event ev, const PointDesc& point,
                                    void* const* addrs) noexcept {
  const WhenGate* g =
      (ev == kBegin ? loop.site.when_begin : loop.site.when_end).load(std::memory_order_acquire);
  if (!g) return true;
  const std::uint64_t key = std::uint64_t(reinterpret_cast<std::uintptr_t>(&point)) << 16;
  const std::uint64_t c = g->cache.load(std::memory_order_relaxed);
  const std::uint32_t slot =
      (c & ~std::uint64_t(0xffff)) == key ? std::uint32_t(c & 0xffff) : when_lookup(*g, point);
  if (slot == 0) return true;  // not in scope here: the runtime decides
  const ScalarKind kind = point.vars[slot - 1].type->kind;
  // Not a number (or an enum, whose size varies): the runtime decides.
  if (kind == kNotScalar || kind >= kEnum) return true;
  const double x = kAsDouble[kind](addrs[slot - 1]);
  switch (g->op) {
    case 0:
      return x < g->value;
    case 1:
      return x <= g->value;
    case 2:
      return x > g->value;
    case 3:
      return x >= g->value;
    case 4:
      return x == g->value;
    default:
      return x != g->value;
  }
}

// Whether an armed begin/end boundary can interest any hook: see
// Site::gate_begin.
template <Event ev>
PL_ABI_INLINE bool due(const Loop& loop) noexcept {
  const std::uint64_t g =
      (ev == kBegin ? loop.site.gate_begin : loop.site.gate_end).load(std::memory_order_relaxed);
  if (g == Site::kAlways) return true;
  const std::uint32_t period = std::uint32_t(g >> 32), first = std::uint32_t(g);
  const std::uint64_t i = loop.iterations - 1;  // the current iteration
  if (i < first) return false;
  const std::uint64_t d = i - first;
  return (d < (std::uint64_t(1) << 32) ? std::uint32_t(d) % period : d % period) == 0;
}

// Trip count of a range, when it has a size.
template <class R, std::size_t N>
std::int64_t trip_of(R (&)[N]) {
  return std::int64_t(N);
}
template <class R>
auto trip_of_sized(R& range, int) -> decltype(std::int64_t(range.size())) {
  return std::int64_t(range.size());
}
template <class R>
std::int64_t trip_of_sized(R&, long) {
  return -1;
}
template <class R>
std::int64_t trip_of(R& range) {
  return trip_of_sized(range, 0);
}

// Trip count of `for (i = start; i <op> bound; i += step)`, -1 if unknown.
inline std::int64_t trip_count(long double start, long double bound, long double step,
                               bool inclusive) {
  if (step == 0) return -1;
  long double span = (bound - start) / step;
  if (span < 0) return 0;
  auto whole = std::int64_t(span);
  if (inclusive || static_cast<long double>(whole) != span) ++whole;
  return whole;
}

}  // namespace PL_ABI_VERSION_NS
}  // namespace abi
}  // namespace pl

// ---- Macros used by emitted code (short, so golden files stay readable). ----

// Declares the site `s` of a loop.
#define PL_SITE_(s, name, file, line, kind)                                      \
  static constexpr ::pl::abi::SiteDesc s##_d{name, file, line, ::pl::abi::kind}; \
  static ::pl::abi::Site s { &s##_d }

// Declares the variable table `p` for a point: PL_VARS_(p, line, PL_V_(x), ...).
#define PL_V_(x) ::pl::abi::var<decltype((x))>(#x)
#define PL_S_(x) ::pl::abi::state_var<decltype((x))>(#x)
#define PL_SA_(x) ::pl::abi::array_state_var<decltype((x))>(#x)
// Before C++17: state saved if its type (a template's) is a number or an enum.
#define PL_SN_(x) ::pl::abi::number_state_var<decltype((x))>(#x)
// PL_SD_, PL_SR_ (state whose type a template decides): pl/abi_state.h.
#define PL_VARS_(p, line, ...)                                 \
  static constexpr ::pl::abi::VarDesc p##_v[] = {__VA_ARGS__}; \
  static constexpr ::pl::abi::PointDesc p { p##_v, sizeof(p##_v) / sizeof(p##_v[0]), line }
#define PL_NOVARS_(p, line) \
  static constexpr ::pl::abi::PointDesc p { nullptr, 0, line }

// The cold side of an armed boundary, spelled out by the preprocessor for
// each local (pl/abi_foreach.h) so that no template is instantiated per
// point: a cell per local (a copy, or nothing for a local passed by
// address), the address table, the comparison gate, the runtime call, and
// the copies written back. Sets `a` to the runtime's action bits.
#define PL_CELL_(k, x) ::pl::abi::CellOf<decltype((x))> pl_c##k(x);
#define PL_ADDR_(k, x) pl_c##k.ptr(x),
#define PL_BACK_(k, x) pl_c##k.store(x);
#define PL_CALL_(a, l, ev, p, ...)                                    \
  {                                                                   \
    PL_FE_(PL_CELL_, ##__VA_ARGS__)                                   \
    void* const pl_ad_[] = {PL_FE_(PL_ADDR_, ##__VA_ARGS__) nullptr}; \
    if (::pl::abi::when_ok((l), (ev), (p), pl_ad_)) {                 \
      (a) = ::pl::abi::dispatch((l), (ev), (p), pl_ad_);              \
      PL_FE_(PL_BACK_, ##__VA_ARGS__)                                 \
    }                                                                 \
  }

// Fires event `ev` of loop `l` at point `p`, passing the listed locals; a
// hook's break request jumps to `brk`, the label right after the loop.
#define PL_AT_(l, ev, p, brk, ...)                                           \
  do {                                                                       \
    if (PL_ABI_UNLIKELY((l).armed() & (::pl::abi::ev | ::pl::abi::kUnseen))) \
      if (::pl::abi::due<::pl::abi::ev>(l)) {                                \
        std::uint32_t pl_a_ = 0;                                             \
        PL_CALL_(pl_a_, l, ::pl::abi::ev, p, ##__VA_ARGS__)                  \
        if (pl_a_ & ::pl::abi::kBreak) goto brk;                             \
      }                                                                      \
  } while (0)
// Not wrapped in do/while: a kSkip action must `continue` the loop itself.
#define PL_BEGIN_(l, p, brk, ...)                                              \
  ++(l).iterations;                                                            \
  if (PL_ABI_UNLIKELY((l).armed() & (::pl::abi::kBegin | ::pl::abi::kUnseen))) \
    if (::pl::abi::due<::pl::abi::kBegin>(l)) {                                \
      std::uint32_t pl_a_ = 0;                                                 \
      PL_CALL_(pl_a_, l, ::pl::abi::kBegin, p, ##__VA_ARGS__)                  \
      if (pl_a_ & ::pl::abi::kBreak) goto brk;                                 \
      if (pl_a_ & ::pl::abi::kSkip) continue;                                  \
    }                                                                          \
  static_assert(true, "")
#define PL_END_(l, p, brk, ...) PL_AT_(l, kEnd, p, brk, ##__VA_ARGS__)
// `trip` is evaluated only on the cold path.
#define PL_ENTER_(l, p, brk, trip_expr, ...)                                             \
  do {                                                                                   \
    if (PL_ABI_UNLIKELY((l).armed() &                                                    \
                        (::pl::abi::kEnter | ::pl::abi::kTrack | ::pl::abi::kUnseen))) { \
      (l).trip = (trip_expr);                                                            \
      std::uint32_t pl_a_ = 0;                                                           \
      PL_CALL_(pl_a_, l, ::pl::abi::kEnter, p, ##__VA_ARGS__)                            \
      if (pl_a_ & ::pl::abi::kBreak) goto brk;                                           \
    }                                                                                    \
  } while (0)
// The normal way out (condition false, break, or a hook's break request).
// Other exits (return, throw, goto) fire kExit from ~Loop, without locals.
#define PL_EXIT_(l, p, ...)                                  \
  do {                                                       \
    if (PL_ABI_UNLIKELY((l).armed() & ::pl::abi::kExit)) {   \
      std::uint32_t pl_a_ = 0;                               \
      PL_CALL_(pl_a_, l, ::pl::abi::kExit, p, ##__VA_ARGS__) \
      (void)pl_a_;                                           \
    }                                                        \
  } while (0)

#endif  // PL_ABI_H
