// SPDX-License-Identifier: Apache-2.0
// Half-float conversions, hand-built blocks and activation quantizers.
#include "inference/kernels/scalar_ref.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace vigil::kernels {
namespace {

using gguf::GgmlType;

TEST(HalfFloatTest, EveryFiniteHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = F16ToF32(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    EXPECT_EQ(F32ToF16(f), h) << h;
  }
}

TEST(HalfFloatTest, KnownValuesAndRounding) {
  EXPECT_EQ(F16ToF32(0x3C00), 1.0f);
  EXPECT_EQ(F16ToF32(0xC000), -2.0f);
  EXPECT_EQ(F16ToF32(0x7BFF), 65504.0f);
  EXPECT_EQ(F16ToF32(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(F16ToF32(0x7C00)));
  EXPECT_EQ(F32ToF16(65520.0f), 0x7C00);  // rounds up to inf
  EXPECT_EQ(F32ToF16(65519.0f), 0x7BFF);
  EXPECT_EQ(F32ToF16(1e-9f), 0x0000);
  EXPECT_EQ(F32ToF16(1.0f + std::ldexp(1.0f, -11)), 0x3C00);  // tie -> even
  EXPECT_EQ(F32ToF16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  EXPECT_TRUE(std::isnan(F16ToF32(F32ToF16(NAN))));
}

TEST(Bf16Test, RoundsToNearestEven) {
  EXPECT_EQ(Bf16ToF32(0x3F80), 1.0f);
  EXPECT_EQ(F32ToBf16(1.0f), 0x3F80);
  // 1 + 2^-8 is halfway between bf16 1.0 and 1.0078125: ties to even (1.0).
  EXPECT_EQ(F32ToBf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);
  EXPECT_EQ(F32ToBf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3F82);
  EXPECT_TRUE(std::isnan(Bf16ToF32(F32ToBf16(NAN))));
}

TEST(DequantizeTest, Q4_0BlockUsesSplitNibbles) {
  gguf::BlockQ4_0 b{};
  b.d = F32ToF16(0.5f);
  for (int j = 0; j < 16; ++j) b.qs[j] = static_cast<uint8_t>(j | ((15 - j) << 4));
  float y[32];
  ref::DequantizeRow(GgmlType::kQ4_0, &b, 32, y);
  for (int j = 0; j < 16; ++j) {
    EXPECT_EQ(y[j], 0.5f * (j - 8));
    EXPECT_EQ(y[j + 16], 0.5f * (7 - j));
  }
}

TEST(DequantizeTest, Q5_0HighBitsAndQ8_0) {
  gguf::BlockQ5_0 b{};
  b.d = F32ToF16(1.0f);
  const uint32_t qh = 0x80000001u;  // element 0 and element 31
  std::memcpy(b.qh, &qh, 4);
  float y[32];
  ref::DequantizeRow(GgmlType::kQ5_0, &b, 32, y);
  EXPECT_EQ(y[0], 0.0f);     // 16 - 16
  EXPECT_EQ(y[1], -16.0f);   // 0 - 16
  EXPECT_EQ(y[31], 0.0f);
  gguf::BlockQ8_0 q{};
  q.d = F32ToF16(0.25f);
  for (int j = 0; j < 32; ++j) q.qs[j] = static_cast<int8_t>(j - 16);
  ref::DequantizeRow(GgmlType::kQ8_0, &q, 32, y);
  for (int j = 0; j < 32; ++j) EXPECT_EQ(y[j], 0.25f * (j - 16));
}

TEST(DequantizeTest, Q4_KScalesAndMins) {
  gguf::BlockQ4_K b{};
  b.d = F32ToF16(1.0f);
  b.dmin = F32ToF16(0.5f);
  // Sub-block 0: scale 2, min 3; sub-block 5: scale 17 (= 1 | 1<<4), min 33.
  b.scales[0] = 2;
  b.scales[4] = 3;
  b.scales[9] = 0x21;               // sc5 low 4 bits = 1, m5 low bits = 2
  b.scales[1] = 1 << 6;             // sc5 bit 4 from scales[1] >> 6
  b.scales[5] = 2 << 6;             // m5 bits 4-5 from scales[5] >> 6
  for (int l = 0; l < 32; ++l) b.qs[l] = 0x07;  // low nibble 7
  for (int l = 32; l < 64; ++l) b.qs[l] = 0x90;  // high nibble 9 (sub-block 3)
  for (int l = 64; l < 96; ++l) b.qs[l] = 0x40;  // high nibble 4 (sub-block 5)
  float y[256];
  ref::DequantizeRow(GgmlType::kQ4_K, &b, 256, y);
  EXPECT_EQ(y[0], 2.0f * 7 - 0.5f * 3);
  EXPECT_EQ(y[160], 17.0f * 4 - 0.5f * 34);
}

TEST(QuantizeTest, Q8_0RoundTripWithinHalfStep) {
  std::mt19937 rng(1);
  std::normal_distribution<float> nd(0.0f, 3.0f);
  std::vector<float> x(256), y(256);
  for (float& v : x) v = nd(rng);
  std::vector<gguf::BlockQ8_0> q(8);
  ref::QuantizeRowQ8_0(x.data(), 256, q.data());
  ref::DequantizeRow(GgmlType::kQ8_0, q.data(), 256, y.data());
  for (int b = 0; b < 8; ++b) {
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[32 * b + j]));
    const float d = F16ToF32(q[b].d);
    EXPECT_NEAR(d, amax / 127, amax / 127 * 1e-3);
    for (int j = 0; j < 32; ++j) {
      EXPECT_NEAR(y[32 * b + j], x[32 * b + j], 0.5f * d + amax * 2e-3f);
    }
  }
}

TEST(QuantizeTest, Q8_KRoundTripAndBlockSums) {
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> ud(-2.0f, 5.0f);
  std::vector<float> x(512), y(512);
  for (float& v : x) v = ud(rng);
  std::vector<gguf::BlockQ8_K> q(2);
  ref::QuantizeRowQ8_K(x.data(), 512, q.data());
  ref::DequantizeRowQ8_K(q.data(), 512, y.data());
  for (int b = 0; b < 2; ++b) {
    int max_abs = 0;
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) {
        sum += q[b].qs[16 * g + i];
        max_abs = std::max(max_abs, std::abs(int{q[b].qs[16 * g + i]}));
      }
      EXPECT_EQ(q[b].bsums[g], sum);
    }
    EXPECT_EQ(max_abs, 127);  // the largest magnitude maps to -127
    for (int j = 0; j < 256; ++j) {
      EXPECT_NEAR(y[256 * b + j], x[256 * b + j], 0.5f * std::fabs(q[b].d) + 1e-6f);
    }
  }
  std::vector<float> zeros(256, 0.0f);
  ref::QuantizeRowQ8_K(zeros.data(), 256, q.data());
  EXPECT_EQ(q[0].d, 0.0f);
  EXPECT_EQ(q[0].bsums[3], 0);
}

}  // namespace
}  // namespace vigil::kernels
