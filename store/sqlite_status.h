// SPDX-License-Identifier: Apache-2.0
// One mapping from SQLite failures to Status for the store's databases (the
// snapshot index, the report search tables, the alert outbox), so a busy,
// corrupt or full database reads the same to callers whichever it is.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "common/status.h"

namespace vigil::store::internal {

// The Status for `e`, raised while doing `what` on database `db`;
// `corrupt_hint` follows the message of a corruption error.
inline Status FromSqlite(std::string_view db, const std::string& what,
                         const SQLite::Exception& e,
                         std::string_view corrupt_hint = {}) {
  const std::string msg = std::string(db) + " " + what + ": " + e.what();
  switch (e.getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Corrupt(msg + std::string(corrupt_hint));
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return IoError(msg);
    default:
      return InternalError(msg);
  }
}

// Runs `f` (returning Status or Result) and turns any exception it throws
// into a Status naming `db` and `what`.
template <typename F>
auto GuardSqlite(std::string_view db, const std::string& what, F&& f,
                 std::string_view corrupt_hint = {}) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(db, what, e, corrupt_hint);
  } catch (const std::exception& e) {
    return InternalError(std::string(db) + " " + what + ": " + e.what());
  }
}

}  // namespace vigil::store::internal
