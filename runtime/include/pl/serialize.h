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

// Everything: every standard header pl saves types of, then their
// serializers (pl/detail/serialize_std.h adds those of the headers included
// before it, so all of them here). The order matters: no include sorting.
// clang-format off
#include <array>
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

#include <pl/detail/serialize_std.h>
// clang-format on

#endif  // PL_SERIALIZE_H
