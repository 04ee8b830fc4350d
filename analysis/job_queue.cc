// SPDX-License-Identifier: Apache-2.0
#include "analysis/job_queue.h"

namespace vigil::analysis {

std::string_view TriggerName(Trigger t) {
  switch (t) {
    case Trigger::kOnDemand: return "on_demand";
    case Trigger::kMotion: return "motion";
    case Trigger::kPeriodic: return "periodic";
    case Trigger::kSentinel: break;
  }
  return "";
}

bool JobQueue::Push(Job job) {
  if (!EnumValid(job.trigger)) return false;
  std::lock_guard lock(mu_);
  if (closed_) return false;
  std::deque<Job>& lane = lanes_[size_t(job.trigger)];
  if (job.trigger != Trigger::kOnDemand) {
    for (Job& queued : lane) {
      if (queued.camera == job.camera) {  // coalesce: keep the newest frame
        queued = std::move(job);
        cv_.notify_one();
        return true;
      }
    }
  } else {
    for (const Job& queued : lane) {
      if (queued.snapshot_id == job.snapshot_id) return true;  // already in
    }
  }
  if (Count() >= capacity_) {
    // Evict the oldest job of a less urgent lane, else refuse.
    bool made_room = false;
    for (size_t l = 2; l > size_t(job.trigger) && !made_room; --l) {
      if (!lanes_[l].empty()) {
        lanes_[l].pop_front();
        made_room = true;
      }
    }
    ++dropped_;
    if (!made_room) return false;
  }
  lane.push_back(std::move(job));
  cv_.notify_one();
  return true;
}

std::optional<Job> JobQueue::Pop() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return closed_ || Count() > 0; });
  if (closed_) return std::nullopt;
  for (std::deque<Job>& lane : lanes_) {
    if (!lane.empty()) {
      Job j = std::move(lane.front());
      lane.pop_front();
      ++in_flight_;
      return j;
    }
  }
  return std::nullopt;
}

void JobQueue::Finish() {
  std::lock_guard lock(mu_);
  --in_flight_;
}

bool JobQueue::Idle() const {
  std::lock_guard lock(mu_);
  return Count() == 0 && in_flight_ == 0;
}

void JobQueue::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

size_t JobQueue::Count() const {
  return lanes_[0].size() + lanes_[1].size() + lanes_[2].size();
}

size_t JobQueue::size() const {
  std::lock_guard lock(mu_);
  return Count();
}

int64_t JobQueue::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace vigil::analysis
