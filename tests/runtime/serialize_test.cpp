// pl/serialize.h: every built-in type round-trips exactly; hostile lengths
// are refused before anything is allocated.
#include <gtest/gtest.h>
#include <pl/serialize.h>

#include <Eigen/Dense>

namespace {

template <class T>
T round_trip(const T& v) {
  pl::Writer w;
  pl::save(w, v);
  std::vector<unsigned char> bytes = w.take();
  pl::Reader r(bytes.data(), bytes.size());
  T out{};
  pl::load(r, out);
  EXPECT_EQ(r.remaining(), 0u);
  return out;
}

enum class Phase : std::uint8_t { pretrain, finetune };

struct Net {
  Eigen::MatrixXf W;
  std::vector<double> history;
  float lr = 0;
};
template <class Archive>
void pl_serialize(Archive& ar, Net& n) {
  ar(n.W, n.history, n.lr);
}

TEST(Serialize, ScalarsStringsAndContainers) {
  EXPECT_EQ(round_trip(3.25), 3.25);
  EXPECT_EQ(round_trip(std::int64_t(-7)), -7);
  EXPECT_EQ(round_trip(Phase::finetune), Phase::finetune);
  EXPECT_EQ(round_trip(std::string("fold 3")), "fold 3");
  EXPECT_EQ(round_trip(std::vector<int>{1, 2, 3}), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(round_trip(std::vector<bool>{true, false, true}),
            (std::vector<bool>{true, false, true}));
  EXPECT_EQ(round_trip(std::array<float, 2>{0.5f, 1.5f}), (std::array<float, 2>{0.5f, 1.5f}));
  EXPECT_EQ(round_trip(std::deque<int>{4, 5}), (std::deque<int>{4, 5}));
  std::map<std::string, double> m{{"loss", 0.25}, {"acc", 0.9}};
  EXPECT_EQ(round_trip(m), m);
  std::unordered_map<int, std::string> um{{1, "a"}, {2, "b"}};
  EXPECT_EQ(round_trip(um), um);
  EXPECT_EQ(round_trip(std::set<int>{3, 1}), (std::set<int>{1, 3}));
  auto t = std::make_tuple(1, std::string("x"), std::pair<int, double>(2, 0.5));
  EXPECT_EQ(round_trip(t), t);
  EXPECT_EQ(round_trip(std::optional<int>(4)), std::optional<int>(4));
  EXPECT_EQ(round_trip(std::optional<int>()), std::optional<int>());
  std::variant<int, std::string> v = std::string("b");
  EXPECT_EQ(round_trip(v), v);
  auto p = round_trip(std::make_unique<int>(9));
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, 9);
}

TEST(Serialize, EigenMatricesOfAnyScalarAndShape) {
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(3, 4);
  EXPECT_EQ(round_trip(a), a);
  Eigen::Matrix<double, 2, 2> b;
  b << 1, 2, 3, 4;
  EXPECT_EQ(round_trip(b), b);
  Eigen::ArrayXi c = Eigen::ArrayXi::LinSpaced(5, 0, 4);
  EXPECT_TRUE((round_trip(c) == c).all());
  Eigen::VectorXd empty;
  EXPECT_EQ(round_trip(empty).size(), 0);
}

TEST(Serialize, RandomEnginesAndDistributionsContinueExactly) {
  std::mt19937 rng(42);
  for (int i = 0; i < 1000; ++i) rng();
  std::mt19937 copy = round_trip(rng);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng(), copy());
  std::normal_distribution<double> d(0.0, 1.0);
  std::mt19937_64 e(7);
  d(e);  // a normal distribution caches its second value
  auto d2 = round_trip(d);
  std::mt19937_64 e2 = e;
  for (int i = 0; i < 10; ++i) ASSERT_EQ(d(e), d2(e2));
}

TEST(Serialize, UserTypesThroughOneCustomizationPoint) {
  Net n{Eigen::MatrixXf::Constant(2, 2, 0.5f), {1.0, 0.5}, 0.1f};
  Net back = round_trip(n);
  EXPECT_EQ(back.W, n.W);
  EXPECT_EQ(back.history, n.history);
  EXPECT_EQ(back.lr, n.lr);
}

// No pl_serialize: saved field by field, nested aggregates and containers too.
struct Layer {
  Eigen::MatrixXf W;
  Eigen::VectorXf b;
};
struct Model {
  std::vector<Layer> layers;
  std::optional<int> best_epoch;
  std::unique_ptr<double> scale;
  std::array<Layer, 2> heads;
  std::mt19937 rng;
  double lr = 0.1;
};

TEST(Serialize, AggregatesFieldByFieldWithoutHelp) {
  EXPECT_EQ(pl::serial::field_count<Layer>(), 2u);
  EXPECT_EQ(pl::serial::field_count<Model>(), 6u);
  Model m;
  m.layers.push_back({Eigen::MatrixXf::Constant(2, 3, 1.5f), Eigen::VectorXf::Constant(2, -1.f)});
  m.best_epoch = 7;
  m.scale = std::make_unique<double>(0.25);
  m.heads[1].W = Eigen::MatrixXf::Identity(2, 2);
  m.rng.discard(5);
  m.lr = 0.003;
  Model back = round_trip(m);
  ASSERT_EQ(back.layers.size(), 1u);
  EXPECT_EQ(back.layers[0].W, m.layers[0].W);
  EXPECT_EQ(back.layers[0].b, m.layers[0].b);
  EXPECT_EQ(back.best_epoch, 7);
  ASSERT_TRUE(back.scale);
  EXPECT_EQ(*back.scale, 0.25);
  EXPECT_EQ(back.heads[1].W, m.heads[1].W);
  EXPECT_EQ(back.heads[0].W.size(), 0);
  EXPECT_EQ(back.rng(), m.rng());
  EXPECT_EQ(back.lr, m.lr);
}

TEST(Serialize, CountingWriterMatchesTheBytesWritten) {
  Model m;
  m.layers.resize(3, {Eigen::MatrixXf::Ones(4, 5), Eigen::VectorXf::Ones(4)});
  pl::Writer counter(pl::Writer::kCountOnly), writer;
  pl::save(counter, m);
  pl::save(writer, m);
  EXPECT_EQ(counter.size(), writer.data().size());
  EXPECT_TRUE(counter.data().empty());
  EXPECT_GT(counter.size(), 3u * (20 + 4) * sizeof(float));
}

TEST(Serialize, HostileLengthsAreRefusedBeforeAllocating) {
  pl::Writer w;
  w.u64(std::uint64_t(1) << 60);  // a "vector" of 2^60 elements, and nothing else
  std::vector<unsigned char> bytes = w.take();
  pl::Reader r(bytes.data(), bytes.size());
  std::vector<double> v;
  EXPECT_THROW(pl::load(r, v), pl::FormatError);
  pl::Writer m;
  m.u64(1 << 20);
  m.u64(1 << 20);  // a 2^40-element matrix in a 16-byte record
  std::vector<unsigned char> mb = m.take();
  pl::Reader mr(mb.data(), mb.size());
  Eigen::MatrixXd big;
  EXPECT_THROW(pl::load(mr, big), pl::FormatError);
  EXPECT_EQ(big.size(), 0);
}

TEST(Serialize, TruncatedStreamsAreReported) {
  pl::Writer w;
  pl::save(w, std::string("a longer string"));
  std::vector<unsigned char> bytes = w.take();
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    pl::Reader r(bytes.data(), cut);
    std::string s;
    EXPECT_THROW(pl::load(r, s), pl::FormatError) << "cut at " << cut;
  }
}

}  // namespace
