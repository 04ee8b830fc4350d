// SPDX-License-Identifier: Apache-2.0
// The SQLite index of the snapshot folders; the only SQLiteCpp user
// (SQLiteCpp exceptions are caught here and turned into Status).
// Thread-compatible: SnapshotStore serializes every call.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/migrations/migrations.h"
#include "store/snapshot.h"
#include "store/snapshot_store.h"

namespace vigil::store {

// "<captured_at_ms>:<id>", the opaque keyset cursor of `SnapshotPage`.
std::string EncodeCursor(int64_t captured_at_ms, int64_t id);
// Parses `EncodeCursor` output or returns kInvalidArgument.
Result<std::pair<int64_t, int64_t>> ParseCursor(std::string_view cursor);
// The SELECT `Index::List` runs for `query` (tests check its query plan).
std::string ListSql(const SnapshotQuery& query);

// A batch of row changes applied in one transaction.
struct IndexChanges {
  std::vector<SnapshotRecord> add;     // id ignored; replaces same rel_path
  std::vector<SnapshotRecord> update;  // by id
  std::vector<int64_t> remove;
};

class Index {
 public:
  // Opens or creates the database (WAL, foreign keys on). When migrations
  // are pending on a non-empty database, first copies it to
  // `<db>.bak-v<current version>`. Returns kCorrupt when the file is not a
  // SQLite database or fails `PRAGMA quick_check`, kUnsupported when the
  // schema is newer than this build.
  // `migrations` is the embedded list except in tests.
  static Result<std::unique_ptr<Index>> Open(
      const std::filesystem::path& db,
      std::span<const Migration> migrations = Migrations());
  ~Index();

  // Adds a row (an existing row with the same rel_path is replaced) and
  // returns it with its new id.
  Result<SnapshotRecord> Insert(SnapshotRecord row);
  Result<SnapshotRecord> Get(int64_t id);
  Result<SnapshotPage> List(const SnapshotQuery& query);
  // Returns kNotFound for an unknown id.
  Status SetKept(int64_t id, bool kept);
  // Records (or, with nullopt, clears) the audio clip length of a row;
  // kNotFound for an unknown id.
  Status SetAudio(int64_t id, std::optional<int64_t> audio_ms);
  Status Apply(const IndexChanges& changes);

  // Rows whose rel_path starts with `prefix` (e.g.
  // "snapshots/cam/2026-01-02/").
  Result<std::vector<SnapshotRecord>> RowsWithPrefix(std::string_view prefix);
  // Distinct "snapshots/<camera>/<day>/" prefixes, found by index seeks (one
  // per day folder, not one per row).
  Result<std::vector<std::string>> DayPrefixes();
  // Up to `limit` non-kept rows, oldest first, optionally of one camera and
  // captured before `before_ms`.
  Result<std::vector<SnapshotRecord>> OldestUnkept(
      const std::optional<std::string>& camera,
      std::optional<int64_t> before_ms, int limit);

  // Per-camera counts and bytes (from trigger-maintained totals).
  Result<StoreStats> Stats();
  Result<std::vector<std::string>> Cameras();

  // Stores an analysis report (created_at_ms = now when 0) and returns it
  // with its id; kNotFound when the snapshot does not exist.
  Result<ReportRecord> AddReport(ReportRecord report);

  Result<std::optional<std::string>> GetMeta(const std::string& key);
  Status SetMeta(const std::string& key, const std::string& value);

  struct Db;  // index.cc

 private:
  explicit Index(std::unique_ptr<Db> db);
  std::unique_ptr<Db> db_;
};

}  // namespace vigil::store
