// eigen_cg — a hook inside a library you do not own.
//
// Solves a sparse SPD system (the 2-D Poisson equation on an n x n grid)
// with Eigen's ConjugateGradient. Neither this file nor Eigen mentions pl:
// pl_instrument(eigen_cg HEADERS .../IterativeLinearSolvers/*) puts an
// instrumented copy of Eigen's CG header in a shadow include tree, and a
// hook attached by label — Eigen::internal::conjugate_gradient/loop0, the
// CG iteration loop — reads Eigen's own locals (residualNorm2, i, ...):
//
//   PL_HOOKS='log Eigen::internal::conjugate_gradient/loop0 vars=i,residualNorm2 file=-' ./eigen_cg
#include <Eigen/IterativeLinearSolvers>
#include <Eigen/Sparse>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 64;  // grid side
  if (n < 2 || n > 4096) {
    std::fprintf(stderr, "usage: eigen_cg [grid side 2..4096]\n");
    return 2;
  }
  const int N = n * n;
  std::vector<Eigen::Triplet<double>> entries;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const int k = r * n + c;
      entries.emplace_back(k, k, 4.0);
      if (r > 0) entries.emplace_back(k, k - n, -1.0);
      if (r + 1 < n) entries.emplace_back(k, k + n, -1.0);
      if (c > 0) entries.emplace_back(k, k - 1, -1.0);
      if (c + 1 < n) entries.emplace_back(k, k + 1, -1.0);
    }
  Eigen::SparseMatrix<double> A(N, N);
  A.setFromTriplets(entries.begin(), entries.end());
  Eigen::VectorXd b = Eigen::VectorXd::Ones(N);

  Eigen::ConjugateGradient<Eigen::SparseMatrix<double>, Eigen::Lower | Eigen::Upper> cg;
  cg.setTolerance(1e-10);
  cg.compute(A);
  Eigen::VectorXd x = cg.solve(b);
  std::printf("grid %dx%d: %ld iterations, estimated error %.3e, |Ax-b| %.3e\n", n, n,
              long(cg.iterations()), cg.error(), (A * x - b).norm());
  return cg.info() == Eigen::Success ? 0 : 1;
}
