// pl-ckpt check-replay: the replay self-check of a checkpoint directory
// (docs/CHECKPOINTS.md), run on the program that wrote it.
#ifndef PL_TOOLS_PL_CKPT_REPLAY_H
#define PL_TOOLS_PL_CKPT_REPLAY_H

#include <string>
#include <vector>

namespace pl::ckpt {

// `args`: DIR -- PROGRAM ARGS... Runs PROGRAM with PL_RESUME_CHECK=1 (the
// rest of the environment, PL_CONFIG included, as given), which resumes
// from DIR's second-newest checkpoint and compares the state at the newest
// one's position. Returns 0 when identical, 1 when a variable differs or
// the newest position is never reached, 2 when no check could be made.
int check_replay(const std::vector<std::string>& args);

}  // namespace pl::ckpt

#endif  // PL_TOOLS_PL_CKPT_REPLAY_H
