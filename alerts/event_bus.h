// SPDX-License-Identifier: Apache-2.0
// Live events for the gallery (`/api/events`, Server-Sent Events): a small
// in-memory ring of recent events that readers wait on. Not persisted: a
// client that reconnects with `Last-Event-ID` gets what the ring still holds.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace vigil::alerts {

struct LiveEvent {
  uint64_t id = 0;   // increasing from 1; the SSE `id:`
  std::string type;  // "snapshot", "report", "alert", "camera"
  std::string data;  // one JSON object (no newlines)
};

// Thread-safe.
class EventBus {
 public:
  explicit EventBus(size_t capacity = 512);

  // Appends an event and wakes waiting readers; returns its id.
  uint64_t Publish(std::string type, std::string data_json);
  // Returns the events with id > `after` still held, waiting up to `timeout`
  // for one when there are none. Empty after the timeout or `Close()`.
  std::vector<LiveEvent> WaitAfter(uint64_t after,
                                   std::chrono::milliseconds timeout);
  uint64_t last_id() const;
  // Wakes every reader for good (shutdown); later waits return at once.
  void Close();
  bool closed() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LiveEvent> ring_;
  size_t capacity_;
  uint64_t next_id_ = 1;
  bool closed_ = false;
};

// Publishes "snapshot" {"id", "camera"}: a new snapshot was stored (the
// web layer sends the full snapshot JSON to its clients).
void PublishSnapshot(EventBus& bus, int64_t snapshot_id,
                     const std::string& camera);
// Publishes "report" {"snapshot_id", "camera"}: a report was stored.
void PublishReport(EventBus& bus, int64_t snapshot_id,
                   const std::string& camera);

}  // namespace vigil::alerts
