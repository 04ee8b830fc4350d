// SPDX-License-Identifier: Apache-2.0
// Names of the config enums and validation of one camera's settings.
#include "capture/camera_config.h"

#include <cmath>
#include <set>
#include <sstream>

namespace vigil::capture {
namespace {

constexpr const char* kKindNames[] = {"http",         "rtsp",      "mjpeg",
                                      "v4l2",         "watch_folder",
                                      "libcamera",    "demo"};
constexpr const char* kAuthNames[] = {"auto", "basic", "digest"};
constexpr const char* kAfterNames[] = {"move", "delete"};

template <typename E, size_t N>
Result<E> ParseName(std::string_view name, const char* const (&names)[N],
                    const char* what) {
  std::string accepted;
  for (size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<E>(i);
    accepted += (i ? ", " : "") + std::string(names[i]);
  }
  return InvalidArgument(std::string("unknown ") + what + " '" +
                         std::string(name) + "'; expected one of " + accepted);
}

std::string Field(const CameraConfig& c, const char* field) {
  return "cameras." + (c.name.empty() ? std::string("<unnamed>") : c.name) +
         "." + field;
}

std::string Num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

Status CheckName(const CameraConfig& c) {
  if (c.name.empty() || c.name.size() > 64) {
    return InvalidArgument(Field(c, "name") + ": must be 1..64 characters, got " +
                           std::to_string(c.name.size()));
  }
  for (char ch : c.name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    if (!ok) {
      return InvalidArgument(Field(c, "name") +
                             ": only letters, digits, '_' and '-' are "
                             "allowed (it names folders and URLs)");
    }
  }
  return OkStatus();
}

Status Positive(const CameraConfig& c, const char* field, double v) {
  if (!std::isfinite(v) || v <= 0) {
    return InvalidArgument(Field(c, field) + ": must be > 0, got " + Num(v));
  }
  return OkStatus();
}

Status NonNegative(const CameraConfig& c, const char* field, double v) {
  if (!std::isfinite(v) || v < 0) {
    return InvalidArgument(Field(c, field) + ": must be >= 0, got " + Num(v));
  }
  return OkStatus();
}

Status CheckTimes(const CameraConfig& c) {
  VIGIL_RETURN_IF_ERROR(Positive(c, "interval_s", c.interval_s));
  VIGIL_RETURN_IF_ERROR(Positive(c, "connect_timeout_s", c.connect_timeout_s));
  VIGIL_RETURN_IF_ERROR(Positive(c, "timeout_s", c.timeout_s));
  VIGIL_RETURN_IF_ERROR(NonNegative(c, "jitter_s", c.jitter_s));
  VIGIL_RETURN_IF_ERROR(NonNegative(c, "max_backoff_s", c.max_backoff_s));
  VIGIL_RETURN_IF_ERROR(NonNegative(c, "settle_s", c.settle_s));
  VIGIL_RETURN_IF_ERROR(
      NonNegative(c, "keep_open_below_s", c.keep_open_below_s));
  if (c.interval_s > 7 * 86400.0) {
    return InvalidArgument(Field(c, "interval_s") +
                           ": must be at most one week, got " +
                           Num(c.interval_s));
  }
  return OkStatus();
}

Status CheckImage(const CameraConfig& c) {
  if (c.max_bytes < 1024 || c.max_bytes > (1ull << 30)) {
    return InvalidArgument(Field(c, "max_bytes") +
                           ": must be in [1024, 1073741824], got " +
                           std::to_string(c.max_bytes));
  }
  if (c.jpeg_quality < 1 || c.jpeg_quality > 100) {
    return InvalidArgument(Field(c, "jpeg_quality") +
                           ": must be in [1, 100], got " +
                           std::to_string(c.jpeg_quality));
  }
  if (c.width < 0 || c.height < 0 || c.width > 16384 || c.height > 16384) {
    return InvalidArgument(Field(c, "width/height") +
                           ": must be in [0, 16384], got " +
                           std::to_string(c.width) + "x" +
                           std::to_string(c.height));
  }
  if (c.warmup_frames < 0 || c.warmup_frames > 100) {
    return InvalidArgument(Field(c, "warmup_frames") +
                           ": must be in [0, 100], got " +
                           std::to_string(c.warmup_frames));
  }
  return OkStatus();
}

bool StartsWith(const std::string& s, std::string_view p) {
  return s.compare(0, p.size(), p) == 0;
}

Status CheckKindFields(const CameraConfig& c) {
  switch (c.kind) {
    case SourceKind::kHttp:
      if (!StartsWith(c.url, "http://") && !StartsWith(c.url, "https://")) {
        return InvalidArgument(Field(c, "url") +
                               ": must start with http:// or https:// for "
                               "kind '" + SourceKindName(c.kind) + "'");
      }
      return OkStatus();
    case SourceKind::kRtsp:
    case SourceKind::kMjpeg:
      if (c.url.empty()) {
        return InvalidArgument(Field(c, "url") + ": required for kind '" +
                               SourceKindName(c.kind) +
                               "' (e.g. rtsp://cam.local:554/stream1 or "
                               "http://cam.local/video.mjpg)");
      }
      return OkStatus();
    case SourceKind::kV4l2:
      if (c.device.empty()) {
        return InvalidArgument(Field(c, "device") +
                               ": required for kind 'v4l2' (e.g. /dev/video0)");
      }
      return OkStatus();
    case SourceKind::kWatchFolder:
      if (c.folder.empty()) {
        return InvalidArgument(Field(c, "folder") +
                               ": required for kind 'watch_folder'");
      }
      return OkStatus();
    case SourceKind::kLibcamera:
    case SourceKind::kDemo:
      return OkStatus();
    case SourceKind::kSentinel:
      break;
  }
  return InvalidArgument(Field(c, "kind") + ": invalid value");
}

}  // namespace

bool EnumValid(SourceKind kind) {
  return static_cast<int>(kind) >= 0 && kind < SourceKind::kSentinel;
}
const char* SourceKindName(SourceKind kind) {
  return EnumValid(kind) ? kKindNames[static_cast<int>(kind)] : "invalid";
}
Result<SourceKind> ParseSourceKind(std::string_view name) {
  return ParseName<SourceKind>(name, kKindNames, "camera kind");
}

bool EnumValid(HttpAuth auth) {
  return static_cast<int>(auth) >= 0 && auth < HttpAuth::kSentinel;
}
const char* HttpAuthName(HttpAuth auth) {
  return EnumValid(auth) ? kAuthNames[static_cast<int>(auth)] : "invalid";
}
Result<HttpAuth> ParseHttpAuth(std::string_view name) {
  return ParseName<HttpAuth>(name, kAuthNames, "auth scheme");
}

bool EnumValid(AfterIngest after) {
  return static_cast<int>(after) >= 0 && after < AfterIngest::kSentinel;
}
const char* AfterIngestName(AfterIngest after) {
  return EnumValid(after) ? kAfterNames[static_cast<int>(after)] : "invalid";
}
Result<AfterIngest> ParseAfterIngest(std::string_view name) {
  return ParseName<AfterIngest>(name, kAfterNames, "after_ingest action");
}

Status Validate(const CameraConfig& config) {
  VIGIL_RETURN_IF_ERROR(CheckName(config));
  if (!EnumValid(config.kind)) {
    return InvalidArgument(Field(config, "kind") + ": invalid value");
  }
  if (!EnumValid(config.auth)) {
    return InvalidArgument(Field(config, "auth") + ": invalid value");
  }
  if (!EnumValid(config.after_ingest)) {
    return InvalidArgument(Field(config, "after_ingest") + ": invalid value");
  }
  VIGIL_RETURN_IF_ERROR(CheckTimes(config));
  VIGIL_RETURN_IF_ERROR(CheckImage(config));
  VIGIL_RETURN_IF_ERROR(ValidateAudio(config.name, config.audio, config.url));
  return CheckKindFields(config);
}

Status ValidateCameras(const std::vector<CameraConfig>& cameras) {
  std::set<std::string> seen;
  for (const CameraConfig& c : cameras) {
    VIGIL_RETURN_IF_ERROR(Validate(c));
    if (!seen.insert(c.name).second) {
      return InvalidArgument("cameras." + c.name +
                             ": duplicate camera name; names must be unique");
    }
  }
  return OkStatus();
}

}  // namespace vigil::capture
