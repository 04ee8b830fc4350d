// SPDX-License-Identifier: Apache-2.0
#include "capture/audio/wav.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace vigil::capture::audio {
namespace {

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatFloat = 3;
constexpr uint16_t kFormatExtensible = 0xFFFE;

uint16_t U16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t U32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}
std::string At(size_t off) { return " at offset " + std::to_string(off); }

struct Format {
  uint16_t tag = 0, channels = 0, bits = 0, block_align = 0;
  uint32_t rate = 0;
};

Result<Format> ParseFmt(const uint8_t* p, uint32_t size, size_t off) {
  if (size < 16) {
    return Corrupt("chunk 'fmt ' is " + std::to_string(size) +
                   " bytes, expected at least 16" + At(off));
  }
  Format f{.tag = U16(p), .channels = U16(p + 2), .bits = U16(p + 14),
           .block_align = U16(p + 12), .rate = U32(p + 4)};
  if (f.tag == kFormatExtensible) {
    if (size < 40) return Corrupt("extensible 'fmt ' chunk shorter than 40 bytes" + At(off));
    f.tag = U16(p + 24);  // first two bytes of the sub-format GUID
  }
  if (f.tag != kFormatPcm && f.tag != kFormatFloat) {
    return Unsupported("WAV format tag 0x" + [&] {
      char b[8];
      std::snprintf(b, sizeof b, "%04x", f.tag);
      return std::string(b);
    }() + " (compressed audio) is not supported; expected PCM (1) or float (3)");
  }
  const bool pcm_ok = f.tag == kFormatPcm &&
      (f.bits == 8 || f.bits == 16 || f.bits == 24 || f.bits == 32);
  const bool float_ok = f.tag == kFormatFloat && (f.bits == 32 || f.bits == 64);
  if (!pcm_ok && !float_ok) {
    return Unsupported(std::to_string(f.bits) + "-bit " +
                       (f.tag == kFormatPcm ? "PCM" : "float") +
                       " WAV is not supported");
  }
  if (f.rate < 1000 || f.rate > 768000) {
    return Corrupt("sample rate " + std::to_string(f.rate) +
                   " Hz out of range [1000, 768000]" + At(off));
  }
  if (f.block_align != f.channels * (f.bits / 8)) {
    return Corrupt("block align " + std::to_string(f.block_align) +
                   " does not match " + std::to_string(f.channels) +
                   " channels of " + std::to_string(f.bits) + " bits" + At(off));
  }
  return f;
}

float Sample(const uint8_t* p, const Format& f) {
  switch (f.bits) {
    case 8: return (float(p[0]) - 128.0f) / 128.0f;
    case 16: return float(int16_t(U16(p))) / 32768.0f;
    case 24: {
      int32_t v = int32_t(uint32_t(p[0]) << 8 | uint32_t(p[1]) << 16 |
                          uint32_t(p[2]) << 24) >> 8;
      return float(v) / 8388608.0f;
    }
    case 32:
      if (f.tag == kFormatFloat) {
        float v;
        std::memcpy(&v, p, 4);
        return std::isfinite(v) ? std::clamp(v, -1.0f, 1.0f) : 0.0f;
      }
      return float(double(int32_t(U32(p))) / 2147483648.0);
    default: {  // 64-bit float
      double v;
      std::memcpy(&v, p, 8);
      return std::isfinite(v) ? float(std::clamp(v, -1.0, 1.0)) : 0.0f;
    }
  }
}

}  // namespace

Result<PcmAudio> ParseWav(std::span<const uint8_t> b, const WavLimits& limits) {
  if (b.size() > limits.max_bytes) {
    return OutOfRange("WAV is " + std::to_string(b.size()) +
                      " bytes; at most " + std::to_string(limits.max_bytes));
  }
  if (b.size() < 12 || std::memcmp(b.data(), "RIFF", 4) != 0 ||
      std::memcmp(b.data() + 8, "WAVE", 4) != 0) {
    return Corrupt("not a RIFF/WAVE file (" + std::to_string(b.size()) +
                   " bytes, missing 'RIFF....WAVE' header)");
  }
  Format fmt;
  bool have_fmt = false;
  size_t off = 12;
  while (off + 8 <= b.size()) {
    const uint8_t* h = b.data() + off;
    const uint32_t size = U32(h + 4);
    const size_t left = b.size() - off - 8;
    const std::string id(reinterpret_cast<const char*>(h), 4);
    if (size > left) {
      return Corrupt("chunk '" + id + "'" + At(off) + " claims " +
                     std::to_string(size) + " bytes, " + std::to_string(left) +
                     " remain (truncated file?)");
    }
    const uint8_t* body = h + 8;
    if (id == "fmt ") {
      VIGIL_ASSIGN_OR_RETURN(fmt, ParseFmt(body, size, off));
      have_fmt = true;
      if (fmt.channels == 0 || fmt.channels > limits.max_channels) {
        return Corrupt("WAV has " + std::to_string(fmt.channels) +
                       " channels; expected 1.." +
                       std::to_string(limits.max_channels));
      }
    } else if (id == "data") {
      if (!have_fmt) return Corrupt("chunk 'data'" + At(off) + " before 'fmt '");
      if (size % fmt.block_align != 0) {
        return Corrupt("chunk 'data' of " + std::to_string(size) +
                       " bytes is not a whole number of " +
                       std::to_string(fmt.block_align) + "-byte frames");
      }
      PcmAudio out{.sample_rate = fmt.rate, .channels = fmt.channels, .samples = {}};
      const size_t bytes_per = fmt.bits / 8, n = size / bytes_per;
      out.samples.resize(n);
      for (size_t i = 0; i < n; ++i) out.samples[i] = Sample(body + i * bytes_per, fmt);
      return out;
    }
    off += 8 + size + (size & 1);  // chunks are word aligned
  }
  return Corrupt(have_fmt ? "WAV has no 'data' chunk" : "WAV has no 'fmt ' chunk");
}

Result<PcmAudio> ReadWavFile(const std::string& path, const WavLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read '" + path + "': " + ec.message());
  if (size > limits.max_bytes) {
    return OutOfRange("'" + path + "' is " + std::to_string(size) +
                      " bytes; WAV files up to " +
                      std::to_string(limits.max_bytes) + " bytes are accepted");
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return IoError("cannot read '" + path + "'");
  auto pcm = ParseWav(bytes, limits);
  if (!pcm.ok()) return pcm.status().WithContext(path);
  return pcm;
}

std::vector<uint8_t> EncodeWav16(std::span<const float> samples,
                                 uint32_t rate, uint16_t channels) {
  const uint32_t data = uint32_t(samples.size() * 2);
  std::vector<uint8_t> out;
  out.reserve(44 + data);
  auto put = [&](uint32_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(uint8_t(v >> (8 * i)));
  };
  auto tag = [&](const char* s) { out.insert(out.end(), s, s + 4); };
  tag("RIFF"); put(36 + data, 4); tag("WAVE");
  tag("fmt "); put(16, 4); put(kFormatPcm, 2); put(channels, 2); put(rate, 4);
  put(rate * channels * 2, 4); put(channels * 2, 2); put(16, 2);
  tag("data"); put(data, 4);
  for (float s : samples) {
    const float c = std::isfinite(s) ? std::clamp(s, -1.0f, 1.0f) : 0.0f;
    const long v = std::lround(c * 32767.0f);
    put(uint32_t(int16_t(v)) & 0xFFFF, 2);
  }
  return out;
}

Status WriteWavFile(const std::string& path, std::span<const float> samples,
                    uint32_t sample_rate, uint16_t channels) {
  const std::vector<uint8_t> bytes = EncodeWav16(samples, sample_rate, channels);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create '" + tmp + "': " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w <= 0) break;
    done += size_t(w);
  }
  const bool ok = done == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError("cannot write '" + path + "'");
  }
  return OkStatus();
}

}  // namespace vigil::capture::audio
