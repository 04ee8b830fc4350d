// SPDX-License-Identifier: Apache-2.0
// Session: splits a batch into micro-batches and runs the decoder layers of
// spec §3 over each, top to bottom.
#include "inference/text/gemma4.h"

#include <algorithm>
#include <string>

#include "inference/text/forward.h"

namespace vigil::text {

struct Session::Scratch : internal::Scratch {};

Result<std::unique_ptr<Session>> Session::Create(
    const Model& model, kernels::ThreadPool& pool,
    const SessionOptions& options) {
  const ModelConfig& c = model.config();
  SessionOptions opts = options;
  if (opts.n_ctx == 0) opts.n_ctx = c.n_ctx_train;
  if (opts.max_ubatch == 0) {
    return InvalidArgument("max_ubatch must be >= 1");
  }
  opts.max_ubatch = std::min(opts.max_ubatch, opts.n_ctx);
  VIGIL_ASSIGN_OR_RETURN(KvCache kv,
                         KvCache::Create(c, opts.n_ctx, opts.max_ubatch));
  std::unique_ptr<Session> session(
      new Session(model, pool, opts, std::move(kv)));
  size_t max_keys = 0;
  for (size_t il = 0; il < c.layers.size(); ++il) {
    if (c.layers[il].owns_kv) {
      max_keys = std::max(max_keys, session->kv_.capacity(static_cast<int>(il)));
    }
  }
  session->scratch_->Allocate(c, opts.max_ubatch, pool.size(), max_keys,
                              static_cast<bool>(opts.on_tensor));
  return session;
}

Session::Session(const Model& model, kernels::ThreadPool& pool,
                 const SessionOptions& options, KvCache kv)
    : model_(model),
      pool_(pool),
      options_(options),
      kv_(std::move(kv)),
      scratch_(std::make_unique<Scratch>()) {}

Session::~Session() = default;

Status Session::CheckBatch(const Batch& batch, size_t n) const {
  const ModelConfig& c = model_.config();
  if (!batch.ids.empty() && !batch.embeddings.empty()) {
    return InvalidArgument("batch has both token ids and embeddings");
  }
  if (batch.ids.empty() && batch.embeddings.size() % c.n_embd != 0) {
    return InvalidArgument("embeddings: " +
                           std::to_string(batch.embeddings.size()) +
                           " floats is not a multiple of n_embd " +
                           std::to_string(c.n_embd));
  }
  if (position_ + n > kv_.n_ctx()) {
    return OutOfRange("context full: " + std::to_string(position_) +
                      " positions used + " + std::to_string(n) +
                      " new tokens > context of " +
                      std::to_string(kv_.n_ctx()));
  }
  for (size_t i = 0; i < batch.ids.size(); ++i) {
    if (batch.ids[i] < 0 || static_cast<uint32_t>(batch.ids[i]) >= c.n_vocab) {
      return InvalidArgument("token id " + std::to_string(batch.ids[i]) +
                             " at index " + std::to_string(i) +
                             " outside vocabulary of " +
                             std::to_string(c.n_vocab));
    }
  }
  return OkStatus();
}

Status Session::Forward(const Batch& batch, std::span<float> logits) {
  const ModelConfig& c = model_.config();
  const size_t n = batch.ids.empty() ? batch.embeddings.size() / c.n_embd
                                     : batch.ids.size();
  const size_t n_out = batch.logits == LogitsMode::kAll    ? n
                       : batch.logits == LogitsMode::kLast ? (n > 0 ? 1 : 0)
                                                           : 0;
  VIGIL_RETURN_IF_ERROR(CheckBatch(batch, n));
  if (logits.size() != n_out * c.n_vocab) {
    return InvalidArgument("logits buffer holds " +
                           std::to_string(logits.size()) + " floats, need " +
                           std::to_string(n_out * c.n_vocab));
  }
  const size_t ub = scratch_->rows;
  if (batch.bidirectional && n > ub) {
    return InvalidArgument("bidirectional batch of " + std::to_string(n) +
                           " tokens exceeds the micro-batch of " +
                           std::to_string(ub));
  }
  for (size_t begin = 0; begin < n; begin += ub) {
    const size_t count = std::min(ub, n - begin);
    const bool last_ubatch = begin + count == n;
    const bool want_all = batch.logits == LogitsMode::kAll;
    const bool want_last = batch.logits == LogitsMode::kLast && last_ubatch;
    float* out = want_all ? logits.data() + begin * c.n_vocab : logits.data();
    RunUbatch(batch, begin, count, want_last, want_all, out);
  }
  return OkStatus();
}

void Session::RunUbatch(const Batch& batch, size_t begin, size_t n,
                        bool want_last, bool want_all, float* logits) {
  const ModelConfig& c = model_.config();
  internal::Pass p{c,        model_.weights(),    pool_, options_.precision,
                   options_.on_tensor, kv_, *scratch_, n};
  p.bidirectional = batch.bidirectional;
  for (size_t t = 0; t < n; ++t) scratch_->pos[t] = position_ + t;
  internal::EmbedInputs(
      p, batch.ids.empty() ? nullptr : batch.ids.data() + begin,
      batch.ids.empty() ? batch.embeddings.data() + begin * c.n_embd
                        : nullptr);
  internal::RopeTables(p);
  for (uint32_t il = 0; il < c.n_layer; ++il) {
    // Prefill shortcut (§3.4): from the first KV-shared layer on nothing
    // writes state, so only rows whose logits are wanted go further.
    if (il == c.first_shared_layer() && !want_all) {
      if (!want_last) break;
      internal::KeepLastRow(p);
    }
    const int l = static_cast<int>(il);
    internal::AttentionBlock(p, l);
    internal::FeedForwardBlock(p, l);
    internal::PerLayerEmbeddingBlock(p, l);
  }
  position_ += n;
  if (!want_all && !want_last) return;
  if (!want_all) internal::KeepLastRow(p);
  internal::OutputLogits(p, logits);
}

}  // namespace vigil::text
