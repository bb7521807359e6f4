// The checkpoint file: round trip, every kind of damage detected and
// named, atomic replacement.
#include "../../runtime/src/checkpoint_file.h"

#include <gtest/gtest.h>
#include <pl/pl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace {

using pl::detail::CheckpointData;
using pl::detail::read_checkpoint;
using pl::detail::write_checkpoint;

CheckpointData sample() {
  CheckpointData d;
  d.fingerprint = "contract 3; mlp.cpp 0123abcd";
  pl::Writer w;
  pl::save(w, std::vector<double>{0.5, 0.25});
  d.records.push_back({"mlp::train/epoch#0/loss_history", "std::vector<double>", w.take()});
  pl::Writer e;
  pl::save(e, 7);
  d.records.push_back({"mlp::train/epoch#0/epoch", "int", e.take()});
  return d;
}

std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<unsigned char>& b) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

std::string error_of(const std::string& path) {
  try {
    read_checkpoint(path);
  } catch (const pl::FormatError& e) {
    return e.what();
  }
  return "(read fine)";
}

TEST(CheckpointFile, RoundTrip) {
  std::string path = ::testing::TempDir() + "pl_ckpt_roundtrip";
  write_checkpoint(path, sample());
  CheckpointData d = read_checkpoint(path);
  EXPECT_EQ(d.fingerprint, sample().fingerprint);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_EQ(d.records[1].name, "mlp::train/epoch#0/epoch");
  pl::Reader r(d.records[1].payload.data(), d.records[1].payload.size());
  int epoch = 0;
  pl::load(r, epoch);
  EXPECT_EQ(epoch, 7);
}

TEST(CheckpointFile, EveryTruncationIsDetected) {
  std::string path = ::testing::TempDir() + "pl_ckpt_trunc";
  write_checkpoint(path, sample());
  std::vector<unsigned char> good = read_bytes(path);
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    write_bytes(path, std::vector<unsigned char>(good.begin(), good.begin() + long(cut)));
    EXPECT_NE(error_of(path), "(read fine)") << "cut at " << cut;
  }
}

TEST(CheckpointFile, EveryCorruptByteIsDetectedAndTheDamageNamed) {
  std::string path = ::testing::TempDir() + "pl_ckpt_flip";
  write_checkpoint(path, sample());
  std::vector<unsigned char> good = read_bytes(path);
  bool named_record = false;
  for (std::size_t at = 0; at < good.size(); ++at) {
    std::vector<unsigned char> bad = good;
    bad[at] ^= 0x5a;
    write_bytes(path, bad);
    std::string err = error_of(path);
    EXPECT_NE(err, "(read fine)") << "flip at " << at;
    named_record |=
        err.find("record 1 ('mlp::train/epoch#0/epoch'): checksum mismatch") != std::string::npos;
  }
  EXPECT_TRUE(named_record) << "damage inside a record must name the record";
}

TEST(CheckpointFile, AFailedWriteLeavesThePreviousCheckpointIntact) {
  // A disk that fills up mid-write, simulated with a file-size limit (as
  // root, directory permissions would not stop the write).
  std::string path = ::testing::TempDir() + "pl_ckpt_full";
  write_checkpoint(path, sample());
  CheckpointData big = sample();
  big.fingerprint = std::string(64 * 1024, 'x');
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 4096;
  auto previous = std::signal(SIGXFSZ, SIG_IGN);
  ::setrlimit(RLIMIT_FSIZE, &small);
  std::string error;
  try {
    write_checkpoint(path, big);
  } catch (const pl::Error& e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  EXPECT_NE(error.find("cannot write"), std::string::npos) << error;
  EXPECT_EQ(read_checkpoint(path).fingerprint, sample().fingerprint);
  std::ifstream tmp(path + ".tmp" + std::to_string(::getpid()));
  EXPECT_FALSE(tmp.good()) << "the temporary file must be removed";
}

}  // namespace
