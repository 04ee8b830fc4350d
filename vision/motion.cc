// SPDX-License-Identifier: Apache-2.0
// OpenCV adapter for motion detection (OpenCV exceptions stop here).
#include "vision/motion.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace vigil::vision {

struct MotionDetector::State {
  cv::Mat background;  // CV_32F, analysis size
  cv::Mat mask;        // CV_8U, 255 = watched
  int32_t width = 0;   // full-frame size the background belongs to
  int32_t height = 0;
  double watched = 0;  // watched pixels
};

namespace {

cv::Mat WatchMask(const MotionOptions& o, cv::Size size) {
  cv::Mat mask(size, CV_8U, cv::Scalar(255));
  for (const auto& poly : o.masks) {
    std::vector<cv::Point> pts;
    for (const PointF& p : poly) {
      pts.emplace_back(int(p.x * float(size.width - 1) + 0.5f),
                       int(p.y * float(size.height - 1) + 0.5f));
    }
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{pts},
                 cv::Scalar(0));
  }
  return mask;
}

// Grey, downscaled, blurred: what the background model sees.
cv::Mat Prepare(const RgbImage& frame, int32_t width) {
  cv::Mat rgb(frame.height, frame.width, CV_8UC3,
              const_cast<uint8_t*>(frame.rgb.data()));
  cv::Mat grey;
  cv::cvtColor(rgb, grey, cv::COLOR_RGB2GRAY);
  const int w = std::min(width, frame.width);
  const int h = std::max(1, int(int64_t(frame.height) * w / frame.width));
  cv::Mat small;
  cv::resize(grey, small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  cv::Mat f;
  small.convertTo(f, CV_32F);
  cv::GaussianBlur(f, f, cv::Size(5, 5), 0);
  return f;
}

Rect ToFrame(const cv::Rect& r, double sx, double sy) {
  return {int32_t(r.x * sx), int32_t(r.y * sy),
          int32_t(std::ceil(r.width * sx)), int32_t(std::ceil(r.height * sy))};
}

Rect Union(const Rect& a, const Rect& b) {
  if (a.area() == 0) return b;
  const int32_t x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int32_t x1 = std::max(a.x + a.width, b.x + b.width);
  const int32_t y1 = std::max(a.y + a.height, b.y + b.height);
  return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace

Status Validate(const MotionOptions& o) {
  if (!(o.sensitivity >= 0 && o.sensitivity <= 1)) {
    return InvalidArgument("motion.sensitivity: must be in [0, 1], got " +
                           std::to_string(o.sensitivity));
  }
  if (!(o.min_area > 0 && o.min_area < 1)) {
    return InvalidArgument("motion.min_area: must be in (0, 1), got " +
                           std::to_string(o.min_area));
  }
  if (!(o.learning_rate > 0 && o.learning_rate <= 1)) {
    return InvalidArgument("motion.learning_rate: must be in (0, 1], got " +
                           std::to_string(o.learning_rate));
  }
  if (o.analysis_width < 32 || o.analysis_width > 4096) {
    return InvalidArgument("motion.analysis_width: must be in [32, 4096]");
  }
  for (size_t i = 0; i < o.masks.size(); ++i) {
    const std::string where = "motion.masks[" + std::to_string(i) + "]";
    if (o.masks[i].size() < 3) {
      return InvalidArgument(where + ": a polygon needs at least 3 points");
    }
    for (const PointF& p : o.masks[i]) {
      if (!(p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1)) {
        return InvalidArgument(where + ": points are frame fractions in "
                                       "[0, 1], got (" + std::to_string(p.x) +
                               ", " + std::to_string(p.y) + ")");
      }
    }
  }
  return OkStatus();
}

MotionDetector::MotionDetector(MotionOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>()) {}
MotionDetector::~MotionDetector() = default;
MotionDetector::MotionDetector(MotionDetector&&) noexcept = default;
MotionDetector& MotionDetector::operator=(MotionDetector&&) noexcept = default;

void MotionDetector::Reset() { *state_ = State(); }

Result<MotionResult> MotionDetector::Update(const RgbImage& frame) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.rgb.size() != size_t(frame.width) * size_t(frame.height) * 3) {
    return InvalidArgument("motion: empty or inconsistent image");
  }
  try {
    State& s = *state_;
    const cv::Mat cur = Prepare(frame, options_.analysis_width);
    MotionResult r;
    if (s.background.empty() || s.width != frame.width ||
        s.height != frame.height) {
      s.background = cur.clone();
      s.mask = WatchMask(options_, cur.size());
      s.width = frame.width;
      s.height = frame.height;
      s.watched = std::max(1.0, double(cv::countNonZero(s.mask)));
      r.first_frame = true;
      return r;
    }
    // Cancel a global brightness shift (clouds, auto-exposure, IR switch):
    // compare against the background moved to the frame's mean.
    const double shift =
        cv::mean(cur, s.mask)[0] - cv::mean(s.background, s.mask)[0];
    cv::Mat diff;
    cv::absdiff(cur, s.background + shift, diff);
    const double threshold = 8.0 + (1.0 - options_.sensitivity) * 52.0;
    cv::Mat changed;
    cv::threshold(diff, changed, threshold, 255, cv::THRESH_BINARY);
    changed.convertTo(changed, CV_8U);
    changed &= s.mask;
    // Remove speckle, then join the parts of one subject.
    cv::morphologyEx(changed, changed, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    cv::dilate(changed, changed,
               cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(changed, contours, cv::RETR_EXTERNAL,
                     cv::CHAIN_APPROX_SIMPLE);
    const double min_px = options_.min_area * double(cur.total());
    const double sx = double(frame.width) / cur.cols;
    const double sy = double(frame.height) / cur.rows;
    double changed_px = 0;
    for (const auto& c : contours) {
      const cv::Rect box = cv::boundingRect(c);
      if (double(cv::contourArea(c)) < min_px) continue;
      changed_px += cv::countNonZero(changed(box));
      r.regions.push_back(ToFrame(box, sx, sy));
    }
    std::sort(r.regions.begin(), r.regions.end(),
              [](const Rect& a, const Rect& b) { return a.area() > b.area(); });
    for (const Rect& box : r.regions) r.bounds = Union(r.bounds, box);
    r.motion = !r.regions.empty();
    r.score = float(std::min(1.0, changed_px / s.watched));
    cv::accumulateWeighted(cur, s.background, options_.learning_rate);
    return r;
  } catch (const cv::Exception& e) {
    return InternalError(std::string("motion: OpenCV: ") + e.what());
  }
}

}  // namespace vigil::vision
