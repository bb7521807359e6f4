// Internal: the replay self-check (PL_RESUME_CHECK=1, pl-ckpt check-replay).
//
// A checking run resumes from the second-newest checkpoint of its policy's
// directory and runs on, writing no checkpoints, until it reaches the
// position of the newest one. There it builds the checkpoint it would take
// (ckpt_capture.h) and compares every variable record (state/, done/, set/)
// byte for byte with the newest file: state the analysis did not see — a
// static local, a global of another translation unit changed in the loop —
// shows as the first variable that differs, named with its loop. Exit
// status: 0 identical; 4 a variable differs, or the run ended or passed the
// newest position without reaching it; 2 no check possible (fewer than two
// usable checkpoints, the resume refused or diverged). On a difference the
// replayed checkpoint is written beside the others as replay-NNNNNN.plck,
// for `pl-ckpt diff`.
#ifndef PL_RUNTIME_CKPT_CHECK_H
#define PL_RUNTIME_CKPT_CHECK_H

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ckpt_capture.h"
#include "ckpt_loaded.h"

namespace pl::detail {

// PL_RESUME_CHECK is set (and not "0").
bool resume_check_requested();

// Of `files` (the directory's checkpoints, oldest first): the newest usable
// one becomes the target, and the newest older one at another position is
// returned, to resume from. Says why and exits with status 2 when there is
// no such pair, or when PL_RESUME_CHECK_DIR (set by pl-ckpt) names another
// directory than `dir`.
std::unique_ptr<LoadedCheckpoint> choose_for_check(
    const std::string& dir, const std::vector<std::pair<std::uint64_t, std::string>>& files);

// At an end of iteration (or exit) of a loop that a policy selects, once
// the resume has finished: at the target's position, compares and exits;
// past it, fails. `signal`: a SIGINT/SIGTERM arrived (the check stops).
void replay_check_at_boundary(const CheckpointRequest& q, int signal);

// PL_RESUME_CHECK is set but the configuration attached no policy: exits (2).
[[noreturn]] void refuse_check_without_policy();

// At exit: a checking run that never reached the target fails (status 4).
void replay_check_at_exit();

}  // namespace pl::detail

#endif  // PL_RUNTIME_CKPT_CHECK_H
