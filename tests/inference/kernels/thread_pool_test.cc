// SPDX-License-Identifier: Apache-2.0
// ThreadPool: every index is visited exactly once, chunks respect `grain`,
// thread indices are in range, and thousands of back-to-back loops complete.
#include "inference/kernels/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace vigil::kernels {
namespace {

class ThreadPoolTest : public ::testing::TestWithParam<int> {};

TEST_P(ThreadPoolTest, VisitsEachIndexOnce) {
  ThreadPool pool(GetParam());
  EXPECT_EQ(pool.size(), GetParam());
  for (size_t n : {1u, 2u, 7u, 64u, 1000u}) {
    std::vector<std::atomic<int>> hits(n);
    std::atomic<int> bad_thread{0};
    pool.ParallelFor(n, 1, [&](size_t b, size_t e, int tid) {
      if (tid < 0 || tid >= GetParam()) bad_thread++;
      for (size_t i = b; i < e; ++i) hits[i]++;
    });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << n << " " << i;
    EXPECT_EQ(bad_thread.load(), 0);
  }
}

TEST_P(ThreadPoolTest, ChunksAreAtLeastGrain) {
  ThreadPool pool(GetParam());
  std::atomic<size_t> min_chunk{1000};
  std::atomic<size_t> total{0};
  pool.ParallelFor(100, 30, [&](size_t b, size_t e, int) {
    size_t cur = min_chunk.load();
    while (e - b < cur && !min_chunk.compare_exchange_weak(cur, e - b)) {
    }
    total += e - b;
  });
  EXPECT_EQ(total.load(), 100u);
  EXPECT_GE(min_chunk.load(), 30u);
}

TEST_P(ThreadPoolTest, ManyBackToBackLoopsSumCorrectly) {
  ThreadPool pool(GetParam());
  std::vector<int64_t> partial(GetParam(), 0);
  int64_t expected = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t n = 1 + iter % 97;
    pool.ParallelFor(n, 1, [&](size_t b, size_t e, int tid) {
      for (size_t i = b; i < e; ++i) partial[tid] += static_cast<int64_t>(i);
    });
    expected += static_cast<int64_t>(n * (n - 1) / 2);
  }
  int64_t sum = 0;
  for (int64_t p : partial) sum += p;
  EXPECT_EQ(sum, expected);
}

INSTANTIATE_TEST_SUITE_P(Threads, ThreadPoolTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace vigil::kernels
