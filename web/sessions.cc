// SPDX-License-Identifier: Apache-2.0
// In-memory session table and login rate limiting.
#include "web/sessions.h"

#include <algorithm>
#include <iterator>

#include "web/auth.h"

namespace vigil::web {

SessionStore::SessionStore(std::chrono::seconds lifetime, size_t max_sessions)
    : lifetime_(lifetime), max_sessions_(max_sessions) {}

Session SessionStore::Create(SteadyTime now) {
  Session s{.id = RandomHex(32),
            .csrf_token = RandomHex(32),
            .expires = now + lifetime_,
            .created = std::chrono::system_clock::now()};
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  while (by_digest_.size() >= max_sessions_) {
    auto oldest = std::min_element(
        by_digest_.begin(), by_digest_.end(), [](const auto& a, const auto& b) {
          return a.second.expires < b.second.expires;
        });
    by_digest_.erase(oldest);
  }
  by_digest_[Sha256Hex(s.id)] = s;
  return s;
}

std::optional<Session> SessionStore::Find(const std::string& id,
                                          SteadyTime now) {
  if (id.size() != 64) return std::nullopt;
  const std::string digest = Sha256Hex(id);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    by_digest_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void SessionStore::Remove(const std::string& id) {
  const std::string digest = Sha256Hex(id);
  std::lock_guard<std::mutex> lock(mu_);
  by_digest_.erase(digest);
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_digest_.size();
}

void SessionStore::PruneLocked(SteadyTime now) {
  std::erase_if(by_digest_,
                [&](const auto& kv) { return kv.second.expires <= now; });
}

LoginLimiter::LoginLimiter(int max_failures, std::chrono::seconds window,
                           size_t max_clients)
    : max_failures_(max_failures), window_(window), max_clients_(max_clients) {}

void LoginLimiter::DropOld(std::deque<SteadyTime>& failures,
                           SteadyTime now) const {
  while (!failures.empty() && failures.front() + window_ <= now) {
    failures.pop_front();
  }
}

std::optional<std::chrono::seconds> LoginLimiter::RetryAfter(
    const std::string& client, SteadyTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(client);
  if (it == failures_.end()) return std::nullopt;
  DropOld(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) return std::nullopt;
  const auto wait = it->second.front() + window_ - now;
  return std::max(std::chrono::seconds(1),
                  std::chrono::ceil<std::chrono::seconds>(wait));
}

void LoginLimiter::RecordFailure(const std::string& client, SteadyTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() >= max_clients_ && !failures_.count(client)) {
    // Bound memory under a spray of source addresses: forget clients whose
    // failures have all aged out, then the one with the oldest failure.
    for (auto it = failures_.begin(); it != failures_.end();) {
      DropOld(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= max_clients_) {
      auto oldest = std::min_element(
          failures_.begin(), failures_.end(), [](const auto& a, const auto& b) {
            return a.second.back() < b.second.back();
          });
      failures_.erase(oldest);
    }
  }
  auto& list = failures_[client];
  DropOld(list, now);
  list.push_back(now);
  if (static_cast<int>(list.size()) > max_failures_) list.pop_front();
}

void LoginLimiter::RecordSuccess(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(client);
}

}  // namespace vigil::web
