// SPDX-License-Identifier: Apache-2.0
// The persisted alert outbox (migration 0002): alerts and one delivery row
// per (alert revision, receiver). The second SQLiteCpp adapter next to
// index.cc; it shares the index file and never touches snapshot tables.
// Payloads are opaque strings: the alerts/ concern defines their JSON.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigil::store {

// The latest state of one alert (one revision of its notification).
struct AlertRecord {
  std::string id;  // event id, stable across revisions
  std::string rule;
  std::string camera;
  std::optional<int64_t> snapshot_id;
  int32_t revision = 1;
  std::string stage;  // "motion" | "report"
  std::string json;   // notification payload of this revision
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// One undelivered notification for one receiver.
struct OutboxItem {
  int64_t id = 0;
  std::string alert_id;
  std::string receiver;
  int32_t revision = 0;
  std::string payload;
  int32_t attempts = 0;
  int64_t next_attempt_ms = 0;
  std::string last_error;
};

struct AlertQuery {
  std::optional<std::string> camera;
  std::optional<int64_t> before_ms;  // created_at_ms < before (paging)
  int limit = 50;                    // clamped to [1, 500]
};

struct OutboxCounts {
  int64_t pending = 0;  // not yet delivered, still retried
  int64_t delivered = 0;
  int64_t failed = 0;  // permanent errors
};

// Thread-safe (one mutex around the connection).
class Outbox {
 public:
  // Opens the index database at `db` (running pending migrations through
  // `Index::Open`, so 0002 exists) with its own connection. Errors as
  // `Index::Open`.
  static Result<std::unique_ptr<Outbox>> Open(const std::filesystem::path& db);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Upserts `alert` (by id; a lower revision never overwrites a higher one)
  // and queues one row per receiver for `alert.revision`, in one
  // transaction. Queuing the same (alert, receiver, revision) again is a
  // no-op, so callers may retry.
  Status Enqueue(const AlertRecord& alert,
                 const std::vector<std::string>& receivers, int64_t now_ms);
  // Returns up to `limit` undelivered, non-failed rows in queue order
  // (due or not: the sender keeps revisions of one alert in order).
  Result<std::vector<OutboxItem>> Pending(int limit);
  // Marks row `id` delivered (kNotFound for an unknown id).
  Status MarkDelivered(int64_t id, int64_t now_ms);
  // Records a failed attempt: attempts + 1, `error`, next try at
  // `next_attempt_ms`; `permanent` stops retries.
  Status MarkAttemptFailed(int64_t id, const std::string& error,
                           int64_t next_attempt_ms, bool permanent);

  // Returns alerts newest first.
  Result<std::vector<AlertRecord>> ListAlerts(const AlertQuery& query);
  Result<AlertRecord> GetAlert(const std::string& id);
  Result<OutboxCounts> Counts();
  // Deletes delivered or failed rows created before `before_ms`, and alerts
  // last updated before it that have no undelivered row left. Returns the
  // number of alerts removed. Pending rows are never pruned.
  Result<int64_t> PruneBefore(int64_t before_ms);

  struct Db;  // outbox.cc

 private:
  explicit Outbox(std::unique_ptr<Db> db);
  std::unique_ptr<Db> db_;
};

}  // namespace vigil::store
