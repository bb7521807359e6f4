// Selector globs over full loop names.
#include <gtest/gtest.h>
#include <pl/pl.h>

TEST(Selector, StarStaysWithinOneSegment) {
  EXPECT_TRUE(pl::selector_matches("*/epoch", "mlp::train/epoch"));
  EXPECT_FALSE(pl::selector_matches("*/batch", "mlp::train/epoch/batch"));
  EXPECT_TRUE(pl::selector_matches("*/*/batch", "mlp::train/epoch/batch"));
  EXPECT_TRUE(pl::selector_matches("mlp::*/epoch", "mlp::train/epoch"));
}

TEST(Selector, DoubleStarCrossesSegments) {
  EXPECT_TRUE(pl::selector_matches("mlp::train/**", "mlp::train/epoch"));
  EXPECT_TRUE(pl::selector_matches("mlp::train/**", "mlp::train/epoch/batch"));
  EXPECT_TRUE(pl::selector_matches("**/batch", "mlp::train/epoch/batch"));
  EXPECT_TRUE(pl::selector_matches("**", "f/loop0"));
  EXPECT_FALSE(pl::selector_matches("mlp::train/**", "mlp::evaluate/loop0"));
}

TEST(Selector, QuestionMarkAndExactNames) {
  EXPECT_TRUE(pl::selector_matches("f/loop?", "f/loop3"));
  EXPECT_FALSE(pl::selector_matches("f/loop?", "f/loop12"));
  EXPECT_FALSE(pl::selector_matches("f?loop1", "f/loop1"));
  EXPECT_TRUE(pl::selector_matches("f/loop1", "f/loop1"));
  EXPECT_FALSE(pl::selector_matches("f/loop1", "f/loop10"));
  EXPECT_FALSE(pl::selector_matches("", "f/loop1"));
}

TEST(Selector, CommaSeparatedAlternatives) {
  EXPECT_TRUE(pl::selector_matches("*/epoch, */*/batch", "mlp::train/epoch/batch"));
  EXPECT_TRUE(pl::selector_matches("*/epoch,*/*/batch", "mlp::train/epoch"));
  EXPECT_FALSE(pl::selector_matches("*/epoch,*/*/batch", "mlp::train/loop0/x/y"));
}
