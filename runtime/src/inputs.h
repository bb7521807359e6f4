// Internal: what a run was given — its arguments and the files it read —
// recorded for the checkpoint fingerprint, so that a resume with other
// arguments or changed inputs refuses (docs/CHECKPOINTS.md) instead of
// mixing two runs' results.
//
// Files are recorded by interposing open/open64/openat/openat64/fopen/
// fopen64 in libpl: a regular file opened read-only is an input (path, size,
// modification time at its first opening), unless the process also opens it
// for writing or deletes it (its own output or temporary file; unlink,
// unlinkat and remove are interposed too), it lies under /proc, /sys or
// /dev, or it is pl's own (checkpoint files, PL_CONFIG).
#ifndef PL_RUNTIME_INPUTS_H
#define PL_RUNTIME_INPUTS_H

#include <cstdint>
#include <string>
#include <vector>

namespace pl::detail {

struct InputFile {
  std::string path;  // absolute
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

// Environment variables read with getenv/secure_getenv by the program's own
// code — the main program, or an object whose code is instrumented (it
// registered a manifest) — other than PL_*: their values in the initial
// environment are inputs too. Reads by libraries (libc, oneTBB, Open MPI)
// are not recorded: those describe the machine or the launch.
void note_instrumented_object(const void* inside);
std::vector<std::string> environment_read();

// argv[1...] of this process (/proc/self/cmdline). argv[0] is left out: the
// program's identity is the code fingerprint's business.
std::vector<std::string> program_arguments();
// The inputs read so far, in the order they were first opened.
std::vector<InputFile> input_files();

// Lines for the checkpoint fingerprint: "arg N <text>", "input <size> <mtime> <path>",
// "env NAME=value" or "env NAME" (not set) (newlines and backslashes escaped).
std::string render_inputs();
// Changes whenever input_files() (and so render_inputs()) may have changed.
std::uint64_t inputs_generation();
// Compares the arguments and inputs recorded in `fingerprint` with this
// run's arguments and with the files on disk now; one message per
// difference, e.g. "argument 2 was '4', now '5'", "input /d/x.gz changed:
// size 1000 -> 1200" or "environment variable SEED was '1', now '2'".
std::vector<std::string> input_differences(const std::string& fingerprint);

}  // namespace pl::detail

#endif  // PL_RUNTIME_INPUTS_H
