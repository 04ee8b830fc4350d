// SPDX-License-Identifier: Apache-2.0
// Persistent workers woken by a generation counter: they spin briefly (a
// decode step issues ~10 loops per layer, faster than a futex round trip) and
// then block in std::atomic::wait so idle pools cost no CPU.
#include "inference/kernels/thread_pool.h"

#include <atomic>
#include <thread>
#include <vector>

#include "common/check.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace vigil::kernels {
namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// About 20-50 us of polling before a worker goes to sleep.
constexpr int kSpinIterations = 1 << 12;

}  // namespace

struct ThreadPool::Impl {
  std::vector<std::thread> workers;
  std::atomic<uint64_t> generation{0};
  std::atomic<int> pending{0};
  std::atomic<bool> stop{false};
  // The current job; written by the caller before `generation` is bumped.
  const std::function<void(size_t, size_t, int)>* fn = nullptr;
  size_t n = 0;
  size_t n_chunks = 0;

  void RunChunk(size_t chunk, int thread_index) const {
    if (chunk >= n_chunks) return;
    const size_t begin = n * chunk / n_chunks;
    const size_t end = n * (chunk + 1) / n_chunks;
    if (begin < end) (*fn)(begin, end, thread_index);
  }

  void WorkerLoop(int index) {
    uint64_t seen = 0;
    for (;;) {
      uint64_t gen = generation.load(std::memory_order_acquire);
      for (int i = 0; gen == seen && i < kSpinIterations; ++i) {
        CpuRelax();
        gen = generation.load(std::memory_order_acquire);
      }
      if (gen == seen) {
        generation.wait(seen, std::memory_order_acquire);
        continue;
      }
      seen = gen;
      if (stop.load(std::memory_order_acquire)) return;
      RunChunk(static_cast<size_t>(index), index);
      if (pending.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        pending.notify_one();
      }
    }
  }
};

ThreadPool::ThreadPool(int n_threads)
    : n_threads_(n_threads < 1 ? 1 : n_threads), impl_(new Impl) {
  for (int i = 1; i < n_threads_; ++i) {
    impl_->workers.emplace_back([this, i] { impl_->WorkerLoop(i); });
  }
}

ThreadPool::~ThreadPool() {
  impl_->stop.store(true, std::memory_order_release);
  impl_->generation.fetch_add(1, std::memory_order_acq_rel);
  impl_->generation.notify_all();
  for (std::thread& t : impl_->workers) t.join();
}

void ThreadPool::ParallelFor(
    size_t n, size_t grain,
    const std::function<void(size_t, size_t, int)>& fn) {
  if (n == 0) return;
  if (grain == 0) grain = 1;
  const size_t max_chunks = n / grain;  // every chunk gets >= grain items
  const size_t n_chunks =
      max_chunks < static_cast<size_t>(n_threads_) ? max_chunks : n_threads_;
  if (n_chunks <= 1) {
    fn(0, n, 0);
    return;
  }
  Impl& im = *impl_;
  im.fn = &fn;
  im.n = n;
  im.n_chunks = n_chunks;
  im.pending.store(n_threads_ - 1, std::memory_order_relaxed);
  im.generation.fetch_add(1, std::memory_order_acq_rel);
  im.generation.notify_all();
  im.RunChunk(0, 0);
  int left = im.pending.load(std::memory_order_acquire);
  for (int i = 0; left != 0 && i < kSpinIterations; ++i) {
    CpuRelax();
    left = im.pending.load(std::memory_order_acquire);
  }
  while (left != 0) {
    im.pending.wait(left, std::memory_order_acquire);
    left = im.pending.load(std::memory_order_acquire);
  }
  VIGIL_CHECK(left == 0);
}

}  // namespace vigil::kernels
