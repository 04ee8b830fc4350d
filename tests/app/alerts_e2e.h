// SPDX-License-Identifier: Apache-2.0
// Shared by the alerts end-to-end tests of the real binary: a local camera
// whose scene the test switches, and the config (tiny models, an on-motion
// rule, the given notifiers).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/app/vigil_process.h"

namespace vigil::testing {

inline constexpr char kAlertsWebPass[] = "web-Secret-5150";
inline constexpr char kAlertsToken[] = "tok-alerts-e2e-0123456789";

inline bool WaitUntil(const std::function<bool()>& cond,
               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return cond();
}

// A local HTTP camera at /frame.jpg showing a still yard (scene 0) or the
// same yard with a person-sized block (scene 1); identical bytes while the
// scene stays, so only a scene change is motion.
class SceneCamera {
 public:
  SceneCamera() {
    for (int scene = 0; scene < 2; ++scene) {
      cv::Mat img(240, 320, CV_8UC3);
      for (int y = 0; y < img.rows; ++y) {
        for (int x = 0; x < img.cols; ++x) {
          const int v = 60 + y / 3 + (x % 40 < 2 ? 30 : 0);
          img.at<cv::Vec3b>(y, x) = cv::Vec3b(v - 20, v + 10, v);
        }
      }
      if (scene == 1) {
        cv::rectangle(img, cv::Rect(200, 80, 40, 110), cv::Scalar(20, 20, 20),
                      cv::FILLED);
      }
      cv::imencode(".jpg", img, jpegs_[scene]);
    }
    server_.Get("/frame.jpg", [this](const httplib::Request&,
                                     httplib::Response& res) {
      const auto& jpeg = jpegs_[scene_.load()];
      res.set_content(std::string(jpeg.begin(), jpeg.end()), "image/jpeg");
      ++served_;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    WaitUntil([this] { return server_.is_running(); },
              std::chrono::seconds(5));
  }
  ~SceneCamera() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/frame.jpg";
  }
  void SetScene(int scene) { scene_ = scene; }
  int served() const { return served_; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::vector<uchar> jpegs_[2];
  std::atomic<int> scene_{0};
  std::atomic<int> served_{0};
};

// The reports' flag vocabulary leaves out `gate_left_open`, so no report
// ever matches the rule on its own: the only alert is the motion alert and
// its report update (no race between a first-look report and the motion).
// `notifiers` is the YAML of `alerts.notifiers` entries, indented by 4.
inline std::string AlertsConfig(const std::filesystem::path& data,
                                const SceneCamera& cam,
                                const std::string& notifiers) {
  const std::string ref = std::string(VIGIL_SHARED_DIR) + "/ref";
  return "storage:\n  data_dir: " + data.string() +
         "\n  utc_folders: true\n"
         "web:\n  port: 0\n  password: ${VIGIL_TEST_WEB_PASS}\n"
         "  api_tokens: [\"${VIGIL_TEST_TOKEN}\"]\n"
         "cameras:\n  door:\n    kind: http\n    url: " + cam.url() +
         "\n    interval_s: 0.4\n    timeout_s: 2\n"
         "analysis:\n"
         "  model: " + ref + "/text/gemma4-e2b-tiny-F32.gguf\n"
         "  mmproj: " + ref + "/vision/mmproj-gemma4-e2b-tiny-F32.gguf\n"
         "  threads: 2\n  context: 1024\n  max_tokens: 48\n"
         "  image_budget: 70\n  flags: [person_at_door, animal]\n"
         "alerts:\n"
         "  flags: [person_at_door, animal, gate_left_open]\n"
         "  retry_initial_s: 0.2\n  retry_max_s: 0.4\n"
         "  notifiers:\n" + notifiers +
         "  rules:\n    door_motion: {cameras: [door], on_motion: true, "
         "flags: [gate_left_open], cooldown_s: 3600}\n";
}

// Waits until the server logs its port; returns it (0 on failure).
inline int WaitForPort(VigilProcess& p) {
  auto port = p.WaitForLog(std::regex(R"(gallery on http://[0-9.]+:(\d+))"),
                           std::chrono::seconds(60));
  return port ? std::stoi(*port) : 0;
}

}  // namespace vigil::testing
