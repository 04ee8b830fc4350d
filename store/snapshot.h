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
};

// Filters for listing; results are newest first.
struct SnapshotQuery {
  std::optional<std::string> camera;
  std::optional<int64_t> from_ms;  // inclusive
  std::optional<int64_t> to_ms;    // exclusive
  // Opaque cursor from a previous page ("<captured_at_ms>:<id>").
  std::optional<std::string> cursor;
  int limit = 60;  // clamped to [1, 500]
};

struct SnapshotPage {
  std::vector<SnapshotRecord> items;
  std::optional<std::string> next_cursor;  // absent on the last page
};

}  // namespace vigil::store
