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

}  // namespace

extern const StateOps kRawStateOps[5] = {{&Raw<1>::save, &Raw<1>::load, &Raw<1>::bytes},
                                         {&Raw<2>::save, &Raw<2>::load, &Raw<2>::bytes},
                                         {&Raw<4>::save, &Raw<4>::load, &Raw<4>::bytes},
                                         {&Raw<8>::save, &Raw<8>::load, &Raw<8>::bytes},
                                         {&Raw<16>::save, &Raw<16>::load, &Raw<16>::bytes}};

}  // namespace PL_ABI_VERSION_NS
}  // namespace pl::abi
