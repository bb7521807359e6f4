// Cost proportional to what is selected (runtime/src/loop_roles.h): with a
// hook or a policy on one loop, only that loop and the loops that may
// enclose it — by nesting, or through the call graph of the manifest — are
// tracked; loops below it and loops that cannot reach it keep mask 0 (their
// uninstrumented copy). Its own executable: the manifest registered here
// would make the hooks of the other runtime tests "match no loop".
#include <gtest/gtest.h>
#include <pl/pl.h>

#include <filesystem>
#include <string>

namespace {

namespace abi = pl::abi;

// outer -> mid -> leaf; other -> leaf; ptr -> "*"; ext -> a function no
// manifest defines; virt -> virtual:mid; unlisted: no manifest row at all.
const abi::ManifestLoop kLoops[] = {
    {"roles::outer/loop0", "roles.cpp", 1, "", "", "", "", "h", "", "c", "roles::outer", "roles::mid"},
    {"roles::mid/loop0", "roles.cpp", 2, "", "", "", "", "h", "", "c", "roles::mid", "roles::leaf"},
    {"roles::mid/loop0/loop1", "roles.cpp", 3, "", "", "", "", "h", "", "c", "roles::mid", ""},
    {"roles::leaf/loop0", "roles.cpp", 4, "", "", "", "", "h", "", "c", "roles::leaf", ""},
    {"roles::other/loop0", "roles.cpp", 5, "", "", "", "", "h", "", "c", "roles::other", "roles::leaf"},
    {"roles::ptr/loop0", "roles.cpp", 6, "", "", "", "", "h", "", "c", "roles::ptr", "*"},
    {"roles::ext/loop0", "roles.cpp", 7, "", "", "", "", "h", "", "c", "roles::ext", "elsewhere"},
    {"roles::virt/loop0", "roles.cpp", 8, "", "", "", "", "h", "", "c", "roles::virt", "virtual:mid"},
};
const abi::ManifestFunction kCalls[] = {
    {"roles::outer", "roles::mid"},  {"roles::mid", "roles::leaf"}, {"roles::leaf", ""},
    {"roles::other", "roles::leaf"}, {"roles::ptr", "*"},           {"roles::ext", "elsewhere"},
    {"roles::virt", "virtual:mid"},
};
[[maybe_unused]] const bool kRegistered =
    abi::register_manifest(kLoops, sizeof kLoops / sizeof kLoops[0]) &&
    abi::register_calls(kCalls, sizeof kCalls / sizeof kCalls[0]);

PL_SITE_(s_outer, "roles::outer/loop0", "roles.cpp", 1, kFor);
PL_SITE_(s_mid, "roles::mid/loop0", "roles.cpp", 2, kFor);
PL_SITE_(s_inner, "roles::mid/loop0/loop1", "roles.cpp", 3, kFor);
PL_SITE_(s_leaf, "roles::leaf/loop0", "roles.cpp", 4, kFor);
PL_SITE_(s_other, "roles::other/loop0", "roles.cpp", 5, kFor);
PL_SITE_(s_ptr, "roles::ptr/loop0", "roles.cpp", 6, kFor);
PL_SITE_(s_ext, "roles::ext/loop0", "roles.cpp", 7, kFor);
PL_SITE_(s_virt, "roles::virt/loop0", "roles.cpp", 8, kFor);
PL_SITE_(s_unlisted, "roles::unlisted/loop0", "roles.cpp", 9, kFor);

// What pl-instrument emits for `for (int i = 0; i < n; ++i) body();`, without locals.
template <class Body>
void run_loop(abi::Site& site, int n, Body body) {
  PL_NOVARS_(pl_p, 1);
  abi::Loop pl_l(site);
  PL_ENTER_(pl_l, pl_p, pl_x, n);
  for (int i = 0; i < n; ++i) {
    PL_BEGIN_(pl_l, pl_p, pl_x);
    body();
    PL_END_(pl_l, pl_p, pl_x);
  }
pl_x:
  PL_EXIT_(pl_l, pl_p);
}

void leaf() {
  run_loop(s_leaf, 2, [] {});
}
void mid() {
  run_loop(s_mid, 2, [] {
    run_loop(s_inner, 2, [] {});
    leaf();
  });
}
void run_all() {
  run_loop(s_outer, 2, mid);
  run_loop(s_other, 2, leaf);
  run_loop(s_ptr, 1, [] {});
  run_loop(s_ext, 1, [] {});
  run_loop(s_virt, 1, [] {});
  run_loop(s_unlisted, 1, [] {});
}

std::uint8_t mask(const abi::Site& s) { return s.mask.load(); }
bool tracked(const abi::Site& s) { return mask(s) & abi::kTrack; }

struct Roles : ::testing::Test {
  void SetUp() override { pl::reset(); }
  void TearDown() override { pl::reset(); }
};

TEST_F(Roles, NothingAttachedNothingTracked) {
  run_all();
  for (const abi::Site* s : {&s_outer, &s_mid, &s_inner, &s_leaf, &s_ptr, &s_unlisted})
    EXPECT_EQ(mask(*s), 0) << s->desc->name;
}

TEST_F(Roles, AHookTracksItsLoopAndWhatMayEncloseItOnly) {
  std::vector<std::string> seen;
  pl::Hook h = pl::on("roles::mid/loop0").at(pl::iteration_end).call([&](pl::Frame& f) {
    seen.push_back(std::string(f.enclosing(f.depth() - 1).name) + " " + std::to_string(f.depth()));
  });
  run_all();
  EXPECT_TRUE(tracked(s_outer));  // calls mid()
  EXPECT_TRUE(tracked(s_mid));
  EXPECT_TRUE(mask(s_mid) & abi::kEnd);
  EXPECT_TRUE(tracked(s_ptr));       // "*": may call anything
  EXPECT_TRUE(tracked(s_ext));       // calls code no manifest describes
  EXPECT_TRUE(tracked(s_virt));      // virtual:mid
  EXPECT_TRUE(tracked(s_unlisted));  // no manifest row: tracked
  // Below the hook's loop, or unable to reach it: their fast copy.
  EXPECT_EQ(mask(s_inner), 0);
  EXPECT_EQ(mask(s_leaf), 0);
  EXPECT_EQ(mask(s_other), 0);
  EXPECT_TRUE(abi::idle(s_leaf));
  // The hook still sees its enclosing loop in the other frame.
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "roles::outer/loop0 2");
  h.remove();
  run_all();
  EXPECT_EQ(mask(s_outer), 0);
  EXPECT_EQ(mask(s_mid), 0);
}

TEST_F(Roles, APolicyKeepsBeginStatesOfResolvedEnclosingLoopsOnly) {
  const std::string dir = (std::filesystem::temp_directory_path() / "pl_roles_test").string();
  pl::CheckpointPolicy p;
  p.selector = "roles::mid/loop0";
  p.every = 1000000;
  p.dir = dir;
  pl::Hook h = pl::attach_checkpoint(p);
  run_all();
  // outer calls mid(): its state when each iteration begins is kept.
  EXPECT_TRUE(tracked(s_outer));
  EXPECT_TRUE(mask(s_outer) & abi::kBegin);
  // Reaching it only through "*" or unseen code: tracked, learnt lazily.
  EXPECT_TRUE(tracked(s_ptr));
  EXPECT_FALSE(mask(s_ptr) & abi::kBegin);
  EXPECT_EQ(mask(s_leaf), 0);
  EXPECT_EQ(mask(s_inner), 0);
  EXPECT_EQ(mask(s_other), 0);
  h.remove();
  std::filesystem::remove_all(dir);
}

}  // namespace
