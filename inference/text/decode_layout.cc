// SPDX-License-Identifier: Apache-2.0
#include "inference/text/decode_layout.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "inference/kernels/thread_pool.h"
#include "inference/kernels/weight_layout.h"

namespace vigil::text {

namespace {

// The matrices of `w` (const or not) that this CPU decodes faster re-laid;
// not the per-layer embedding table, which is looked up, not multiplied.
template <typename Weights>
auto Chosen(Weights& w) {
  std::vector<decltype(&w.token_embd)> chosen;
  const auto consider = [&](auto& m) {
    if (m.data != nullptr && kernels::DecodesFasterAsQuads(m)) chosen.push_back(&m);
  };
  consider(w.token_embd);
  consider(w.per_layer_model_proj);
  for (auto& l : w.layers) {
    for (auto* m : {&l.attn_q, &l.attn_k, &l.attn_v, &l.attn_output, &l.ffn_gate,
                    &l.ffn_up, &l.ffn_down, &l.inp_gate, &l.proj}) {
      consider(*m);
    }
  }
  return chosen;
}

template <typename Matrices>
size_t TotalBytes(const Matrices& matrices) {
  size_t total = 0;
  for (const WeightMatrix* m : matrices) total += m->rows * m->row_bytes;
  return total;
}

}  // namespace

size_t RepackForDecodeBytes(const ModelWeights& w) { return TotalBytes(Chosen(w)); }

Result<gguf::AnonymousPages> RepackForDecode(ModelWeights* w) {
  const std::vector<WeightMatrix*> chosen = Chosen(*w);
  if (chosen.empty()) return gguf::AnonymousPages();
  const size_t total = TotalBytes(chosen);
  VIGIL_ASSIGN_OR_RETURN(gguf::AnonymousPages pages,
                         gguf::AnonymousPages::Allocate(total));
  kernels::ThreadPool pool(
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  uint8_t* dst = pages.data();
  for (WeightMatrix* m : chosen) {
    const WeightMatrix source = *m;
    pool.ParallelFor(source.rows / 4, 64, [&](size_t b, size_t e, int) {
      kernels::RepackQuads(source, 4 * b, 4 * e, dst);
    });
    *m = kernels::AsQuads(source, dst);
    gguf::ReleasePages(source.data, source.rows * source.row_bytes);
    dst += source.rows * source.row_bytes;
  }
  return pages;
}

}  // namespace vigil::text
