// SPDX-License-Identifier: Apache-2.0
// SQLiteCpp adapter for reports and their full-text index; its exceptions
// stop here.
#include "store/report_search.h"
#include "store/sqlite_status.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <utility>
#include <chrono>
#include <mutex>

namespace vigil::store {

struct ReportIndex::Db {
  explicit Db(const std::filesystem::path& path)
      : db(path.string(), SQLite::OPEN_READWRITE, /*busy_timeout_ms=*/5000) {}
  SQLite::Database db;
  std::mutex mu;
};

namespace {

constexpr const char* kSelect =
    "SELECT r.id, r.snapshot_id, s.camera, s.captured_at_ms, r.model, "
    "r.prompt, r.json, r.timings, r.duration_ms, r.created_at_ms ";

StoredReport ReadReport(SQLite::Statement& q) {
  StoredReport r;
  r.id = q.getColumn(0).getInt64();
  r.snapshot_id = q.getColumn(1).getInt64();
  r.camera = q.getColumn(2).getString();
  r.captured_at_ms = q.getColumn(3).getInt64();
  r.model = q.getColumn(4).getString();
  r.prompt_version = q.getColumn(5).getString();
  r.json = q.getColumn(6).getString();
  r.timings_json = q.getColumn(7).getString();
  r.duration_ms = q.getColumn(8).getInt64();
  r.created_at_ms = q.getColumn(9).getInt64();
  return r;
}

template <typename F>
auto Guard(const std::string& what, F&& f) -> decltype(f()) {
  return internal::GuardSqlite("reports", what, std::forward<F>(f));
}

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

Result<std::optional<StoredReport>> One(SQLite::Statement& q) {
  if (!q.executeStep()) return std::optional<StoredReport>();
  return std::optional<StoredReport>(ReadReport(q));
}

}  // namespace

Result<std::string> FtsQuery(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && IsWordByte(uint8_t(text[i]))) {
      cur.push_back(text[i]);
    } else if (!cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
    if (words.size() >= 16) break;  // a search box, not a document
  }
  if (words.empty()) {
    return InvalidArgument("search needs at least one word (letters or "
                           "digits)");
  }
  std::string q;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) q += " ";
    q += "\"" + words[i] + "\"";  // quoted: no FTS operators from users
    if (i + 1 == words.size()) q += "*";
  }
  return q;
}

ReportIndex::ReportIndex(std::unique_ptr<Db> db) : db_(std::move(db)) {}
ReportIndex::~ReportIndex() = default;

Result<std::unique_ptr<ReportIndex>> ReportIndex::Open(
    const std::filesystem::path& path) {
  return Guard("open", [&]() -> Result<std::unique_ptr<ReportIndex>> {
    auto db = std::make_unique<Db>(path);
    db->db.exec("PRAGMA foreign_keys = ON");
    if (!db->db.tableExists("reports_fts")) {
      return Unsupported("reports: " + path.string() +
                         " has no reports_fts table (migration 0003 not "
                         "applied; open the store first)");
    }
    return std::unique_ptr<ReportIndex>(new ReportIndex(std::move(db)));
  });
}

Result<StoredReport> ReportIndex::Add(StoredReport r) {
  std::lock_guard lock(db_->mu);
  return Guard("add", [&]() -> Result<StoredReport> {
    if (r.created_at_ms == 0) {
      r.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    }
    SQLite::Statement snap(db_->db,
                           "SELECT camera, captured_at_ms FROM snapshots "
                           "WHERE id = ?");
    snap.bind(1, r.snapshot_id);
    if (!snap.executeStep()) {
      return NotFound("snapshot " + std::to_string(r.snapshot_id) +
                      " not found (report not stored)");
    }
    r.camera = snap.getColumn(0).getString();
    r.captured_at_ms = snap.getColumn(1).getInt64();
    SQLite::Statement q(db_->db,
                        "INSERT INTO reports (snapshot_id, model, prompt, "
                        "json, timings, duration_ms, created_at_ms) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, r.snapshot_id);
    q.bind(2, r.model);
    q.bind(3, r.prompt_version);
    q.bind(4, r.json);
    q.bind(5, r.timings_json.empty() ? std::string("{}") : r.timings_json);
    q.bind(6, r.duration_ms);
    q.bind(7, r.created_at_ms);
    q.exec();
    r.id = db_->db.getLastInsertRowid();
    return r;
  });
}

Result<std::optional<StoredReport>> ReportIndex::LatestForSnapshot(
    int64_t snapshot_id) {
  std::lock_guard lock(db_->mu);
  return Guard("latest for snapshot",
               [&]() -> Result<std::optional<StoredReport>> {
    SQLite::Statement q(db_->db, std::string(kSelect) +
        "FROM reports r JOIN snapshots s ON s.id = r.snapshot_id "
        "WHERE r.snapshot_id = ? ORDER BY r.created_at_ms DESC, r.id DESC "
        "LIMIT 1");
    q.bind(1, snapshot_id);
    return One(q);
  });
}

Result<std::optional<StoredReport>> ReportIndex::LatestForCamera(
    const std::string& camera) {
  std::lock_guard lock(db_->mu);
  return Guard("latest for camera",
               [&]() -> Result<std::optional<StoredReport>> {
    SQLite::Statement q(db_->db, std::string(kSelect) +
        "FROM snapshots s JOIN reports r ON r.snapshot_id = s.id "
        "WHERE s.camera = ? ORDER BY s.captured_at_ms DESC, r.id DESC "
        "LIMIT 1");
    q.bind(1, camera);
    return One(q);
  });
}

Result<std::vector<ReportSearchHit>> ReportIndex::Search(
    const ReportSearchQuery& query) {
  VIGIL_ASSIGN_OR_RETURN(std::string match, FtsQuery(query.text));
  std::lock_guard lock(db_->mu);
  return Guard("search", [&]() -> Result<std::vector<ReportSearchHit>> {
    std::string sql = std::string(kSelect) +
        ", snippet(reports_fts, 0, '[', ']', '...', 12) "
        "FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid "
        "JOIN snapshots s ON s.id = r.snapshot_id "
        "WHERE reports_fts MATCH :q";
    if (query.camera) sql += " AND s.camera = :camera";
    sql += " ORDER BY rank LIMIT :limit";
    SQLite::Statement q(db_->db, sql);
    q.bind(":q", match);
    if (query.camera) q.bind(":camera", *query.camera);
    q.bind(":limit", std::clamp(query.limit, 1, 200));
    std::vector<ReportSearchHit> hits;
    while (q.executeStep()) {
      hits.push_back({ReadReport(q), q.getColumn(10).getString()});
    }
    return hits;
  });
}

Result<int64_t> ReportIndex::Count() {
  std::lock_guard lock(db_->mu);
  return Guard("count", [&]() -> Result<int64_t> {
    return db_->db.execAndGet("SELECT count(*) FROM reports").getInt64();
  });
}

}  // namespace vigil::store
