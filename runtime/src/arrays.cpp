// The arrays instrumented code allocated (abi::new_array, PL_EXTENT): their
// first byte and size, so that a pointer whose pointee is checkpoint state
// can be saved as the array it points into (pl/abi_state.h, ArrayOpsOf).
//
// One ordered map under a mutex: arrays are allocated outside the loops that
// matter (a hash insert beside an allocation), looked up only when a
// checkpoint is written or loaded. A pointer may point into the middle of
// an array; the map finds the one containing it.
#include <pl/abi.h>
#include <pl/serialize.h>

#include <atomic>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <new>
#include <string>

namespace pl::abi {
inline namespace PL_ABI_VERSION_NS {
namespace {

struct Block {
  std::size_t bytes;
  ArrayType type;  // what it was allocated as
};

struct Arrays {
  std::mutex mu;
  std::map<std::uintptr_t, Block> at;  // first byte -> block
};

Arrays& arrays() {
  static auto* a = new Arrays;  // never destroyed: static destructors may still free arrays
  return *a;
}

// How many arrays are recorded: every delete[] and free() of the process
// asks, and with none recorded that is all it costs.
std::atomic<std::size_t> g_recorded{0};
// Set while this thread holds Arrays::mu: the map's own nodes are freed
// through free() too, which must not take the lock again.
thread_local bool t_locked = false;

struct Locked {
  explicit Locked(Arrays& a) : lock(a.mu) { t_locked = true; }
  ~Locked() { t_locked = false; }
  std::lock_guard<std::mutex> lock;
};

}  // namespace

// Memory given back anywhere in the process (a std::unique_ptr<T[]> in
// <memory>, a library, free() of a PL_EXTENT buffer) is forgotten, so that a
// later array at the same address is never saved with the old length.
void forget_array(void* p) noexcept {
  if (p && !t_locked && g_recorded.load(std::memory_order_relaxed) != 0) array_untrack(p);
}

void array_track(const void* begin, std::size_t bytes, ArrayType type) noexcept {
  if (!begin) return;
  Arrays& a = arrays();
  Locked lock(a);
  try {
    auto [it, fresh] =
        a.at.insert_or_assign(reinterpret_cast<std::uintptr_t>(begin), Block{bytes, type});
    (void)it;
    if (fresh) g_recorded.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    // Out of memory: the array is unknown, and a checkpoint through it refused.
  }
}

void array_untrack(const void* begin) noexcept {
  if (!begin) return;
  Arrays& a = arrays();
  Locked lock(a);
  if (a.at.erase(reinterpret_cast<std::uintptr_t>(begin)) != 0)
    g_recorded.fetch_sub(1, std::memory_order_relaxed);
}

bool array_find(const void* p, const void** begin, std::size_t* bytes, ArrayType* type) noexcept {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  Arrays& a = arrays();
  Locked lock(a);
  auto it = a.at.upper_bound(at);
  if (it == a.at.begin()) return false;
  it = std::prev(it);
  // Inside the array, or at the start of an empty one.
  const Block& b = it->second;
  if (at - it->first >= b.bytes && !(b.bytes == 0 && at == it->first)) return false;
  *begin = reinterpret_cast<const void*>(it->first);
  *bytes = b.bytes;
  if (type) *type = b.type;
  return true;
}

void array_locate(const void* p, std::size_t elem, const void** begin, std::size_t* n,
                  std::size_t* at, const ArrayType* type) {
  std::size_t bytes = 0;
  ArrayType allocated{nullptr, false};
  if (!p) throw FormatError("the loop writes through this pointer, which is null");
  if (!array_find(p, begin, &bytes, &allocated))
    throw FormatError(
        "the loop writes through this pointer, and pl saves what it points to as the array it "
        "points into, but knows no length for that memory (it was not allocated by `new T[n]` "
        "in instrumented code: a single object, a local or static array, malloc, another "
        "library); say the length with PL_EXTENT(p, n) (pl/marker.h) after the allocation, or "
        "hold the data in a container");
  if (type ? type->tag != allocated.tag : !allocated.trivial)
    throw FormatError(
        type ? "the array this pointer points into was allocated with elements of another "
               "type (a pointer of another type into it); pl saves it only through a pointer "
               "of its own element type"
             : "the array this pointer points into holds objects that are not plain bytes (a "
               "class with a vector, a string ...), and the pointer reads it as numbers; pl "
               "saves it only through a pointer of its own element type");
  const std::size_t offset =
      reinterpret_cast<std::uintptr_t>(p) - reinterpret_cast<std::uintptr_t>(*begin);
  if (bytes % elem != 0 || offset % elem != 0)
    throw FormatError("the array this pointer points into holds " + std::to_string(bytes) +
                      " bytes, not whole elements of " + std::to_string(elem) +
                      " bytes from where it points (a PL_EXTENT with the wrong type?)");
  *n = bytes / elem;
  *at = offset / elem;
}

void array_check_load(std::uint64_t saved_n, std::uint64_t saved_at, std::size_t n,
                      std::size_t at) {
  if (saved_n != n || saved_at != at)
    throw FormatError("the checkpoint holds an array of " + std::to_string(saved_n) +
                      " elements (the pointer at element " + std::to_string(saved_at) +
                      ") where the resumed program has one of " + std::to_string(n) +
                      " (the pointer at element " + std::to_string(at) + ")");
}

}  // namespace PL_ABI_VERSION_NS
}  // namespace pl::abi

// The replaceable array deallocation functions ([new.delete.array]): forget
// the array, then what the default ones do — call the single-object
// operator delete (which the program may itself have replaced). A program
// that replaces operator delete[] itself keeps its own (its arrays are then
// forgotten only by delete[] in instrumented code).
void operator delete[](void* p) noexcept {
  pl::abi::forget_array(p);
  ::operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  pl::abi::forget_array(p);
  ::operator delete(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  pl::abi::forget_array(p);
  ::operator delete(p);
}
void operator delete[](void* p, std::align_val_t a) noexcept {
  pl::abi::forget_array(p);
  ::operator delete(p, a);
}
void operator delete[](void* p, std::size_t, std::align_val_t a) noexcept {
  pl::abi::forget_array(p);
  ::operator delete(p, a);
}
void operator delete[](void* p, std::align_val_t a, const std::nothrow_t&) noexcept {
  pl::abi::forget_array(p);
  ::operator delete(p, a);
}

// free() and realloc() forget a PL_EXTENT buffer the same way (glibc: the
// real ones are __libc_free and __libc_realloc). Under a sanitizer, whose
// allocator comes first, these are not called.
#if defined(__GLIBC__)
extern "C" {
void __libc_free(void*);
void* __libc_realloc(void*, std::size_t);
void free(void* p) {
  pl::abi::forget_array(p);
  __libc_free(p);
}
void* realloc(void* p, std::size_t n) {
  pl::abi::forget_array(p);
  return __libc_realloc(p, n);
}
}
#endif
