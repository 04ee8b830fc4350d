// SPDX-License-Identifier: Apache-2.0
// SQLiteCpp adapter for the alert outbox (tables of migration 0002).
#include "store/outbox.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <utility>
#include <mutex>

#include "store/index.h"
#include "store/sqlite_status.h"

namespace vigil::store {
namespace fs = std::filesystem;

struct Outbox::Db {
  explicit Db(const fs::path& path)
      : db(path.string(), SQLite::OPEN_READWRITE, /*busy_timeout_ms=*/5000) {}
  std::mutex mu;
  SQLite::Database db;
};

namespace {

constexpr const char* kAlertCols =
    "id, rule, camera, snapshot_id, revision, stage, json, created_at_ms, "
    "updated_at_ms";

template <typename F>
auto Guard(const std::string& what, F&& f) -> decltype(f()) {
  return internal::GuardSqlite("outbox", what, std::forward<F>(f));
}

AlertRecord ReadAlert(SQLite::Statement& q) {
  AlertRecord a;
  a.id = q.getColumn(0).getString();
  a.rule = q.getColumn(1).getString();
  a.camera = q.getColumn(2).getString();
  if (!q.getColumn(3).isNull()) a.snapshot_id = q.getColumn(3).getInt64();
  a.revision = q.getColumn(4).getInt();
  a.stage = q.getColumn(5).getString();
  a.json = q.getColumn(6).getString();
  a.created_at_ms = q.getColumn(7).getInt64();
  a.updated_at_ms = q.getColumn(8).getInt64();
  return a;
}

void UpsertAlert(SQLite::Database& db, const AlertRecord& a, int64_t now_ms) {
  SQLite::Statement q(
      db,
      "INSERT INTO alerts (id, rule, camera, snapshot_id, revision, stage, "
      "json, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET snapshot_id = excluded.snapshot_id, "
      "revision = excluded.revision, stage = excluded.stage, "
      "json = excluded.json, updated_at_ms = excluded.updated_at_ms "
      "WHERE excluded.revision > alerts.revision");
  q.bind(1, a.id);
  q.bind(2, a.rule);
  q.bind(3, a.camera);
  if (a.snapshot_id) {
    q.bind(4, *a.snapshot_id);
  } else {
    q.bind(4);
  }
  q.bind(5, a.revision);
  q.bind(6, a.stage);
  q.bind(7, a.json);
  q.bind(8, a.created_at_ms ? a.created_at_ms : now_ms);
  q.bind(9, now_ms);
  q.exec();
}

}  // namespace

Outbox::Outbox(std::unique_ptr<Db> db) : db_(std::move(db)) {}
Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::Open(const fs::path& path) {
  {
    // Creates the file and applies migrations (0002 included) exactly as
    // the snapshot store does; a no-op when it is already up to date.
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Index> index, Index::Open(path));
  }
  return Guard("open '" + path.string() + "'",
               [&]() -> Result<std::unique_ptr<Outbox>> {
                 auto db = std::make_unique<Db>(path);
                 db->db.exec("PRAGMA foreign_keys = ON");
                 if (!db->db.tableExists("outbox")) {
                   return Corrupt("outbox: '" + path.string() +
                                  "' has no outbox table after migrating");
                 }
                 return std::unique_ptr<Outbox>(new Outbox(std::move(db)));
               });
}

Status Outbox::Enqueue(const AlertRecord& alert,
                       const std::vector<std::string>& receivers,
                       int64_t now_ms) {
  if (alert.id.empty() || alert.revision < 1) {
    return InvalidArgument("outbox: alert needs an id and revision >= 1");
  }
  std::lock_guard lock(db_->mu);
  return Guard("enqueue " + alert.id, [&]() -> Status {
    SQLite::Transaction tx(db_->db);
    UpsertAlert(db_->db, alert, now_ms);
    SQLite::Statement ins(
        db_->db,
        "INSERT OR IGNORE INTO outbox (alert_id, receiver, revision, payload,"
        " next_attempt_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)");
    for (const std::string& receiver : receivers) {
      ins.reset();
      ins.bind(1, alert.id);
      ins.bind(2, receiver);
      ins.bind(3, alert.revision);
      ins.bind(4, alert.json);
      ins.bind(5, now_ms);
      ins.bind(6, now_ms);
      ins.exec();
    }
    tx.commit();
    return OkStatus();
  });
}

Result<std::vector<OutboxItem>> Outbox::Pending(int limit) {
  std::lock_guard lock(db_->mu);
  return Guard("pending", [&]() -> Result<std::vector<OutboxItem>> {
    SQLite::Statement q(
        db_->db,
        "SELECT id, alert_id, receiver, revision, payload, attempts, "
        "next_attempt_ms, last_error FROM outbox WHERE delivered_at_ms IS "
        "NULL AND failed = 0 ORDER BY id LIMIT ?");
    q.bind(1, std::clamp(limit, 1, 10000));
    std::vector<OutboxItem> out;
    while (q.executeStep()) {
      OutboxItem it;
      it.id = q.getColumn(0).getInt64();
      it.alert_id = q.getColumn(1).getString();
      it.receiver = q.getColumn(2).getString();
      it.revision = q.getColumn(3).getInt();
      it.payload = q.getColumn(4).getString();
      it.attempts = q.getColumn(5).getInt();
      it.next_attempt_ms = q.getColumn(6).getInt64();
      it.last_error = q.getColumn(7).getString();
      out.push_back(std::move(it));
    }
    return out;
  });
}

Status Outbox::MarkDelivered(int64_t id, int64_t now_ms) {
  std::lock_guard lock(db_->mu);
  return Guard("mark delivered", [&]() -> Status {
    SQLite::Statement q(db_->db,
                        "UPDATE outbox SET delivered_at_ms = ?, attempts = "
                        "attempts + 1, last_error = '' WHERE id = ?");
    q.bind(1, now_ms);
    q.bind(2, id);
    if (q.exec() == 0) {
      return NotFound("outbox row " + std::to_string(id) + " not found");
    }
    return OkStatus();
  });
}

Status Outbox::MarkAttemptFailed(int64_t id, const std::string& error,
                                 int64_t next_attempt_ms, bool permanent) {
  std::lock_guard lock(db_->mu);
  return Guard("mark failed", [&]() -> Status {
    SQLite::Statement q(db_->db,
                        "UPDATE outbox SET attempts = attempts + 1, "
                        "last_error = ?, next_attempt_ms = ?, failed = ? "
                        "WHERE id = ?");
    q.bind(1, error.substr(0, 1000));
    q.bind(2, next_attempt_ms);
    q.bind(3, permanent ? 1 : 0);
    q.bind(4, id);
    if (q.exec() == 0) {
      return NotFound("outbox row " + std::to_string(id) + " not found");
    }
    return OkStatus();
  });
}

Result<std::vector<AlertRecord>> Outbox::ListAlerts(const AlertQuery& query) {
  std::lock_guard lock(db_->mu);
  return Guard("list alerts", [&]() -> Result<std::vector<AlertRecord>> {
    std::string sql =
        std::string("SELECT ") + kAlertCols + " FROM alerts WHERE 1";
    if (query.camera) sql += " AND camera = :camera";
    if (query.before_ms) sql += " AND created_at_ms < :before";
    sql += " ORDER BY created_at_ms DESC, id DESC LIMIT :limit";
    SQLite::Statement q(db_->db, sql);
    if (query.camera) q.bind(":camera", *query.camera);
    if (query.before_ms) q.bind(":before", *query.before_ms);
    q.bind(":limit", std::clamp(query.limit, 1, 500));
    std::vector<AlertRecord> out;
    while (q.executeStep()) out.push_back(ReadAlert(q));
    return out;
  });
}

Result<AlertRecord> Outbox::GetAlert(const std::string& id) {
  std::lock_guard lock(db_->mu);
  return Guard("get alert", [&]() -> Result<AlertRecord> {
    SQLite::Statement q(db_->db, std::string("SELECT ") + kAlertCols +
                                     " FROM alerts WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return NotFound("alert '" + id + "' not found");
    return ReadAlert(q);
  });
}

Result<OutboxCounts> Outbox::Counts() {
  std::lock_guard lock(db_->mu);
  return Guard("counts", [&]() -> Result<OutboxCounts> {
    SQLite::Statement q(
        db_->db,
        "SELECT COALESCE(SUM(delivered_at_ms IS NULL AND failed = 0), 0), "
        "COALESCE(SUM(delivered_at_ms IS NOT NULL), 0), "
        "COALESCE(SUM(failed != 0), 0) FROM outbox");
    OutboxCounts c;
    if (q.executeStep()) {
      c.pending = q.getColumn(0).getInt64();
      c.delivered = q.getColumn(1).getInt64();
      c.failed = q.getColumn(2).getInt64();
    }
    return c;
  });
}

Result<int64_t> Outbox::PruneBefore(int64_t before_ms) {
  std::lock_guard lock(db_->mu);
  return Guard("prune", [&]() -> Result<int64_t> {
    SQLite::Transaction tx(db_->db);
    SQLite::Statement rows(db_->db,
                           "DELETE FROM outbox WHERE created_at_ms < ? AND "
                           "(delivered_at_ms IS NOT NULL OR failed != 0)");
    rows.bind(1, before_ms);
    rows.exec();
    SQLite::Statement alerts(
        db_->db,
        "DELETE FROM alerts WHERE updated_at_ms < ? AND NOT EXISTS (SELECT 1 "
        "FROM outbox o WHERE o.alert_id = alerts.id)");
    alerts.bind(1, before_ms);
    const int64_t removed = alerts.exec();
    tx.commit();
    return removed;
  });
}

}  // namespace vigil::store
