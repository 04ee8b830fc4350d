// SPDX-License-Identifier: Apache-2.0
// The Gemma 4 text decoder forward pass over one sequence (spec §3): token
// ids or soft-token embeddings in, logits out. Prefill runs micro-batches as
// matrix-matrix products; decode is the same path with one token.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/kv_cache.h"
#include "inference/text/model.h"

namespace vigil::text {

// Which positions of a batch produce logits.
enum class LogitsMode { kNone, kLast, kAll };

// Receives named intermediates as llama.cpp's graph callback names them
// (`attn_norm`, `Qcur_pos`, `l_out`, ...; `layer` = -1 for model-wide ones):
// `n_rows` rows of `row_len` floats, one row per token. Debug/test only.
using TensorCallback =
    std::function<void(std::string_view name, int layer, const float* data,
                       size_t n_rows, size_t row_len)>;

struct SessionOptions {
  size_t n_ctx = 4096;       // positions; 0 = the model's context_length
  size_t max_ubatch = 128;   // tokens per micro-batch
  kernels::MatMulPrecision precision =
      kernels::MatMulPrecision::kQuantizedActivations;
  TensorCallback on_tensor;  // optional
};

// One call's input: token ids, or (ids empty) `n_embd`-wide soft-token
// embeddings that are used as is (not scaled) with PLE identity row 0 (§3.6).
struct Batch {
  std::span<const int32_t> ids;
  std::span<const float> embeddings;  // n_tokens * n_embd floats
  LogitsMode logits = LogitsMode::kLast;
  // The tokens of this batch see each other both ways (llama.cpp decodes an
  // image's soft tokens non-causally, spec/gemma4-vision-audio.md §5.3);
  // sliding layers still mask keys W or more positions back. The batch must
  // fit in one micro-batch.
  bool bidirectional = false;
};

// Decoder state of one sequence (KV cache, position, scratch). All buffers
// are sized at creation; `Forward` does not allocate. Thread-compatible; the
// heavy loops run on the given pool.
class Session {
 public:
  // InvalidArgument if the options do not fit the model.
  static Result<std::unique_ptr<Session>> Create(const Model& model,
                                                 kernels::ThreadPool& pool,
                                                 const SessionOptions& options);
  ~Session();

  // Runs the batch at positions [position(), position() + n). Writes one row
  // of n_vocab logits per requested position into `logits`, which must hold
  // exactly that many floats (0, 1 or n rows). OutOfRange when the context
  // would overflow, InvalidArgument on bad ids or sizes; state is unchanged
  // on error.
  Status Forward(const Batch& batch, std::span<float> logits);

  size_t position() const { return position_; }
  size_t n_ctx() const { return kv_.n_ctx(); }
  size_t n_vocab() const { return model_.config().n_vocab; }
  const Model& model() const { return model_; }
  size_t kv_bytes() const { return kv_.bytes(); }
  // Forgets the sequence (position 0); keeps allocations.
  void Reset() { position_ = 0; }

 private:
  struct Scratch;
  Session(const Model& model, kernels::ThreadPool& pool,
          const SessionOptions& options, KvCache kv);
  Status CheckBatch(const Batch& batch, size_t n) const;
  void RunUbatch(const Batch& batch, size_t begin, size_t n, bool want_last,
                 bool want_all, float* logits);

  const Model& model_;
  kernels::ThreadPool& pool_;
  SessionOptions options_;
  KvCache kv_;
  std::unique_ptr<Scratch> scratch_;
  size_t position_ = 0;
};

}  // namespace vigil::text
