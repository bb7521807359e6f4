//===- InstrumentLoops.h - Emit the loop-boundary calls ---------*- C++ -*-===//
//
/// \file
/// pass `instrument-loops`: the transform. For every loop the analysis
/// passes cleared, it wraps the loop in a block that owns the loop's site
/// and RAII activation, and inserts the four boundary points, each passing
/// the locals visible there:
///
/// \code
///   epoch: for (int e = 0; e < n; ++e) { if (bad) continue; step(); }
/// \endcode
/// becomes (on the same lines, so line numbers never move)
/// \code
///   epoch: { PL_SITE_(pl_s0, "f/epoch", ...); PL_VARS_(pl_p0e, ...);
///            ::pl::abi::Loop pl_l0(pl_s0); PL_ENTER_(pl_l0, pl_p0e, pl_x0, <trip>, n);
///     for (int e = 0; e < n; ++e) { PL_VARS_(pl_p0b, ...); PL_BEGIN_(pl_l0, ..., n, e);
///       if (bad) { PL_VARS_(pl_p0c0, ...); PL_END_(...); continue; } step();
///       PL_VARS_(pl_p0n, ...); PL_END_(pl_l0, ...); }
///   pl_x0: PL_EXIT_(pl_l0, pl_p0e, n); }
/// \endcode
/// In each point's table, the loop's checkpoint state that pl can save
/// (passes modified-vars, state-types) is declared `PL_S_(e)`, which gives
/// the runtime the variable's save and load; state whose type depends on a
/// template parameter `PL_SD_(x)` (`PL_SR_(x)` with --require-resumable),
/// saved if the instantiation's type can be; every other variable `PL_V_(n)`.
///
/// Versioning: an innermost loop (no loop, lambda, label or static local
/// inside, at most 4000 characters) is emitted twice,
/// \code
///   { PL_SITE_(...); if (::pl::abi::idle(pl_s0)) { <the original loop> }
///     else { <the instrumented loop> } }
/// \endcode
/// with `#line` directives so both copies report the original lines. While
/// no hook listens to the loop (and none is attached anywhere) the original
/// runs at full speed, vectorized; a hook attached while the loop runs
/// applies from its next activation.
///
/// The loop's own tokens are never rewritten, so conditions are evaluated
/// exactly as often as before. Exits other than falling out or `break`
/// (return, throw, goto) fire `loop_exit` from ~Loop. Insertions before a
/// loop that follows `#pragma` lines go before the pragmas, followed by a
/// `#line` directive, so the pragmas stay attached to their loop.
//
//===----------------------------------------------------------------------===//
#ifndef PL_PASSES_INSTRUMENTLOOPS_H
#define PL_PASSES_INSTRUMENTLOOPS_H

#include "LoopModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/Rewrite/Core/Rewriter.h"

namespace pl {

/// Adds the edits for the instrumentable loops of `File` to `RW`.
/// Returns the number of loops instrumented. With `Versioning`, innermost
/// loops whose body can be duplicated also get an uninstrumented copy that
/// runs while nothing listens to the loop (see the file comment).
/// `*NeedsSerializers` (if given) tells whether some point declares a state
/// variable, so that the file must include pl/abi_state.h.
unsigned runInstrumentLoops(clang::ASTContext &Ctx, const std::vector<LoopRecord> &Loops,
                            clang::FileID File, clang::Rewriter &RW, bool Versioning = true,
                            bool *NeedsSerializers = nullptr);

} // namespace pl

#endif // PL_PASSES_INSTRUMENTLOOPS_H
