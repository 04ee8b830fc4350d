// SPDX-License-Identifier: Apache-2.0
// Arm NEON int8 GEMM with `sdot` (vdotq_laneq_s32; Armv8.2 dot product:
// Raspberry Pi 5, Jetson Orin), for prefill (n_tokens > 1). Weight rows are
// decoded once per call to int8 in panels of 4 rows (one dword of 4
// consecutive elements per row and lane), activations follow Q8_0 / Q8_K
// (scalar_ref quantizers) in tiles of kT tokens. Compiled only where
// __ARM_FEATURE_DOTPROD is defined; other NEON CPUs keep the int16 path.
#if defined(VIGIL_KERNELS_MATMUL_SDOT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_SDOT_INL_H_
#undef VIGIL_KERNELS_MATMUL_SDOT_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_SDOT_INL_H_
#endif

#include <algorithm>
#include <cstring>
#include <vector>

#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/weight_layout.h"
#include "inference/kernels/scalar_ref.h"

#if HWY_TARGET == HWY_NEON && defined(__aarch64__) && \
    defined(__ARM_FEATURE_DOTPROD)
#define VIGIL_KERNELS_HAVE_SDOT 1
#include <arm_neon.h>

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

inline constexpr size_t kSdotPanels = 2;  // 8 weight rows per micro-kernel
inline constexpr size_t kSdotTokens = 4;

// Weight group of `g` elements for 4 rows: g bytes x 4, 4 scales, 4 mins.
inline size_t SdotPanelGroupBytes(size_t g) { return 4 * g + 32; }
// Activation group: per token `g` int8, then per token float d, d * sum(q).
inline size_t SdotActGroupBytes(size_t g) { return kSdotTokens * (g + 8); }

inline size_t SdotGroup(gguf::GgmlType t) {
  return t == gguf::GgmlType::kQ6_K ? 16 : 32;
}

// out[p * kT + t] = 4 rows of panel p times token t.
template <size_t kG, bool kMins>
HWY_NOINLINE void SdotTile(const uint8_t* const* panels, const uint8_t* acts,
                           size_t n_groups, float32x4_t* out) {
  constexpr size_t kP = kSdotPanels, kT = kSdotTokens;
  constexpr size_t kPanelBytes = 4 * kG + 32, kActBytes = kT * (kG + 8);
  float32x4_t acc[kP][kT];
  for (size_t p = 0; p < kP; ++p)
    for (size_t t = 0; t < kT; ++t) acc[p][t] = vdupq_n_f32(0.0f);
  for (size_t g = 0; g < n_groups; ++g) {
    const uint8_t* a = acts + g * kActBytes;
    int32x4_t ia[kP][kT];
    for (size_t p = 0; p < kP; ++p)
      for (size_t t = 0; t < kT; ++t) ia[p][t] = vdupq_n_s32(0);
    for (size_t c = 0; c < kG / 16; ++c) {
      int8x16_t av[kT];
      for (size_t t = 0; t < kT; ++t) {
        av[t] = vld1q_s8(reinterpret_cast<const int8_t*>(a + t * kG + 16 * c));
      }
      for (size_t p = 0; p < kP; ++p) {
        const int8_t* w =
            reinterpret_cast<const int8_t*>(panels[p] + g * kPanelBytes) + 64 * c;
        const int8x16_t w0 = vld1q_s8(w), w1 = vld1q_s8(w + 16);
        const int8x16_t w2 = vld1q_s8(w + 32), w3 = vld1q_s8(w + 48);
        for (size_t t = 0; t < kT; ++t) {
          ia[p][t] = vdotq_laneq_s32(ia[p][t], w0, av[t], 0);
          ia[p][t] = vdotq_laneq_s32(ia[p][t], w1, av[t], 1);
          ia[p][t] = vdotq_laneq_s32(ia[p][t], w2, av[t], 2);
          ia[p][t] = vdotq_laneq_s32(ia[p][t], w3, av[t], 3);
        }
      }
    }
    const float* ad = reinterpret_cast<const float*>(a + kT * kG);
    for (size_t p = 0; p < kP; ++p) {
      const float* ws = reinterpret_cast<const float*>(
          panels[p] + g * kPanelBytes + 4 * kG);
      const float32x4_t scale = vld1q_f32(ws);
      for (size_t t = 0; t < kT; ++t) {
        acc[p][t] = vfmaq_f32(acc[p][t], vcvtq_f32_s32(ia[p][t]),
                              vmulq_n_f32(scale, ad[t]));
        if constexpr (kMins) {
          acc[p][t] = vfmaq_n_f32(acc[p][t], vld1q_f32(ws + 4), ad[kT + t]);
        }
      }
    }
  }
  for (size_t p = 0; p < kP; ++p)
    for (size_t t = 0; t < kT; ++t) out[p * kT + t] = acc[p][t];
}

// Decodes rows [r0, r0 + 4) (clamped) of `w` into one panel.
inline void PackSdotPanel(const WeightMatrix& w, size_t r0, uint8_t* panel) {
  const KernelTypeInfo info = GetKernelTypeInfo(w.type);
  const size_t g = SdotGroup(w.type), per_block = info.block_elems / g;
  const size_t bytes = SdotPanelGroupBytes(g);
  ref::DecodedBlock blk;
  for (size_t r = 0; r < 4; ++r) {
    const size_t row = std::min(r0 + r, w.rows - 1);
    const uint8_t* src = RowBlocks(w, row);
    for (size_t b = 0; b < w.cols / info.block_elems; ++b) {
      ref::DecodeBlock(w.type, src + b * info.block_bytes, &blk);
      for (size_t j = 0; j < per_block; ++j) {
        uint8_t* dst = panel + (b * per_block + j) * bytes;
        for (size_t i = 0; i < g; ++i) {
          // Element i goes to dword i / 4 of lane r: byte 16 (i / 4) + 4 r + i % 4.
          dst[16 * (i / 4) + 4 * r + i % 4] =
              static_cast<uint8_t>(static_cast<int8_t>(blk.q[j * g + i]));
        }
        float* f = reinterpret_cast<float*>(dst + 4 * g);
        f[r] = blk.scale[j];
        f[4 + r] = blk.min[j];
      }
    }
  }
}

// Quantizes tokens [t0, t0 + kSdotTokens) (zeros past `n_tokens`) into a tile.
inline void PackSdotActs(const float* x, size_t cols, size_t t0,
                         size_t n_tokens, bool q8k, size_t g, uint8_t* tile) {
  constexpr size_t kT = kSdotTokens;
  const size_t n_groups = cols / g, bytes = SdotActGroupBytes(g);
  std::vector<int8_t> q(cols);
  std::vector<float> d(cols / 32);
  for (size_t t = 0; t < kT; ++t) {
    const bool real = t0 + t < n_tokens;
    std::fill(q.begin(), q.end(), 0);
    std::fill(d.begin(), d.end(), 0.0f);
    if (real && q8k) {
      std::vector<gguf::BlockQ8_K> blocks(cols / 256);
      ref::QuantizeRowQ8_K(x + (t0 + t) * cols, cols, blocks.data());
      for (size_t i = 0; i < cols; ++i) q[i] = blocks[i / 256].qs[i % 256];
      for (size_t i = 0; i < cols / 32; ++i) d[i] = blocks[i / 8].d;
    } else if (real) {
      std::vector<gguf::BlockQ8_0> blocks(cols / 32);
      ref::QuantizeRowQ8_0(x + (t0 + t) * cols, cols, blocks.data());
      for (size_t i = 0; i < cols; ++i) q[i] = blocks[i / 32].qs[i % 32];
      for (size_t i = 0; i < cols / 32; ++i) d[i] = F16ToF32(blocks[i].d);
    }
    for (size_t gi = 0; gi < n_groups; ++gi) {
      uint8_t* dst = tile + gi * bytes;
      int32_t sum = 0;
      for (size_t i = 0; i < g; ++i) sum += q[gi * g + i];
      std::memcpy(dst + t * g, q.data() + gi * g, g);
      float* f = reinterpret_cast<float*>(dst + kT * g);
      f[t] = d[gi * g / 32];
      f[kT + t] = d[gi * g / 32] * static_cast<float>(sum);
    }
  }
}

inline void MatMulSdot(const WeightMatrix& w, const float* x, size_t n_tokens,
                       float* y, ThreadPool& pool) {
  constexpr size_t kT = kSdotTokens;
  const size_t g = SdotGroup(w.type), n_groups = w.cols / g;
  const bool q8k = GetKernelTypeInfo(w.type).block_elems == 256;
  const bool mins = w.type == gguf::GgmlType::kQ4_1 ||
                    w.type == gguf::GgmlType::kQ5_1 ||
                    w.type == gguf::GgmlType::kQ4_K || w.type == gguf::GgmlType::kQ5_K;
  const size_t tile_bytes = n_groups * SdotActGroupBytes(g);
  const size_t n_tiles = (n_tokens + kT - 1) / kT;
  thread_local std::vector<uint8_t> caller_acts;
  std::vector<uint8_t>& acts = caller_acts;
  if (acts.size() < n_tiles * tile_bytes) acts.resize(n_tiles * tile_bytes);
  pool.ParallelFor(n_tiles, 1, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      PackSdotActs(x, w.cols, i * kT, n_tokens, q8k, g, acts.data() + i * tile_bytes);
    }
  });
  const size_t panel_bytes = n_groups * SdotPanelGroupBytes(g);
  const size_t unit_rows = 4 * kSdotPanels;
  auto* tile_fn = g == 16 ? (mins ? &SdotTile<16, true> : &SdotTile<16, false>)
                          : (mins ? &SdotTile<32, true> : &SdotTile<32, false>);
  pool.ParallelFor((w.rows + unit_rows - 1) / unit_rows, 1,
                   [&](size_t b, size_t e, int) {
    std::vector<uint8_t> buf(kSdotPanels * panel_bytes);
    const uint8_t* panels[kSdotPanels];
    float32x4_t out[kSdotPanels * kT];
    for (size_t u = b; u < e; ++u) {
      const size_t r0 = u * unit_rows;
      for (size_t p = 0; p < kSdotPanels; ++p) {
        PackSdotPanel(w, r0 + 4 * p, buf.data() + p * panel_bytes);
        panels[p] = buf.data() + p * panel_bytes;
      }
      for (size_t i = 0; i < n_tiles; ++i) {
        tile_fn(panels, acts.data() + i * tile_bytes, n_groups, out);
        for (size_t p = 0; p < kSdotPanels; ++p) {
          float lanes[4];
          for (size_t t = 0; t < kT && i * kT + t < n_tokens; ++t) {
            vst1q_f32(lanes, out[p * kT + t]);
            for (size_t r = 0; r < 4 && r0 + 4 * p + r < w.rows; ++r) {
              y[(i * kT + t) * w.rows + r0 + 4 * p + r] = lanes[r];
            }
          }
        }
      }
    }
  });
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // HWY_NEON && __ARM_FEATURE_DOTPROD
#endif  // VIGIL_KERNELS_MATMUL_SDOT_INL_H_
