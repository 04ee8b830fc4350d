// SPDX-License-Identifier: Apache-2.0
// Half-precision towers (real mmproj files are F16/BF16): the tiny golden
// tower with its block linears rewritten as F16 by our GGUF writer, encoded
// on the fast path (bfloat16 products in the linears and attention where the
// CPU has them) and with float32 products, against llama.cpp's F32 goldens.
// Embeddings have rms ~1 and max ~2.5. Bounds are about twice the measured
// errors: float32 products see only the F16 weight rounding (max 3.0e-3,
// rms 6e-4); bfloat16 products add the bfloat16 rounding of both operands,
// 2^-9 each (max 2.8e-2, rms 5.5e-3: 0.5% of the rms).
#include <cstring>
#include <string>
#include <vector>

#include "inference/gguf/reader.h"
#include "inference/gguf/writer.h"
#include "inference/kernels/matmul_gemm.h"
#include "inference/kernels/scalar_ref.h"
#include "inference/kernels/thread_pool.h"
#include "inference/vision/encoder.h"
#include "tests/inference/text/model_edit.h"
#include "tests/inference/vision/vision_golden.h"
#include "vision/gemma_preprocess.h"

namespace vigil::mm {
namespace {

// The block linears (attention and FFN weight matrices).
bool IsBlockLinear(const gguf::TensorInfo& t) {
  const std::string name(t.name);
  return t.type == gguf::GgmlType::kF32 && t.n_dims == 2 &&
         name.rfind("v.blk.", 0) == 0 &&
         (name.find("attn_") != std::string::npos ||
          name.find("ffn_") != std::string::npos) &&
         name.find("norm") == std::string::npos;
}

std::string WriteF16Tower() {
  auto src = gguf::GgufFile::Open(testing::kMmproj);
  EXPECT_TRUE(src.ok());
  std::vector<std::string> linears;
  for (const auto& t : src.value().tensors()) {
    if (IsBlockLinear(t)) linears.emplace_back(t.name);
  }
  EXPECT_FALSE(linears.empty());
  text::testing::ModelEdit edit;
  edit.drop_tensor = [&](std::string_view name) {
    for (const auto& l : linears) {
      if (l == name) return true;
    }
    return false;
  };
  edit.add = [&](const gguf::GgufFile& f, gguf::GgufWriter& w) {
    for (const auto& t : f.tensors()) {
      if (!IsBlockLinear(t)) continue;
      std::vector<uint8_t> half(t.n_elements() * 2);
      for (uint64_t i = 0; i < t.n_elements(); ++i) {
        float v;
        std::memcpy(&v, t.data + 4 * i, 4);
        const uint16_t h = kernels::F32ToF16(v);
        std::memcpy(half.data() + 2 * i, &h, 2);
      }
      const uint64_t ne[2] = {t.ne[0], t.ne[1]};
      ASSERT_TRUE(w.AddTensor(t.name, gguf::GgmlType::kF16, ne, half).ok());
    }
  };
  auto path = text::testing::WriteEditedCopy(testing::kMmproj, edit,
                                             "mmproj-tiny-f16.gguf");
  EXPECT_TRUE(path.ok()) << path.status().ToString();
  return path.ok() ? *path : std::string();
}

TEST(VisionHalfPrecisionTest, F16TowerMatchesGoldensWithinRounding) {
  auto model = VisionModel::Load(WriteF16Tower());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  kernels::ThreadPool pool(2);
  for (const testing::Case& c : testing::AllCases()) {
    auto p = testing::PreprocessCase(c, nullptr);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    const PatchGrid grid{.grid_w = uint32_t(p->grid_w),
                         .grid_h = uint32_t(p->grid_h), .data = p->data};
    const auto want =
        testing::ReadFloats(c.dir() + "/embeddings_exactgelu.bin");
    auto f32 = EncodeImage(**model, grid, pool,
                           {.precision = kernels::MatMulPrecision::kFloat32,
                            .gelu_fp16_table = false, .on_tensor = {}});
    ASSERT_TRUE(f32.ok()) << f32.status().ToString();
    const auto d32 = testing::Compare(f32->data, want);
    EXPECT_LT(d32.max_abs, 6e-3) << c.dir() << " rms " << d32.rms;
    EXPECT_LT(d32.rms, 1.5e-3) << c.dir();
    auto fast = EncodeImage(**model, grid, pool, {});
    ASSERT_TRUE(fast.ok()) << fast.status().ToString();
    const auto dfast = testing::Compare(fast->data, want);
    const bool bf16 = kernels::HasBf16Products();
    EXPECT_LT(dfast.max_abs, bf16 ? 6e-2 : 6e-3) << c.dir() << " rms " << dfast.rms;
    EXPECT_LT(dfast.rms, bf16 ? 1.2e-2 : 1.5e-3) << c.dir();
    std::printf("%s: F16 weights, float32 products max %.2e rms %.2e; fast "
                "path (%s) max %.2e rms %.2e\n",
                c.dir().c_str(), d32.max_abs, d32.rms,
                kernels::HasBf16Products() ? "bfloat16" : "float32",
                dfast.max_abs, dfast.rms);
  }
}

}  // namespace
}  // namespace vigil::mm
