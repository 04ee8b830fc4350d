// SPDX-License-Identifier: Apache-2.0
#include "inference/text/decode_layout.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "inference/kernels/thread_pool.h"
#include "inference/kernels/weight_layout.h"

namespace vigil::text {

Result<gguf::AnonymousPages> RepackForDecode(ModelWeights* w) {
  std::vector<WeightMatrix*> chosen;
  const auto consider = [&](WeightMatrix& m) {
    if (m.data != nullptr && kernels::DecodesFasterAsQuads(m)) chosen.push_back(&m);
  };
  consider(w->token_embd);
  consider(w->per_layer_model_proj);
  for (LayerWeights& l : w->layers) {
    for (WeightMatrix* m : {&l.attn_q, &l.attn_k, &l.attn_v, &l.attn_output,
                            &l.ffn_gate, &l.ffn_up, &l.ffn_down, &l.inp_gate,
                            &l.proj}) {
      consider(*m);
    }
  }
  if (chosen.empty()) return gguf::AnonymousPages();
  size_t total = 0;
  for (const WeightMatrix* m : chosen) total += m->rows * m->row_bytes;
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
