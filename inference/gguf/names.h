// SPDX-License-Identifier: Apache-2.0
// Every GGUF metadata key and tensor name the engine uses, in one table
// (STYLE.md §5.2; spec/gemma4-text.md §1.4-1.7, gemma4-vision-audio.md §2).
// Never write these strings as literals elsewhere.
#pragma once

#include <string>
#include <string_view>

namespace vigil::gguf {

// ---------------------------------------------------------------- keys ----
namespace key {

// general.* (spec/gemma4-text.md §1.4)
inline constexpr char kArchitecture[] = "general.architecture";
inline constexpr char kType[] = "general.type";
inline constexpr char kName[] = "general.name";
inline constexpr char kBasename[] = "general.basename";
inline constexpr char kFinetune[] = "general.finetune";
inline constexpr char kSizeLabel[] = "general.size_label";
inline constexpr char kLicense[] = "general.license";
inline constexpr char kFileType[] = "general.file_type";
inline constexpr char kQuantizationVersion[] = "general.quantization_version";
inline constexpr char kAlignment[] = "general.alignment";
inline constexpr char kSamplingTopK[] = "general.sampling.top_k";
inline constexpr char kSamplingTopP[] = "general.sampling.top_p";
inline constexpr char kSamplingTemp[] = "general.sampling.temp";

// Split files (recognised only to refuse them clearly).
inline constexpr char kSplitNo[] = "split.no";
inline constexpr char kSplitCount[] = "split.count";
inline constexpr char kSplitTensorsCount[] = "split.tensors.count";

// Values of general.architecture / general.type.
inline constexpr char kArchGemma4[] = "gemma4";
inline constexpr char kArchClip[] = "clip";
inline constexpr char kTypeModel[] = "model";
inline constexpr char kTypeMmproj[] = "mmproj";

// gemma4.* (spec/gemma4-text.md §1.5). "u32 or i32[L]" keys are read with
// GgufFile::GetPerLayerU32.
inline constexpr char kContextLength[] = "gemma4.context_length";
inline constexpr char kEmbeddingLength[] = "gemma4.embedding_length";
inline constexpr char kBlockCount[] = "gemma4.block_count";
inline constexpr char kFeedForwardLength[] = "gemma4.feed_forward_length";
inline constexpr char kHeadCount[] = "gemma4.attention.head_count";
inline constexpr char kHeadCountKv[] = "gemma4.attention.head_count_kv";
inline constexpr char kKeyLength[] = "gemma4.attention.key_length";
inline constexpr char kValueLength[] = "gemma4.attention.value_length";
inline constexpr char kKeyLengthSwa[] = "gemma4.attention.key_length_swa";
inline constexpr char kValueLengthSwa[] = "gemma4.attention.value_length_swa";
inline constexpr char kRmsEps[] = "gemma4.attention.layer_norm_rms_epsilon";
inline constexpr char kSlidingWindow[] = "gemma4.attention.sliding_window";
inline constexpr char kSlidingWindowPattern[] =
    "gemma4.attention.sliding_window_pattern";
inline constexpr char kSharedKvLayers[] = "gemma4.attention.shared_kv_layers";
inline constexpr char kEmbeddingLengthPerLayer[] =
    "gemma4.embedding_length_per_layer_input";
inline constexpr char kRopeFreqBase[] = "gemma4.rope.freq_base";
inline constexpr char kRopeFreqBaseSwa[] = "gemma4.rope.freq_base_swa";
inline constexpr char kRopeDimensionCount[] = "gemma4.rope.dimension_count";
inline constexpr char kRopeDimensionCountSwa[] =
    "gemma4.rope.dimension_count_swa";
inline constexpr char kFinalLogitSoftcapping[] =
    "gemma4.final_logit_softcapping";
inline constexpr char kExpertCount[] = "gemma4.expert_count";
inline constexpr char kExpertUsedCount[] = "gemma4.expert_used_count";

// tokenizer.* (spec/gemma4-text.md §1.6)
inline constexpr char kTokenizerModel[] = "tokenizer.ggml.model";
inline constexpr char kTokenizerPre[] = "tokenizer.ggml.pre";
inline constexpr char kTokenizerTokens[] = "tokenizer.ggml.tokens";
inline constexpr char kTokenizerScores[] = "tokenizer.ggml.scores";
inline constexpr char kTokenizerTokenType[] = "tokenizer.ggml.token_type";
inline constexpr char kTokenizerMerges[] = "tokenizer.ggml.merges";
inline constexpr char kTokenizerBosId[] = "tokenizer.ggml.bos_token_id";
inline constexpr char kTokenizerEosId[] = "tokenizer.ggml.eos_token_id";
inline constexpr char kTokenizerUnknownId[] = "tokenizer.ggml.unknown_token_id";
inline constexpr char kTokenizerPaddingId[] = "tokenizer.ggml.padding_token_id";
inline constexpr char kTokenizerAddBos[] = "tokenizer.ggml.add_bos_token";
inline constexpr char kTokenizerAddEos[] = "tokenizer.ggml.add_eos_token";
inline constexpr char kTokenizerAddSpacePrefix[] =
    "tokenizer.ggml.add_space_prefix";
inline constexpr char kChatTemplate[] = "tokenizer.chat_template";
inline constexpr char kTokenizerModelGemma4[] = "gemma4";

// clip.* (spec/gemma4-vision-audio.md §2.2)
inline constexpr char kClipHasVision[] = "clip.has_vision_encoder";
inline constexpr char kClipHasAudio[] = "clip.has_audio_encoder";
inline constexpr char kClipProjectorType[] = "clip.projector_type";
inline constexpr char kClipUseGelu[] = "clip.use_gelu";
inline constexpr char kClipUseSilu[] = "clip.use_silu";
inline constexpr char kVisionProjectorType[] = "clip.vision.projector_type";
inline constexpr char kVisionImageSize[] = "clip.vision.image_size";
inline constexpr char kVisionPatchSize[] = "clip.vision.patch_size";
inline constexpr char kVisionEmbeddingLength[] =
    "clip.vision.embedding_length";
inline constexpr char kVisionFeedForwardLength[] =
    "clip.vision.feed_forward_length";
inline constexpr char kVisionBlockCount[] = "clip.vision.block_count";
inline constexpr char kVisionHeadCount[] = "clip.vision.attention.head_count";
inline constexpr char kVisionHeadCountKv[] =
    "clip.vision.attention.head_count_kv";
inline constexpr char kVisionHeadDim[] = "clip.vision.attention.head_dim";
inline constexpr char kVisionLayerNormEps[] =
    "clip.vision.attention.layer_norm_epsilon";
inline constexpr char kVisionProjectionDim[] = "clip.vision.projection_dim";
inline constexpr char kVisionImageMean[] = "clip.vision.image_mean";
inline constexpr char kVisionImageStd[] = "clip.vision.image_std";
inline constexpr char kVisionScaleFactor[] =
    "clip.vision.projector.scale_factor";
inline constexpr char kAudioProjectorType[] = "clip.audio.projector_type";
inline constexpr char kAudioNumMelBins[] = "clip.audio.num_mel_bins";
inline constexpr char kAudioEmbeddingLength[] = "clip.audio.embedding_length";
inline constexpr char kAudioFeedForwardLength[] =
    "clip.audio.feed_forward_length";
inline constexpr char kAudioBlockCount[] = "clip.audio.block_count";
inline constexpr char kAudioHeadCount[] = "clip.audio.attention.head_count";
inline constexpr char kAudioLayerNormEps[] =
    "clip.audio.attention.layer_norm_epsilon";
inline constexpr char kAudioProjectionDim[] = "clip.audio.projection_dim";
inline constexpr char kProjectorGemma4v[] = "gemma4v";
inline constexpr char kProjectorGemma4a[] = "gemma4a";

}  // namespace key

// ------------------------------------------------------------- tensors ----
namespace tensor {

// Text model, global tensors (spec/gemma4-text.md §1.7).
inline constexpr char kTokenEmbd[] = "token_embd.weight";
inline constexpr char kOutput[] = "output.weight";  // absent: tied
inline constexpr char kPerLayerTokenEmbd[] = "per_layer_token_embd.weight";
inline constexpr char kPerLayerModelProj[] = "per_layer_model_proj.weight";
inline constexpr char kPerLayerProjNorm[] = "per_layer_proj_norm.weight";
inline constexpr char kOutputNorm[] = "output_norm.weight";
inline constexpr char kRopeFreqs[] = "rope_freqs.weight";

// Text model, per-block suffixes: use BlockTensor(il, kAttnQ).
inline constexpr char kAttnNorm[] = "attn_norm.weight";
inline constexpr char kAttnQ[] = "attn_q.weight";
inline constexpr char kAttnK[] = "attn_k.weight";
inline constexpr char kAttnV[] = "attn_v.weight";
inline constexpr char kAttnOutput[] = "attn_output.weight";
inline constexpr char kAttnQNorm[] = "attn_q_norm.weight";
inline constexpr char kAttnKNorm[] = "attn_k_norm.weight";
inline constexpr char kPostAttentionNorm[] = "post_attention_norm.weight";
inline constexpr char kFfnNorm[] = "ffn_norm.weight";
inline constexpr char kFfnGate[] = "ffn_gate.weight";
inline constexpr char kFfnUp[] = "ffn_up.weight";
inline constexpr char kFfnDown[] = "ffn_down.weight";
inline constexpr char kPostFfwNorm[] = "post_ffw_norm.weight";
inline constexpr char kInpGate[] = "inp_gate.weight";
inline constexpr char kProj[] = "proj.weight";
inline constexpr char kPostNorm[] = "post_norm.weight";
inline constexpr char kLayerOutputScale[] = "layer_output_scale.weight";

// Vision tower (prefix v.) and projector (mm.), gemma4-vision-audio.md §2.3.
inline constexpr char kVPatchEmbd[] = "v.patch_embd.weight";
inline constexpr char kVPositionEmbd[] = "v.position_embd.weight";
inline constexpr char kVStdBias[] = "v.std_bias";
inline constexpr char kVStdScale[] = "v.std_scale";
inline constexpr char kMmInputProjection[] = "mm.input_projection.weight";
// Vision per-block suffixes: use VisionBlockTensor(il, kVLn1).
inline constexpr char kVLn1[] = "ln1.weight";
inline constexpr char kVLn2[] = "ln2.weight";
inline constexpr char kVAttnQ[] = "attn_q.weight";
inline constexpr char kVAttnK[] = "attn_k.weight";
inline constexpr char kVAttnV[] = "attn_v.weight";
inline constexpr char kVAttnOut[] = "attn_out.weight";
inline constexpr char kVAttnQNorm[] = "attn_q_norm.weight";
inline constexpr char kVAttnKNorm[] = "attn_k_norm.weight";
inline constexpr char kVAttnPostNorm[] = "attn_post_norm.weight";
inline constexpr char kVFfnGate[] = "ffn_gate.weight";
inline constexpr char kVFfnUp[] = "ffn_up.weight";
inline constexpr char kVFfnDown[] = "ffn_down.weight";
inline constexpr char kVFfnPostNorm[] = "ffn_post_norm.weight";
inline constexpr char kVOutScale[] = "out_scale.weight";

// Audio tower (prefix a.) and projector (mm.a.), gemma4-vision-audio.md §2.4.
inline constexpr char kAConv1d0[] = "a.conv1d.0.weight";
inline constexpr char kAConv1d0Norm[] = "a.conv1d.0.norm.weight";
inline constexpr char kAConv1d1[] = "a.conv1d.1.weight";
inline constexpr char kAConv1d1Norm[] = "a.conv1d.1.norm.weight";
inline constexpr char kAInputProjection[] = "a.input_projection.weight";
inline constexpr char kAPreEncodeOut[] = "a.pre_encode.out.weight";
inline constexpr char kAPreEncodeOutBias[] = "a.pre_encode.out.bias";
inline constexpr char kMmAInputProjection[] = "mm.a.input_projection.weight";
inline constexpr char kMmASoftEmbNorm[] = "mm.a.soft_emb_norm.weight";
// Audio per-block suffixes: use AudioBlockTensor(il, kAFfnNorm).
inline constexpr char kAFfnNorm[] = "ffn_norm.weight";
inline constexpr char kAFfnUp[] = "ffn_up.weight";
inline constexpr char kAFfnDown[] = "ffn_down.weight";
inline constexpr char kAFfnPostNorm[] = "ffn_post_norm.weight";
inline constexpr char kAAttnPreNorm[] = "attn_pre_norm.weight";
inline constexpr char kAAttnQ[] = "attn_q.weight";
inline constexpr char kAAttnK[] = "attn_k.weight";
inline constexpr char kAAttnV[] = "attn_v.weight";
inline constexpr char kAAttnKRel[] = "attn_k_rel.weight";
inline constexpr char kAPerDimScale[] = "per_dim_scale.weight";
inline constexpr char kAPerDimKScale[] = "per_dim_k_scale.weight";
inline constexpr char kAAttnOut[] = "attn_out.weight";
inline constexpr char kAAttnPostNorm[] = "attn_post_norm.weight";
// Name swap (spec §2.4): conv_norm is *before* the conv, norm_conv after.
inline constexpr char kAConvNorm[] = "conv_norm.weight";
inline constexpr char kAConvPw1[] = "conv_pw1.weight";
inline constexpr char kAConvDw[] = "conv_dw.weight";
inline constexpr char kANormConv[] = "norm_conv.weight";
inline constexpr char kAConvPw2[] = "conv_pw2.weight";
inline constexpr char kAFfnNorm1[] = "ffn_norm_1.weight";
inline constexpr char kAFfnUp1[] = "ffn_up_1.weight";
inline constexpr char kAFfnDown1[] = "ffn_down_1.weight";
inline constexpr char kAFfnPostNorm1[] = "ffn_post_norm_1.weight";
inline constexpr char kALn2[] = "ln2.weight";

// Clamp scalars of a clamped linear `X.weight` (spec §2.6): the sibling
// tensors are `X.input_min` etc. Use ClampTensor(weight_name, kInputMin).
inline constexpr char kInputMin[] = "input_min";
inline constexpr char kInputMax[] = "input_max";
inline constexpr char kOutputMin[] = "output_min";
inline constexpr char kOutputMax[] = "output_max";

}  // namespace tensor

// Returns "blk.<il>.<suffix>" (text decoder block tensor).
inline std::string BlockTensor(int il, std::string_view suffix) {
  return "blk." + std::to_string(il) + "." + std::string(suffix);
}
// Returns "v.blk.<il>.<suffix>" (vision tower block tensor).
inline std::string VisionBlockTensor(int il, std::string_view suffix) {
  return "v.blk." + std::to_string(il) + "." + std::string(suffix);
}
// Returns "a.blk.<il>.<suffix>" (audio tower block tensor).
inline std::string AudioBlockTensor(int il, std::string_view suffix) {
  return "a.blk." + std::to_string(il) + "." + std::string(suffix);
}
// Returns the clamp scalar name for a linear: ("v.blk.0.attn_q.weight",
// "input_max") -> "v.blk.0.attn_q.input_max". A name without ".weight" gets
// the suffix appended after a dot.
inline std::string ClampTensor(std::string_view weight_name,
                               std::string_view which) {
  constexpr std::string_view kWeight = ".weight";
  if (weight_name.size() >= kWeight.size() &&
      weight_name.substr(weight_name.size() - kWeight.size()) == kWeight) {
    weight_name.remove_suffix(kWeight.size());
  }
  return std::string(weight_name) + "." + std::string(which);
}

}  // namespace vigil::gguf
