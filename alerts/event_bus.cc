// SPDX-License-Identifier: Apache-2.0
#include "alerts/event_bus.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vigil::alerts {

EventBus::EventBus(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)) {}

uint64_t EventBus::Publish(std::string type, std::string data_json) {
  uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    ring_.push_back({id, std::move(type), std::move(data_json)});
    while (ring_.size() > capacity_) ring_.pop_front();
  }
  cv_.notify_all();
  return id;
}

std::vector<LiveEvent> EventBus::WaitAfter(uint64_t after,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || next_id_ - 1 > after; });
  std::vector<LiveEvent> out;
  if (closed_) return out;
  for (const LiveEvent& e : ring_) {
    if (e.id > after) out.push_back(e);
  }
  return out;
}

uint64_t EventBus::last_id() const {
  std::lock_guard lock(mu_);
  return next_id_ - 1;
}

void EventBus::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool EventBus::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

void PublishSnapshot(EventBus& bus, int64_t snapshot_id,
                     const std::string& camera) {
  nlohmann::json j = {{"id", snapshot_id}, {"camera", camera}};
  bus.Publish("snapshot",
              j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void PublishReport(EventBus& bus, int64_t snapshot_id,
                   const std::string& camera) {
  nlohmann::json j = {{"snapshot_id", snapshot_id}, {"camera", camera}};
  bus.Publish("report",
              j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace vigil::alerts
