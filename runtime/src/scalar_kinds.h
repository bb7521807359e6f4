// Internal: the C++ type of each arithmetic abi::ScalarKind — the one table
// behind every reading of raw bytes as a number (Frame::number and
// set_number, element views, pl-ckpt's summaries and diffs).
#ifndef PL_RUNTIME_SCALAR_KINDS_H
#define PL_RUNTIME_SCALAR_KINDS_H

#include <pl/abi.h>

#include <cstddef>
#include <cstdint>

// X(kind, C++ type) for every arithmetic abi::ScalarKind.
#define PL_SCALAR_KINDS(X) \
  X(kBool, bool)           \
  X(kChar, char)           \
  X(kI8, std::int8_t)      \
  X(kI16, std::int16_t)    \
  X(kI32, std::int32_t)    \
  X(kI64, std::int64_t)    \
  X(kU8, std::uint8_t)     \
  X(kU16, std::uint16_t)   \
  X(kU32, std::uint32_t)   \
  X(kU64, std::uint64_t)   \
  X(kF32, float)           \
  X(kF64, double)          \
  X(kF80, long double)

namespace pl::detail {

// abi::scalar_kind_of, in the contract header, maps the same types back.
#define PL_SCALAR_KIND_AGREES(kind, type) \
  static_assert(abi::scalar_kind_of<type>() == abi::kind, "scalar kind table and abi.h disagree");
PL_SCALAR_KINDS(PL_SCALAR_KIND_AGREES)
#undef PL_SCALAR_KIND_AGREES

// Calls fn with a value of the C++ type of `kind` (its value unused), and
// returns whether `kind` is an arithmetic kind at all.
template <class Fn>
bool with_scalar_type(abi::ScalarKind kind, Fn&& fn) {
  switch (kind) {
#define PL_SCALAR_KIND_CASE(kind, type) \
  case abi::kind:                       \
    fn(static_cast<type>(0));           \
    return true;
    PL_SCALAR_KINDS(PL_SCALAR_KIND_CASE)
#undef PL_SCALAR_KIND_CASE
    default:
      return false;
  }
}

// The kind of an arithmetic value known only by its category and size (how
// pl-ckpt reads a type's spelling); kNotScalar when there is none.
enum class ScalarCategory { kSigned, kUnsigned, kFloat, kBool, kChar };
constexpr abi::ScalarKind scalar_kind(ScalarCategory category, std::size_t size) {
  switch (category) {
    case ScalarCategory::kBool:
      return size == 1 ? abi::kBool : abi::kNotScalar;
    case ScalarCategory::kChar:
      return size == 1 ? abi::kChar : abi::kNotScalar;
    case ScalarCategory::kSigned:
      return size == 1 ? abi::kI8 : size == 2 ? abi::kI16 : size == 4 ? abi::kI32 : abi::kI64;
    case ScalarCategory::kUnsigned:
      return size == 1 ? abi::kU8 : size == 2 ? abi::kU16 : size == 4 ? abi::kU32 : abi::kU64;
    case ScalarCategory::kFloat:
      return size == sizeof(float)    ? abi::kF32
             : size == sizeof(double) ? abi::kF64
                                      : abi::kF80;
  }
  return abi::kNotScalar;
}

}  // namespace pl::detail

#endif  // PL_RUNTIME_SCALAR_KINDS_H
