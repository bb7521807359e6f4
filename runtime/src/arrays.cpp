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

#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
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

}  // namespace

void array_track(const void* begin, std::size_t bytes, ArrayType type) noexcept {
  if (!begin) return;
  Arrays& a = arrays();
  std::lock_guard lock(a.mu);
  try {
    a.at[reinterpret_cast<std::uintptr_t>(begin)] = Block{bytes, type};
  } catch (...) {
    // Out of memory: the array is unknown, and a checkpoint through it refused.
  }
}

void array_untrack(const void* begin) noexcept {
  if (!begin) return;
  Arrays& a = arrays();
  std::lock_guard lock(a.mu);
  a.at.erase(reinterpret_cast<std::uintptr_t>(begin));
}

bool array_find(const void* p, const void** begin, std::size_t* bytes, ArrayType* type) noexcept {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  Arrays& a = arrays();
  std::lock_guard lock(a.mu);
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
