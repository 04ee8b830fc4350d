// SPDX-License-Identifier: Apache-2.0
// Issue-2 appliance benchmarks: ingest throughput through store + index,
// gallery API latency with 100,000 indexed snapshots, and the resident
// memory of a real `vigil serve` with 4 cameras. Prints a table.
//   bench_appliance [--snapshots N] [--ingest N] [--rss-seconds S]
#include "bench/bench_appliance.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <thread>

#include "store/snapshot_store.h"

namespace vigil::bench {

std::vector<unsigned char> BenchJpeg(int w, int h, int seed) {
  cv::Mat img(h, w, CV_8UC3, cv::Scalar(30, 80 + seed % 120, 150));
  cv::randu(img(cv::Rect(0, 0, w / 4, h / 4)), 0, 255);  // some texture
  cv::circle(img, {(seed * 31) % w, h / 2}, h / 5, cv::Scalar(250, 250, 250),
             cv::FILLED);
  std::vector<unsigned char> out;
  cv::imencode(".jpg", img, out, {cv::IMWRITE_JPEG_QUALITY, 85});
  return out;
}

namespace {

namespace fs = std::filesystem;

std::string Fmt(double v, int precision = 1) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(precision);
  os << v;
  return os.str();
}

// Saves `n` 1280x720 JPEGs through SnapshotStore::Save (validate, atomic
// write with fsync, index row) from 4 camera threads.
std::vector<Row> BenchIngest(const fs::path& dir, int n) {
  auto store = store::SnapshotStore::Open({.data_dir = dir / "ingest",
                                           .utc_folders = true});
  if (!store.ok()) return {{"ingest", "error", store.status().ToString()}};
  std::vector<std::vector<unsigned char>> jpegs;
  for (int i = 0; i < 8; ++i) jpegs.push_back(BenchJpeg(1280, 720, i));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  auto base = std::chrono::system_clock::now();
  for (int cam = 0; cam < 4; ++cam) {
    threads.emplace_back([&, cam] {
      for (int i = cam; i < n; i += 4) {
        auto r = (*store)->Save("cam" + std::to_string(cam),
                                base + std::chrono::milliseconds(250 * i),
                                jpegs[i % jpegs.size()]);
        if (!r.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  double ms = MsSince(t0);
  double mb = 0;
  for (auto& j : jpegs) mb += j.size();
  mb = mb / jpegs.size() * n / 1e6;
  return {{"ingest, 4 threads, 1280x720 (" + Fmt(mb / n * 1000, 0) + " KB)",
           Fmt(n / (ms / 1000)) + " snapshots/s",
           std::to_string(n) + " saves, " + Fmt(mb / (ms / 1000)) +
               " MB/s, fsync each, " + std::to_string(failures.load()) +
               " failures"}};
}

long ReadRssKb(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(strlen(field)));
  }
  return -1;
}

// Runs the real binary with 4 demo cameras (1280x720 every second) and
// samples its resident memory.
std::vector<Row> BenchRss(const fs::path& dir, int seconds) {
  fs::path cfg = dir / "rss.yaml";
  std::ofstream(cfg) << "storage: {data_dir: " << (dir / "rss").string()
                     << "}\nweb: {port: 0, password: bench-password}\n"
                        "logging: {level: warn}\ncameras:\n";
  for (int i = 0; i < 4; ++i) {
    std::ofstream(cfg, std::ios::app)
        << "  cam" << i << ": {kind: demo, interval_s: 1, width: 1280, "
        << "height: 720}\n";
  }
  std::string bin = std::string(VIGIL_BINARY_DIR) + "/app/vigil";
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(bin.c_str(), bin.c_str(), "serve", "--config", cfg.c_str(), nullptr);
    _exit(127);
  }
  long peak = 0, last = 0;
  for (int s = 0; s < seconds; ++s) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    last = ReadRssKb(pid, "VmRSS:");
    peak = std::max(peak, ReadRssKb(pid, "VmHWM:"));
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  size_t files = 0;
  std::error_code ec;  // the folder is missing if vigil failed to start
  for (fs::recursive_directory_iterator it(dir / "rss" / "snapshots", ec), end;
       !ec && it != end; it.increment(ec)) {
    files += it->path().extension() == ".jpg";
  }
  return {{"vigil serve RSS, 4 demo cameras",
           Fmt(last / 1024.0) + " MiB",
           "peak " + Fmt(peak / 1024.0) + " MiB after " +
               std::to_string(seconds) + " s, " + std::to_string(files) +
               " snapshots stored, exit " +
               std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1)}};
}

int IntFlag(int argc, char** argv, const std::string& name, int def) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return std::atoi(argv[i + 1]);
  }
  return def;
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  using namespace vigil::bench;
  int snapshots = IntFlag(argc, argv, "--snapshots", 100000);
  int ingest = IntFlag(argc, argv, "--ingest", 2000);
  int rss_seconds = IntFlag(argc, argv, "--rss-seconds", 20);
  auto dir = std::filesystem::temp_directory_path() /
             ("vigil_bench_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::vector<Row> rows = BenchIngest(dir, ingest);
  for (Row& r : BenchApi(dir, snapshots)) rows.push_back(r);
  for (Row& r : BenchRss(dir, rss_seconds)) rows.push_back(r);
  std::filesystem::remove_all(dir);

  std::printf("\n%-52s %-22s %s\n", "benchmark", "result", "notes");
  std::printf("%s\n", std::string(110, '-').c_str());
  for (const Row& r : rows) {
    std::printf("%-52s %-22s %s\n", r.what.c_str(), r.value.c_str(),
                r.note.c_str());
  }
  return 0;
}
