// SPDX-License-Identifier: Apache-2.0
// Password hashes, constant-time compare, random ids, sessions, rate limit.
#include "web/auth.h"

#include <gtest/gtest.h>

#include <set>

#include "web/sessions.h"

namespace vigil::web {
namespace {

TEST(AuthTest, HashVerifiesOnlyTheRightPassword) {
  const std::string hash = HashPassword("correct horse", 1000);
  EXPECT_TRUE(hash.starts_with("pbkdf2-sha256$1000$"));
  EXPECT_TRUE(VerifyPassword("correct horse", hash));
  EXPECT_FALSE(VerifyPassword("correct hors", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
  EXPECT_TRUE(ValidatePasswordHash(hash).ok());
}

TEST(AuthTest, SaltMakesEveryHashDifferent) {
  EXPECT_NE(HashPassword("pw", 1000), HashPassword("pw", 1000));
}

TEST(AuthTest, DefaultIterationsAreSlowOnPurpose) {
  const std::string hash = HashPassword("pw");
  EXPECT_TRUE(hash.starts_with("pbkdf2-sha256$600000$"));
  EXPECT_TRUE(VerifyPassword("pw", hash));
}

TEST(AuthTest, MalformedHashesNeverMatch) {
  const std::string good = HashPassword("pw", 1000);
  const std::string salt_and_hash = good.substr(good.find('$', 15));
  const std::vector<std::string> bad = {
      "",
      "pw",
      "pbkdf2-sha256$1000$",
      "md5$1000" + salt_and_hash,
      "pbkdf2-sha256$999" + salt_and_hash,         // too few iterations
      "pbkdf2-sha256$abc" + salt_and_hash,
      "pbkdf2-sha256$99999999999" + salt_and_hash,
      good.substr(0, good.size() - 2),              // short hash
      good + "$extra",
      good.substr(0, good.size() - 1) + "G",        // not hex
  };
  for (const std::string& h : bad) {
    EXPECT_FALSE(VerifyPassword("pw", h)) << h;
    EXPECT_EQ(ValidatePasswordHash(h).code(), StatusCode::kInvalidArgument)
        << h;
  }
}

TEST(AuthTest, ConstantTimeEqualsCompares) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(AuthTest, RandomHexIsUniqueHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = RandomHex(32);
    ASSERT_EQ(id.size(), 64u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(AuthTest, Sha256MatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SessionStoreTest, CreateFindExpireRemove) {
  SessionStore store(std::chrono::seconds(60));
  const auto t0 = std::chrono::steady_clock::now();
  const Session s = store.Create(t0);
  EXPECT_EQ(s.id.size(), 64u);
  EXPECT_NE(s.id, s.csrf_token);
  ASSERT_TRUE(store.Find(s.id, t0 + std::chrono::seconds(59)));
  EXPECT_EQ(store.Find(s.id, t0)->csrf_token, s.csrf_token);
  EXPECT_FALSE(store.Find(s.id, t0 + std::chrono::seconds(60)));
  EXPECT_EQ(store.size(), 0u);  // expired sessions are dropped on lookup
  const Session s2 = store.Create(t0);
  store.Remove(s2.id);
  EXPECT_FALSE(store.Find(s2.id, t0));
  EXPECT_FALSE(store.Find("", t0));
  EXPECT_FALSE(store.Find(std::string(64, 'a'), t0));
}

TEST(SessionStoreTest, BoundedBySize) {
  SessionStore store(std::chrono::seconds(60), 3);
  const auto t0 = std::chrono::steady_clock::now();
  const Session first = store.Create(t0);
  for (int i = 1; i <= 3; ++i) store.Create(t0 + std::chrono::seconds(i));
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.Find(first.id, t0));  // the oldest went first
}

TEST(LoginLimiterTest, BlocksAfterMaxFailuresUntilWindowPasses) {
  LoginLimiter limiter(3, std::chrono::seconds(60));
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.RetryAfter("1.2.3.4", t0));
    limiter.RecordFailure("1.2.3.4", t0);
  }
  auto wait = limiter.RetryAfter("1.2.3.4", t0 + std::chrono::seconds(10));
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->count(), 50);
  EXPECT_FALSE(limiter.RetryAfter("5.6.7.8", t0));  // per client
  EXPECT_FALSE(limiter.RetryAfter("1.2.3.4", t0 + std::chrono::seconds(60)));
}

TEST(LoginLimiterTest, SuccessClearsAndMemoryIsBounded) {
  LoginLimiter limiter(2, std::chrono::seconds(60), 10);
  const auto t0 = std::chrono::steady_clock::now();
  limiter.RecordFailure("a", t0);
  limiter.RecordSuccess("a");
  limiter.RecordFailure("a", t0);
  EXPECT_FALSE(limiter.RetryAfter("a", t0));
  for (int i = 0; i < 1000; ++i) {
    limiter.RecordFailure("ip" + std::to_string(i), t0);
    limiter.RecordFailure("ip" + std::to_string(i), t0);
  }
  // The latest client is still tracked, the earliest were evicted.
  EXPECT_TRUE(limiter.RetryAfter("ip999", t0));
  EXPECT_FALSE(limiter.RetryAfter("ip0", t0));
}

}  // namespace
}  // namespace vigil::web
