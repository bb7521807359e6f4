// State of tests/resume/replay_program.cpp that no checkpoint holds: a
// counter in another translation unit, advanced by every call.
namespace {
unsigned g_calls = 0;
}

unsigned next_draw() { return ++g_calls * 2654435761u % 1000u; }
