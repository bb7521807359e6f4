// pl-ckpt: list, show, verify and diff run on checkpoints written here with
// the runtime's own writer, in the layout of docs/CHECKPOINTS.md; damaged
// files and payloads that lie about their lengths.
#include <gtest/gtest.h>
#include <pl/serialize.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Eigen/Dense>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include "checkpoint_file.h"

namespace {

using pl::detail::CheckpointData;
using pl::detail::CheckpointRecord;

const char kMt19937[] =
    "std::mersenne_twister_engine<long unsigned int, 32, 624, 397, 31, 2567483615, 11, "
    "4294967295, 7, 2636928640, 15, 4022730752, 18, 1812433253>";
const char kMatrixXf[] = "Eigen::Matrix<float, -1, -1, 0, -1, -1>";

template <class... T>
std::vector<unsigned char> bytes_of(const T&... values) {
  pl::Writer w;
  (pl::save(w, values), ...);
  return w.take();
}

Eigen::MatrixXf weights() {
  Eigen::MatrixXf w(2, 3);
  w << 1, 2, 3, 4, -1, 0.5f;
  return w;
}

// A checkpoint of mlp::train/epoch/batch at the end of batch 50 of epoch 2.
CheckpointData training(std::uint64_t sequence, const Eigen::MatrixXf& w = weights()) {
  CheckpointData d;
  d.fingerprint =
      "pl-contract 6\n"
      "loop mlp::train/epoch state epoch:int src aaaa\n"
      "loop mlp::train/epoch/batch state W:Eigen::Matrix<float, -1, -1> src bbbb\n";
  auto add = [&d](std::string name, std::string type, std::vector<unsigned char> payload) {
    d.records.push_back({std::move(name), std::move(type), std::move(payload)});
  };
  add("pl.meta", "pl::Meta",
      bytes_of(std::string("./mlp"), std::uint64_t(1700000000) * 1000000000u, sequence,
               std::string("every"),
               std::string("mlp::train/epoch 2 > mlp::train/epoch/batch 50")));
  add("pl.position", "pl::Position",
      bytes_of(std::uint64_t(2), std::string("mlp::train/epoch"), std::uint64_t(0),
               std::uint64_t(3), std::uint8_t(1), std::string("mlp::train/epoch/batch"),
               std::uint64_t(0), std::uint64_t(51), std::uint8_t(2)));
  add("pl.trips", "pl::Trips", bytes_of(std::uint64_t(2), std::int64_t(10), std::int64_t(-1)));
  add("pl.completed", "pl::Completed",
      bytes_of(std::uint64_t(1), std::uint64_t(0), std::string("mlp::load/rows"),
               std::uint64_t(0)));
  add("state/0/epoch", "int", bytes_of(2));
  add("state/0/rng", kMt19937, bytes_of(std::mt19937(42)));
  add("state/0/name", "std::__cxx11::basic_string<char>", bytes_of(std::string("mnist")));
  add("state/1/W", kMatrixXf, bytes_of(w));
  add("state/1/losses", "std::vector<double>", bytes_of(std::vector<double>{1, 2, 3, 4, 5}));
  add("set/1/lr", "double", bytes_of(0.01));
  add("hook/log:metrics.csv", "pl::FileOffset", bytes_of(std::uint64_t(1234)));
  return d;
}

struct Result {
  int status;
  std::string output;  // stdout and stderr
};

Result pl_ckpt(const std::string& args) {
  std::string command = std::string(PL_CKPT) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Result run{-1, ""};
  if (!pipe) return run;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) run.output.append(buf, n);
  int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class PlCkpt : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "pl_ckpt_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string write(const std::string& name, const CheckpointData& data) {
    std::string path = dir_ + "/" + name;
    pl::detail::write_checkpoint(path, data);
    return path;
  }
  // Rewrites the file at `path` as its first `keep` bytes with `flip` XORed in at `at`.
  void damage(const std::string& path, std::size_t keep, std::size_t at = 0, unsigned flip = 0) {
    std::ifstream in(path, std::ios::binary);
    std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    b.resize(std::min(keep, b.size()));
    if (flip) b[at] = char(b[at] ^ flip);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << b;
  }
  std::string dir_;
};

std::size_t offset_of(const std::string& path, const std::string& needle) {
  std::ifstream in(path, std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return b.find(needle);
}

// Where the bytes of the weights() matrix start in the file at `path`.
std::size_t weights_offset(const std::string& path) {
  std::vector<unsigned char> w = bytes_of(weights());
  return offset_of(path, std::string(w.begin(), w.end()));
}

TEST_F(PlCkpt, ShowDecodesMetaPositionAndEveryRecord) {
  std::string path = write("ckpt-000002.plck", training(2));
  Result r = pl_ckpt("show " + path);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string& out = r.output;
  EXPECT_NE(out.find(": VALID, "), std::string::npos) << out;
  EXPECT_NE(out.find("fingerprint: 3 lines ('pl-contract 6', 2 loops)"), std::string::npos) << out;
  EXPECT_NE(out.find("program:     ./mlp\n"), std::string::npos) << out;
  EXPECT_NE(out.find("(1700000000000000000 ns)"), std::string::npos) << out;
  EXPECT_NE(out.find("sequence:    2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("reason:      every\n"), std::string::npos) << out;
  EXPECT_NE(out.find("position (2 loops, outermost first):"), std::string::npos) << out;
  EXPECT_NE(out.find("0  mlp::train/epoch                 0          2  enclosing loop in the "
                     "same function"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("1  mlp::train/epoch/batch           0         50  the checkpointed loop, "
                     "at the end of iteration 50"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("mlp::load/rows"), std::string::npos) << out;
  auto has_record = [&out](const std::string& name, const std::string& value) {
    std::size_t line = out.find("\n  " + name + " ");
    if (line == std::string::npos) return false;
    std::size_t end = out.find('\n', line + 1);
    return out.substr(line, end - line).find(value) != std::string::npos;
  };
  EXPECT_TRUE(has_record("pl.trips", "trip counts 10, ?")) << out;
  EXPECT_TRUE(has_record("state/0/epoch", "int ")) << out;
  EXPECT_TRUE(has_record("state/0/epoch", "  4  2")) << out;
  EXPECT_TRUE(has_record("state/0/rng", "engine state (625 words)")) << out;
  EXPECT_TRUE(has_record("state/0/name", "\"mnist\"")) << out;
  EXPECT_TRUE(has_record("state/1/W", kMatrixXf)) << out;
  EXPECT_TRUE(has_record("state/1/W", "2 x 3, -1 .. 4, mean 1.58333, L2 norm 5.59017")) << out;
  EXPECT_TRUE(has_record("state/1/losses", "5 elements: 1, 2, 3, 4, 5")) << out;
  EXPECT_TRUE(has_record("set/1/lr", "0.01")) << out;
  EXPECT_TRUE(has_record("hook/log:metrics.csv", "offset 1234")) << out;
  EXPECT_TRUE(
      has_record("pl.position", "2 entries: mlp::train/epoch 2 > mlp::train/epoch/batch 50"))
      << out;
}

TEST_F(PlCkpt, ShowFallsBackToBytesOnPayloadsThatLie) {
  CheckpointData d = training(1);
  std::uint64_t huge = ~std::uint64_t(0) / 2;
  d.records.push_back({"state/1/M", kMatrixXf, bytes_of(huge, huge, 1.0f)});
  d.records.push_back(
      {"state/1/R", kMatrixXf, bytes_of(std::uint64_t(0x100000000), std::uint64_t(0x100000000))});
  d.records.push_back({"state/1/v", "std::vector<float>", bytes_of(huge, 1.0f)});
  d.records.push_back({"state/1/s", "std::string", bytes_of(huge)});
  d.records.push_back({"state/1/i", "int", bytes_of(std::uint64_t(7))});
  d.records.push_back({"state/1/e", kMatrixXf, {}});
  d.records[1].payload = bytes_of(huge);  // pl.position
  Result r = pl_ckpt("show " + write("ckpt-000001.plck", d));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("state/1/M"), std::string::npos);
  EXPECT_NE(r.output.find("20 bytes: ff ff ff ff ff ff ff 7f ff ff"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("16 bytes: 00 00 00 00 01 00 00 00"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("12 bytes: ff ff ff ff ff ff ff 7f 00 00 80 3f"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("8 bytes: 07 00 00 00 00 00 00 00"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("0 bytes"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("position: malformed pl.position: pl: a length of"), std::string::npos)
      << r.output;
}

TEST_F(PlCkpt, ListOrdersBySequenceAndNamesTheDamage) {
  write("ckpt-000010.plck", training(10));
  write("ckpt-000002.plck", training(2));
  std::string truncated = write("ckpt-000003.plck", training(3));
  std::string corrupt = write("ckpt-000004.plck", training(4));
  write("notes.txt", training(5));  // not a checkpoint name: ignored
  // Cut in the middle of the payload of state/0/epoch: after its name, type and length.
  damage(truncated, offset_of(truncated, "state/0/epoch") + 13 + 8 + 3 + 8 + 2);
  std::size_t w_at = weights_offset(corrupt);
  ASSERT_NE(w_at, std::string::npos);
  damage(corrupt, std::size_t(-1), w_at + 20, 0x40);

  Result r = pl_ckpt("list " + dir_);
  ASSERT_EQ(r.status, 0) << r.output;
  std::size_t p2 = r.output.find("ckpt-000002.plck"), p3 = r.output.find("ckpt-000003.plck"),
              p4 = r.output.find("ckpt-000004.plck"), p10 = r.output.find("ckpt-000010.plck");
  ASSERT_NE(p10, std::string::npos) << r.output;
  EXPECT_TRUE(p2 < p3 && p3 < p4 && p4 < p10) << r.output;
  EXPECT_EQ(r.output.find("notes.txt"), std::string::npos) << r.output;
  std::string line10 = r.output.substr(p10, r.output.find('\n', p10) - p10);
  EXPECT_NE(line10.find(" 10  "), std::string::npos) << line10;
  EXPECT_NE(line10.find("every"), std::string::npos) << line10;
  EXPECT_NE(line10.find("mlp::train/epoch 2 > mlp::train/epoch/batch 50"), std::string::npos);
  EXPECT_NE(line10.find("VALID"), std::string::npos) << line10;
  std::string line3 = r.output.substr(p3, r.output.find('\n', p3) - p3);
  EXPECT_NE(line3.find("record 4 ('state/0/epoch')"), std::string::npos) << line3;
  EXPECT_EQ(line3.find("VALID"), std::string::npos) << line3;
  std::string line4 = r.output.substr(p4, r.output.find('\n', p4) - p4);
  EXPECT_NE(line4.find("record 7 ('state/1/W'): checksum mismatch"), std::string::npos) << line4;
}

TEST_F(PlCkpt, VerifyExitsOneAndPrintsEachFailure) {
  std::string good = write("ckpt-000001.plck", training(1));
  std::string truncated = write("ckpt-000002.plck", training(2));
  std::string corrupt = write("ckpt-000003.plck", training(3));
  damage(truncated, weights_offset(truncated) + 10);
  damage(corrupt, std::size_t(-1), weights_offset(corrupt) + 20, 0x01);

  Result ok = pl_ckpt("verify " + good);
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_EQ(ok.output, "");

  Result bad = pl_ckpt("verify " + good + " " + truncated + " " + corrupt);
  EXPECT_EQ(bad.status, 1) << bad.output;
  EXPECT_EQ(bad.output.find(good + ":"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find(truncated + ": record 7 ('state/1/W'): pl: a length of 40 exceeds"),
            std::string::npos)
      << bad.output;
  EXPECT_NE(bad.output.find(corrupt + ": record 7 ('state/1/W'): checksum mismatch\n"),
            std::string::npos)
      << bad.output;

  Result missing = pl_ckpt("verify " + good + " " + dir_ + "/none.plck");
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("none.plck: no such file"), std::string::npos) << missing.output;
}

TEST_F(PlCkpt, DiffOfIdenticalStateIgnoresMeta) {
  Result r = pl_ckpt("diff " + write("ckpt-000001.plck", training(1)) + " " +
                     write("ckpt-000002.plck", training(2)));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("fingerprint: same\nposition: same\nrecords: same\nidentical\n"),
            std::string::npos)
      << r.output;
}

TEST_F(PlCkpt, DiffReportsTheMatrixChangeAndTheAddedRecord) {
  Eigen::MatrixXf changed = weights();
  changed(1, 2) += 0.5f;
  changed(0, 1) -= 0.25f;
  CheckpointData b = training(2, changed);
  b.records.push_back({"state/1/momentum", "float", bytes_of(0.9f)});
  b.records[4].payload = bytes_of(3);                          // state/0/epoch
  b.records[1].payload[b.records[1].payload.size() - 9] = 52;  // batch index 51
  b.fingerprint.replace(b.fingerprint.find("src aaaa"), 8, "src cccc");
  Result r = pl_ckpt("diff " + write("ckpt-000001.plck", training(1)) + " " +
                     write("ckpt-000002.plck", b));
  EXPECT_EQ(r.status, 1) << r.output;
  const std::string& out = r.output;
  EXPECT_NE(out.find("loop mlp::train/epoch: src 'aaaa' -> 'cccc'"), std::string::npos) << out;
  EXPECT_NE(out.find("A: mlp::train/epoch 2 > mlp::train/epoch/batch 50;"), std::string::npos)
      << out;
  EXPECT_NE(out.find("B: mlp::train/epoch 2 > mlp::train/epoch/batch 51;"), std::string::npos)
      << out;
  EXPECT_NE(out.find("state/0/epoch: value differs: 2 -> 3 (abs diff 1)"), std::string::npos)
      << out;
  EXPECT_NE(
      out.find("state/1/W: value differs: max abs diff 0.5 at (1, 2), 2 of 6 elements differ"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("state/1/momentum: only in B (float, 4 bytes)"), std::string::npos) << out;
  EXPECT_NE(out.find("\ndifferent\n"), std::string::npos) << out;
}

TEST_F(PlCkpt, DiffReportsShapeTypeAndRemovedRecords) {
  CheckpointData b = training(2, Eigen::MatrixXf::Zero(3, 3));
  b.records[4].type = "long int";
  b.records.erase(b.records.begin() + 6);  // state/0/name
  Result r = pl_ckpt("diff " + write("a.plck", training(1)) + " " + write("b.plck", b));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("state/0/epoch: type changed: int -> long int"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("state/0/name: only in A"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("state/1/W: size changed: 40 -> 52 bytes; shape 2 x 3 -> 3 x 3"),
            std::string::npos)
      << r.output;
}

TEST_F(PlCkpt, UsageErrorsExitTwo) {
  std::string good = write("ckpt-000001.plck", training(1));
  EXPECT_EQ(pl_ckpt("").status, 2);
  Result unknown = pl_ckpt("frobnicate " + good);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(pl_ckpt("show").status, 2);
  EXPECT_EQ(pl_ckpt("diff " + good).status, 2);
  Result missing = pl_ckpt("show " + dir_ + "/none.plck");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("none.plck: no such file"), std::string::npos);
  EXPECT_EQ(pl_ckpt("diff " + good + " " + dir_ + "/none.plck").status, 2);
  EXPECT_EQ(pl_ckpt("list " + dir_ + "/none").status, 2);
  Result help = pl_ckpt("--help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.output.find("verify FILE..."), std::string::npos);
}

}  // namespace
