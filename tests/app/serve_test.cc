// SPDX-License-Identifier: Apache-2.0
// End-to-end: the real `vigil serve` binary with a temp config, a real local
// HTTP camera behind digest auth, the demo camera and four broken cameras.
// Checks files on disk, index rows through the API, auth on every endpoint,
// metrics, logs and secret redaction.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>

#include "tests/app/api_client.h"
#include "tests/app/fake_camera.h"
#include "tests/app/vigil_process.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr char kCamPass[] = "cam-Secret-4242";
constexpr char kWebPass[] = "web-Secret-9191";
constexpr char kToken[] = "tok-0123456789abcdef-secret";

const std::map<std::string, std::string> kEnv = {
    {"VIGIL_TEST_CAM_PASS", kCamPass},
    {"VIGIL_TEST_WEB_PASS", kWebPass},
    {"VIGIL_TEST_TOKEN", kToken}};

// Returns every snapshot .jpg under `<data>/snapshots/<camera>` (relative
// to `data`).
std::set<std::string> JpegsOnDisk(const fs::path& data,
                                  const std::string& camera = "") {
  std::set<std::string> out;
  fs::path root = data / "snapshots" / camera;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".jpg") {
      out.insert(fs::relative(e.path(), data).string());
    }
  }
  return out;
}

std::string Config(const FakeCamera& cam, const fs::path& data) {
  std::string head = "    kind: http\n    interval_s: 0.4\n"
                     "    max_backoff_s: 0.4\n    timeout_s: 1\n";
  return "storage:\n  data_dir: " + data.string() +
         "\n  utc_folders: true\n"
         "web:\n  port: 0\n  password: ${VIGIL_TEST_WEB_PASS}\n"
         "  api_tokens: [\"${VIGIL_TEST_TOKEN}\"]\n"
         "logging:\n  level: debug\n"
         "cameras:\n"
         "  door:\n" + head + "    url: " + cam.Url("/snap.jpg") +
         "\n    username: admin\n    password: ${VIGIL_TEST_CAM_PASS}\n"
         "    auth: digest\n"
         "  demo:\n    kind: demo\n    interval_s: 0.4\n"
         "  corrupt:\n" + head + "    url: " + cam.Url("/corrupt.jpg") + "\n"
         "  html:\n" + head + "    url: " + cam.Url("/html.jpg") + "\n"
         "  denied:\n" + head + "    url: " + cam.Url("/denied.jpg") +
         "\n    username: admin\n    password: ${VIGIL_TEST_CAM_PASS}\n"
         "  hang:\n" + head + "    url: " + cam.Url("/hang.jpg") + "\n";
}

// Waits until the server logs its port; returns it (0 on failure).
int WaitForPort(VigilProcess& p) {
  auto port = p.WaitForLog(std::regex(R"(gallery on http://[0-9.]+:(\d+))"),
                           seconds(60));
  return port ? std::stoi(*port) : 0;
}

// Returns the value of `metric{camera="<camera>"}` in a Prometheus page.
double Metric(const std::string& page, const std::string& metric,
              const std::string& camera) {
  std::regex re(metric + R"(\{[^}]*camera=\")" + camera +
                R"(\"[^}]*\} ([0-9.e+]+))");
  std::smatch m;
  return std::regex_search(page, m, re) ? std::stod(m[1]) : -1;
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("serve");
    data_ = dir_ / "data";
    std::ofstream(dir_ / "vigil.yaml") << Config(camera_, data_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  FakeCamera camera_{"admin", kCamPass};
  fs::path dir_, data_;
};

TEST_F(ServeTest, CapturesStoresAndServesWithAuth) {
  VigilProcess vigil({"serve", "--config", (dir_ / "vigil.yaml").string()},
                     dir_, kEnv);
  int port = WaitForPort(vigil);
  ASSERT_GT(port, 0) << vigil.Stderr();
  ApiClient api(port);

  // Several cycles: at least 3 snapshots from each working camera.
  api.UseToken(kToken);
  auto deadline = std::chrono::steady_clock::now() + seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         (api.AllSnapshots("camera=door").size() < 3 ||
          api.AllSnapshots("camera=demo").size() < 3)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_GE(api.AllSnapshots("camera=door").size(), 3u) << vigil.Stderr();
  ASSERT_GE(api.AllSnapshots("camera=demo").size(), 3u);
  EXPECT_GT(camera_.auth_challenges(), 0);  // digest was negotiated

  ApiClient api2(port);  // a second client, anonymous until it logs in

  // Login is required for every endpoint but health.
  EXPECT_EQ(api2.Get("/api/health")->status, 200);
  for (const char* path :
       {"/api/cameras", "/api/snapshots", "/api/snapshots/1",
        "/api/snapshots/1/image", "/api/snapshots/1/thumbnail", "/metrics",
        "/api/session"}) {
    auto res = api2.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 401) << path;
  }
  EXPECT_EQ(api2.Post("/api/cameras/door/snap")->status, 401);
  EXPECT_EQ(api2.Login("wrong password"), 401);
  ASSERT_EQ(api2.Login(kWebPass), 200);

  // Every row has its file, and every file on disk is listed.
  std::vector<nlohmann::json> rows = api2.AllSnapshots();
  std::set<std::string> listed;
  for (const auto& r : rows) listed.insert(r["path"].get<std::string>());
  std::set<std::string> disk = JpegsOnDisk(data_);
  for (const std::string& p : listed) EXPECT_TRUE(disk.count(p)) << p;
  EXPECT_GE(listed.size(), 6u);

  // The image endpoint returns the bytes on disk.
  const nlohmann::json& first = rows.back();
  auto img = api2.Get(first["image_url"].get<std::string>());
  ASSERT_TRUE(img);
  EXPECT_EQ(img->status, 200);
  EXPECT_EQ(img->body, ReadFile(data_ / first["path"].get<std::string>()));
  auto thumb = api2.Get(first["thumbnail_url"].get<std::string>());
  ASSERT_TRUE(thumb);
  EXPECT_EQ(thumb->status, 200);
  EXPECT_EQ(thumb->get_header_value("Content-Type"), "image/jpeg");

  // Broken cameras: nothing stored, offline with an error, counted.
  for (const char* bad : {"corrupt", "html", "denied", "hang"}) {
    EXPECT_TRUE(JpegsOnDisk(data_, bad).empty()) << bad;
    EXPECT_TRUE(api2.AllSnapshots(std::string("camera=") + bad).empty()) << bad;
  }
  std::this_thread::sleep_for(seconds(3));  // let `hang` time out once
  nlohmann::json cams = api2.GetJson("/api/cameras");
  ASSERT_TRUE(cams.is_object());
  for (const auto& c : cams["items"]) {
    std::string name = c["name"];
    if (name == "door" || name == "demo") {
      EXPECT_GT(c["captures_total"].get<int>(), 0) << name;
    } else {
      EXPECT_FALSE(c["online"].get<bool>()) << name;
      EXPECT_FALSE(c["last_error"].get<std::string>().empty()) << name;
      EXPECT_GT(c["failures_total"].get<int>(), 0) << name;
    }
  }
  std::string metrics = api2.Get("/metrics")->body;
  for (const char* bad : {"corrupt", "html", "denied", "hang"}) {
    EXPECT_GT(Metric(metrics, "vigil_capture_failures_total", bad), 0)
        << bad << "\n" << metrics;
    EXPECT_EQ(Metric(metrics, "vigil_captures_total", bad), 0) << bad;
  }
  EXPECT_GT(Metric(metrics, "vigil_captures_total", "door"), 0);

  // Snap now through the API (token auth).
  api2.Anonymous();
  api2.UseToken(kToken);
  auto snap = api2.Post("/api/cameras/door/snap");
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->status, 201) << snap->body;

  // Path traversal never reaches the file system.
  for (const char* path :
       {"/api/snapshots/..%2F..%2Fetc%2Fpasswd/image",
        "/api/snapshots/../../etc/passwd", "/api/cameras/..%2Fx/snap"}) {
    auto res = api2.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status == 400 || res->status == 404) << path;
  }

  ASSERT_EQ(vigil.Signal(SIGTERM, seconds(30)), 0) << vigil.Stderr();
  std::string log = vigil.Stderr() + vigil.Stdout();
  // Each broken camera is logged with its reason.
  for (const char* bad : {"corrupt", "html", "denied", "hang"}) {
    EXPECT_NE(log.find(bad), std::string::npos) << bad;
  }
  // Secrets never reach the console or log.
  for (const char* secret : {kCamPass, kWebPass, kToken}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(ServeTest, KillNineDuringCaptureThenRestartAgrees) {
  fs::path cfg = dir_ / "vigil.yaml";
  VigilProcess vigil({"serve", "--config", cfg.string()}, dir_, kEnv);
  ASSERT_GT(WaitForPort(vigil), 0) << vigil.Stderr();
  // Let captures run, then kill at an arbitrary moment mid-capture.
  auto deadline = std::chrono::steady_clock::now() + seconds(30);
  while (JpegsOnDisk(data_).size() < 8 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(37));
  }
  EXPECT_EQ(vigil.Signal(SIGKILL, seconds(10)), 128 + SIGKILL);

  // Restart with every camera disabled so nothing new arrives.
  std::string text = ReadFile(cfg);
  text = std::regex_replace(text, std::regex("    kind: "),
                            "    enabled: false\n    kind: ");
  std::ofstream(cfg) << text;
  VigilProcess again({"serve", "--config", cfg.string()}, dir_, kEnv, "again");
  int port = WaitForPort(again);
  ASSERT_GT(port, 0) << again.Stderr();
  ApiClient api(port);
  api.UseToken(kToken);
  std::set<std::string> listed;
  for (const auto& r : api.AllSnapshots()) {
    listed.insert(r["path"].get<std::string>());
  }
  EXPECT_EQ(listed, JpegsOnDisk(data_));
  EXPECT_GE(listed.size(), 8u);
  // No temp file of the interrupted write is left behind.
  for (const auto& e : fs::recursive_directory_iterator(data_ / "snapshots")) {
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
  }
  EXPECT_EQ(again.Signal(SIGTERM, seconds(30)), 0);
}

}  // namespace
}  // namespace vigil::testing
