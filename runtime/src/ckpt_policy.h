// Internal: checkpoint policies — when to checkpoint — and the stage of
// dispatch that applies them.
//
// A policy (pl::checkpoint(sel).every(50), or `checkpoint sel every=50` in
// PL_CONFIG) is not a hook: dispatch runs the policies of a site after every
// hook of the same boundary (a log row written at that boundary belongs
// before the checkpoint), at the ends of iterations and, with at_end, when
// the loop exits. A policy also answers SIGINT/SIGTERM: checkpoint at the
// next iteration end, then exit.
#ifndef PL_RUNTIME_CKPT_POLICY_H
#define PL_RUNTIME_CKPT_POLICY_H

#include <pl/pl.h>

#include <cstdint>

namespace pl::detail {

struct SiteRt;

// The policy stage of dispatch (only while g_checkpointing is set).
std::uint32_t run_checkpoint_policies(SiteRt& rt, abi::Loop& loop, abi::Event ev,
                                      const abi::PointDesc* point, void* const* addrs);

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_POLICY_H
