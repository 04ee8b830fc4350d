// SPDX-License-Identifier: Apache-2.0
// PBKDF2-HMAC-SHA256 password hashes and random ids through OpenSSL.
#include "web/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>
#include <vector>

namespace vigil::web {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr int kMinIterations = 1000;
constexpr int kMaxIterations = 10000000;

std::string ToHex(const uint8_t* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is not produced by ToHex, so it is rejected
}

bool FromHex(std::string_view hex, std::vector<uint8_t>& out) {
  if (hex.size() % 2 != 0) return false;
  out.resize(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

struct ParsedHash {
  int iterations = 0;
  std::vector<uint8_t> salt;
  std::vector<uint8_t> hash;
};

// Splits "scheme$iter$salt$hash"; returns an error naming the bad part.
Result<ParsedHash> ParseHash(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    const size_t end = text.find('$', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 4) {
    return InvalidArgument(
        "password hash: expected 'pbkdf2-sha256$<iterations>$<salt>$<hash>' "
        "(run `vigil hash-password`)");
  }
  if (parts[0] != kScheme) {
    return InvalidArgument("password hash: unknown scheme '" +
                           std::string(parts[0]) + "', expected '" +
                           std::string(kScheme) + "'");
  }
  ParsedHash parsed;
  if (parts[1].empty() || parts[1].size() > 9) {
    return InvalidArgument("password hash: bad iteration count");
  }
  for (char c : parts[1]) {
    if (c < '0' || c > '9') {
      return InvalidArgument("password hash: bad iteration count");
    }
    parsed.iterations = parsed.iterations * 10 + (c - '0');
  }
  if (parsed.iterations < kMinIterations ||
      parsed.iterations > kMaxIterations) {
    return InvalidArgument("password hash: iterations must be in [1000, "
                           "10000000], got " + std::string(parts[1]));
  }
  if (!FromHex(parts[2], parsed.salt) || parsed.salt.size() < 8) {
    return InvalidArgument("password hash: salt must be >= 16 hex digits");
  }
  if (!FromHex(parts[3], parsed.hash) || parsed.hash.size() != kHashBytes) {
    return InvalidArgument("password hash: hash must be 64 hex digits");
  }
  return parsed;
}

std::vector<uint8_t> Pbkdf2(const std::string& plain,
                            const std::vector<uint8_t>& salt, int iterations) {
  std::vector<uint8_t> out(kHashBytes);
  const int ok = PKCS5_PBKDF2_HMAC(
      plain.data(), static_cast<int>(plain.size()), salt.data(),
      static_cast<int>(salt.size()), iterations, EVP_sha256(),
      static_cast<int>(out.size()), out.data());
  VIGIL_CHECK(ok == 1);  // only fails on allocation failure
  return out;
}

}  // namespace

std::string HashPassword(const std::string& plain, int iterations) {
  VIGIL_CHECK(iterations >= kMinIterations && iterations <= kMaxIterations);
  std::vector<uint8_t> salt(kSaltBytes);
  VIGIL_CHECK(RAND_bytes(salt.data(), static_cast<int>(salt.size())) == 1);
  const std::vector<uint8_t> hash = Pbkdf2(plain, salt, iterations);
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" +
         ToHex(salt.data(), salt.size()) + "$" +
         ToHex(hash.data(), hash.size());
}

bool VerifyPassword(const std::string& plain, const std::string& hash) {
  Result<ParsedHash> parsed = ParseHash(hash);
  if (!parsed.ok()) return false;
  const std::vector<uint8_t> got =
      Pbkdf2(plain, parsed->salt, parsed->iterations);
  return CRYPTO_memcmp(got.data(), parsed->hash.data(), kHashBytes) == 0;
}

Status ValidatePasswordHash(const std::string& hash) {
  Result<ParsedHash> parsed = ParseHash(hash);
  return parsed.ok() ? OkStatus() : parsed.status();
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomHex(size_t n_bytes) {
  std::vector<uint8_t> bytes(n_bytes);
  VIGIL_CHECK(RAND_bytes(bytes.data(), static_cast<int>(n_bytes)) == 1);
  return ToHex(bytes.data(), bytes.size());
}

std::string Sha256Hex(std::string_view data) {
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  VIGIL_CHECK(EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(),
                         nullptr) == 1);
  return ToHex(digest, len);
}

}  // namespace vigil::web
