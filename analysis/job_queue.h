// SPDX-License-Identifier: Apache-2.0
// The analysis queue: on-demand requests first, then motion-triggered, then
// periodic snapshots; FIFO within a priority. A newer motion or periodic job
// replaces the queued one of the same camera (the newest frame matters), and
// when full the least urgent oldest job makes room.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "vision/motion.h"

namespace vigil::analysis {

enum class Trigger : uint8_t { kOnDemand, kMotion, kPeriodic, kSentinel };
inline bool EnumValid(Trigger t) { return t < Trigger::kSentinel; }
// "on_demand", "motion", "periodic".
std::string_view TriggerName(Trigger t);

struct Job {
  Trigger trigger = Trigger::kPeriodic;
  int64_t snapshot_id = 0;
  std::string camera;
  int64_t captured_at_ms = 0;
  std::optional<vision::Rect> motion_bounds;  // full-frame pixels
  int32_t frame_width = 0;                    // size `motion_bounds` uses
  int32_t frame_height = 0;
};

// Thread-safe.
class JobQueue {
 public:
  explicit JobQueue(size_t capacity) : capacity_(capacity) {}

  // Returns false when the job was dropped (queue full of more urgent work,
  // or closed).
  bool Push(Job job);
  // Blocks for the most urgent job; nullopt once closed. The job counts as
  // in flight until `Finish()`.
  std::optional<Job> Pop();
  void Finish();
  // True when nothing is queued or in flight.
  bool Idle() const;
  // Wakes Pop() callers; later pushes are refused.
  void Close();
  size_t size() const;
  int64_t dropped() const;

 private:
  size_t Count() const;  // mu_ held
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> lanes_[3];
  size_t capacity_;
  bool closed_ = false;
  int in_flight_ = 0;
  int64_t dropped_ = 0;
};

}  // namespace vigil::analysis
