// SPDX-License-Identifier: Apache-2.0
// First-run password: generate, show once, keep only the hash.
#include "app/first_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>

#include "common/log.h"
#include "web/auth.h"

namespace vigil::app {
namespace {

Result<std::string> ReadHash(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string hash;
  std::getline(in, hash);
  Status valid = web::ValidatePasswordHash(hash);
  if (!valid.ok()) {
    return Corrupt(path.string() + " holds no valid password hash (" +
                   valid.message() + "); delete it to create a new password");
  }
  return hash;
}

// Writes `text` to `path` with mode 0600: temp file, fsync, rename.
Status WritePrivateFile(const std::filesystem::path& path,
                        const std::string& text) {
  std::string tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return IoError("cannot create " + tmp + ": " + std::strerror(errno));
  }
  bool ok = ::write(fd, text.data(), text.size()) ==
                static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot write " + path.string() + ": " +
                   std::strerror(errno));
  }
  return OkStatus();
}

}  // namespace

Result<std::string> EnsureFirstRunPassword(const std::filesystem::path& data_dir,
                                           std::ostream& console) {
  std::filesystem::path path = data_dir / kFirstRunHashFile;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ReadHash(path);

  // 12 random bytes = 96 bits; hex keeps it easy to type from a console.
  std::string password = web::RandomHex(12);
  log::RegisterSecret(password);
  std::string hash = web::HashPassword(password);
  VIGIL_RETURN_IF_ERROR(WritePrivateFile(path, hash + "\n"));
  std::ostringstream msg;
  msg << "\n"
      << "  First run: the gallery password is   " << password << "\n"
      << "  It is shown only this once; only its hash is kept, in\n"
      << "  " << path.string() << ".\n"
      << "  Lost it? Delete that file and restart for a new one, or set\n"
      << "  your own with `vigil passwd` and `web: password_hash:`.\n\n";
  console << msg.str() << std::flush;
  return hash;
}

}  // namespace vigil::app
