// SPDX-License-Identifier: Apache-2.0
// Per-target float32 GEMM for F32/F16/BF16 weights and many tokens (vision
// encoder, prefill, attention). A task owns one unit of 2 x N weight rows,
// decoded once into column-major panels (one vector = one column of N rows),
// and a block of tokens; a 2 x kT register tile of FMAs writes its results
// straight into y, whose rows are contiguous along the weight rows.
#if defined(VIGIL_KERNELS_MATMUL_GEMM_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef VIGIL_KERNELS_MATMUL_GEMM_INL_H_
#undef VIGIL_KERNELS_MATMUL_GEMM_INL_H_
#else
#define VIGIL_KERNELS_MATMUL_GEMM_INL_H_
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "hwy/aligned_allocator.h"
#include "hwy/highway.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/matmul_decode-inl.h"

HWY_BEFORE_NAMESPACE();
namespace vigil::kernels {
namespace HWY_NAMESPACE {

using GF = hn::ScalableTag<float>;
inline constexpr size_t kGemmPanels = 2;
// 2 x 6 accumulators + 2 weights fit the 32 registers of AVX-512 and
// AArch64; 2 x 4 the 16 of AVX2/SSE4.
#if HWY_TARGET <= HWY_AVX3 || HWY_ARCH_ARM_A64
inline constexpr size_t kGemmTokens = 6;
#else
inline constexpr size_t kGemmTokens = 4;
#endif

// Where a tile writes: `y` is token 0, row 0 of the tile; `valid` rows of
// the 2 x N are real (the rest are padding of the last unit).
struct GemmOut {
  float* y;
  size_t stride;  // floats between tokens (= w.rows)
  size_t valid;
};

// y[t][p * N + i] = <panel p row i, x[t]> for kT tokens.
template <size_t kT>
HWY_NOINLINE void GemmTile(const float* HWY_RESTRICT panels, size_t cols,
                           const float* HWY_RESTRICT x, size_t x_stride,
                           const GemmOut& o) {
  const GF df;
  using V = hn::Vec<GF>;
  const size_t N = hn::Lanes(df);
  const float* HWY_RESTRICT p0 = panels;
  const float* HWY_RESTRICT p1 = panels + N * cols;
  V a0[kT], a1[kT];
  for (size_t t = 0; t < kT; ++t) a0[t] = a1[t] = hn::Zero(df);
  for (size_t k = 0; k < cols; ++k) {
    const V w0 = hn::LoadU(df, p0 + k * N);  // packed operands may be unaligned
    const V w1 = hn::LoadU(df, p1 + k * N);
    for (size_t t = 0; t < kT; ++t) {
      const V xb = hn::Set(df, x[t * x_stride + k]);
      a0[t] = hn::MulAdd(w0, xb, a0[t]);
      a1[t] = hn::MulAdd(w1, xb, a1[t]);
    }
  }
  if (o.valid == 2 * N) {
    for (size_t t = 0; t < kT; ++t) {
      hn::StoreU(a0[t], df, o.y + t * o.stride);
      hn::StoreU(a1[t], df, o.y + t * o.stride + N);
    }
    return;
  }
  HWY_ALIGN float tmp[2 * hn::MaxLanes(GF())];
  for (size_t t = 0; t < kT; ++t) {
    hn::Store(a0[t], df, tmp);
    hn::Store(a1[t], df, tmp + N);
    std::memcpy(o.y + t * o.stride, tmp, o.valid * sizeof(float));
  }
}

// Per-thread panel buffer; `key` names the unit it holds so consecutive
// token blocks of one unit are decoded once.
struct GemmScratch {
  hwy::AlignedFreeUniquePtr<float[]> panels;
  size_t size = 0;
  std::vector<float> row;
  uint64_t call = 0;
  size_t unit = ~size_t{0};
};

// panel[k * N + i] = rows[i][k] for i < N, in 16-column blocks so the
// reads stay sequential and the writes within a few cache lines.
inline void TransposeToPanel(const float* const* rows, size_t cols,
                             float* HWY_RESTRICT panel) {
  const size_t N = hn::Lanes(GF());
  constexpr size_t kBlock = 16;
  for (size_t k0 = 0; k0 < cols; k0 += kBlock) {
    const size_t k1 = std::min(cols, k0 + kBlock);
    for (size_t i = 0; i < N; ++i) {
      const float* HWY_RESTRICT row = rows[i];
      for (size_t k = k0; k < k1; ++k) panel[k * N + i] = row[k];
    }
  }
}

// Decodes rows [r0, r0 + 2N) (the last row repeats past w.rows) into two
// column-major panels.
inline void GemmPack(const WeightMatrix& w, size_t r0, GemmScratch& s) {
  const size_t N = hn::Lanes(GF());
  const size_t unit = kGemmPanels * N, need = unit * w.cols;
  if (s.size < need) {
    s.panels = hwy::AllocateAligned<float>(need);
    s.size = need;
  }
  const bool decode = w.type != gguf::GgmlType::kF32;
  if (decode && s.row.size() < need) s.row.resize(need);
  const float* rows[kGemmPanels * hn::MaxLanes(GF())];
  for (size_t i = 0; i < unit; ++i) {
    const size_t row = std::min(r0 + i, w.rows - 1);
    const auto* src = static_cast<const uint8_t*>(w.data) + row * w.row_bytes;
    rows[i] = reinterpret_cast<const float*>(src);
    if (decode) {
      DecodeRowF32(w.type, src, w.cols, s.row.data() + i * w.cols);
      rows[i] = s.row.data() + i * w.cols;
    }
  }
  for (size_t p = 0; p < kGemmPanels; ++p) {
    TransposeToPanel(rows + p * N, w.cols, s.panels.get() + p * N * w.cols);
  }
}

// A product over one packed unit: tokens x[t * x_stride ...] for t in
// [t0, t1) times rows [r0, r0 + 2N) of a `rows` x `cols` matrix, written to
// y[t * y_stride + r].
struct GemmJob {
  const float* panels;
  size_t rows, cols, r0;
  const float* x;
  size_t x_stride;
  float* y;
  size_t y_stride;
};

inline void GemmTokens(const GemmJob& j, size_t t0, size_t t1) {
  const size_t N = hn::Lanes(GF());
  const GemmOut base{nullptr, j.y_stride, std::min(2 * N, j.rows - j.r0)};
  const size_t cols = j.cols;
  size_t t = t0;
  for (; t + kGemmTokens <= t1; t += kGemmTokens) {
    GemmOut o = base;
    o.y = j.y + t * j.y_stride + j.r0;
    GemmTile<kGemmTokens>(j.panels, cols, j.x + t * j.x_stride, j.x_stride, o);
  }
  GemmOut o = base;
  o.y = j.y + t * j.y_stride + j.r0;
  const float* xt = j.x + t * j.x_stride;
  switch (t1 - t) {  // the token tail, one tile of its exact size
    case 1: GemmTile<1>(j.panels, cols, xt, j.x_stride, o); break;
    case 2: GemmTile<2>(j.panels, cols, xt, j.x_stride, o); break;
    case 3: GemmTile<3>(j.panels, cols, xt, j.x_stride, o); break;
#if HWY_TARGET <= HWY_AVX3 || HWY_ARCH_ARM_A64
    case 4: GemmTile<4>(j.panels, cols, xt, j.x_stride, o); break;
    case 5: GemmTile<5>(j.panels, cols, xt, j.x_stride, o); break;
#endif
    default: break;
  }
}

// Layout of a pre-packed matrix: units of 2N rows, each two [cols][N]
// panels, unit u at u * 2N * cols; rows past the end are zero.
inline size_t GemmPackedFloatsImpl(size_t rows, size_t cols) {
  const size_t unit = kGemmPanels * hn::Lanes(GF());
  return (rows + unit - 1) / unit * unit * cols;
}

// Packs element (r, k) = src[r * row_stride + k * col_stride].
inline void PackGemmImpl(const float* src, size_t row_stride,
                         size_t col_stride, size_t rows, size_t cols,
                         float* out) {
  const size_t N = hn::Lanes(GF());
  const size_t padded = GemmPackedFloatsImpl(rows, cols) / cols;
  for (size_t r = 0; r < padded; ++r) {
    float* panel = out + (r / N) * N * cols + r % N;
    if (r >= rows) {
      for (size_t k = 0; k < cols; ++k) panel[k * N] = 0.0f;
      continue;
    }
    const float* row = src + r * row_stride;
    for (size_t k = 0; k < cols; ++k) panel[k * N] = row[k * col_stride];
  }
}

// y[t * y_stride + r] = <packed row r, x[t * x_stride ...]> on this thread.
inline void PackedGemmImpl(const float* packed, size_t rows, size_t cols,
                           const float* x, size_t x_stride, size_t n_tokens,
                           float* y, size_t y_stride) {
  const size_t unit = kGemmPanels * hn::Lanes(GF());
  for (size_t r0 = 0; r0 < rows; r0 += unit) {
    const GemmJob j{packed + r0 * cols, rows, cols, r0, x, x_stride,
                    y, y_stride};
    GemmTokens(j, 0, n_tokens);
  }
}

// Token blocks of a (units x token blocks) split: every thread gets several
// tasks even when the matrix has few rows (attention's [hd, n] values).
struct TokenBlocks {
  size_t n_blocks, block;  // block: tokens per block, a multiple of `tile`
};
inline TokenBlocks SplitTokenBlocks(size_t n_units, size_t n_tokens,
                                    size_t tile, int threads) {
  const size_t want = 4 * static_cast<size_t>(threads);
  const size_t tiles = (n_tokens + tile - 1) / tile;
  const size_t n_blocks =
      n_units >= want ? 1 : std::min(tiles, (want + n_units - 1) / n_units);
  return {n_blocks, (tiles + n_blocks - 1) / n_blocks * tile};
}

// Runs the (units x token blocks) tasks of one product over the pool. A
// worker packs a unit into its own `Scratch` once (`pack(u, s)`; the scratch
// remembers the call and unit) and multiplies it by each of its token blocks
// (`multiply(s, u, t0, t1)`).
template <class Scratch, class Pack, class Multiply>
void RunUnitTasks(size_t n_units, size_t n_tokens, size_t tile,
                  ThreadPool& pool, const Pack& pack,
                  const Multiply& multiply) {
  static std::atomic<uint64_t> calls{0};
  const uint64_t call = ++calls;
  const auto [n_blocks, block] =
      SplitTokenBlocks(n_units, n_tokens, tile, pool.size());
  pool.ParallelFor(n_units * n_blocks, 1, [&](size_t b, size_t e, int) {
    thread_local Scratch s;  // each worker's own
    for (size_t task = b; task < e; ++task) {
      const size_t u = task / n_blocks, tb = task % n_blocks;
      const size_t t0 = tb * block, t1 = std::min(n_tokens, t0 + block);
      if (t0 >= t1) continue;
      if (s.call != call || s.unit != u) {
        pack(u, s);
        s.call = call;
        s.unit = u;
      }
      multiply(s, u, t0, t1);
    }
  });
}

inline void FloatGemmImpl(const WeightMatrix& w, const float* x,
                          size_t n_tokens, float* y, ThreadPool& pool) {
  const size_t unit_rows = kGemmPanels * hn::Lanes(GF());
  RunUnitTasks<GemmScratch>(
      (w.rows + unit_rows - 1) / unit_rows, n_tokens, kGemmTokens, pool,
      [&](size_t u, GemmScratch& s) { GemmPack(w, u * unit_rows, s); },
      [&](const GemmScratch& s, size_t u, size_t t0, size_t t1) {
        const GemmJob j{s.panels.get(), w.rows, w.cols, u * unit_rows,
                        x,               w.cols, y,      w.rows};
        GemmTokens(j, t0, t1);
      });
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace vigil::kernels
HWY_AFTER_NAMESPACE();

#endif  // VIGIL_KERNELS_MATMUL_GEMM_INL_H_
