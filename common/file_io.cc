// SPDX-License-Identifier: Apache-2.0
#include "common/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>


namespace vigil {
namespace fs = std::filesystem;
namespace {

Status Errno(const std::string& what, const fs::path& path) {
  return IoError(what + " '" + path.string() + "': " + std::strerror(errno));
}

Status WriteAll(int fd, std::span<const uint8_t> bytes, const fs::path& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  return OkStatus();
}

}  // namespace

Status FsyncDir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open folder", dir);
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return rc == 0 ? OkStatus() : Errno("cannot fsync folder", dir);
}

Status CreateDirsDurable(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return OkStatus();
  const fs::path parent = dir.parent_path();
  if (!parent.empty() && parent != dir) {
    VIGIL_RETURN_IF_ERROR(CreateDirsDurable(parent));
  }
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Errno("cannot create folder", dir);
  }
  if (!fs::is_directory(dir, ec)) {
    return IoError("'" + dir.string() + "' exists but is not a folder");
  }
  return parent.empty() ? OkStatus() : FsyncDir(parent);
}

Result<fs::path> WriteTempFile(const fs::path& dir,
                               std::span<const uint8_t> bytes,
                               std::optional<int64_t> mtime_ms) {
  std::string tmpl = (dir / (std::string(kTempPrefix) + "XXXXXX")).string();
  const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) return Errno("cannot create temp file in", dir);
  const fs::path path(tmpl);
  Status st = WriteAll(fd, bytes, path);
  if (st.ok() && ::fchmod(fd, 0644) != 0) st = Errno("cannot chmod", path);
  if (st.ok() && mtime_ms) {
    const int64_t ms = *mtime_ms;
    const int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    timespec times[2] = {};
    times[0].tv_nsec = UTIME_OMIT;  // leave atime alone
    times[1].tv_sec = static_cast<time_t>(secs);
    times[1].tv_nsec = static_cast<long>((ms - secs * 1000) * 1000000);
    if (::futimens(fd, times) != 0) st = Errno("cannot set mtime of", path);
  }
  if (st.ok() && ::fsync(fd) != 0) st = Errno("cannot fsync", path);
  if (::close(fd) != 0 && st.ok()) st = Errno("cannot close", path);
  if (!st.ok()) {
    ::unlink(path.c_str());
    return st;
  }
  return path;
}

Result<bool> RenameNoReplace(const fs::path& from, const fs::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                  RENAME_NOREPLACE) == 0) {
    return true;
  }
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) {
    return Errno("cannot rename '" + from.string() + "' to", to);
  }
  // Filesystems without RENAME_NOREPLACE (some FUSE, old kernels): callers
  // serialize per folder, so check-then-rename does not race with us.
  struct stat st;
  if (::lstat(to.c_str(), &st) == 0) return false;
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Errno("cannot rename '" + from.string() + "' to", to);
  }
  return true;
}

Status WriteFileAtomic(const fs::path& path, std::span<const uint8_t> bytes) {
  const fs::path dir = path.parent_path();
  VIGIL_ASSIGN_OR_RETURN(fs::path tmp, WriteTempFile(dir, bytes));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = Errno("cannot rename temp file to", path);
    ::unlink(tmp.c_str());
    return st;
  }
  return FsyncDir(dir);
}

Result<std::vector<uint8_t>> ReadFileBytes(const fs::path& path,
                                           uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return NotFound("file '" + path.string() + "' is missing");
    }
    return Errno("cannot open", path);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError("'" + path.string() + "' is not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return OutOfRange("file '" + path.string() + "' is " +
                      std::to_string(st.st_size) + " bytes; limit " +
                      std::to_string(max_bytes));
  }
  std::vector<uint8_t> out(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = n < 0 ? Errno("cannot read", path)
                       : IoError("'" + path.string() + "' shrank while read");
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return out;
}

Status RemoveFile(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Errno("cannot remove", path);
  }
  return OkStatus();
}

}  // namespace vigil
