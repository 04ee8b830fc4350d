// SPDX-License-Identifier: Apache-2.0
// Strict parsing of request targets: query strings, snapshot ids, times and
// camera names. Pure functions, no httplib; errors say where ("close to
// position 12") so the API can answer `{"code":"InvalidQuery",...}`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/snapshot.h"

namespace vigil::web {

inline constexpr size_t kMaxQueryParams = 32;
inline constexpr size_t kMaxQueryLength = 4096;

struct QueryParam {
  std::string key;    // percent-decoded
  std::string value;  // percent-decoded, '+' is a space
  size_t position = 0;  // offset of the key in the raw query string
};

// Parses "a=1&b=x%20y" (the text after '?'). Rejects bad %-escapes, NUL
// bytes, empty keys, duplicate keys and more than `kMaxQueryParams` params
// with kInvalidArgument "... close to position N". Empty pairs ("a=1&&b=2")
// are skipped.
Result<std::vector<QueryParam>> ParseQueryString(std::string_view query);

// Returns the part of a request target after the first '?', or "".
std::string_view QueryOf(std::string_view target);

// Parses a snapshot id: decimal digits only, no sign, no leading zero,
// in [1, 2^63-1]. "1;", "01", "-1", "1e3", "" are kInvalidArgument.
Result<int64_t> ParseSnapshotId(std::string_view text);

// Parses a time filter: Unix epoch milliseconds ("1767225600000"), a UTC
// date ("2026-01-01", midnight UTC) or an RFC 3339 time
// ("2026-01-01T10:00:00Z", "2026-01-01T10:00:00.250+02:00"). Years
// 1970..9999. Returns epoch ms or kInvalidArgument.
Result<int64_t> ParseTimeParam(std::string_view text);

// Returns true for a configured-camera-style name: [A-Za-z0-9_-]{1,64}.
bool IsValidCameraName(std::string_view name);

// Returns true for a paging cursor "<captured_at_ms>:<id>" (digits only).
bool IsValidCursor(std::string_view cursor);

// Parses GET /api/snapshots parameters: camera, from, to, cursor, limit
// (1..500, default 60). An empty value means "not set". Unknown keys, bad
// values and from >= to are kInvalidArgument naming the parameter.
Result<store::SnapshotQuery> ParseSnapshotListQuery(std::string_view query);

}  // namespace vigil::web
