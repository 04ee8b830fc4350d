// SPDX-License-Identifier: Apache-2.0
// JPEG structure checks (ITU T.81 §B.1: markers and segment lengths) and
// OpenCV decode/encode, converting OpenCV exceptions into Status.
#include "capture/jpeg_check.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace vigil::capture {
namespace {

// Markers that carry no length field (T.81 Table B.1): TEM, RSTn, SOI, EOI.
bool IsStandalone(uint8_t m) {
  return m == 0x01 || (m >= 0xD0 && m <= 0xD9);
}

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
bool IsStartOfFrame(uint8_t m) {
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

std::string HexByte(uint8_t v) {
  static const char kHex[] = "0123456789ABCDEF";
  return {kHex[v >> 4], kHex[v & 15]};
}

// Returns the size without trailing padding some cameras append after EOI.
size_t TrimmedSize(std::span<const uint8_t> b) {
  size_t n = b.size();
  while (n > 0 && (b[n - 1] == 0x00 || b[n - 1] == '\r' || b[n - 1] == '\n' ||
                   b[n - 1] == ' ')) {
    --n;
  }
  return n;
}

}  // namespace

Result<JpegDims> ReadJpegDims(std::span<const uint8_t> b) {
  if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF) {
    return Corrupt("not a JPEG: expected magic FF D8 FF, got '" +
                   PreviewBytes(b) + "' (" + std::to_string(b.size()) +
                   " bytes)");
  }
  size_t pos = 2;
  while (pos < b.size()) {
    if (b[pos] != 0xFF) {
      return Corrupt("JPEG marker expected at offset " + std::to_string(pos));
    }
    while (pos < b.size() && b[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= b.size()) break;
    uint8_t marker = b[pos++];
    if (IsStandalone(marker)) continue;
    if (marker == 0xDA) break;  // SOS: entropy data follows, no SOF seen
    if (b.size() - pos < 2) break;
    size_t len = (size_t{b[pos]} << 8) | b[pos + 1];
    if (len < 2 || len > b.size() - pos) {
      return Corrupt("JPEG segment FF" + HexByte(marker) +
                     " at offset " + std::to_string(pos) + " claims " +
                     std::to_string(len) + " bytes, only " +
                     std::to_string(b.size() - pos) + " remain");
    }
    if (IsStartOfFrame(marker)) {
      if (len < 8) return Corrupt("JPEG SOF segment too short");
      int h = (b[pos + 3] << 8) | b[pos + 4];
      int w = (b[pos + 5] << 8) | b[pos + 6];
      if (w == 0 || h == 0) {
        return Corrupt("JPEG frame size " + std::to_string(w) + "x" +
                       std::to_string(h) + " is empty");
      }
      if (int64_t{w} * h > kMaxPixels) {
        return OutOfRange("JPEG frame " + std::to_string(w) + "x" +
                          std::to_string(h) + " exceeds " +
                          std::to_string(kMaxPixels) + " pixels");
      }
      return JpegDims{w, h};
    }
    pos += len;
  }
  return Corrupt("JPEG has no frame header (SOF) before its image data");
}

Result<CapturedImage> CheckJpeg(std::vector<uint8_t> bytes,
                                std::chrono::system_clock::time_point when,
                                const std::string& origin) {
  auto dims = ReadJpegDims(bytes);
  if (!dims.ok()) return dims.status().WithContext(origin);
  size_t n = TrimmedSize(bytes);
  if (n < 4 || bytes[n - 2] != 0xFF || bytes[n - 1] != 0xD9) {
    return Corrupt(origin + ": JPEG is truncated (no end-of-image marker "
                            "FF D9; got " +
                   std::to_string(bytes.size()) + " bytes)");
  }
  bytes.resize(n);
  cv::Mat probe;
  try {
    // Decoding at 1/8 scale proves the entropy data parses, at a fraction of
    // the cost of a full decode on a Pi.
    probe = cv::imdecode(cv::_InputArray(bytes.data(), static_cast<int>(n)),
                         cv::IMREAD_REDUCED_GRAYSCALE_8);
  } catch (const cv::Exception& e) {
    return Corrupt(origin + ": JPEG decode failed: " + e.what());
  }
  if (probe.empty()) {
    return Corrupt(origin + ": JPEG could not be decoded");
  }
  CapturedImage img;
  img.jpeg = std::move(bytes);
  img.width = dims->width;
  img.height = dims->height;
  img.captured_at = when;
  return img;
}

Result<CapturedImage> EncodeFrame(const cv::Mat& frame, int quality,
                                  std::chrono::system_clock::time_point when) {
  if (frame.empty()) return InternalError("cannot encode an empty frame");
  CapturedImage img;
  try {
    std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, quality};
    if (!cv::imencode(".jpg", frame, img.jpeg, params)) {
      return InternalError("OpenCV could not encode the frame as JPEG");
    }
  } catch (const cv::Exception& e) {
    return InternalError(std::string("JPEG encode failed: ") + e.what());
  }
  img.width = frame.cols;
  img.height = frame.rows;
  img.captured_at = when;
  return img;
}

std::string PreviewBytes(std::span<const uint8_t> bytes, size_t max_chars) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && out.size() < max_chars; ++i) {
    uint8_t c = bytes[i];
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x" + HexByte(c);
    }
  }
  if (bytes.size() > max_chars) out += "...";
  return out;
}

}  // namespace vigil::capture
