// SPDX-License-Identifier: Apache-2.0
// Writes the JPEG fuzz seed corpus: valid images plus one file per
// corruption kind of tests/vision/decode_test.cc. Usage:
//   jpeg_fuzz_seeds tests/fuzz/corpus/jpeg
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/vision/jpeg_samples.h"

using vigil::testing::FindMarker;
using vigil::testing::MakeJpeg;

static void Write(const std::filesystem::path& dir, const std::string& name,
                  const std::vector<uint8_t>& b) {
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), b.size());
}

int main(int argc, char** argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: %s DIR\n", argv[0]), 2;
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  const auto base = MakeJpeg(24, 16, 1);
  Write(dir, "valid_baseline.jpg", base);
  Write(dir, "valid_gray.jpg", MakeJpeg(9, 7, 2, true));
  Write(dir, "valid_progressive.jpg", MakeJpeg(20, 12, 3, false, true));
  auto v = base;
  v.resize(v.size() / 2);
  Write(dir, "truncated_half.jpg", v);
  v = base;
  v.pop_back();
  Write(dir, "truncated_last_byte.jpg", v);
  v = base;
  const long sof = FindMarker(v, 0xC0);
  v[sof + 5] = 0x4E;  // height 20000
  v[sof + 6] = 0x20;
  Write(dir, "huge_height.jpg", v);
  v = base;
  v[sof + 5] = 0;
  v[sof + 6] = 0;
  Write(dir, "dnl_height.jpg", v);
  v = base;
  v[sof + 1] = 0xC3;
  Write(dir, "lossless_frame.jpg", v);
  v = base;
  v[4] = 0xFF;
  v[5] = 0xF0;
  Write(dir, "segment_past_end.jpg", v);
  v = base;
  const long sos = FindMarker(v, 0xDA);
  for (size_t i = (sos + v.size()) / 2, n = 0; n < 8; ++n) v[i + n] = 0xD3;
  Write(dir, "damaged_scan.jpg", v);
  v = base;
  v.insert(v.begin() + 2, {0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0xFF, 0xD8});
  Write(dir, "app1_with_eoi_bytes.jpg", v);
  Write(dir, "html.jpg", {'<', 'h', 't', 'm', 'l', '>'});
  Write(dir, "soi_eoi.jpg", {0xFF, 0xD8, 0xFF, 0xD9});
  return 0;
}
