#include <pl/abi.h>
#line 1 "@GOLDEN_DIR@/loops_nested.cpp"
// Golden: labels, the PL_LOOP marker, nesting, braceless bodies, pragmas.
#define PL_LOOP(name)

namespace train {
double fit(int epochs, int batches) {
  double loss = 1.0;
  PL_LOOP(epoch) { PL_SITE_(pl_s0, "train::fit/epoch", "@GOLDEN_DIR@/loops_nested.cpp", 7, kFor); PL_VARS_(pl_p0e, 7, PL_V_(epochs), PL_V_(batches), PL_S_(loss)); ::pl::abi::Loop pl_l0(pl_s0); PL_ENTER_(pl_l0, pl_p0e, pl_x0, ::pl::abi::trip_count((long double)(0), (long double)(epochs), 1, false), epochs, batches, loss); for (int e = 0; e < epochs; ++e)
    { PL_VARS_(pl_p0b, 8, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e)); PL_BEGIN_(pl_l0, pl_p0b, pl_x0, epochs, batches, loss, e); batch: { PL_SITE_(pl_s1, "train::fit/epoch/batch", "@GOLDEN_DIR@/loops_nested.cpp", 8, kFor); if (::pl::abi::idle(pl_s1)) {
#line 8 "@GOLDEN_DIR@/loops_nested.cpp"
           for (int b = batches; b >= 1; b -= 2) loss *= 0.5;
} else { PL_VARS_(pl_p1e, 8, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e)); ::pl::abi::Loop pl_l1(pl_s1); PL_ENTER_(pl_l1, pl_p1e, pl_x1, ::pl::abi::trip_count((long double)(batches), (long double)(1), -2, true), epochs, batches, loss, e); 
#line 8 "@GOLDEN_DIR@/loops_nested.cpp"
           for (int b = batches; b >= 1; b -= 2) { PL_VARS_(pl_p1b, 8, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e), PL_S_(b)); PL_BEGIN_(pl_l1, pl_p1b, pl_x1, epochs, batches, loss, e, b); loss *= 0.5; PL_VARS_(pl_p1n, 8, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e), PL_S_(b)); PL_END_(pl_l1, pl_p1n, pl_x1, epochs, batches, loss, e, b); } pl_x1: PL_EXIT_(pl_l1, pl_p1e, epochs, batches, loss, e); } } PL_VARS_(pl_p0n, 8, PL_V_(epochs), PL_V_(batches), PL_S_(loss), PL_S_(e)); PL_END_(pl_l0, pl_p0n, pl_x0, epochs, batches, loss, e); } pl_x0: PL_EXIT_(pl_l0, pl_p0e, epochs, batches, loss); }
  int hits = 0;
{ PL_SITE_(pl_s2, "train::fit/loop2", "@GOLDEN_DIR@/loops_nested.cpp", 11, kFor); if (::pl::abi::idle(pl_s2)) {
#line 10 "@GOLDEN_DIR@/loops_nested.cpp"
#pragma GCC unroll 2
  for (int i = 0; i < 4; ++i) hits += i;
} else { PL_VARS_(pl_p2e, 11, PL_V_(epochs), PL_V_(batches), PL_V_(loss), PL_S_(hits)); ::pl::abi::Loop pl_l2(pl_s2); PL_ENTER_(pl_l2, pl_p2e, pl_x2, ::pl::abi::trip_count((long double)(0), (long double)(4), 1, false), epochs, batches, loss, hits); 
#line 10 "@GOLDEN_DIR@/loops_nested.cpp"
#pragma GCC unroll 2
  for (int i = 0; i < 4; ++i) { PL_VARS_(pl_p2b, 11, PL_V_(epochs), PL_V_(batches), PL_V_(loss), PL_S_(hits), PL_S_(i)); PL_BEGIN_(pl_l2, pl_p2b, pl_x2, epochs, batches, loss, hits, i); hits += i; PL_VARS_(pl_p2n, 11, PL_V_(epochs), PL_V_(batches), PL_V_(loss), PL_S_(hits), PL_S_(i)); PL_END_(pl_l2, pl_p2n, pl_x2, epochs, batches, loss, hits, i); } pl_x2: PL_EXIT_(pl_l2, pl_p2e, epochs, batches, loss, hits); } }
  return loss + hits;
}
}  // namespace train

// pl-instrument: the loops of this file, for the runtime's checks.
#ifndef PL_MANIFEST_6981EE8C16C82B92
#define PL_MANIFEST_6981EE8C16C82B92
namespace {
const ::pl::abi::ManifestLoop pl_manifest_6981EE8C16C82B92[] = {
  {"train::fit/epoch", "@GOLDEN_DIR@/loops_nested.cpp", 7, "epochs,batches,loss,e",
   "loss:double,e:int", "", "", "6981EE8C16C82B92", "", "F4FB7B83F0846685",
   "train::fit", ""},
  {"train::fit/epoch/batch", "@GOLDEN_DIR@/loops_nested.cpp", 8, "epochs,batches,loss,e,b",
   "loss:double,e:int,b:int", "", "", "6981EE8C16C82B92", "", "11668A70CC60015B",
   "train::fit", ""},
  {"train::fit/loop2", "@GOLDEN_DIR@/loops_nested.cpp", 11, "epochs,batches,loss,hits,i",
   "hits:int,i:int", "", "", "6981EE8C16C82B92", "", "A0E9B571BE7A3F86",
   "train::fit", ""},
};
__attribute__((unused)) const bool pl_manifest_registered_6981EE8C16C82B92 =
    ::pl::abi::register_manifest(pl_manifest_6981EE8C16C82B92, 3);
const ::pl::abi::ManifestFunction pl_calls_6981EE8C16C82B92[] = {
  {"train::fit", "#EC7C8DC8E7FA2D67"},
};
__attribute__((unused)) const bool pl_calls_registered_6981EE8C16C82B92 =
    ::pl::abi::register_calls(pl_calls_6981EE8C16C82B92, 1);
}  // namespace
#endif
