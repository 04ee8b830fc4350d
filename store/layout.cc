// SPDX-License-Identifier: Apache-2.0
#include "store/layout.h"

#include <cstdio>
#include <ctime>

namespace vigil::store {
namespace {

bool IsPlainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// FNV-1a: stable across compilers and runs, unlike std::hash.
uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// Parses exactly `n` decimal digits at `s[pos]`.
std::optional<int> Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

Result<std::string> SafeCameraDir(std::string_view camera) {
  if (camera.empty()) return InvalidArgument("camera name is empty");
  bool plain = camera.size() <= 64 && camera[0] != '-';
  for (char c : camera) plain = plain && IsPlainChar(c);
  if (plain) return std::string(camera);
  std::string out;
  for (char c : camera.substr(0, 48)) out += IsPlainChar(c) ? c : '_';
  if (out[0] == '-') out[0] = '_';
  char hash[16];
  std::snprintf(hash, sizeof(hash), "-%08x", Fnv1a(camera));
  return out + hash;
}

FileTime ToFileTime(int64_t utc_ms, bool utc) {
  const time_t secs = static_cast<time_t>(FloorDiv(utc_ms, 1000));
  std::tm tm{};
  if (utc) {
    gmtime_r(&secs, &tm);
  } else {
    localtime_r(&secs, &tm);
  }
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
          tm.tm_hour,        tm.tm_min,     tm.tm_sec};
}

int64_t FromFileTime(const FileTime& t, bool utc) {
  std::tm tm{};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.month - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.minute;
  tm.tm_sec = t.second;
  tm.tm_isdst = -1;
  const time_t secs = utc ? timegm(&tm) : mktime(&tm);
  return static_cast<int64_t>(secs) * 1000;
}

std::string DayFolderName(const FileTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", t.year, t.month, t.day);
  return buf;
}

std::string SnapshotFileName(const FileTime& t, int suffix) {
  char buf[48];
  if (suffix > 0) {
    std::snprintf(buf, sizeof(buf), "%02d%02d%02d-%d.jpg", t.hour, t.minute,
                  t.second, suffix);
  } else {
    std::snprintf(buf, sizeof(buf), "%02d%02d%02d.jpg", t.hour, t.minute,
                  t.second);
  }
  return buf;
}

std::optional<FileTime> ParseDayFolder(std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return std::nullopt;
  auto y = Digits(day, 0, 4), m = Digits(day, 5, 2), d = Digits(day, 8, 2);
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) {
    return std::nullopt;
  }
  FileTime t;
  t.year = *y;
  t.month = *m;
  t.day = *d;
  return t;
}

std::optional<SnapshotPath> ParseFileName(std::string_view camera_dir,
                                          std::string_view day,
                                          std::string_view file) {
  auto t = ParseDayFolder(day);
  if (!t || file.size() < 10 || !file.ends_with(".jpg")) return std::nullopt;
  auto h = Digits(file, 0, 2), mi = Digits(file, 2, 2), s = Digits(file, 4, 2);
  if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  SnapshotPath p{std::string(camera_dir), *t, 0};
  p.time.hour = *h;
  p.time.minute = *mi;
  p.time.second = *s;
  const std::string_view rest = file.substr(6, file.size() - 10);
  if (!rest.empty()) {
    // "-N" with N >= 1 and no leading zero, as SnapshotFileName writes it.
    if (rest.size() < 2 || rest.size() > 7 || rest[0] != '-' ||
        rest[1] == '0') {
      return std::nullopt;
    }
    auto n = Digits(rest, 1, rest.size() - 1);
    if (!n) return std::nullopt;
    p.suffix = *n;
  }
  return p;
}

std::string SnapshotRelPath(std::string_view camera_dir, std::string_view day,
                            std::string_view file) {
  std::string out(kSnapshotsDir);
  out.append("/").append(camera_dir).append("/").append(day).append("/");
  return out.append(file);
}

std::string ThumbRelPath(std::string_view snapshot_rel_path) {
  return std::string(kThumbsDir) +
         std::string(snapshot_rel_path.substr(kSnapshotsDir.size()));
}

std::string AudioRelPath(std::string_view snapshot_rel_path) {
  std::string_view stem = snapshot_rel_path;
  if (stem.ends_with(".jpg")) stem.remove_suffix(4);
  return std::string(stem) + ".wav";
}

bool IsSafeRelPath(std::string_view rel) {
  if (!rel.starts_with(std::string(kSnapshotsDir) + "/")) return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    const std::string_view part = rel.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace vigil::store
