// SPDX-License-Identifier: Apache-2.0
// The Gemma 4 audio encoder (spec/gemma4-vision-audio.md §7): log-mel frames
// in, soft tokens in the text model's embedding space out. Every linear runs
// as one batched matmul over all time steps on the shared kernels; the local
// attention touches 12 keys per query, so cost and memory are linear in time.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/audio/mel.h"
#include "inference/audio/model.h"
#include "inference/kernels/matmul.h"
#include "inference/kernels/thread_pool.h"

namespace vigil::audio {

// Receives named intermediates (`inp_proj`, `ffn1_out`, `attn_out`,
// `conv_out`, `layer_out`, `out_proj`; `layer` = -1 for tower-wide ones):
// `n_rows` rows of `row_len` floats, one row per time step. Debug/test only.
using AudioTensorCallback =
    std::function<void(std::string_view name, int layer, const float* data,
                       size_t n_rows, size_t row_len)>;

struct AudioEncodeOptions {
  // How activations meet F16/BF16/Q8_0 weights; F32 weights are exact either
  // way.
  kernels::MatMulPrecision precision =
      kernels::MatMulPrecision::kQuantizedActivations;
  AudioTensorCallback on_tensor;  // optional
};

// `n_tokens` soft tokens of `n_embd` floats, in time order.
struct AudioTokens {
  size_t n_tokens = 0;
  size_t n_embd = 0;
  std::vector<float> data;
};

// Encodes the features of one chunk (at most 30 s). A chunk with 0 frames
// gives 0 tokens. InvalidArgument when `mel.n_mel` differs from the model's
// or the data size is wrong. Allocates scratch linear in the frame count.
Result<AudioTokens> EncodeMel(const AudioModel& model, const MelFeatures& mel,
                              kernels::ThreadPool& pool,
                              const AudioEncodeOptions& options = {});

// Encodes a whole clip of 16 kHz mono samples: split into 30 s chunks, each
// with its own mel pass and encoder pass, tokens concatenated (llama.cpp
// behaviour, spec §6.3). Exactly CountClipTokens(samples.size()) tokens.
Result<AudioTokens> EncodeClip(const AudioModel& model,
                               std::span<const float> samples,
                               kernels::ThreadPool& pool,
                               const AudioEncodeOptions& options = {});

// Scratch bytes `EncodeMel` needs for `n_frames` frames (for budgeting).
size_t EncodeScratchBytes(const AudioConfig& config, size_t n_frames);

}  // namespace vigil::audio
