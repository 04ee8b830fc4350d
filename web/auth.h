// SPDX-License-Identifier: Apache-2.0
// Password hashing and secret comparison for the web UI and API. Hashes are
// self-describing strings so the iteration count can grow without breaking
// stored configs. Thread-safe (pure functions over OpenSSL).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigil::web {

// PBKDF2-HMAC-SHA256 work factor for new hashes (OWASP 2023 guidance is
// 600k; a Raspberry Pi 5 takes ~0.3 s for this, acceptable for a login).
inline constexpr int kPbkdf2Iterations = 600000;

// Returns "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" with a fresh
// 16-byte random salt. `iterations` is exposed for tests only.
std::string HashPassword(const std::string& plain,
                         int iterations = kPbkdf2Iterations);
// Returns true if `plain` matches `hash` (a `HashPassword` result). Compares
// in constant time; a malformed `hash` never matches.
bool VerifyPassword(const std::string& plain, const std::string& hash);
// Returns OK if `hash` has the `HashPassword` format, else kInvalidArgument
// saying which part is wrong (used by config validation).
Status ValidatePasswordHash(const std::string& hash);

// Returns true if `a == b`, in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);
// Returns `n_bytes` from OpenSSL's CSPRNG as lowercase hex (2 * n_bytes chars).
std::string RandomHex(size_t n_bytes);
// Returns the lowercase hex SHA-256 digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace vigil::web
