// SPDX-License-Identifier: Apache-2.0
#include "inference/text/kv_cache.h"

#include <algorithm>
#include <string>

namespace vigil::text {
namespace {

size_t LayerCapacity(const ModelConfig& config, const LayerConfig& layer,
                     size_t n_ctx, size_t max_ubatch) {
  if (!layer.owns_kv) return 0;
  if (layer.type == AttentionType::kGlobal) return n_ctx;
  return std::min(n_ctx, config.sliding_window - 1 + max_ubatch);
}

}  // namespace

size_t KvCacheBytes(const ModelConfig& config, size_t n_ctx,
                    size_t max_ubatch) {
  size_t total = 0;
  for (const LayerConfig& layer : config.layers) {
    total += 2 * LayerCapacity(config, layer, n_ctx, max_ubatch) *
             layer.kv_width() * sizeof(float);
  }
  return total;
}

Result<KvCache> KvCache::Create(const ModelConfig& config, size_t n_ctx,
                                size_t max_ubatch) {
  if (n_ctx == 0 || max_ubatch == 0) {
    return InvalidArgument("KV cache needs a context and micro-batch >= 1");
  }
  if (n_ctx > config.n_ctx_train) {
    return InvalidArgument("context of " + std::to_string(n_ctx) +
                           " tokens exceeds the model's context_length " +
                           std::to_string(config.n_ctx_train));
  }
  KvCache cache;
  cache.n_ctx_ = n_ctx;
  cache.layers_.resize(config.layers.size());
  for (size_t il = 0; il < config.layers.size(); ++il) {
    const LayerConfig& lc = config.layers[il];
    Layer& layer = cache.layers_[il];
    layer.capacity = LayerCapacity(config, lc, n_ctx, max_ubatch);
    layer.row = lc.kv_width();
    layer.k.assign(layer.capacity * layer.row, 0.0f);
    layer.v.assign(layer.capacity * layer.row, 0.0f);
  }
  return cache;
}

size_t KvCache::bytes() const {
  size_t total = 0;
  for (const Layer& layer : layers_) {
    total += (layer.k.size() + layer.v.size()) * sizeof(float);
  }
  return total;
}

}  // namespace vigil::text
