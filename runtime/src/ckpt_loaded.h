// Internal: a checkpoint file as a resume reads it, and whether it fits this
// program — the fingerprint (contract, loops and their state layouts and
// sources, arguments, input files) compared with this run's, refused with
// the reasons or accepted (PL_RESUME_FORCE for the soft ones).
#ifndef PL_RUNTIME_CKPT_LOADED_H
#define PL_RUNTIME_CKPT_LOADED_H

#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint_file.h"
#include "ckpt_records.h"

namespace pl::detail {

struct LoadedCheckpoint {
  std::string file;
  CheckpointData data;
  std::vector<PositionEntry> pos;
  std::vector<CompletedLoop> done;
  std::vector<std::int64_t> trips;  // per position entry; empty in files without pl.trips
  Meta meta;
};

// Reads and decodes `file`; throws pl::FormatError (or pl::Error) naming
// what is wrong.
LoadedCheckpoint load_checkpoint_file(const std::string& file);

// The fingerprint of this program: its contract version, its loops, its
// arguments and inputs.
std::string program_fingerprint();

// Returns when `c` fits this program (or PL_RESUME_FORCE accepts the
// differences, one warning each); otherwise says why and exits with status 2.
void refuse_unless_fits(const LoadedCheckpoint& c);

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_LOADED_H
