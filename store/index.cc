// SPDX-License-Identifier: Apache-2.0
// SQLiteCpp adapter: migrations, snapshot rows, keyset paging, totals.
#include "store/index.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <utility>
#include <charconv>
#include <chrono>
#include <system_error>

#include "common/log.h"
#include "store/migrations/migrations.h"
#include "store/sqlite_status.h"

namespace vigil::store {
namespace fs = std::filesystem;

struct Index::Db {
  explicit Db(const fs::path& path)
      : db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
           /*busy_timeout_ms=*/5000) {}
  SQLite::Database db;
  // Prepared once: Save and reindex insert rows one at a time.
  std::unique_ptr<SQLite::Statement> delete_by_path;
  std::unique_ptr<SQLite::Statement> insert;
};

namespace {

constexpr const char* kCols =
    "id, camera, captured_at_ms, rel_path, size_bytes, width, height, kept, "
    "(SELECT r.json FROM reports r WHERE r.snapshot_id = snapshots.id "
    "ORDER BY r.created_at_ms DESC, r.id DESC LIMIT 1), audio_ms";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr char kReindexHint[] =
    " (run `vigil reindex` to rebuild from folders)";

Status FromSqlite(const std::string& what, const SQLite::Exception& e) {
  return internal::FromSqlite("index", what, e, kReindexHint);
}

template <typename F>
auto Guard(const std::string& what, F&& f) -> decltype(f()) {
  return internal::GuardSqlite("index", what, std::forward<F>(f), kReindexHint);
}

SnapshotRecord ReadRow(SQLite::Statement& q) {
  SnapshotRecord r;
  r.id = q.getColumn(0).getInt64();
  r.camera = q.getColumn(1).getString();
  r.captured_at_ms = q.getColumn(2).getInt64();
  r.rel_path = q.getColumn(3).getString();
  r.size_bytes = q.getColumn(4).getInt64();
  r.width = q.getColumn(5).getInt();
  r.height = q.getColumn(6).getInt();
  r.kept = q.getColumn(7).getInt() != 0;
  if (!q.getColumn(8).isNull()) r.report_json = q.getColumn(8).getString();
  if (!q.getColumn(9).isNull()) r.audio_ms = q.getColumn(9).getInt64();
  return r;
}

int64_t InsertRow(Index::Db& d, const SnapshotRecord& r) {
  if (!d.insert) {
    d.delete_by_path = std::make_unique<SQLite::Statement>(
        d.db, "DELETE FROM snapshots WHERE rel_path = ?");
    d.insert = std::make_unique<SQLite::Statement>(
        d.db,
        "INSERT INTO snapshots (camera, captured_at_ms, rel_path, size_bytes,"
        " width, height, kept, indexed_at_ms, audio_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }
  SQLite::Statement& del = *d.delete_by_path;
  del.reset();
  del.bind(1, r.rel_path);
  del.exec();
  SQLite::Statement& ins = *d.insert;
  ins.reset();
  ins.bind(1, r.camera);
  ins.bind(2, r.captured_at_ms);
  ins.bind(3, r.rel_path);
  ins.bind(4, r.size_bytes);
  ins.bind(5, r.width);
  ins.bind(6, r.height);
  ins.bind(7, r.kept ? 1 : 0);
  ins.bind(8, NowMs());
  if (r.audio_ms) {
    ins.bind(9, *r.audio_ms);
  } else {
    ins.bind(9);  // NULL: no clip
  }
  ins.exec();
  return d.db.getLastInsertRowid();
}

Status CheckIntegrity(SQLite::Database& db, const fs::path& path) {
  SQLite::Statement q(db, "PRAGMA quick_check");
  std::string first;
  if (q.executeStep()) first = q.getColumn(0).getString();
  if (first != "ok") {
    return Corrupt("index '" + path.string() + "' fails quick_check: " + first);
  }
  return OkStatus();
}

Status Migrate(SQLite::Database& db, const fs::path& path, bool existed,
               std::span<const Migration> migrations) {
  const int version = db.execAndGet("PRAGMA user_version").getInt();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    return Unsupported("index '" + path.string() + "' has schema version " +
                       std::to_string(version) +
                       " but this vigil knows up "
                       "to " +
                       std::to_string(latest) + "; upgrade vigil");
  }
  if (version == latest) return OkStatus();
  if (existed && version > 0) {
    // Frigate-style safety net: a copy of the old schema before touching it.
    const fs::path bak = path.string() + ".bak-v" + std::to_string(version);
    std::error_code ec;
    fs::remove(bak, ec);
    SQLite::Statement q(db, "VACUUM INTO ?");
    q.bind(1, bak.string());
    q.exec();
    log::Info("store", "backed up index to " + bak.string());
  }
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    SQLite::Transaction tx(db);  // a failing migration changes nothing
    try {
      db.exec(m.sql);
    } catch (const SQLite::Exception& e) {
      return FromSqlite(std::string("migration ") + m.name, e);
    }
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
    log::Info("store", std::string("applied migration ") + m.name);
  }
  return OkStatus();
}

}  // namespace

std::string EncodeCursor(int64_t captured_at_ms, int64_t id) {
  return std::to_string(captured_at_ms) + ":" + std::to_string(id);
}

Result<std::pair<int64_t, int64_t>> ParseCursor(std::string_view cursor) {
  const size_t colon = cursor.find(':');
  int64_t ms = 0, id = 0;
  auto parse = [](std::string_view s, int64_t* v) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
    return ec == std::errc() && end == s.data() + s.size();
  };
  if (colon == std::string_view::npos || !parse(cursor.substr(0, colon), &ms) ||
      !parse(cursor.substr(colon + 1), &id)) {
    return InvalidArgument("cursor '" + std::string(cursor.substr(0, 64)) +
                           "' is not of the form <ms>:<id>");
  }
  return std::make_pair(ms, id);
}

std::string ListSql(const SnapshotQuery& q) {
  std::string sql = std::string("SELECT ") + kCols + " FROM snapshots WHERE 1";
  if (q.camera) sql += " AND camera = :camera";
  if (q.from_ms) sql += " AND captured_at_ms >= :from";
  if (q.to_ms) sql += " AND captured_at_ms < :to";
  if (q.cursor) sql += " AND (captured_at_ms, id) < (:cms, :cid)";
  // Report filters (JSON1 over the analysis output, alerts/web issue 6).
  if (q.flag) {
    sql += " AND EXISTS (SELECT 1 FROM reports r, json_each(r.json, "
           "'$.flags') f WHERE r.snapshot_id = snapshots.id AND "
           "json_valid(r.json) AND f.value = :flag)";
  }
  if (q.subject_kind) {
    sql += " AND EXISTS (SELECT 1 FROM reports r, json_each(r.json, "
           "'$.subjects') s WHERE r.snapshot_id = snapshots.id AND "
           "json_valid(r.json) AND json_extract(s.value, '$.kind') = :kind)";
  }
  return sql + " ORDER BY captured_at_ms DESC, id DESC LIMIT :limit";
}

Index::Index(std::unique_ptr<Db> db) : db_(std::move(db)) {}
Index::~Index() = default;

Result<std::unique_ptr<Index>> Index::Open(
    const fs::path& path, std::span<const Migration> migrations) {
  return Guard(
      "open '" + path.string() + "'", [&]() -> Result<std::unique_ptr<Index>> {
        std::error_code ec;
        const bool existed = fs::file_size(path, ec) > 0 && !ec;
        auto db = std::make_unique<Db>(path);
        if (existed) VIGIL_RETURN_IF_ERROR(CheckIntegrity(db->db, path));
        db->db.exec("PRAGMA journal_mode = WAL");
        // WAL + NORMAL: a power cut may lose the last transactions,
        // never corrupt; reconcile re-adds rows for files that made it
        // to disk.
        db->db.exec("PRAGMA synchronous = NORMAL");
        db->db.exec("PRAGMA foreign_keys = ON");
        VIGIL_RETURN_IF_ERROR(Migrate(db->db, path, existed, migrations));
        return std::unique_ptr<Index>(new Index(std::move(db)));
      });
}

Result<SnapshotRecord> Index::Insert(SnapshotRecord row) {
  return Guard("insert", [&]() -> Result<SnapshotRecord> {
    SQLite::Transaction tx(db_->db);
    row.id = InsertRow(*db_, row);
    tx.commit();
    return row;
  });
}

Result<SnapshotRecord> Index::Get(int64_t id) {
  return Guard("get", [&]() -> Result<SnapshotRecord> {
    SQLite::Statement q(db_->db, std::string("SELECT ") + kCols +
                                     " FROM snapshots WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) {
      return NotFound("snapshot " + std::to_string(id) + " not found");
    }
    return ReadRow(q);
  });
}

Result<SnapshotPage> Index::List(const SnapshotQuery& query) {
  std::optional<std::pair<int64_t, int64_t>> after;
  if (query.cursor) {
    VIGIL_ASSIGN_OR_RETURN(after, ParseCursor(*query.cursor));
  }
  const int limit = std::clamp(query.limit, 1, 500);
  return Guard("list", [&]() -> Result<SnapshotPage> {
    SQLite::Statement q(db_->db, ListSql(query));
    if (query.camera) q.bind(":camera", *query.camera);
    if (query.from_ms) q.bind(":from", *query.from_ms);
    if (query.to_ms) q.bind(":to", *query.to_ms);
    if (query.flag) q.bind(":flag", *query.flag);
    if (query.subject_kind) q.bind(":kind", *query.subject_kind);
    if (after) {
      q.bind(":cms", after->first);
      q.bind(":cid", after->second);
    }
    q.bind(":limit", limit + 1);  // one extra row tells if a next page exists
    SnapshotPage page;
    while (q.executeStep()) page.items.push_back(ReadRow(q));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      const SnapshotRecord& last = page.items.back();
      page.next_cursor = EncodeCursor(last.captured_at_ms, last.id);
    }
    return page;
  });
}

Status Index::SetKept(int64_t id, bool kept) {
  return Guard("set kept", [&]() -> Status {
    SQLite::Statement q(db_->db, "UPDATE snapshots SET kept = ? WHERE id = ?");
    q.bind(1, kept ? 1 : 0);
    q.bind(2, id);
    if (q.exec() == 0) {
      return NotFound("snapshot " + std::to_string(id) + " not found");
    }
    return OkStatus();
  });
}

Status Index::SetAudio(int64_t id, std::optional<int64_t> audio_ms) {
  return Guard("set audio", [&]() -> Status {
    SQLite::Statement q(db_->db,
                        "UPDATE snapshots SET audio_ms = ? WHERE id = ?");
    if (audio_ms) {
      q.bind(1, *audio_ms);
    } else {
      q.bind(1);
    }
    q.bind(2, id);
    if (q.exec() == 0) {
      return NotFound("snapshot " + std::to_string(id) + " not found");
    }
    return OkStatus();
  });
}

Status Index::Apply(const IndexChanges& c) {
  return Guard("apply changes", [&]() -> Status {
    SQLite::Transaction tx(db_->db);
    SQLite::Statement del(db_->db, "DELETE FROM snapshots WHERE id = ?");
    for (int64_t id : c.remove) {
      del.bind(1, id);
      del.exec();
      del.reset();
    }
    SQLite::Statement upd(db_->db,
                          "UPDATE snapshots SET camera = ?, captured_at_ms = ?,"
                          " size_bytes = ?, width = ?, height = ?, kept = ?, "
                          "audio_ms = ? WHERE id = ?");
    for (const SnapshotRecord& r : c.update) {
      upd.bind(1, r.camera);
      upd.bind(2, r.captured_at_ms);
      upd.bind(3, r.size_bytes);
      upd.bind(4, r.width);
      upd.bind(5, r.height);
      upd.bind(6, r.kept ? 1 : 0);
      if (r.audio_ms) {
        upd.bind(7, *r.audio_ms);
      } else {
        upd.bind(7);
      }
      upd.bind(8, r.id);
      upd.exec();
      upd.reset();
    }
    for (const SnapshotRecord& r : c.add) InsertRow(*db_, r);
    tx.commit();
    return OkStatus();
  });
}

Result<std::vector<SnapshotRecord>> Index::RowsWithPrefix(
    std::string_view prefix) {
  return Guard("rows by path", [&]() -> Result<std::vector<SnapshotRecord>> {
    // A range on the UNIQUE(rel_path) index: [prefix, prefix + 0xFF).
    SQLite::Statement q(db_->db, std::string("SELECT ") + kCols +
                                     " FROM snapshots WHERE rel_path >= ? "
                                     "AND rel_path < ? ORDER BY rel_path");
    q.bind(1, std::string(prefix));
    q.bind(2, std::string(prefix) + "\xFF");
    std::vector<SnapshotRecord> rows;
    while (q.executeStep()) rows.push_back(ReadRow(q));
    return rows;
  });
}

Result<std::vector<std::string>> Index::DayPrefixes() {
  return Guard("day folders", [&]() -> Result<std::vector<std::string>> {
    SQLite::Statement q(db_->db,
                        "SELECT rel_path FROM snapshots WHERE rel_path >= ? "
                        "ORDER BY rel_path LIMIT 1");
    std::vector<std::string> out;
    std::string from;
    while (true) {
      q.reset();
      q.bind(1, from);
      if (!q.executeStep()) break;
      const std::string rel = q.getColumn(0).getString();
      const size_t slash = rel.rfind('/');
      const std::string prefix =
          rel.substr(0, slash == std::string::npos ? rel.size() : slash + 1);
      out.push_back(prefix);
      from = prefix + "\xFF";  // skip every row of this day folder
    }
    return out;
  });
}

Result<std::vector<SnapshotRecord>> Index::OldestUnkept(
    const std::optional<std::string>& camera, std::optional<int64_t> before_ms,
    int limit) {
  return Guard("oldest", [&]() -> Result<std::vector<SnapshotRecord>> {
    std::string sql =
        std::string("SELECT ") + kCols + " FROM snapshots WHERE kept = 0";
    if (camera) sql += " AND camera = :camera";
    if (before_ms) sql += " AND captured_at_ms < :before";
    sql += " ORDER BY captured_at_ms, id LIMIT :limit";
    SQLite::Statement q(db_->db, sql);
    if (camera) q.bind(":camera", *camera);
    if (before_ms) q.bind(":before", *before_ms);
    q.bind(":limit", limit);
    std::vector<SnapshotRecord> rows;
    while (q.executeStep()) rows.push_back(ReadRow(q));
    return rows;
  });
}

Result<StoreStats> Index::Stats() {
  return Guard("stats", [&]() -> Result<StoreStats> {
    SQLite::Statement q(
        db_->db,
        "SELECT t.camera, t.count, t.bytes, t.kept_count, "
        "(SELECT MIN(captured_at_ms) FROM snapshots s WHERE s.camera = "
        "t.camera), (SELECT MAX(captured_at_ms) FROM snapshots s WHERE "
        "s.camera = t.camera) FROM camera_totals t ORDER BY t.camera");
    StoreStats stats;
    while (q.executeStep()) {
      CameraStats c;
      c.camera = q.getColumn(0).getString();
      c.count = q.getColumn(1).getInt64();
      c.bytes = q.getColumn(2).getInt64();
      c.kept_count = q.getColumn(3).getInt64();
      c.oldest_ms = q.getColumn(4).getInt64();
      c.newest_ms = q.getColumn(5).getInt64();
      stats.count += c.count;
      stats.bytes += c.bytes;
      stats.cameras.push_back(std::move(c));
    }
    return stats;
  });
}

Result<std::vector<std::string>> Index::Cameras() {
  return Guard("cameras", [&]() -> Result<std::vector<std::string>> {
    SQLite::Statement q(db_->db,
                        "SELECT camera FROM camera_totals ORDER BY camera");
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<ReportRecord> Index::AddReport(ReportRecord report) {
  return Guard("add report", [&]() -> Result<ReportRecord> {
    SQLite::Statement q(db_->db,
                        "INSERT INTO reports (snapshot_id, model, prompt, json,"
                        " duration_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)");
    if (report.created_at_ms == 0) report.created_at_ms = NowMs();
    q.bind(1, report.snapshot_id);
    q.bind(2, report.model);
    q.bind(3, report.prompt);
    q.bind(4, report.json);
    q.bind(5, report.duration_ms);
    q.bind(6, report.created_at_ms);
    try {
      q.exec();
    } catch (const SQLite::Exception& e) {
      if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return NotFound("snapshot " + std::to_string(report.snapshot_id) +
                        " not found (report not stored)");
      }
      throw;
    }
    report.id = db_->db.getLastInsertRowid();
    return report;
  });
}

Result<std::optional<std::string>> Index::GetMeta(const std::string& key) {
  return Guard("meta", [&]() -> Result<std::optional<std::string>> {
    SQLite::Statement q(db_->db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(q.getColumn(0).getString());
  });
}

Status Index::SetMeta(const std::string& key, const std::string& value) {
  return Guard("meta", [&]() -> Status {
    SQLite::Statement q(db_->db,
                        "INSERT INTO meta (key, value) VALUES (?, ?) ON "
                        "CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
    return OkStatus();
  });
}

}  // namespace vigil::store
