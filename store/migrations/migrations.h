// SPDX-License-Identifier: Apache-2.0
// The numbered schema migrations (store/migrations/NNNN_*.sql), embedded in
// the binary at build time so a deployed `vigil` never looks for SQL files.
#pragma once

#include <span>

namespace vigil::store {

struct Migration {
  int version;       // NNNN from the file name; PRAGMA user_version after it
  const char* name;  // file name, for messages
  const char* sql;
};

// Returns every migration in ascending version order (1, 2, ...).
std::span<const Migration> Migrations();

}  // namespace vigil::store
