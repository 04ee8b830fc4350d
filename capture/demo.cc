// SPDX-License-Identifier: Apache-2.0
// Demo camera: renders a changing test scene (a yard with a moving sun, a
// passing car, a clock and the camera name, and now and then a person
// walking by) so `vigil serve` shows something with no camera attached.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>

#include "capture/jpeg_check.h"
#include "capture/sources.h"

namespace vigil::capture {
namespace {

// Seconds of each cycle in which a person crosses the yard ("activity").
constexpr double kActivityPeriodS = 90;
constexpr double kActivityLengthS = 20;

class DemoSource : public Source {
 public:
  explicit DemoSource(const CameraConfig& c)
      : config_(c),
        width_(c.width > 0 ? std::max(64, c.width) : 1280),
        height_(c.height > 0 ? std::max(48, c.height) : 720),
        tint_(static_cast<int>(std::hash<std::string>{}(c.name) % 60)) {}

  Result<CapturedImage> Capture() override {
    auto now = std::chrono::system_clock::now();
    double t = std::chrono::duration<double>(now.time_since_epoch()).count();
    cv::Mat img(height_, width_, CV_8UC3);
    try {
      DrawBackground(img);
      DrawSun(img, t);
      DrawCar(img, t);
      DrawPerson(img, t);
      DrawLabels(img, now);
    } catch (const cv::Exception& e) {
      return InternalError(std::string("demo render failed: ") + e.what());
    }
    return EncodeFrame(img, config_.jpeg_quality, now);
  }

  std::string Describe() const override { return "demo scene"; }

 private:
  int X(double f) const { return static_cast<int>(f * width_); }
  int Y(double f) const { return static_cast<int>(f * height_); }
  int S(double f) const { return std::max(1, static_cast<int>(f * height_)); }

  void DrawBackground(cv::Mat& img) const {
    int horizon = Y(0.6);
    for (int y = 0; y < horizon; ++y) {  // sky gradient
      double k = static_cast<double>(y) / horizon;
      cv::line(img, {0, y}, {width_, y},
               cv::Scalar(235 - 40 * k, 190 - 30 * k + tint_, 120 + 40 * k),
               1);
    }
    cv::rectangle(img, {0, horizon}, {width_, height_},
                  cv::Scalar(60, 140 + tint_, 70), cv::FILLED);
    cv::rectangle(img, {X(0.62), Y(0.35)}, {X(0.88), Y(0.62)},
                  cv::Scalar(90, 110, 170), cv::FILLED);  // house
    std::vector<cv::Point> roof = {{X(0.60), Y(0.35)}, {X(0.75), Y(0.2)},
                                   {X(0.90), Y(0.35)}};
    cv::fillPoly(img, std::vector<std::vector<cv::Point>>{roof},
                 cv::Scalar(50, 50, 120));
    cv::rectangle(img, {X(0.73), Y(0.48)}, {X(0.78), Y(0.62)},
                  cv::Scalar(40, 60, 90), cv::FILLED);  // door
    cv::rectangle(img, {X(0.1), Y(0.45)}, {X(0.115), Y(0.62)},
                  cv::Scalar(30, 60, 90), cv::FILLED);  // tree trunk
    cv::circle(img, {X(0.107), Y(0.4)}, S(0.09), cv::Scalar(40, 120, 40),
               cv::FILLED);
  }

  void DrawSun(cv::Mat& img, double t) const {
    double phase = std::fmod(t / 600.0, 1.0);  // crosses the sky in 10 min
    cv::Point c(X(0.05 + 0.9 * phase),
                Y(0.3 - 0.2 * std::sin(phase * 3.14159265)));
    cv::circle(img, c, S(0.05), cv::Scalar(60, 220, 255), cv::FILLED);
  }

  void DrawCar(cv::Mat& img, double t) const {
    double phase = std::fmod(t / 30.0, 1.0);  // passes every 30 s
    int x = X(-0.2 + 1.4 * phase);
    int y = Y(0.78);
    cv::rectangle(img, {x, y}, {x + X(0.16), y + Y(0.07)},
                  cv::Scalar(40, 40, 200), cv::FILLED);
    cv::rectangle(img, {x + X(0.03), y - Y(0.05)}, {x + X(0.12), y},
                  cv::Scalar(40, 40, 170), cv::FILLED);
    cv::circle(img, {x + X(0.03), y + Y(0.07)}, S(0.025), cv::Scalar(20, 20, 20),
               cv::FILLED);
    cv::circle(img, {x + X(0.13), y + Y(0.07)}, S(0.025), cv::Scalar(20, 20, 20),
               cv::FILLED);
  }

  void DrawPerson(cv::Mat& img, double t) const {
    double phase = std::fmod(t, kActivityPeriodS);
    if (phase > kActivityLengthS) return;
    double k = phase / kActivityLengthS;
    int x = X(0.15 + 0.55 * k);
    int feet = Y(0.7);
    cv::Scalar coat(150, 80, 40);
    cv::circle(img, {x, feet - S(0.2)}, S(0.03), cv::Scalar(150, 180, 220),
               cv::FILLED);  // head
    cv::rectangle(img, {x - S(0.03), feet - S(0.17)}, {x + S(0.03), feet - S(0.07)},
                  coat, cv::FILLED);
    int stride = static_cast<int>(S(0.03) * std::sin(phase * 6));
    cv::line(img, {x, feet - S(0.07)}, {x - stride, feet}, coat, S(0.012));
    cv::line(img, {x, feet - S(0.07)}, {x + stride, feet}, coat, S(0.012));
  }

  void DrawLabels(cv::Mat& img, std::chrono::system_clock::time_point now) const {
    std::time_t tt = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char clock[32];
    std::strftime(clock, sizeof(clock), "%Y-%m-%d %H:%M:%S", &tm);
    double scale = height_ / 720.0;
    cv::rectangle(img, {0, 0}, {width_, S(0.07)}, cv::Scalar(0, 0, 0),
                  cv::FILLED);
    cv::putText(img, clock, {X(0.01), S(0.05)}, cv::FONT_HERSHEY_SIMPLEX,
                1.0 * scale, cv::Scalar(255, 255, 255),
                std::max(1, static_cast<int>(2 * scale)));
    cv::putText(img, "vigil demo: " + config_.name, {X(0.55), S(0.05)},
                cv::FONT_HERSHEY_SIMPLEX, 0.9 * scale,
                cv::Scalar(200, 255, 200),
                std::max(1, static_cast<int>(2 * scale)));
  }

  CameraConfig config_;
  int width_;
  int height_;
  int tint_;
};

}  // namespace

Result<std::unique_ptr<Source>> MakeDemoSource(const CameraConfig& c) {
  return std::unique_ptr<Source>(new DemoSource(c));
}

}  // namespace vigil::capture
