// SPDX-License-Identifier: Apache-2.0
// Thumbnails through OpenCV: reduced-scale decode, INTER_AREA resize, encode.
#include "vision/thumbnail.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

namespace vigil::vision {
namespace {

struct Size2 {
  int32_t w, h;
};

// Returns the size of a `w` x `h` image scaled down to fit the box.
Size2 FitInBox(int32_t w, int32_t h, int32_t box_w, int32_t box_h) {
  const double s = std::min(
      {1.0, static_cast<double>(box_w) / w, static_cast<double>(box_h) / h});
  return {std::max(1, static_cast<int32_t>(std::lround(w * s))),
          std::max(1, static_cast<int32_t>(std::lround(h * s)))};
}

// Picks the largest libjpeg DCT scale (1, 2, 4, 8) whose output is still at
// least as large as the thumbnail in both orientations (EXIF may rotate).
int ReducedReadFlag(const JpegInfo& info, const ThumbnailOptions& o) {
  const Size2 a = FitInBox(info.width, info.height, o.max_width, o.max_height);
  const Size2 b = FitInBox(info.width, info.height, o.max_height, o.max_width);
  const int32_t need_w = std::max(a.w, b.w), need_h = std::max(a.h, b.h);
  for (int f : {8, 4, 2}) {
    if (info.width / f >= need_w && info.height / f >= need_h) {
      return f == 8 ? cv::IMREAD_REDUCED_COLOR_8
                    : (f == 4 ? cv::IMREAD_REDUCED_COLOR_4
                              : cv::IMREAD_REDUCED_COLOR_2);
    }
  }
  return cv::IMREAD_COLOR;
}

}  // namespace

Result<std::vector<uint8_t>> MakeThumbnail(std::span<const uint8_t> jpeg,
                                           const ThumbnailOptions& options) {
  if (options.max_width < 1 || options.max_height < 1 || options.quality < 1 ||
      options.quality > 100) {
    return InvalidArgument(
        "thumbnail options: box must be >= 1x1 and quality 1..100, got " +
        std::to_string(options.max_width) + "x" +
        std::to_string(options.max_height) + " quality " +
        std::to_string(options.quality));
  }
  VIGIL_ASSIGN_OR_RETURN(JpegInfo info, ReadJpegHeader(jpeg, options.limits));
  try {
    const cv::Mat buf(1, static_cast<int>(jpeg.size()), CV_8UC1,
                      const_cast<uint8_t*>(jpeg.data()));
    // EXIF orientation is applied, as browsers do for the full image.
    cv::Mat img = cv::imdecode(buf, ReducedReadFlag(info, options));
    if (img.empty()) return Corrupt("JPEG decoder rejected the data");
    const Size2 t =
        FitInBox(img.cols, img.rows, options.max_width, options.max_height);
    cv::Mat small;
    if (t.w == img.cols && t.h == img.rows) {
      small = img;
    } else {
      cv::resize(img, small, cv::Size(t.w, t.h), 0, 0, cv::INTER_AREA);
    }
    std::vector<uint8_t> out;
    if (!cv::imencode(".jpg", small, out,
                      {cv::IMWRITE_JPEG_QUALITY, options.quality})) {
      return InternalError("OpenCV could not encode the thumbnail");
    }
    return out;
  } catch (const std::exception& e) {
    return Corrupt(std::string("thumbnail failed: ") + e.what());
  }
}

}  // namespace vigil::vision
