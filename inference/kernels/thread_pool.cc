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
  size_t grain = 1;
  size_t n_threads = 1;
  std::atomic<size_t> next{0};

  // Claims and runs chunks of the current job until none is left. Each
  // claim takes 1 / (2 * threads) of what remains (at least `grain`, and
  // the rest when less than `grain` would be left): big chunks first, small
  // ones at the end, so a thread slowed by a busy sibling or the hypervisor
  // does not leave the others waiting, and threads finish within a small
  // chunk of each other.
  void RunChunks(int thread_index) {
    size_t begin = next.load(std::memory_order_relaxed);
    for (;;) {
      if (begin >= n) return;
      size_t end = begin + std::max(grain, (n - begin) / (2 * n_threads));
      if (end + grain > n) end = n;
      if (!next.compare_exchange_weak(begin, end, std::memory_order_relaxed)) continue;
      (*fn)(begin, end, thread_index);
      begin = next.load(std::memory_order_relaxed);
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
  if (n / grain <= 1 || n_threads_ == 1) {  // one chunk of >= grain items
    fn(0, n, 0);
    return;
  }
  Impl& im = *impl_;
  im.fn = &fn;
  im.n = n;
  im.grain = grain;
  im.n_threads = static_cast<size_t>(n_threads_);
  im.next.store(0, std::memory_order_relaxed);
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
