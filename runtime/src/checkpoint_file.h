// Internal: the checkpoint file — versioned, data only, checksummed per
// record, committed atomically.
//
//   "PLCKPT01"                          magic and format version
//   u64 n, fingerprint[n]               what program and state layout wrote it
//   u64 count                           number of records
//   count x { u64 n, name[n]            e.g. "state/1/net" (ckpt_records.h)
//             u64 n, type[n]            the C++ type, for messages and checks
//             u64 n, payload[n]         pl::save() bytes
//             u32 crc32(name, type, payload) }
//   u32 crc32(everything above)         the whole file, last
//
// Every length is checked against the bytes left before anything is
// allocated, so a corrupt or hostile file can neither run code nor make the
// reader allocate without bound. Writing goes to a temporary file in the
// same directory, which is fsync'ed, renamed over the target, and the
// directory fsync'ed: a crash leaves the old checkpoint or the new one.
#ifndef PL_RUNTIME_CHECKPOINT_FILE_H
#define PL_RUNTIME_CHECKPOINT_FILE_H

#include <pl/serialize.h>

#include <string>
#include <vector>

namespace pl::detail {

struct CheckpointRecord {
  std::string name;
  std::string type;
  std::vector<unsigned char> payload;
};

struct CheckpointData {
  std::string fingerprint;
  std::vector<CheckpointRecord> records;
};

// Throws pl::Error (naming the path and the system error) when the file
// cannot be written; the previous file at `path` is then left intact.
void write_checkpoint(const std::string& path, const CheckpointData& data);

// Throws pl::FormatError naming the path and the part that is wrong
// (magic, header, record k and its name, final checksum).
CheckpointData read_checkpoint(const std::string& path);

}  // namespace pl::detail

#endif  // PL_RUNTIME_CHECKPOINT_FILE_H
