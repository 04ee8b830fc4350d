// SPDX-License-Identifier: Apache-2.0
// JPEG marker walk (ITU T.81 §B.1.1) and a strict full decode. The decode
// calls libjpeg(-turbo) directly instead of cv::imdecode because OpenCV
// hides libjpeg's corrupt-data warnings: a bit-flipped or short scan would
// "decode" into grey blocks and be stored as a valid snapshot.
#include "vision/decode.h"

// clang-format off
#include <cstdio>  // jpeglib.h needs FILE
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include <csetjmp>
#include <cstdint>
#include <string>

namespace vigil::vision {
namespace {

constexpr uint8_t kSoi = 0xD8, kEoi = 0xD9, kSos = 0xDA;

std::string Hex(uint8_t b) {
  static const char* kDigits = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

bool IsSof(uint8_t m) {
  // C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

// Baseline, extended, progressive (Huffman or arithmetic) decode in
// libjpeg-turbo 2.1; lossless and hierarchical frames do not.
bool IsDecodableSof(uint8_t m) {
  return m == 0xC0 || m == 0xC1 || m == 0xC2 || m == 0xC9 || m == 0xCA;
}

uint16_t Be16(std::span<const uint8_t> d, size_t pos) {
  return static_cast<uint16_t>((d[pos] << 8) | d[pos + 1]);
}

// Parses the SOF segment payload starting at `pos` (after the length field).
Status ParseSof(std::span<const uint8_t> d, size_t pos, size_t seg_len,
                uint8_t marker, const JpegLimits& limits, JpegInfo* info) {
  if (seg_len < 8) {
    return Corrupt("JPEG frame header at offset " + std::to_string(pos) +
                   " is " + std::to_string(seg_len) +
                   " bytes; expected at least 8");
  }
  const int32_t height = Be16(d, pos + 1);
  const int32_t width = Be16(d, pos + 3);
  const int32_t components = d[pos + 5];
  if (seg_len != 8u + 3u * static_cast<size_t>(components)) {
    return Corrupt("JPEG frame header length " + std::to_string(seg_len) +
                   " does not match " + std::to_string(components) +
                   " components (expected " +
                   std::to_string(8 + 3 * components) + ")");
  }
  if (!IsDecodableSof(marker)) {
    return Unsupported("JPEG frame type " + Hex(marker) +
                       " (lossless or hierarchical) cannot be decoded");
  }
  if (height == 0) {
    return Unsupported("JPEG height defined by a DNL marker is not supported");
  }
  if (width == 0 || components == 0) {
    return Corrupt("JPEG frame header has width " + std::to_string(width) +
                   " and " + std::to_string(components) + " components");
  }
  if (width > limits.max_width || height > limits.max_height) {
    return OutOfRange("JPEG is " + std::to_string(width) + "x" +
                      std::to_string(height) + "; the limit is " +
                      std::to_string(limits.max_width) + "x" +
                      std::to_string(limits.max_height));
  }
  info->width = width;
  info->height = height;
  info->components = components;
  info->progressive = marker == 0xC2 || marker == 0xCA;
  return OkStatus();
}

// Skips entropy-coded data from `pos`; returns the offset of the next marker
// (its 0xFF byte) or `d.size()` when the data ends first.
size_t SkipEntropyData(std::span<const uint8_t> d, size_t pos) {
  while (pos + 1 < d.size()) {
    if (d[pos] != 0xFF) {
      ++pos;
      continue;
    }
    const uint8_t next = d[pos + 1];
    // 0xFF00 is a stuffed byte, RSTn sits inside the scan, 0xFFFF is fill.
    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) || next == 0xFF) {
      pos += (next == 0xFF) ? 1 : 2;
      continue;
    }
    return pos;
  }
  return d.size();
}

struct StrictErrorManager {
  jpeg_error_mgr pub;  // first: libjpeg casts to this
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void OnJpegError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<StrictErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// libjpeg reports damaged entropy data as warnings (level -1) and carries
// on; we stop at the first one. Extraneous bytes before a marker are
// tolerated: several camera brands emit them and every viewer copes.
void OnJpegMessage(j_common_ptr cinfo, int level) {
  if (level >= 0 || cinfo->err->msg_code == JWRN_EXTRANEOUS_DATA) return;
  OnJpegError(cinfo);
}

// Decodes every scanline (grayscale output where possible: the entropy
// decoding that finds damage still covers every component). Returns "" on
// success, else libjpeg's message. Only trivially destructible locals live
// across setjmp.
std::string StrictDecode(std::span<const uint8_t> d, int32_t* width,
                         int32_t* height) {
  jpeg_decompress_struct cinfo;
  StrictErrorManager err;
  err.message[0] = '\0';
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnJpegError;
  err.pub.emit_message = OnJpegMessage;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return err.message[0] ? err.message : "libjpeg failed";
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, d.data(), static_cast<unsigned long>(d.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (cinfo.jpeg_color_space == JCS_YCbCr ||
      cinfo.jpeg_color_space == JCS_GRAYSCALE) {
    cinfo.out_color_space = JCS_GRAYSCALE;
  }
  cinfo.dct_method = JDCT_IFAST;
  cinfo.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&cinfo);
  JSAMPARRAY row = (*cinfo.mem->alloc_sarray)(
      reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
      cinfo.output_width * cinfo.output_components, 1);
  while (cinfo.output_scanline < cinfo.output_height) {
    jpeg_read_scanlines(&cinfo, row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  *width = static_cast<int32_t>(cinfo.image_width);
  *height = static_cast<int32_t>(cinfo.image_height);
  jpeg_destroy_decompress(&cinfo);
  return "";
}

}  // namespace

Result<JpegInfo> ReadJpegHeader(std::span<const uint8_t> d,
                                const JpegLimits& limits) {
  if (d.size() > limits.max_bytes) {
    return OutOfRange("JPEG is " + std::to_string(d.size()) +
                      " bytes; the limit is " +
                      std::to_string(limits.max_bytes));
  }
  if (d.size() < 4 || d[0] != 0xFF || d[1] != kSoi) {
    return Corrupt("not a JPEG: expected SOI marker FF D8 at offset 0 (" +
                   std::to_string(d.size()) + " bytes)");
  }
  JpegInfo info;
  bool have_sof = false;
  size_t pos = 2;
  while (true) {
    if (pos >= d.size()) {
      return Corrupt("JPEG truncated at offset " + std::to_string(pos) +
                     ": no EOI marker");
    }
    if (d[pos] != 0xFF) {
      return Corrupt("expected a JPEG marker at offset " + std::to_string(pos) +
                     ", got byte " + Hex(d[pos]));
    }
    while (pos < d.size() && d[pos] == 0xFF) ++pos;  // fill bytes
    if (pos >= d.size()) continue;                   // reported above
    const uint8_t marker = d[pos++];
    if (marker == kEoi) {
      if (!have_sof) return Corrupt("JPEG ends (EOI) before any image data");
      return info;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0x00 || marker == kSoi) {
      return Corrupt("unexpected JPEG marker " + Hex(marker) + " at offset " +
                     std::to_string(pos - 1));
    }
    if (pos + 2 > d.size()) {
      return Corrupt("JPEG truncated inside marker " + Hex(marker) +
                     " at offset " + std::to_string(pos));
    }
    const size_t seg_len = Be16(d, pos);
    if (seg_len < 2 || seg_len > d.size() - pos) {
      return Corrupt("JPEG segment " + Hex(marker) + " at offset " +
                     std::to_string(pos) + " has length " +
                     std::to_string(seg_len) + " but " +
                     std::to_string(d.size() - pos) + " bytes remain");
    }
    if (IsSof(marker)) {
      if (have_sof) {
        return Corrupt("second JPEG frame header at offset " +
                       std::to_string(pos));
      }
      VIGIL_RETURN_IF_ERROR(
          ParseSof(d, pos + 2, seg_len, marker, limits, &info));
      have_sof = true;
    }
    pos += seg_len;
    if (marker == kSos) {
      if (!have_sof) {
        return Corrupt("JPEG scan (SOS) at offset " + std::to_string(pos) +
                       " comes before the frame header (SOF)");
      }
      pos = SkipEntropyData(d, pos);
    }
  }
}

Result<JpegInfo> ValidateJpeg(std::span<const uint8_t> data,
                              const JpegLimits& limits) {
  VIGIL_ASSIGN_OR_RETURN(JpegInfo info, ReadJpegHeader(data, limits));
  int32_t width = 0, height = 0;
  const std::string error = StrictDecode(data, &width, &height);
  if (!error.empty()) {
    return Corrupt("JPEG data is damaged: " + error + " (" +
                   std::to_string(info.width) + "x" +
                   std::to_string(info.height) + ", " +
                   std::to_string(data.size()) + " bytes)");
  }
  if (width != info.width || height != info.height) {
    return Corrupt("JPEG decoded to " + std::to_string(width) + "x" +
                   std::to_string(height) + " but its header says " +
                   std::to_string(info.width) + "x" +
                   std::to_string(info.height));
  }
  return info;
}

}  // namespace vigil::vision
