// SPDX-License-Identifier: Apache-2.0
// The first-run gallery password, for configs without `web.password`/
// `web.password_hash`: a random password is generated once, shown once on
// the console (never through the log), and only its hash is kept, in
// `<data>/web-password.hash` (mode 0600). Delete that file to get a new one.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "common/status.h"

namespace vigil::app {

inline constexpr char kFirstRunHashFile[] = "web-password.hash";

// Returns the stored hash, creating password and hash first when the file
// is missing (the password is then written to `console`). Returns kCorrupt
// naming the file if it holds no valid hash, kIo if it cannot be written.
Result<std::string> EnsureFirstRunPassword(const std::filesystem::path& data_dir,
                                           std::ostream& console);

}  // namespace vigil::app
