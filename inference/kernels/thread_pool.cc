// SPDX-License-Identifier: Apache-2.0
// Persistent workers woken by a generation counter: they spin briefly (a
// decode step issues ~10 loops per layer, faster than a futex round trip) and
// then sleep on a condition variable so idle pools cost no CPU (mutex +
// condvar rather than std::atomic::wait, whose 64-bit form goes through
// libstdc++'s shared proxy table).
#include "inference/kernels/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <condition_variable>
#include <mutex>
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

// Returns `requested` clamped to [1, VIGIL_MAX_THREADS].
int ClampThreads(int requested) {
  int n = requested < 1 ? 1 : requested;
  if (const char* cap = std::getenv("VIGIL_MAX_THREADS")) {
    const int max = std::atoi(cap);
    if (max >= 1 && n > max) n = max;
  }
  return n;
}

// About 20-50 us of polling before a worker goes to sleep.
constexpr int kSpinIterations = 1 << 12;

// Chunks per thread: threads claim them as they finish, so a thread that
// was slowed (a busy sibling, the hypervisor) does not hold up the loop
// while the others wait at the end.
constexpr size_t kChunksPerThread = 4;

}  // namespace

struct ThreadPool::Impl {
  std::vector<std::thread> workers;
  std::atomic<uint64_t> generation{0};
  std::atomic<int> pending{0};
  std::atomic<bool> stop{false};
  // Sleepers register in `sleepers` (seq_cst) before re-checking their
  // condition under `mutex`; a notifier that publishes its change (seq_cst)
  // and then sees no sleeper may skip the lock: one side always sees the
  // other (Dekker), so no wake-up is lost.
  std::atomic<int> sleepers{0};
  std::mutex mutex;
  std::condition_variable wake_workers;
  std::condition_variable wake_caller;
  // The current job; written by the caller before `generation` is bumped.
  const std::function<void(size_t, size_t, int)>* fn = nullptr;
  size_t n = 0;
  size_t n_chunks = 0;
  std::atomic<size_t> next_chunk{0};

  // Runs chunks of the current job until none is left.
  void RunChunks(int thread_index) {
    for (;;) {
      const size_t chunk = next_chunk.fetch_add(1, std::memory_order_relaxed);
      if (chunk >= n_chunks) return;
      const size_t begin = n * chunk / n_chunks;
      const size_t end = n * (chunk + 1) / n_chunks;
      if (begin < end) (*fn)(begin, end, thread_index);
    }
  }

  // Wakes sleepers on `cv` after the caller published its change.
  void Notify(std::condition_variable& cv) {
    if (sleepers.load() == 0) return;
    { std::lock_guard<std::mutex> lock(mutex); }
    cv.notify_all();
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
        sleepers.fetch_add(1);
        {
          std::unique_lock<std::mutex> lock(mutex);
          wake_workers.wait(lock, [&] { return generation.load() != seen; });
        }
        sleepers.fetch_sub(1);
        continue;
      }
      seen = gen;
      if (stop.load(std::memory_order_acquire)) return;
      RunChunks(index);
      if (pending.fetch_sub(1) == 1) Notify(wake_caller);
    }
  }
};

ThreadPool::ThreadPool(int n_threads)
    : n_threads_(ClampThreads(n_threads)), impl_(new Impl) {
  for (int i = 1; i < n_threads_; ++i) {
    impl_->workers.emplace_back([this, i] { impl_->WorkerLoop(i); });
  }
}

ThreadPool::~ThreadPool() {
  impl_->stop.store(true, std::memory_order_release);
  impl_->generation.fetch_add(1);
  impl_->Notify(impl_->wake_workers);
  for (std::thread& t : impl_->workers) t.join();
}

void ThreadPool::ParallelFor(
    size_t n, size_t grain,
    const std::function<void(size_t, size_t, int)>& fn) {
  if (n == 0) return;
  if (grain == 0) grain = 1;
  const size_t max_chunks = n / grain;  // every chunk gets >= grain items
  const size_t n_chunks = std::min(max_chunks, kChunksPerThread * n_threads_);
  if (n_chunks <= 1 || n_threads_ == 1) {
    fn(0, n, 0);
    return;
  }
  Impl& im = *impl_;
  im.fn = &fn;
  im.n = n;
  im.n_chunks = n_chunks;
  im.next_chunk.store(0, std::memory_order_relaxed);
  im.pending.store(n_threads_ - 1, std::memory_order_relaxed);
  im.generation.fetch_add(1);
  im.Notify(im.wake_workers);
  im.RunChunks(0);
  int left = im.pending.load(std::memory_order_acquire);
  for (int i = 0; left != 0 && i < kSpinIterations; ++i) {
    CpuRelax();
    left = im.pending.load(std::memory_order_acquire);
  }
  if (left != 0) {
    im.sleepers.fetch_add(1);
    {
      std::unique_lock<std::mutex> lock(im.mutex);
      im.wake_caller.wait(lock, [&] { return im.pending.load() == 0; });
    }
    im.sleepers.fetch_sub(1);
    left = 0;
  }
  VIGIL_CHECK(left == 0);
}

}  // namespace vigil::kernels
