// SPDX-License-Identifier: Apache-2.0
// Leveled logging to stderr (journald picks it up under systemd). Secrets
// registered with `RegisterSecret` are replaced by "***" in every line, so a
// password that slips into a URL or error message never reaches the log.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vigil::log {

enum class Level { kDebug = 0, kInfo, kWarn, kError, kSentinel };

void SetLevel(Level level);
Level GetLevel();
// Adds a string that must never be printed (ignored if shorter than 3 bytes).
void RegisterSecret(std::string secret);
// Returns `text` with every registered secret replaced by "***".
std::string Redact(std::string_view text);
// Writes one line "2026-11-23T21:07:00Z I [tag] message" if `level` is enabled.
void Write(Level level, std::string_view tag, std::string_view message);

inline void Debug(std::string_view tag, std::string_view m) {
  Write(Level::kDebug, tag, m);
}
inline void Info(std::string_view tag, std::string_view m) {
  Write(Level::kInfo, tag, m);
}
inline void Warn(std::string_view tag, std::string_view m) {
  Write(Level::kWarn, tag, m);
}
inline void Error(std::string_view tag, std::string_view m) {
  Write(Level::kError, tag, m);
}

}  // namespace vigil::log
