// The checkpoint file: see checkpoint_file.h.
#include "checkpoint_file.h"

#include <fcntl.h>
#include <pl/pl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace pl::detail {
namespace {

constexpr char kMagic[] = "PLCKPT01";
constexpr std::size_t kMagicSize = 8;

std::uint32_t crc(std::uint32_t c, const void* p, std::size_t n) {
  return std::uint32_t(crc32(c, static_cast<const Bytef*>(p), uInt(n)));
}

void put_u32(std::vector<unsigned char>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

std::uint32_t get_u32(Reader& r) {
  unsigned char b[4];
  r.bytes(b, 4);
  return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 |
         std::uint32_t(b[3]) << 24;
}

std::string system_error(const std::string& what, const std::string& path) {
  return "pl: cannot " + what + " '" + path + "': " + std::strerror(errno);
}

void write_all(int fd, const unsigned char* p, std::size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t k = ::write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) throw Error(system_error("write", path));
    p += k;
    n -= std::size_t(k);
  }
}

}  // namespace

void write_checkpoint(const std::string& path, const CheckpointData& data) {
  Writer w;
  w.bytes(kMagic, kMagicSize);
  save(w, data.fingerprint);
  w.u64(data.records.size());
  std::vector<unsigned char> out = w.take();
  for (const CheckpointRecord& rec : data.records) {
    Writer rw;
    save(rw, rec.name);
    save(rw, rec.type);
    save(rw, rec.payload);
    std::vector<unsigned char> body = rw.take();
    std::uint32_t c = crc(0, rec.name.data(), rec.name.size());
    c = crc(c, rec.type.data(), rec.type.size());
    c = crc(c, rec.payload.data(), rec.payload.size());
    out.insert(out.end(), body.begin(), body.end());
    put_u32(out, c);
  }
  put_u32(out, crc(0, out.data(), out.size()));

  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(system_error("create", tmp));
  try {
    write_all(fd, out.data(), out.size(), tmp);
    if (::fsync(fd) != 0) throw Error(system_error("fsync", tmp));
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string msg = system_error("rename into place", path);
    ::unlink(tmp.c_str());
    throw Error(msg);
  }
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  int dfd = ::open(dir.empty() ? "/" : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // the rename itself survives a crash
    ::close(dfd);
  }
}

CheckpointData read_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FormatError(system_error("open", path));
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  auto fail = [&](const std::string& what) -> FormatError {
    return FormatError("pl: checkpoint '" + path + "': " + what);
  };
  if (bytes.size() < kMagicSize + 4 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    throw fail("not a pl checkpoint of this format (bad magic)");
  // Records first, so that a damaged file names the damaged record; the
  // checksum of the whole file last.
  const std::size_t body = bytes.size() - 4;
  Reader r(bytes.data() + kMagicSize, body - kMagicSize);
  CheckpointData data;
  try {
    load(r, data.fingerprint);
  } catch (const FormatError& e) {
    throw fail(std::string("header: ") + e.what());
  }
  std::size_t count = 0;
  try {
    count = r.count(3 * 8 + 4);
  } catch (const FormatError& e) {
    throw fail(std::string("header: ") + e.what());
  }
  for (std::size_t k = 0; k < count; ++k) {
    CheckpointRecord rec;
    try {
      load(r, rec.name);
      load(r, rec.type);
      load(r, rec.payload);
      std::uint32_t c = crc(0, rec.name.data(), rec.name.size());
      c = crc(c, rec.type.data(), rec.type.size());
      c = crc(c, rec.payload.data(), rec.payload.size());
      if (get_u32(r) != c) throw FormatError("checksum mismatch");
    } catch (const FormatError& e) {
      throw fail("record " + std::to_string(k) + (rec.name.empty() ? "" : " ('" + rec.name + "')") +
                 ": " + e.what());
    }
    data.records.push_back(std::move(rec));
  }
  if (r.remaining() != 0)
    throw fail(std::to_string(r.remaining()) + " unexpected bytes after the records");
  Reader tail(bytes.data() + body, 4);
  if (get_u32(tail) != crc(0, bytes.data(), body))
    throw fail("file checksum mismatch (truncated or corrupt)");
  return data;
}

}  // namespace pl::detail
