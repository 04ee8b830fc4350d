// SPDX-License-Identifier: Apache-2.0
// A fixed pool of worker threads for data-parallel loops (Highway 1.0.3 has no
// contrib/thread_pool). The calling thread takes part as worker 0.
// Thread-compatible: one caller at a time runs `ParallelFor`.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace vigil::kernels {

class ThreadPool {
 public:
  // `n_threads` >= 1 counts the caller; 1 runs everything inline. The
  // environment variable VIGIL_MAX_THREADS, when set to N >= 1, caps it
  // (emulators without working threads, shared boxes).
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return n_threads_; }

  // Splits [0, n) into contiguous chunks of at least `grain` items and calls
  // `fn(begin, end, thread_index)` for each, returning when all are done.
  void ParallelFor(size_t n, size_t grain,
                   const std::function<void(size_t, size_t, int)>& fn);

 private:
  struct Impl;
  int n_threads_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil::kernels
