// pl-ckpt: what a record's C++ type spelling says about how pl::save
// encoded its payload (pl/serialize.h), read from the spelling alone.
//
// Spellings come from the compiler (GCC's "long unsigned int",
// "std::__cxx11::basic_string<char>", Clang's "unsigned long") or from a
// person ("std::uint64_t", "Eigen::MatrixXf"); all of these are understood.
// A type that is none of the kinds below is Encoding::kOther.
#ifndef PL_TOOLS_PL_CKPT_TYPES_H
#define PL_TOOLS_PL_CKPT_TYPES_H

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pl::ckpt {

// An arithmetic type: its bytes as pl::save wrote them (host byte order).
struct Scalar {
  enum Kind { kSigned, kUnsigned, kFloat, kBool, kChar } kind;
  std::size_t size;
};

struct Encoding {
  enum Kind {
    kOther,             // unknown: only its bytes can be shown
    kScalar,            // an arithmetic value
    kEigen,             // Eigen dense matrix/array: u64 rows, u64 cols, column-major scalars
    kSequence,          // std::vector/deque/list of arithmetic: u64 n, n scalars
    kFixedArray,        // std::array<arithmetic, length>: length scalars
    kString,            // std::string: u64 n, n bytes
    kEngineText,        // a standard random engine: its text state as a string
    kDistributionText,  // a standard distribution: its text state as a string
    kFileOffset,        // pl::FileOffset: u64
  } kind = kOther;
  Scalar scalar{};           // the element of kScalar, kEigen, kSequence, kFixedArray
  std::uint64_t length = 0;  // kFixedArray
};

Encoding encoding_of(std::string_view type);

}  // namespace pl::ckpt

#endif  // PL_TOOLS_PL_CKPT_TYPES_H
