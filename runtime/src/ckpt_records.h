// Internal: the records a checkpoint file holds (docs/CHECKPOINTS.md), their
// names, and how the runtime's own records are encoded — compiled into both
// libpl (which writes and resumes) and pl-ckpt (which shows and compares).
//
//   pl.meta             pl::Meta       program, time, sequence, reason, summary
//   pl.position         pl::Position   the stack of loops at the checkpoint
//   pl.completed        pl::Completed  loops that completed in the current iterations
//   pl.trips            pl::Trips      each position entry's trip count when it was entered
//   state/K/VAR         (C++ type)     VAR of position entry K (pl::save bytes)
//   done/J/VAR          (C++ type)     VAR of completed loop J, at its exit
//   set/K/VAR           (C++ type)     a scalar a hook wrote, raw bytes
//   hook/KEY            (per source)   extra state (ckpt_extra_state.h): a log's length, ...
//   hookstate/KEY       (per hook)     the memory of a hook (hook_state.h)
//
// The fingerprint (the file's header text) says which program wrote it:
//   pl-contract N
//   loop NAME state VAR:TYPE,... src HASH      one line per loop, sorted (HASH: its code hash)
//   arg I TEXT                                 the program's arguments (inputs.h)
//   input SIZE MTIME PATH                      the files it read
#ifndef PL_RUNTIME_CKPT_RECORDS_H
#define PL_RUNTIME_CKPT_RECORDS_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pl::detail {

using Bytes = std::vector<unsigned char>;

inline constexpr char kMetaRecord[] = "pl.meta";
inline constexpr char kMetaType[] = "pl::Meta";
inline constexpr char kPositionRecord[] = "pl.position";
inline constexpr char kPositionType[] = "pl::Position";
inline constexpr char kCompletedRecord[] = "pl.completed";
inline constexpr char kCompletedType[] = "pl::Completed";
inline constexpr char kTripsRecord[] = "pl.trips";
inline constexpr char kTripsType[] = "pl::Trips";

// Prefixes of the variable records: state_prefix(2) + "net" = "state/2/net".
std::string state_prefix(std::size_t level);
std::string done_prefix(std::size_t index);
std::string set_prefix(std::size_t level);
inline constexpr char kExtraPrefix[] = "hook/";
// A hook's memory (hook_state.h): kHookStatePrefix + the hook's key.
inline constexpr char kHookStatePrefix[] = "hookstate/";

// Whether `name` is one of the runtime's own records (pl.meta, ...).
bool is_runtime_record(std::string_view name);

struct Meta {
  std::string program;
  std::uint64_t time_ns = 0;
  std::uint64_t sequence = 0;
  std::string reason;   // "every", "seconds", "signal", "end"
  std::string summary;  // "mlp::train/epoch 2 > mlp::train/epoch/batch 50"
};

// Where a position entry's loop stands relative to the next one.
enum Role : std::uint8_t {
  kOtherFrame = 0,  // encloses the next loop from another function: its begin state is saved
  kSameFrame = 1,   // encloses the next loop in the same function
  kHere = 2,        // the checkpointed loop, at the end of an iteration
  kExited = 3,      // the checkpointed loop, after it exited
};

struct PositionEntry {
  std::string site;
  std::uint64_t activation = 0;  // which activation of the site within its parent's iteration
  std::uint64_t iterations = 0;  // iterations begun
  std::uint8_t role = kOtherFrame;
};

struct CompletedLoop {
  std::uint64_t level = 0;  // position entries above it (0: the thread's top level)
  std::string site;
  std::uint64_t activation = 0;
};

Bytes encode_meta(const Meta& meta);
Bytes encode_position(const std::vector<PositionEntry>& position);
Bytes encode_completed(const std::vector<CompletedLoop>& loops);
// Per position entry, the trip count pl computed when the loop was entered
// (abi::Loop::trip; -1 when unknown): a replay must compute the same one.
Bytes encode_trips(const std::vector<std::int64_t>& trips);
// Each throws pl::FormatError when the payload is malformed or has bytes left over.
Meta decode_meta(const Bytes& payload);
std::vector<PositionEntry> decode_position(const Bytes& payload);
std::vector<CompletedLoop> decode_completed(const Bytes& payload);
std::vector<std::int64_t> decode_trips(const Bytes& payload);

// The iteration index a position entry is at (what people count: "batch 50"
// is the 51st begun).
std::uint64_t shown_iteration(const PositionEntry& entry);
// One line: "site 3 > site/inner 50" (no activations, as the runtime says it).
std::string position_summary_line(const std::vector<PositionEntry>& position);

// ---- fingerprint -------------------------------------------------------------

struct FingerprintLoop {
  std::string state;   // "epoch:int,net:Net"
  std::string source;  // the loop's code hash (pass code-fingerprint)
};

struct Fingerprint {
  std::string first_line;                       // "pl-contract 6"
  std::vector<std::string> other_lines;         // every line that is not a loop's
  std::map<std::string, FingerprintLoop> loops;  // by loop name
};

std::string contract_line(std::uint32_t contract_version);
// The text of a fingerprint: the contract line, then one line per loop
// (sorted, duplicates once).
std::string format_fingerprint(std::uint32_t contract_version,
                               const std::vector<std::pair<std::string, FingerprintLoop>>& loops);
Fingerprint parse_fingerprint(std::string_view text);

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_RECORDS_H
