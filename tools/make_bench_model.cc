// SPDX-License-Identifier: Apache-2.0
// Writes a full-size random-weight Gemma 4 E2B or E4B text GGUF (the real
// shapes of spec/gemma4-text.md §2, quant mixes of §1.8) for benchmarks: speed
// does not depend on weight values. Not a model anyone should chat with.
//
//   make_bench_model --arch e2b|e4b --quant Q4_0|Q8_0|Q4_K_M
//                    --vocab VOCAB.gguf --out FILE.gguf
//
// VOCAB.gguf is the vocab-only file of tools/make_vocab_gguf (real 262,144
// token Gemma 4 vocabulary), so llama.cpp loads the same file for comparison.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/gguf/writer.h"
#include "inference/kernels/scalar_ref.h"

namespace vigil::tools {
namespace {

using gguf::GgmlType;

struct ArchShape {
  const char* label;
  uint32_t n_layer, n_embd, n_head, n_head_kv, head_dim_swa, head_dim;
  uint32_t pattern;  // every `pattern`-th layer is global (last always is)
  uint32_t n_shared_kv;
  std::vector<uint32_t> n_ff;  // per layer
};

// spec/gemma4-text.md §2.1-2.2.
ArchShape Shape(const std::string& arch) {
  if (arch == "e2b") {
    ArchShape s{"E2B", 35, 1536, 8, 1, 256, 512, 5, 20, {}};
    for (uint32_t l = 0; l < 35; ++l) s.n_ff.push_back(l < 15 ? 6144 : 12288);
    return s;
  }
  ArchShape s{"E4B", 42, 2560, 8, 2, 256, 512, 6, 18, {}};
  s.n_ff.assign(42, 10240);
  return s;
}

// Fast deterministic bytes (splitmix64).
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float Uniform() { return (Next() >> 40) * (1.0f / 16777216.0f); }
};

// Writes block `index` of a tensor: random quants and small, finite scales
// (random bytes in a scale field could be inf/NaN).
void MakeBlock(GgmlType type, uint64_t seed, uint64_t index, uint8_t* b,
               size_t bb) {
  Rng rng{seed ^ (index * 0xD1B54A32D192ED03ull)};
  for (size_t i = 0; i < bb; i += 8) {
    const uint64_t v = rng.Next();
    std::memcpy(b + i, &v, std::min<size_t>(8, bb - i));
  }
  auto put_f16 = [&](uint8_t* at, float v) {
    const uint16_t h = kernels::F32ToF16(v);
    std::memcpy(at, &h, 2);
  };
  switch (type) {
    case GgmlType::kQ4_0:
    case GgmlType::kQ8_0: put_f16(b, 0.002f + 0.004f * rng.Uniform()); break;
    case GgmlType::kQ4_K:
      put_f16(b, 0.0005f + 0.001f * rng.Uniform());
      put_f16(b + 2, 0.0005f * rng.Uniform());
      break;
    case GgmlType::kQ6_K:
      put_f16(b + offsetof(gguf::BlockQ6_K, d), 1e-4f + 2e-4f * rng.Uniform());
      break;
    case GgmlType::kBF16: {
      const uint16_t h = kernels::F32ToBf16((rng.Uniform() - 0.5f) * 0.05f);
      std::memcpy(b, &h, 2);
      break;
    }
    case GgmlType::kF32: {
      const float v = 1.0f + (rng.Uniform() - 0.5f) * 0.1f;
      std::memcpy(b, &v, 4);
      break;
    }
    default: break;
  }
}

// Fills bytes [offset, offset + chunk.size()) of a tensor; blocks may straddle
// chunk boundaries, so each block is made whole and the overlap copied.
void FillChunk(GgmlType type, uint64_t seed, uint64_t offset,
               std::span<uint8_t> chunk) {
  const size_t bb =
      gguf::GetTypeTraits(static_cast<uint32_t>(type)).block_bytes;
  uint8_t block[256];
  uint64_t pos = offset;
  const uint64_t end = offset + chunk.size();
  while (pos < end) {
    const uint64_t index = pos / bb, start = index * bb;
    MakeBlock(type, seed, index, block, bb);
    const uint64_t from = pos - start;
    const uint64_t n = std::min<uint64_t>(bb - from, end - pos);
    std::memcpy(chunk.data() + (pos - offset), block + from, n);
    pos += n;
  }
}

struct Recipe {
  GgmlType base, embd, per_layer_embd, model_proj;
  bool bump_q4k_m;  // Q6_K attn_v/ffn_down on "more bits" layers (§1.8)
};

Recipe RecipeFor(const std::string& quant) {
  // Mirrors llama-quantize: the tied embedding gets Q6_K unless the base is
  // Q8_0; per_layer_model_proj stays at source precision (BF16).
  if (quant == "Q8_0") {
    return {GgmlType::kQ8_0, GgmlType::kQ8_0, GgmlType::kQ8_0,
            GgmlType::kQ8_0, false};
  }
  if (quant == "Q4_0") {
    return {GgmlType::kQ4_0, GgmlType::kQ6_K, GgmlType::kQ6_K,
            GgmlType::kBF16, false};
  }
  return {GgmlType::kQ4_K, GgmlType::kQ6_K, GgmlType::kQ6_K, GgmlType::kBF16,
          true};
}

bool MoreBits(uint32_t i, uint32_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

class ModelBuilder {
 public:
  explicit ModelBuilder(uint64_t seed) : seed_(seed) {}
  gguf::GgufWriter& writer() { return w_; }

  Status Tensor(const std::string& name, GgmlType type,
                std::vector<uint64_t> ne) {
    const uint64_t seed = seed_ + (++count_) * 7919;
    return w_.AddTensorStreamed(
        name, type, ne,
        [type, seed](uint64_t offset, std::span<uint8_t> chunk) {
          FillChunk(type, seed, offset, chunk);
          return OkStatus();
        });
  }

 private:
  gguf::GgufWriter w_;
  uint64_t seed_;
  uint64_t count_ = 0;
};

// Copies every tokenizer.* key of the vocab file verbatim.
Status CopyTokenizer(const gguf::GgufFile& vocab, gguf::GgufWriter& w) {
  for (const auto& e : vocab.metadata()) {
    if (e.key.rfind("tokenizer.", 0) != 0) continue;
    std::vector<uint8_t> payload;
    const auto& v = e.value;
    if (v.is_array()) {
      payload = gguf::EncodeArrayHeader(v.elem_type, v.count);
    } else if (v.type == gguf::ValueType::kString) {
      const uint64_t len = v.raw.size();
      payload.resize(8);
      std::memcpy(payload.data(), &len, 8);
    }
    payload.insert(payload.end(), v.raw.begin(), v.raw.end());
    w.AddRaw(e.key, v.type, std::move(payload));
  }
  return OkStatus();
}

Status Build(const std::string& arch, const std::string& quant,
             const std::string& vocab_path, const std::string& out) {
  const ArchShape s = Shape(arch);
  const Recipe r = RecipeFor(quant);
  VIGIL_ASSIGN_OR_RETURN(auto vocab, gguf::GgufFile::Open(vocab_path));
  VIGIL_ASSIGN_OR_RETURN(auto tokens,
                         vocab.GetArrayLength(gguf::key::kTokenizerTokens));
  const uint64_t n_vocab = tokens;
  const uint32_t P = 256, L = s.n_layer, d = s.n_embd;

  ModelBuilder b(arch == "e2b" ? 2002 : 4004);
  auto& w = b.writer();
  namespace k = gguf::key;
  w.AddString(k::kArchitecture, k::kArchGemma4);
  w.AddString(k::kType, k::kTypeModel);
  w.AddString(k::kName, std::string("gemma4-") + arch +
                            " random-weight benchmark model " + quant);
  w.AddU32(k::kContextLength, 131072);
  w.AddU32(k::kEmbeddingLength, d);
  w.AddU32(k::kBlockCount, L);
  std::vector<int32_t> ff(s.n_ff.begin(), s.n_ff.end());
  w.AddI32Array(k::kFeedForwardLength, ff);
  w.AddU32(k::kHeadCount, s.n_head);
  w.AddU32(k::kHeadCountKv, s.n_head_kv);
  w.AddU32(k::kKeyLength, s.head_dim);
  w.AddU32(k::kValueLength, s.head_dim);
  w.AddU32(k::kKeyLengthSwa, s.head_dim_swa);
  w.AddU32(k::kValueLengthSwa, s.head_dim_swa);
  w.AddF32(k::kRmsEps, 1e-6f);
  w.AddU32(k::kSlidingWindow, 512);
  std::vector<bool> swa(L);
  for (uint32_t l = 0; l < L; ++l) swa[l] = (l + 1) % s.pattern != 0;
  swa[L - 1] = false;
  w.AddBoolArray(k::kSlidingWindowPattern, swa);
  w.AddU32(k::kSharedKvLayers, s.n_shared_kv);
  w.AddU32(k::kEmbeddingLengthPerLayer, P);
  w.AddF32(k::kRopeFreqBase, 1e6f);
  w.AddF32(k::kRopeFreqBaseSwa, 1e4f);
  w.AddU32(k::kRopeDimensionCount, s.head_dim);
  w.AddU32(k::kRopeDimensionCountSwa, s.head_dim_swa);
  w.AddF32(k::kFinalLogitSoftcapping, 30.0f);
  w.AddU32(k::kQuantizationVersion, 2);
  VIGIL_RETURN_IF_ERROR(CopyTokenizer(vocab, w));

  const GgmlType F32 = GgmlType::kF32;
  VIGIL_RETURN_IF_ERROR(b.Tensor("token_embd.weight", r.embd, {d, n_vocab}));
  VIGIL_RETURN_IF_ERROR(b.Tensor("per_layer_token_embd.weight",
                                 r.per_layer_embd, {uint64_t{L} * P, n_vocab}));
  VIGIL_RETURN_IF_ERROR(b.Tensor("per_layer_model_proj.weight", r.model_proj,
                                 {d, uint64_t{L} * P}));
  VIGIL_RETURN_IF_ERROR(b.Tensor("per_layer_proj_norm.weight", F32, {P}));
  VIGIL_RETURN_IF_ERROR(b.Tensor("output_norm.weight", F32, {d}));
  std::vector<float> freqs(s.head_dim / 2, 1e30f);
  for (uint32_t i = 0; i < s.head_dim / 8; ++i) freqs[i] = 1.0f;
  const uint64_t nf = freqs.size();
  VIGIL_RETURN_IF_ERROR(w.AddTensorF32("rope_freqs.weight", {&nf, 1}, freqs));

  for (uint32_t l = 0; l < L; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    const uint64_t hd = swa[l] ? s.head_dim_swa : s.head_dim;
    const uint64_t q = s.n_head * hd, kv = s.n_head_kv * hd, f = s.n_ff[l];
    const GgmlType bumped =
        r.bump_q4k_m && MoreBits(l, L) ? GgmlType::kQ6_K : r.base;
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_norm.weight", F32, {d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_q.weight", r.base, {d, q}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_k.weight", r.base, {d, kv}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_v.weight", bumped, {d, kv}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_output.weight", r.base, {q, d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_q_norm.weight", F32, {hd}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "attn_k_norm.weight", F32, {hd}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "post_attention_norm.weight", F32, {d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "ffn_norm.weight", F32, {d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "ffn_gate.weight", r.base, {d, f}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "ffn_up.weight", r.base, {d, f}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "ffn_down.weight", bumped, {f, d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "post_ffw_norm.weight", F32, {d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "inp_gate.weight", r.base, {d, P}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "proj.weight", r.base, {P, d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "post_norm.weight", F32, {d}));
    VIGIL_RETURN_IF_ERROR(b.Tensor(p + "layer_output_scale.weight", F32, {1}));
  }
  std::fprintf(stderr, "writing %s %s (%zu tensors) to %s\n", s.label,
               quant.c_str(), w.n_tensors(), out.c_str());
  return w.WriteFile(out);
}

}  // namespace
}  // namespace vigil::tools

int main(int argc, char** argv) {
  std::string arch = "e2b", quant = "Q4_0", vocab, out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--arch") arch = argv[i + 1];
    else if (a == "--quant") quant = argv[i + 1];
    else if (a == "--vocab") vocab = argv[i + 1];
    else if (a == "--out") out = argv[i + 1];
  }
  const bool ok_arch = arch == "e2b" || arch == "e4b";
  const bool ok_quant = quant == "Q4_0" || quant == "Q8_0" || quant == "Q4_K_M";
  if (!ok_arch || !ok_quant || vocab.empty() || out.empty()) {
    std::fprintf(stderr,
                 "usage: make_bench_model --arch e2b|e4b --quant "
                 "Q4_0|Q8_0|Q4_K_M --vocab VOCAB.gguf --out FILE.gguf\n");
    return 2;
  }
  const vigil::Status s = vigil::tools::Build(arch, quant, vocab, out);
  if (!s.ok()) {
    std::fprintf(stderr, "make_bench_model: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
