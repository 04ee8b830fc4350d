// SPDX-License-Identifier: Apache-2.0
// The snapshot row as every concern sees it. The dated folder on disk is the
// truth; this is its index entry (store/index.cc is the only SQLite user).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::store {

struct SnapshotRecord {
  int64_t id = 0;              // index row id; stable until `vigil reindex`
  std::string camera;          // camera name as configured
  int64_t captured_at_ms = 0;  // UTC, Unix epoch milliseconds
  std::string rel_path;        // "snapshots/<camera>/<YYYY-MM-DD>/<HHMMSS>.jpg"
  int64_t size_bytes = 0;
  int32_t width = 0;
  int32_t height = 0;
  bool kept = false;           // never pruned by retention
  // Length of the audio clip stored beside the JPEG (`AudioRelPath`), when
  // the camera records one (issue 5).
  std::optional<int64_t> audio_ms;
  // The latest analysis report (JSON text) when there is one; read-only
  // here (filled by queries, ignored by inserts/updates).
  std::optional<std::string> report_json;
};

// Filters for listing; results are newest first.
struct SnapshotQuery {
  std::optional<std::string> camera;
  std::optional<int64_t> from_ms;  // inclusive
  std::optional<int64_t> to_ms;    // exclusive
  // Opaque cursor from a previous page ("<captured_at_ms>:<id>").
  std::optional<std::string> cursor;
  int limit = 60;  // clamped to [1, 500]
  // Only snapshots with a report whose `flags` hold `flag` / whose
  // `subjects` hold one of `kind` `subject_kind`.
  std::optional<std::string> flag;
  std::optional<std::string> subject_kind;
};

// One analysis run's output for a snapshot (table `reports`).
struct ReportRecord {
  int64_t id = 0;
  int64_t snapshot_id = 0;
  std::string model;
  std::string prompt;  // prompt version
  std::string json;    // {scene, subjects, activity, flags}
  int64_t duration_ms = 0;
  int64_t created_at_ms = 0;
};

struct SnapshotPage {
  std::vector<SnapshotRecord> items;
  std::optional<std::string> next_cursor;  // absent on the last page
};

}  // namespace vigil::store
