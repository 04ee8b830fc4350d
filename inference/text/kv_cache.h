// SPDX-License-Identifier: Apache-2.0
// Float32 key/value cache of one sequence. Global layers keep every position;
// sliding layers keep a ring of `W - 1 + max_ubatch` slots, enough for the
// oldest query of a micro-batch to still see its whole window (spec §3.4).
// KV-shared layers own no storage; they read their source layer's cache.
#pragma once

#include <cstddef>
#include <vector>

#include "common/status.h"
#include "inference/text/config.h"

namespace vigil::text {

// Thread-compatible; distinct slots may be written from different threads.
class KvCache {
 public:
  // Allocates storage for `n_ctx` positions. InvalidArgument if `n_ctx` or
  // `max_ubatch` is 0 or `n_ctx` exceeds the model's training context.
  static Result<KvCache> Create(const ModelConfig& config, size_t n_ctx,
                                size_t max_ubatch);

  size_t n_ctx() const { return n_ctx_; }
  // Slots in the ring of layer `il` (a KV-owning layer).
  size_t capacity(int il) const { return layers_[il].capacity; }
  // Row of `n_head_kv * head_dim` floats holding K (or V) of position `pos`
  // in the cache of KV-owning layer `il`.
  float* K(int il, size_t pos) { return Row(layers_[il].k, il, pos); }
  float* V(int il, size_t pos) { return Row(layers_[il].v, il, pos); }
  const float* K(int il, size_t pos) const {
    return Row(layers_[il].k, il, pos);
  }
  const float* V(int il, size_t pos) const {
    return Row(layers_[il].v, il, pos);
  }
  // Total bytes allocated.
  size_t bytes() const;

 private:
  struct Layer {
    size_t capacity = 0;  // slots; 0 for layers without their own cache
    size_t row = 0;       // floats per slot
    std::vector<float> k, v;
  };
  float* Row(std::vector<float>& buf, int il, size_t pos) {
    return buf.data() + (pos % layers_[il].capacity) * layers_[il].row;
  }
  const float* Row(const std::vector<float>& buf, int il, size_t pos) const {
    return buf.data() + (pos % layers_[il].capacity) * layers_[il].row;
  }

  size_t n_ctx_ = 0;
  std::vector<Layer> layers_;
};

}  // namespace vigil::text
