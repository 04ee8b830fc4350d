// SPDX-License-Identifier: Apache-2.0
// Watch folder: cameras push JPEGs by FTP/SMB; each complete file is ingested
// once. A file is complete when it ends with the JPEG end marker and decodes,
// or when its size and mtime held still over two polls `settle_s` apart.
// After the sink stores it, `Commit` moves it into done/ (or deletes it), so
// a restart never ingests it twice. Undecodable files go to failed/.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "capture/jpeg_check.h"
#include "capture/sources.h"
#include "common/log.h"

namespace vigil::capture {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kDoneDir = "done";
constexpr const char* kFailedDir = "failed";
constexpr size_t kMaxEntriesPerPoll = 20000;

struct Candidate {
  fs::path path;
  uintmax_t size = 0;
  fs::file_time_type mtime;
};

// What the last poll saw of a file that was not yet complete.
struct Sighting {
  uintmax_t size = 0;
  fs::file_time_type mtime;
  SteadyClock::time_point since;
};

bool IsJpegName(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg";
}

Result<std::vector<uint8_t>> ReadAll(const fs::path& p, uintmax_t size) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return IoError("cannot open " + p.string());
  std::vector<uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()),
          static_cast<std::streamsize>(size));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

class WatchFolderSource : public Source {
 public:
  explicit WatchFolderSource(const CameraConfig& c)
      : config_(c), root_(c.folder) {}

  Result<CapturedImage> Capture() override {
    pending_.reset();
    std::error_code ec;
    if (!fs::is_directory(root_, ec)) {
      return Unavailable("watch folder " + root_.string() +
                         " does not exist or is not a directory");
    }
    std::vector<Candidate> files = Scan();
    ForgetVanished(files);
    for (const Candidate& f : files) {
      auto r = TryIngest(f);
      if (r.ok() || r.status().code() != StatusCode::kNotFound) return r;
    }
    return NotFound("no new complete file in " + root_.string());
  }

  Status Commit() override {
    if (!pending_) return OkStatus();
    fs::path p = *pending_;
    pending_.reset();
    seen_.erase(p);
    return config_.after_ingest == AfterIngest::kDelete ? Delete(p)
                                                         : MoveTo(p, kDoneDir);
  }

  bool IsPush() const override { return true; }
  std::string Describe() const override {
    return "watch_folder " + root_.string();
  }

 private:
  // Lists candidate JPEGs, oldest first; skips done/, failed/ and hidden
  // files (FTP servers upload into ".name.part" style temporaries).
  std::vector<Candidate> Scan() {
    std::vector<Candidate> out;
    std::error_code ec;
    auto it = fs::recursive_directory_iterator(
        root_, fs::directory_options::skip_permission_denied, ec);
    size_t visited = 0;
    for (; !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (++visited > kMaxEntriesPerPoll) break;
      const fs::path& p = it->path();
      std::string name = p.filename().string();
      bool top = it.depth() == 0;
      if (it->is_directory(ec)) {
        if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
        if (top && (name == kDoneDir || name == kFailedDir)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (name.empty() || name[0] == '.' || !IsJpegName(p)) continue;
      if (!it->is_regular_file(ec)) continue;
      Candidate c{p, it->file_size(ec), it->last_write_time(ec)};
      if (!ec) out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.mtime != b.mtime ? a.mtime < b.mtime : a.path < b.path;
    });
    return out;
  }

  // Drops sightings of files that disappeared (renamed or removed by hand).
  void ForgetVanished(const std::vector<Candidate>& files) {
    std::map<fs::path, Sighting> kept;
    for (const Candidate& f : files) {
      auto it = seen_.find(f.path);
      if (it != seen_.end()) kept.insert(*it);
    }
    seen_.swap(kept);
  }

  // Returns the image, kNotFound if the file is still being written, or an
  // error (after moving the file to failed/) if it is complete but bad.
  Result<CapturedImage> TryIngest(const Candidate& f) {
    if (f.size > config_.max_bytes) {
      (void)MoveTo(f.path, kFailedDir);
      return OutOfRange(f.path.string() + ": " + std::to_string(f.size) +
                        " bytes exceeds max_bytes " +
                        std::to_string(config_.max_bytes) + "; moved to " +
                        kFailedDir + "/");
    }
    bool settled = Settled(f);
    VIGIL_ASSIGN_OR_RETURN(auto bytes, ReadAll(f.path, f.size));
    auto when = std::chrono::file_clock::to_sys(f.mtime);
    auto when_sys = std::chrono::time_point_cast<
        std::chrono::system_clock::duration>(when);
    auto img = CheckJpeg(std::move(bytes), when_sys, f.path.string());
    if (img.ok()) {
      pending_ = f.path;
      return img;
    }
    if (!settled) return NotFound("still being written: " + f.path.string());
    seen_.erase(f.path);
    Status moved = MoveTo(f.path, kFailedDir);
    return Status(img.status().code(),
                  img.status().message() +
                      (moved.ok() ? "; moved to failed/" : ""));
  }

  // Records this sighting; true once size and mtime held for `settle_s`
  // across two polls.
  bool Settled(const Candidate& f) {
    auto now = SteadyClock::now();
    auto [it, inserted] = seen_.try_emplace(f.path, Sighting{f.size, f.mtime, now});
    if (inserted) return false;
    Sighting& s = it->second;
    if (s.size != f.size || s.mtime != f.mtime) {
      s = Sighting{f.size, f.mtime, now};
      return false;
    }
    return now - s.since >= std::chrono::duration<double>(config_.settle_s);
  }

  Status Delete(const fs::path& p) {
    std::error_code ec;
    fs::remove(p, ec);
    if (ec) return IoError("cannot delete " + p.string() + ": " + ec.message());
    return OkStatus();
  }

  // Moves `p` to `<root>/<dir>/<relative path>`, adding "-N" on a clash.
  Status MoveTo(const fs::path& p, const char* dir) {
    std::error_code ec;
    fs::path rel = fs::relative(p, root_, ec);
    if (ec || rel.empty()) rel = p.filename();
    fs::path dest = root_ / dir / rel;
    fs::create_directories(dest.parent_path(), ec);
    for (int n = 1; fs::exists(dest, ec) && n < 1000; ++n) {
      dest = root_ / dir / rel.parent_path() /
             (rel.stem().string() + "-" + std::to_string(n) +
              rel.extension().string());
    }
    fs::rename(p, dest, ec);
    if (ec) {
      return IoError("cannot move " + p.string() + " to " + dest.string() +
                     ": " + ec.message());
    }
    return OkStatus();
  }

  CameraConfig config_;
  fs::path root_;
  std::map<fs::path, Sighting> seen_;
  std::optional<fs::path> pending_;
};

}  // namespace

Result<std::unique_ptr<Source>> MakeWatchFolderSource(const CameraConfig& c) {
  return std::unique_ptr<Source>(new WatchFolderSource(c));
}

}  // namespace vigil::capture
