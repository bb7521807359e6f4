// pl-ckpt: decoding of checkpoint record payloads (docs/CHECKPOINTS.md) from
// the record's C++ type spelling alone, without the program's types.
//
// The runtime's own records (`pl.meta`, `pl.position`, `pl.completed`) are
// decoded exactly and throw pl::FormatError when malformed. State records
// are decoded by their spelled type when it is one pl-ckpt knows (arithmetic,
// Eigen dense, sequences of arithmetic, std::string, random engines, hook
// offsets); every length is checked against the payload, and anything that
// does not decode cleanly is summarized as bytes instead.
#ifndef PL_TOOLS_PL_CKPT_DECODE_H
#define PL_TOOLS_PL_CKPT_DECODE_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ckpt_records.h"

namespace pl::ckpt {

// The runtime's own records, as libpl writes them (one schema for both).
using detail::Bytes;
using detail::CompletedLoop;
using detail::decode_completed;
using detail::decode_meta;
using detail::decode_position;
using detail::Meta;
using detail::PositionEntry;
using detail::shown_iteration;

// "enclosing loop in the same function", ... for a position entry's role.
std::string role_in_words(const PositionEntry& entry);
// One line: "site 3 > site/inner 50".
std::string position_summary(const std::vector<PositionEntry>& position);
// Local time of a unix time in nanoseconds: "2024-05-01 12:34:56".
std::string format_time(std::uint64_t time_ns);

// A one-line summary of a record's value: "3", "64 x 32, -0.5 .. 0.49, mean
// 0.001, L2 norm 8.2", "5 elements: 1, 2, 3, 4, ...", "12 bytes: 0a 0b ...".
std::string summarize(std::string_view name, std::string_view type, const Bytes& payload);

// How two payloads of the same type differ, for `pl-ckpt diff`: "3 -> 4
// (abs diff 1)", "max abs diff 0.25 at (3, 7)", "shape 2 x 3 -> 2 x 4",
// "first differing byte at offset 12".
std::string describe_difference(std::string_view type, const Bytes& a, const Bytes& b);

}  // namespace pl::ckpt

#endif  // PL_TOOLS_PL_CKPT_DECODE_H
