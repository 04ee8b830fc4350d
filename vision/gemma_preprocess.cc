// SPDX-License-Identifier: Apache-2.0
// Gemma 4 preprocessing. The resize follows llama.cpp's mtmd "dyn_size" path
// (spec §3.2) bit for bit, because the golden data comes from it; the HF
// size rule (§3.1) is kept for reference-mode callers and tests.
#include "vision/gemma_preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/decode.h"

namespace vigil::vision {
namespace {

std::string SizeText(ImageSize s) {
  return std::to_string(s.width) + "x" + std::to_string(s.height);
}

Status CheckInput(ImageSize in) {
  if (in.width <= 0 || in.height <= 0 || in.width > 65536 ||
      in.height > 65536) {
    return InvalidArgument("image size " + SizeText(in) +
                           " must be in [1, 65536] per side");
  }
  return OkStatus();
}

}  // namespace

bool IsGemmaBudget(int32_t budget) {
  return std::find(std::begin(kGemmaBudgets), std::end(kGemmaBudgets),
                   budget) != std::end(kGemmaBudgets);
}

GemmaTokenLimits LimitsForBudget(int32_t budget) {
  return {.min_tokens = std::min(40, budget), .max_tokens = budget};
}

Result<ImageSize> GemmaTargetSize(ImageSize in, const GemmaTokenLimits& lim,
                                  int32_t align) {
  VIGIL_RETURN_IF_ERROR(CheckInput(in));
  if (lim.min_tokens < 1 || lim.max_tokens > 16384 ||
      lim.min_tokens > lim.max_tokens || align < 1 || align > 1024) {
    return InvalidArgument("token limits must satisfy 1 <= min <= max <= "
                           "16384, got min " + std::to_string(lim.min_tokens) +
                           " max " + std::to_string(lim.max_tokens));
  }
  const int64_t min_px = int64_t{lim.min_tokens} * align * align;
  const int64_t max_px = int64_t{lim.max_tokens} * align * align;
  const float fa = static_cast<float>(align);
  auto round_to = [&](float x) {
    return static_cast<int32_t>(std::round(x / fa)) * align;
  };
  auto ceil_to = [&](float x) {
    return static_cast<int32_t>(std::ceil(x / fa)) * align;
  };
  auto floor_to = [&](float x) {
    return static_cast<int32_t>(std::floor(x / fa)) * align;
  };
  const int32_t w = in.width, h = in.height;
  int32_t hb = std::max(align, round_to(static_cast<float>(h)));
  int32_t wb = std::max(align, round_to(static_cast<float>(w)));
  if (int64_t{hb} * wb > max_px) {
    const float beta =
        std::sqrt(static_cast<float>(int64_t{h} * w) / static_cast<float>(max_px));
    hb = std::max(align, floor_to(h / beta));
    wb = std::max(align, floor_to(w / beta));
    // Deviation (see header): a side pinned at `align` can leave the other
    // far over budget; cut it to the largest multiple that fits.
    const int32_t longest = static_cast<int32_t>(max_px / align / align) * align;
    if (int64_t{hb} * wb > max_px) {
      if (hb == align) wb = std::min(wb, longest);
      if (wb == align) hb = std::min(hb, longest);
    }
  } else if (int64_t{hb} * wb < min_px) {
    const float beta =
        std::sqrt(static_cast<float>(min_px) / static_cast<float>(int64_t{h} * w));
    hb = ceil_to(h * beta);
    wb = ceil_to(w * beta);
  }
  return ImageSize{wb, hb};
}

Result<ImageSize> GemmaReferenceSize(ImageSize in, int32_t budget,
                                     int32_t align) {
  VIGIL_RETURN_IF_ERROR(CheckInput(in));
  if (budget < 1 || budget > 16384) {
    return InvalidArgument("budget must be in [1, 16384], got " +
                           std::to_string(budget));
  }
  const double area = static_cast<double>(budget) * align * align;
  const double f = std::sqrt(area / (static_cast<double>(in.height) * in.width));
  int64_t hp = static_cast<int64_t>(std::floor(f * in.height / align)) * align;
  int64_t wp = static_cast<int64_t>(std::floor(f * in.width / align)) * align;
  const int64_t longest = int64_t{align} * budget;
  if (hp == 0 && wp == 0) {
    return InvalidArgument("image " + SizeText(in) + " has no valid size");
  }
  if (hp == 0) {
    hp = align;
    wp = std::min<int64_t>((in.width / in.height) * int64_t{align}, longest);
  } else if (wp == 0) {
    wp = align;
    hp = std::min<int64_t>((in.height / in.width) * int64_t{align}, longest);
  }
  return ImageSize{static_cast<int32_t>(wp), static_cast<int32_t>(hp)};
}

namespace {

float Lerp(float s, float e, float t) { return s + (e - s) * t; }

// Align-corners bilinear with per-channel truncation (spec §3.2).
void ResizeBilinear(const RgbImage& src, int32_t tw, int32_t th,
                    RgbImage* dst) {
  dst->width = tw;
  dst->height = th;
  dst->rgb.assign(size_t(tw) * th * 3, 0);
  const float xr = tw > 1 ? static_cast<float>(src.width - 1) / (tw - 1) : 0.f;
  const float yr = th > 1 ? static_cast<float>(src.height - 1) / (th - 1) : 0.f;
  auto px = [&](int32_t x, int32_t y) {
    return &src.rgb[(size_t(y) * src.width + x) * 3];
  };
  for (int32_t y = 0; y < th; ++y) {
    const float fy = y * yr;
    const int32_t y0 = std::min(static_cast<int32_t>(fy), src.height - 1);
    const int32_t y1 = std::min(y0 + 1, src.height - 1);
    const float wy = fy - y0;
    for (int32_t x = 0; x < tw; ++x) {
      const float fx = x * xr;
      const int32_t x0 = std::min(static_cast<int32_t>(fx), src.width - 1);
      const int32_t x1 = std::min(x0 + 1, src.width - 1);
      const float wx = fx - x0;
      uint8_t* out = &dst->rgb[(size_t(y) * tw + x) * 3];
      for (int c = 0; c < 3; ++c) {
        const float top = Lerp(px(x0, y0)[c], px(x1, y0)[c], wx);
        const float bottom = Lerp(px(x0, y1)[c], px(x1, y1)[c], wx);
        out[c] = static_cast<uint8_t>(Lerp(top, bottom, wy));
      }
    }
  }
}

}  // namespace

RgbImage LetterboxResize(const RgbImage& src, ImageSize box) {
  if (src.width == box.width && src.height == box.height) return src;
  const float sw = static_cast<float>(box.width) / src.width;
  const float sh = static_cast<float>(box.height) / src.height;
  const float s = std::min(sw, sh);
  const int32_t iw = std::min(
      static_cast<int32_t>(std::ceil(src.width * s)), box.width);
  const int32_t ih = std::min(
      static_cast<int32_t>(std::ceil(src.height * s)), box.height);
  RgbImage inner;
  ResizeBilinear(src, std::max(iw, 1), std::max(ih, 1), &inner);
  RgbImage out{box.width, box.height, {}};
  out.rgb.assign(size_t(box.width) * box.height * 3, 0);  // black canvas
  const int32_t ox = (box.width - inner.width) / 2;
  const int32_t oy = (box.height - inner.height) / 2;
  for (int32_t y = 0; y < inner.height; ++y) {
    std::memcpy(&out.rgb[(size_t(y + oy) * box.width + ox) * 3],
                &inner.rgb[size_t(y) * inner.width * 3],
                size_t(inner.width) * 3);
  }
  return out;
}

Result<GemmaPatches> Patchify(const RgbImage& img, int32_t patch,
                              int32_t pool) {
  const int32_t a = patch * pool;
  if (patch < 1 || pool < 1 || img.width <= 0 || img.height <= 0 ||
      img.width % a != 0 || img.height % a != 0 ||
      img.rgb.size() != size_t(img.width) * img.height * 3) {
    return InvalidArgument("image " + std::to_string(img.width) + "x" +
                           std::to_string(img.height) +
                           " is not a whole number of " + std::to_string(a) +
                           "-pixel cells");
  }
  GemmaPatches p;
  p.size = {img.width, img.height};
  p.grid_w = img.width / patch;
  p.grid_h = img.height / patch;
  p.n_tokens = (p.grid_w / pool) * (p.grid_h / pool);
  const size_t per = size_t(3) * patch * patch;
  p.data.resize(size_t(p.grid_w) * p.grid_h * per);
  for (int32_t gy = 0; gy < p.grid_h; ++gy) {
    for (int32_t gx = 0; gx < p.grid_w; ++gx) {
      float* out = &p.data[(size_t(gy) * p.grid_w + gx) * per];
      // [py][px][c] pixels -> [c][py][px] floats
      for (int32_t c = 0; c < 3; ++c) {
        for (int32_t py = 0; py < patch; ++py) {
          const uint8_t* row =
              &img.rgb[(size_t(gy * patch + py) * img.width + gx * patch) * 3];
          for (int32_t px = 0; px < patch; ++px) {
            *out++ = static_cast<float>(row[px * 3 + c]) / 255.0f;
          }
        }
      }
    }
  }
  return p;
}

namespace {

constexpr uint8_t kPngSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A,
                                      '\n'};

uint32_t ReadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | p[3];
}

// Reads the size from the PNG IHDR chunk (bytes 8..32) without decoding.
Result<ImageSize> ReadPngSize(std::span<const uint8_t> b) {
  if (b.size() < 33 || std::memcmp(&b[12], "IHDR", 4) != 0 ||
      ReadBe32(&b[8]) != 13) {
    return Corrupt("PNG: IHDR chunk missing or truncated (" +
                   std::to_string(b.size()) + " bytes)");
  }
  const uint32_t w = ReadBe32(&b[16]), h = ReadBe32(&b[20]);
  if (w == 0 || h == 0 || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu) {
    return Corrupt("PNG: invalid size " + std::to_string(w) + "x" +
                   std::to_string(h));
  }
  return ImageSize{static_cast<int32_t>(w), static_cast<int32_t>(h)};
}

// Returns the header size of a JPEG or PNG, checked against `limits`.
Result<ImageSize> ReadHeaderSize(std::span<const uint8_t> b,
                                 const DecodeLimits& limits) {
  ImageSize s;
  if (b.size() >= 8 && std::memcmp(b.data(), kPngSignature, 8) == 0) {
    VIGIL_ASSIGN_OR_RETURN(s, ReadPngSize(b));
  } else if (b.size() >= 2 && b[0] == 0xFF && b[1] == 0xD8) {
    // Generous side limit here; ours is applied below with a clear message.
    VIGIL_ASSIGN_OR_RETURN(
        JpegInfo info,
        ReadJpegHeader(b, {.max_width = 65535,
                           .max_height = 65535,
                           .max_bytes = limits.max_bytes}));
    s = {info.width, info.height};
  } else {
    return Unsupported("not a JPEG or PNG image (first bytes do not match "
                       "either signature)");
  }
  const uint64_t px = uint64_t(s.width) * uint64_t(s.height);
  if (s.width > limits.max_side || s.height > limits.max_side ||
      px > limits.max_pixels) {
    return OutOfRange("image is " + SizeText(s) + "; at most " +
                      std::to_string(limits.max_side) + " px per side and " +
                      std::to_string(limits.max_pixels) +
                      " pixels are accepted");
  }
  return s;
}

}  // namespace

Result<RgbImage> DecodeImage(std::span<const uint8_t> bytes,
                             const DecodeLimits& limits) {
  if (bytes.empty()) return InvalidArgument("image is empty (0 bytes)");
  if (bytes.size() > limits.max_bytes) {
    return OutOfRange("image is " + std::to_string(bytes.size()) +
                      " bytes; at most " + std::to_string(limits.max_bytes) +
                      " accepted");
  }
  VIGIL_ASSIGN_OR_RETURN(ImageSize header, ReadHeaderSize(bytes, limits));
  cv::Mat bgr;
  try {
    const cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8UC1,
                      const_cast<uint8_t*>(bytes.data()));
    // IMREAD_COLOR applies the EXIF orientation and converts grey/16-bit.
    bgr = cv::imdecode(buf, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    return Corrupt(std::string("image decoder failed: ") + e.what());
  }
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return Corrupt("image could not be decoded (corrupt or truncated data; "
                   "header said " + SizeText(header) + ")");
  }
  const bool same = bgr.cols == header.width && bgr.rows == header.height;
  const bool rotated = bgr.cols == header.height && bgr.rows == header.width;
  if (!same && !rotated) {
    return Corrupt("decoded size " + std::to_string(bgr.cols) + "x" +
                   std::to_string(bgr.rows) + " differs from header " +
                   SizeText(header));
  }
  RgbImage out{bgr.cols, bgr.rows, {}};
  out.rgb.resize(size_t(bgr.cols) * bgr.rows * 3);
  cv::Mat rgb(bgr.rows, bgr.cols, CV_8UC3, out.rgb.data());
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  return out;
}

Result<GemmaPatches> PreprocessForGemma(std::span<const uint8_t> encoded,
                                        const GemmaPreprocessOptions& options,
                                        RgbImage* resized) {
  VIGIL_ASSIGN_OR_RETURN(RgbImage img, DecodeImage(encoded, options.decode));
  VIGIL_ASSIGN_OR_RETURN(
      ImageSize box,
      GemmaTargetSize({img.width, img.height}, options.limits));
  RgbImage boxed = LetterboxResize(img, box);
  VIGIL_ASSIGN_OR_RETURN(GemmaPatches patches, Patchify(boxed));
  if (resized != nullptr) *resized = std::move(boxed);
  return patches;
}

}  // namespace vigil::vision
