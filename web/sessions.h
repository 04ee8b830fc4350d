// SPDX-License-Identifier: Apache-2.0
// Login sessions (in memory: a restart logs everyone out) and the per-IP
// login rate limiter. Thread-safe: both classes lock internally.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vigil::web {

using SteadyTime = std::chrono::steady_clock::time_point;

struct Session {
  std::string id;          // 64 hex chars from RAND_bytes; the cookie value
  std::string csrf_token;  // 64 hex chars; sent back as X-CSRF-Token
  SteadyTime expires;
  std::chrono::system_clock::time_point created;
};

class SessionStore {
 public:
  // `max_sessions` bounds memory: the oldest session is dropped beyond it.
  explicit SessionStore(std::chrono::seconds lifetime,
                        size_t max_sessions = 256);

  // Creates a session that expires `lifetime` after `now`.
  Session Create(SteadyTime now);
  // Returns the live session with this id, or nothing (expired ones are
  // dropped here).
  std::optional<Session> Find(const std::string& id, SteadyTime now);
  // Forgets the session; no-op if unknown.
  void Remove(const std::string& id);
  size_t size() const;

 private:
  void PruneLocked(SteadyTime now);

  const std::chrono::seconds lifetime_;
  const size_t max_sessions_;
  mutable std::mutex mu_;
  // Keyed by SHA-256(id) so a timing leak in the map lookup reveals nothing
  // usable about live ids.
  std::unordered_map<std::string, Session> by_digest_;
};

class LoginLimiter {
 public:
  LoginLimiter(int max_failures, std::chrono::seconds window,
               size_t max_clients = 4096);

  // Returns how long `client` must wait, or nothing when it may try now.
  std::optional<std::chrono::seconds> RetryAfter(const std::string& client,
                                                 SteadyTime now);
  void RecordFailure(const std::string& client, SteadyTime now);
  void RecordSuccess(const std::string& client);

 private:
  void DropOld(std::deque<SteadyTime>& failures, SteadyTime now) const;

  const int max_failures_;
  const std::chrono::seconds window_;
  const size_t max_clients_;
  std::mutex mu_;
  std::map<std::string, std::deque<SteadyTime>> failures_;
};

}  // namespace vigil::web
