// SPDX-License-Identifier: Apache-2.0
// `vigil describe --audio`: load the clip (WAV reader, or libav for other
// containers), resample to 16 kHz mono, encode it (30 s chunks), place the
// soft tokens in the prompt (optionally after an image; the assembly is
// inference/audio/media_prompt.h, shared with the engine) and stream the
// answer; --embeddings-out/--logits-out/--ids-out dumps for golden checks.
#include "app/commands/describe_audio.h"

#include <algorithm>
#include <cstdio>

#include "app/commands/engine_cli.h"
#include "capture/audio/libav_audio.h"
#include "capture/audio/resample.h"
#include "capture/audio/wav.h"
#include "inference/audio/media_prompt.h"
#include "inference/audio/model.h"
#include "inference/text/generate.h"
#include "inference/tokenizer/tokenizer.h"
#include "inference/vision/encoder.h"

namespace vigil::app {
namespace {

// 16 kHz mono samples of the clip: our WAV reader for .wav, libav otherwise.
Result<std::vector<float>> LoadClip(const std::string& path) {
  const bool wav = path.size() >= 4 &&
      (path.substr(path.size() - 4) == ".wav" || path.substr(path.size() - 4) == ".WAV");
  if (wav) {
    VIGIL_ASSIGN_OR_RETURN(capture::audio::PcmAudio pcm, capture::audio::ReadWavFile(path));
    return capture::audio::ToMonoAt(pcm, audio::kSampleRate);
  }
  auto pcm = capture::audio::DecodeAudioTrack(
      path, {.sample_rate = audio::kSampleRate, .max_seconds = 3600, .timeout_s = 60});
  if (!pcm.ok()) return pcm.status();
  return std::move(pcm).value().samples;
}

// The prompt split at its media: the chat template (image, audio, text) or
// raw ids that carry their own markers; exactly one clip, one image with
// --image.
Result<mm::MediaPrompt> BuildPrompt(const DescribeFlags& f, const tokenizer::Tokenizer& tok) {
  mm::MediaPrompt p;
  if (f.prompt_ids.empty()) {
    VIGIL_ASSIGN_OR_RETURN(p, mm::RenderMediaPrompt(tok, {.system = "", .n_images = f.image.empty() ? 0u : 1u,
                                                          .audio = true, .user = UserPrompt(f)}));
  } else {
    VIGIL_ASSIGN_OR_RETURN(std::vector<int32_t> ids, ParseIds(f.prompt_ids));
    VIGIL_ASSIGN_OR_RETURN(mm::MediaMarkers markers, mm::FindMediaMarkers(tok, /*audio=*/true));
    if (f.image.empty()) markers.image_placeholder = -1;  // an image id is text here
    p = mm::SplitAtMedia(ids, markers, /*add_markers=*/false);
    if (p.Count(mm::MediaKind::kAudio) != 1 ||
        p.Count(mm::MediaKind::kImage) != (f.image.empty() ? 0u : 1u)) {
      return InvalidArgument("the prompt must hold the audio placeholder id " +
                             std::to_string(markers.audio_placeholder) + " once (and the image "
                             "placeholder id " + std::to_string(markers.image_placeholder) +
                             " once with --image)");
    }
  }
  if (p.text.back().empty()) return InvalidArgument("the prompt must continue after the media");
  return p;
}

}  // namespace

Status DescribeAudio(const DescribeFlags& f) {
  const kernels::MatMulPrecision prec = f.precision;
  VIGIL_ASSIGN_OR_RETURN(auto model, text::Model::Load(f.model));
  VIGIL_ASSIGN_OR_RETURN(auto audio_model, audio::AudioModel::Load(f.mmproj));
  VIGIL_RETURN_IF_ERROR(audio_model->CheckTextModel(model->config().n_embd));
  VIGIL_ASSIGN_OR_RETURN(tokenizer::Tokenizer tok, tokenizer::Tokenizer::FromGguf(model->file()));
  VIGIL_ASSIGN_OR_RETURN(mm::MediaPrompt prompt, BuildPrompt(f, tok));
  kernels::ThreadPool pool(ThreadsOrAllCores(f.threads));
  auto clip = LoadClip(f.audio);
  if (!clip.ok()) return clip.status().WithContext(f.audio);
  const double secs = double(clip.value().size()) / audio::kSampleRate;
  if (clip.value().size() > audio::kChunkSamples) {
    std::fprintf(stderr, "note: clip is %.1f s; the model saw at most 30 s, encoding %zu chunks of 30 s\n",
                 secs, audio::SplitIntoChunks(clip.value()).size());
  }
  VIGIL_ASSIGN_OR_RETURN(audio::AudioTokens sound,
                         audio::EncodeClip(*audio_model, clip.value(), pool, {.precision = prec, .on_tensor = {}}));
  std::fprintf(stderr, "audio: %.2f s -> %zu tokens\n", secs, sound.n_tokens);
  if (!f.embeddings_out.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteDump(f.embeddings_out, sound.data.data(), sound.data.size() * sizeof(float)));
  }
  mm::SoftTokens image;
  std::unique_ptr<mm::VisionModel> vision;
  if (!f.image.empty()) {
    VIGIL_ASSIGN_OR_RETURN(vision, mm::VisionModel::Load(f.mmproj));
    VIGIL_ASSIGN_OR_RETURN(image, EncodeImageFlag(f, *vision, pool));
  }
  const size_t n_prompt = sound.n_tokens + image.n_tokens + prompt.TextTokens();
  const size_t n_ctx = std::min<size_t>(model->config().n_ctx_train, n_prompt + size_t(f.max_tokens) + 1);
  VIGIL_ASSIGN_OR_RETURN(auto session, text::Session::Create(*model, pool,
      {.n_ctx = n_ctx, .max_ubatch = std::max<size_t>(512, image.n_tokens), .precision = prec, .on_tensor = {}}));
  VIGIL_RETURN_IF_ERROR(mm::PrefillMedia(*session, prompt,
                                         {.images = {&image, f.image.empty() ? 0u : 1u},
                                          .audio = &sound, .audio_ubatch = 512}));
  VIGIL_ASSIGN_OR_RETURN(text::GenerateStats st,
                         StreamAnswer(*session, tok, prompt.text.back(), f.max_tokens,
                                      f.sampling, f.dumps));
  std::fprintf(stderr, "\nprefill: %.3f s, generate: %zu tokens in %.3f s\n", st.prompt_seconds,
               st.n_generated, st.generate_seconds);
  return OkStatus();
}

}  // namespace vigil::app
