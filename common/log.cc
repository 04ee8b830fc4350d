// SPDX-License-Identifier: Apache-2.0
#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <vector>

namespace vigil::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mutex;  // guards g_secrets and serializes output lines
std::vector<std::string>& Secrets() {
  static std::vector<std::string> secrets;
  return secrets;
}

std::string RedactLocked(std::string_view text) {
  std::string out(text);
  for (const std::string& secret : Secrets()) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace

void SetLevel(Level level) { g_level = level; }
Level GetLevel() { return g_level; }

void RegisterSecret(std::string secret) {
  if (secret.size() < 3) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (const auto& s : Secrets()) {
    if (s == secret) return;
  }
  Secrets().push_back(std::move(secret));
}

std::string Redact(std::string_view text) {
  std::lock_guard<std::mutex> lock(g_mutex);
  return RedactLocked(text);
}

void Write(Level level, std::string_view tag, std::string_view message) {
  if (level < g_level.load()) return;
  static const char kLetters[] = {'D', 'I', 'W', 'E'};
  const std::time_t now =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard<std::mutex> lock(g_mutex);
  const std::string line = RedactLocked(message);
  std::fprintf(stderr, "%s %c [%.*s] %s\n", stamp,
               kLetters[static_cast<int>(level)], static_cast<int>(tag.size()),
               tag.data(), line.c_str());
}

}  // namespace vigil::log
