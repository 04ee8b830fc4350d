// SPDX-License-Identifier: Apache-2.0
// Analysis reports in the index: storing one with its model, prompt version
// and per-stage timings, the latest per camera/snapshot, and full-text
// search (FTS5, migration 0003). Its own SQLite connection to the index
// (WAL), so the analysis worker never waits on gallery queries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vigil::store {

struct StoredReport {
  int64_t id = 0;
  int64_t snapshot_id = 0;
  std::string camera;          // of the snapshot
  int64_t captured_at_ms = 0;  // of the snapshot
  std::string model;
  std::string prompt_version;
  std::string json;            // the validated report
  std::string timings_json;    // {"decode_ms":..,"encode_ms":..,...}
  int64_t duration_ms = 0;
  int64_t created_at_ms = 0;
};

struct ReportSearchHit {
  StoredReport report;
  std::string snippet;  // matched words in [brackets]
};

struct ReportSearchQuery {
  std::string text;                   // words; the last one matches prefixes
  std::optional<std::string> camera;
  int limit = 50;                     // clamped to [1, 200]
};

// Turns user text into an FTS5 query of quoted terms (no operators, so any
// input is safe); InvalidArgument when no word is left.
Result<std::string> FtsQuery(std::string_view text);

// Thread-safe (one mutex around the connection).
class ReportIndex {
 public:
  // Opens `db` (the store's index.sqlite, already migrated by
  // SnapshotStore::Open). kUnsupported when migration 0003 is missing.
  static Result<std::unique_ptr<ReportIndex>> Open(
      const std::filesystem::path& db);
  ~ReportIndex();

  // Inserts the report (created_at_ms = now when 0); returns it with id,
  // camera and capture time. kNotFound when the snapshot is gone.
  Result<StoredReport> Add(StoredReport report);
  Result<std::optional<StoredReport>> LatestForSnapshot(int64_t snapshot_id);
  Result<std::optional<StoredReport>> LatestForCamera(const std::string& camera);
  // Best matches first (FTS5 rank).
  Result<std::vector<ReportSearchHit>> Search(const ReportSearchQuery& query);
  // Reports stored in total.
  Result<int64_t> Count();

  struct Db;

 private:
  explicit ReportIndex(std::unique_ptr<Db> db);
  std::unique_ptr<Db> db_;
};

}  // namespace vigil::store
