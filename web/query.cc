// SPDX-License-Identifier: Apache-2.0
// Query-string and parameter parsing for the JSON API (OSRM-style: strict,
// with positions in every error).
#include "web/query.h"

#include <limits>

namespace vigil::web {
namespace {

Status QueryError(const std::string& what, size_t position) {
  return InvalidArgument(what + " close to position " +
                         std::to_string(position));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one key or value starting at `base` in the raw query.
Result<std::string> Decode(std::string_view raw, size_t base) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const size_t at = i;
    char c = raw[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= raw.size()) {
        return QueryError("truncated %-escape", base + i);
      }
      const int hi = HexDigit(raw[i + 1]);
      const int lo = HexDigit(raw[i + 2]);
      if (hi < 0 || lo < 0) return QueryError("bad %-escape", base + i);
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return QueryError("NUL byte in query", base + at);
    out.push_back(c);
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Parses up to 18 decimal digits (no overflow possible in int64).
bool ParseSmallUint(std::string_view s, int64_t& out) {
  if (!AllDigits(s) || s.size() > 18) return false;
  out = 0;
  for (char c : s) out = out * 10 + (c - '0');
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = y / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos` into `out`.
bool Fixed(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  return ParseSmallUint(s.substr(pos, n), out);
}

// Parses the "HH:MM[:SS[.fff]]" + zone part of an RFC 3339 time into ms
// after midnight minus the zone offset. Returns false when malformed.
bool ParseClock(std::string_view s, int64_t& ms) {
  int64_t hh = 0, mi = 0, ss = 0, frac = 0;
  if (!Fixed(s, 0, 2, hh) || s.size() < 5 || s[2] != ':' ||
      !Fixed(s, 3, 2, mi)) {
    return false;
  }
  size_t pos = 5;
  if (pos < s.size() && s[pos] == ':') {
    if (!Fixed(s, pos + 1, 2, ss)) return false;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      size_t digits = 0;
      for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
        if (digits++ < 3) frac = frac * 10 + (s[pos] - '0');
      }
      if (digits == 0 || digits > 9) return false;
      for (; digits < 3; ++digits) frac *= 10;
    }
  }
  if (hh > 23 || mi > 59 || ss > 60) return false;  // 60: leap second
  int64_t offset_min = 0;
  const std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_min = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
             zone[3] == ':') {
    int64_t oh = 0, om = 0;
    if (!Fixed(zone, 1, 2, oh) || !Fixed(zone, 4, 2, om) || oh > 23 ||
        om > 59) {
      return false;
    }
    offset_min = (zone[0] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  ms = ((hh * 60 + mi - offset_min) * 60 + ss) * 1000 + frac;
  return true;
}

}  // namespace

Result<std::vector<QueryParam>> ParseQueryString(std::string_view query) {
  if (query.size() > kMaxQueryLength) {
    return QueryError("query longer than " + std::to_string(kMaxQueryLength) +
                          " bytes",
                      kMaxQueryLength);
  }
  std::vector<QueryParam> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const std::string_view raw_key = pair.substr(0, eq);
      if (raw_key.empty()) return QueryError("empty parameter name", start);
      VIGIL_ASSIGN_OR_RETURN(std::string key, Decode(raw_key, start));
      std::string value;
      if (eq != std::string_view::npos) {
        VIGIL_ASSIGN_OR_RETURN(value,
                               Decode(pair.substr(eq + 1), start + eq + 1));
      }
      for (const QueryParam& p : params) {
        if (p.key == key) {
          return QueryError("parameter '" + key + "' given twice", start);
        }
      }
      if (params.size() == kMaxQueryParams) {
        return QueryError("more than " + std::to_string(kMaxQueryParams) +
                              " parameters",
                          start);
      }
      params.push_back({std::move(key), std::move(value), start});
    }
    start = end + 1;
  }
  return params;
}

std::string_view QueryOf(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view()
                                     : target.substr(q + 1);
}

Result<int64_t> ParseSnapshotId(std::string_view text) {
  const std::string shown(text.substr(0, 32));
  if (!AllDigits(text) || text[0] == '0' || text.size() > 19) {
    return InvalidArgument("snapshot id must be a positive decimal integer, "
                           "got '" + shown + "'");
  }
  uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
  // 19 digits fit in uint64 without wrapping; reject above INT64_MAX.
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return InvalidArgument("snapshot id out of range, got '" + shown + "'");
  }
  return static_cast<int64_t>(value);
}

Result<int64_t> ParseTimeParam(std::string_view text) {
  const std::string shown(text.substr(0, 40));
  int64_t ms = 0;
  if (AllDigits(text)) {
    // Up to 9999-12-31 in ms (253402300799999) is 15 digits.
    if (!ParseSmallUint(text, ms) || ms > 253402300799999) {
      return InvalidArgument("time out of range, got '" + shown + "'");
    }
    return ms;
  }
  int64_t y = 0, m = 0, d = 0;
  if (text.size() < 10 || !Fixed(text, 0, 4, y) || text[4] != '-' ||
      !Fixed(text, 5, 2, m) || text[7] != '-' || !Fixed(text, 8, 2, d) ||
      y < 1970 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return InvalidArgument("time must be epoch ms, YYYY-MM-DD or RFC 3339 "
                           "(2026-01-31T08:00:00Z), got '" + shown + "'");
  }
  ms = DaysFromCivil(y, m, d) * 86400000;
  if (text.size() == 10) return ms;
  int64_t clock_ms = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !ParseClock(text.substr(11), clock_ms) || ms + clock_ms < 0) {
    return InvalidArgument("time must be epoch ms, YYYY-MM-DD or RFC 3339 "
                           "(2026-01-31T08:00:00Z), got '" + shown + "'");
  }
  return ms + clock_ms;
}

bool IsValidCameraName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsValidCursor(std::string_view cursor) {
  const size_t colon = cursor.find(':');
  if (colon == std::string_view::npos) return false;
  int64_t unused = 0;
  return ParseSmallUint(cursor.substr(0, colon), unused) &&
         ParseSnapshotId(cursor.substr(colon + 1)).ok();
}

namespace {

// Applies one known parameter to `query`; `value` is non-empty.
Status ApplyListParam(const QueryParam& p, store::SnapshotQuery& query) {
  const auto fail = [&](const std::string& why) {
    return QueryError("parameter '" + p.key + "': " + why, p.position);
  };
  if (p.key == "camera") {
    if (!IsValidCameraName(p.value)) {
      return fail("camera names are 1-64 of [A-Za-z0-9_-]");
    }
    query.camera = p.value;
  } else if (p.key == "from" || p.key == "to") {
    Result<int64_t> t = ParseTimeParam(p.value);
    if (!t.ok()) return fail(t.status().message());
    (p.key == "from" ? query.from_ms : query.to_ms) = *t;
  } else if (p.key == "cursor") {
    if (!IsValidCursor(p.value)) {
      return fail("expected a cursor from a previous page's next_cursor");
    }
    query.cursor = p.value;
  } else if (p.key == "limit") {
    int64_t limit = 0;
    if (!ParseSmallUint(p.value, limit) || limit < 1 || limit > 500) {
      return fail("must be an integer in [1, 500], got '" +
                  p.value.substr(0, 20) + "'");
    }
    query.limit = static_cast<int>(limit);
  } else if (p.key == "flag" || p.key == "subject") {
    // Flags and subject kinds share the camera-name alphabet.
    if (!IsValidCameraName(p.value)) {
      return fail("expected 1-64 of [A-Za-z0-9_-]");
    }
    (p.key == "flag" ? query.flag : query.subject_kind) = p.value;
  } else {
    return QueryError("unknown parameter '" + p.key.substr(0, 40) +
                          "' (expected camera, from, to, cursor, limit, "
                          "flag, subject)",
                      p.position);
  }
  return OkStatus();
}

}  // namespace

Result<store::SnapshotQuery> ParseSnapshotListQuery(std::string_view query) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<QueryParam> params,
                         ParseQueryString(query));
  store::SnapshotQuery out;
  for (const QueryParam& p : params) {
    if (p.value.empty()) {
      // Empty means "not set" (an "all cameras" select), but keys must be
      // known even then so typos are caught.
      QueryParam probe = p;
      probe.value = p.key == "camera" ? "x" : p.key == "cursor" ? "1:1" : "1";
      store::SnapshotQuery scratch;
      VIGIL_RETURN_IF_ERROR(ApplyListParam(probe, scratch));
      continue;
    }
    VIGIL_RETURN_IF_ERROR(ApplyListParam(p, out));
  }
  if (out.from_ms && out.to_ms && *out.from_ms >= *out.to_ms) {
    return InvalidArgument("parameter 'from' must be before 'to'");
  }
  return out;
}

}  // namespace vigil::web
