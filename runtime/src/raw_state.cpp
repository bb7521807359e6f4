// The state operations of numbers and enums (abi::kRawStateOps): their bytes,
// as pl::save writes an arithmetic value, so emitted code that declares only
// such state needs neither pl/serialize.h nor a serializer per type.
#include <pl/abi.h>
#include <pl/serialize.h>

#include <cstring>

namespace pl::abi {
inline namespace PL_ABI_VERSION_NS {
namespace {

template <std::size_t N>
struct Raw {
  static void save(const void* o, Writer& w) { w.bytes(o, N); }
  static void load(void* o, Reader& r) { r.bytes(o, N); }
  static std::uint64_t bytes(const void*) { return N; }
};

template <std::size_t N>
struct RawArray {
  static void save(const void* o, Writer& w) {
    const void* begin = nullptr;
    std::size_t n = 0, at = 0;
    array_locate(*static_cast<const void* const*>(o), N, &begin, &n, &at);
    w.u64(n);
    w.u64(at);
    w.bytes(begin, n * N);
  }
  static void load(void* o, Reader& r) {
    const void* begin = nullptr;
    std::size_t n = 0, at = 0;
    array_locate(*static_cast<const void* const*>(o), N, &begin, &n, &at);
    std::uint64_t saved_n = r.u64(), saved_at = r.u64();
    array_check_load(saved_n, saved_at, n, at);
    r.bytes(const_cast<void*>(begin), n * N);
  }
  static std::uint64_t bytes(const void* o) {
    const void* begin = nullptr;
    std::size_t n = 0, at = 0;
    array_locate(*static_cast<const void* const*>(o), N, &begin, &n, &at);
    return 16 + n * N;
  }
};

}  // namespace

extern const StateOps kRawArrayOps[5] = {
    {&RawArray<1>::save, &RawArray<1>::load, &RawArray<1>::bytes},
    {&RawArray<2>::save, &RawArray<2>::load, &RawArray<2>::bytes},
    {&RawArray<4>::save, &RawArray<4>::load, &RawArray<4>::bytes},
    {&RawArray<8>::save, &RawArray<8>::load, &RawArray<8>::bytes},
    {&RawArray<16>::save, &RawArray<16>::load, &RawArray<16>::bytes}};

extern const StateOps kRawStateOps[5] = {{&Raw<1>::save, &Raw<1>::load, &Raw<1>::bytes},
                                         {&Raw<2>::save, &Raw<2>::load, &Raw<2>::bytes},
                                         {&Raw<4>::save, &Raw<4>::load, &Raw<4>::bytes},
                                         {&Raw<8>::save, &Raw<8>::load, &Raw<8>::bytes},
                                         {&Raw<16>::save, &Raw<16>::load, &Raw<16>::bytes}};

}  // namespace PL_ABI_VERSION_NS
}  // namespace pl::abi
