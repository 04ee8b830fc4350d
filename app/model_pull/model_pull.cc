// SPDX-License-Identifier: Apache-2.0
// Per file: find the expected digest, skip if already installed, download
// into `.part` (resuming), fsync, verify, rename, fsync the directory.
#include "app/model_pull/model_pull.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <ostream>
#include <system_error>

#include "app/model_pull/progress.h"
#include "app/model_pull/sha256.h"

namespace vigil::model_pull {
namespace {

namespace fs = std::filesystem;

Status FsyncPath(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY |
                                    O_CLOEXEC);
  if (fd < 0) {
    return IoError("cannot open '" + path.string() + "' to sync: " +
                   std::strerror(errno));
  }
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) {
    return IoError("fsync '" + path.string() + "': " + std::strerror(err));
  }
  return OkStatus();
}

int64_t SizeOrMinusOne(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

// The digest the file must have: the manifest's, else the hub's.
Result<std::string> ExpectedDigest(
    const RemoteFile& file, const RemoteInfo& info,
    const std::map<std::string, std::string>* manifest) {
  if (manifest != nullptr) {
    auto it = manifest->find(file.file_name);
    if (it == manifest->end()) {
      return NotFound("the manifest lists no sha256 for '" + file.file_name +
                      "'");
    }
    return it->second;
  }
  std::string digest = ParseSha256Digest(info.sha256);
  if (digest.empty()) {
    return NotFound("the hub sent no sha256 (X-Linked-Etag) for " + file.url +
                    "; pass --manifest FILE with '<sha256>  " +
                    file.file_name + "' lines");
  }
  return digest;
}

// Downloads `file` into `part` and checks it; `part` holds verified bytes
// on success and is deleted when its digest is wrong.
Status FetchVerified(const RemoteFile& file, const fs::path& part,
                     const RemoteInfo& info, const std::string& digest,
                     const PullOptions& options) {
  if (info.size >= 0 && SizeOrMinusOne(part) > info.size) {
    fs::remove(part);  // longer than the file: not a prefix of it
  }
  if (info.size < 0 || SizeOrMinusOne(part) != info.size) {
    TransferOptions transfer = options.transfer;
    std::unique_ptr<ProgressBar> bar;
    if (options.progress_bar && options.log != nullptr) {
      bar = std::make_unique<ProgressBar>(*options.log, file.file_name);
      transfer.progress = [&bar](int64_t done, int64_t total) {
        bar->Update(done, total);
      };
    }
    Status s = DownloadResumable(file.url, part, transfer);
    if (bar) bar->Finish();
    if (!s.ok()) {
      if (SizeOrMinusOne(part) > 0) {
        return s.WithContext("partial download kept in '" + part.string() +
                             "'");
      }
      return s;
    }
  }
  VIGIL_RETURN_IF_ERROR(FsyncPath(part, false));
  VIGIL_ASSIGN_OR_RETURN(std::string got, Sha256File(part));
  if (got != digest) {
    std::error_code ec;
    fs::remove(part, ec);
    return Corrupt("'" + file.file_name + "' from " + file.url +
                   " has the wrong sha256: expected " + digest + ", got " +
                   got + "; the download was deleted, run again");
  }
  return OkStatus();
}

Result<PulledFile> PullOne(const RemoteFile& file, const PullOptions& options,
                           const std::map<std::string, std::string>* manifest) {
  const fs::path final_path = options.dir / file.file_name;
  const fs::path part = options.dir / (file.file_name + ".part");
  VIGIL_ASSIGN_OR_RETURN(RemoteInfo info,
                         ProbeRemote(file.url, options.transfer));
  VIGIL_ASSIGN_OR_RETURN(std::string digest,
                         ExpectedDigest(file, info, manifest));
  PulledFile out{final_path, digest, false};
  if (fs::exists(final_path) &&
      (info.size < 0 || SizeOrMinusOne(final_path) == info.size)) {
    VIGIL_ASSIGN_OR_RETURN(std::string have, Sha256File(final_path));
    if (have == digest) {
      out.already_present = true;
      return out;
    }
  }
  VIGIL_RETURN_IF_ERROR(FetchVerified(file, part, info, digest, options));
  std::error_code ec;
  fs::rename(part, final_path, ec);
  if (ec) {
    return IoError("cannot move '" + part.string() + "' to '" +
                   final_path.string() + "': " + ec.message());
  }
  VIGIL_RETURN_IF_ERROR(FsyncPath(options.dir, true));
  return out;
}

}  // namespace

Result<std::vector<PulledFile>> PullModel(const PullOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<RemoteFile> files,
                         ResolveFiles(options.catalog));
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec || !fs::is_directory(options.dir)) {
    return IoError("cannot create model dir '" + options.dir.string() +
                   "': " + (ec ? ec.message() : "not a directory"));
  }
  std::optional<std::map<std::string, std::string>> manifest;
  if (options.manifest) {
    VIGIL_ASSIGN_OR_RETURN(manifest, ReadManifest(*options.manifest));
  }
  std::vector<PulledFile> pulled;
  for (const RemoteFile& file : files) {
    if (options.log) *options.log << "fetching " << file.url << "\n";
    VIGIL_ASSIGN_OR_RETURN(
        PulledFile one,
        PullOne(file, options, manifest ? &*manifest : nullptr));
    if (options.log) {
      *options.log << (one.already_present ? "up to date: " : "installed: ")
                   << one.path.string() << " (sha256 " << one.sha256 << ")\n";
    }
    pulled.push_back(std::move(one));
  }
  return pulled;
}

}  // namespace vigil::model_pull
