// SPDX-License-Identifier: Apache-2.0
#include "inference/engine.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "inference/audio/media_prompt.h"
#include "inference/audio/model.h"
#include "inference/gguf/names.h"
#include "inference/gguf/reader.h"
#include "inference/grammar/constrained_decode.h"
#include "inference/kernels/thread_pool.h"
#include "inference/text/gemma4.h"
#include "inference/text/generate.h"
#include "inference/tokenizer/tokenizer.h"
#include "inference/vision/encoder.h"

namespace vigil::inference {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The mmproj's audio tower, or null when it has none (or `wanted` is off).
Result<std::unique_ptr<audio::AudioModel>> LoadAudioTower(
    const std::string& mmproj, bool wanted, uint32_t text_n_embd) {
  if (!wanted) return std::unique_ptr<audio::AudioModel>();
  VIGIL_ASSIGN_OR_RETURN(gguf::GgufFile file, gguf::GgufFile::Open(mmproj));
  VIGIL_ASSIGN_OR_RETURN(bool has,
                         file.GetBoolOr(gguf::key::kClipHasAudio, false));
  if (!has) return std::unique_ptr<audio::AudioModel>();
  VIGIL_ASSIGN_OR_RETURN(
      std::unique_ptr<audio::AudioModel> tower,
      audio::AudioModel::FromFile(
          std::make_unique<gguf::GgufFile>(std::move(file))));
  VIGIL_RETURN_IF_ERROR(tower->CheckTextModel(text_n_embd));
  return tower;
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  std::string name;
  std::unique_ptr<text::Model> model;
  std::unique_ptr<mm::VisionModel> vision;
  std::unique_ptr<audio::AudioModel> audio;  // null: no audio tower
  std::unique_ptr<tokenizer::Tokenizer> tok;
  std::unique_ptr<grammar::TokenIndex> tokens;
  std::unique_ptr<kernels::ThreadPool> pool;
  std::unique_ptr<text::Session> session;
  std::vector<int32_t> stop_ids;
  std::mutex mu;

  Result<mm::SoftTokens> Encode(const vision::RgbImage& img, int32_t budget,
                                DescribeTimings* t);
  Result<audio::AudioTokens> EncodeAudio(std::span<const float> samples,
                                         DescribeTimings* t);
  Status Prefill(std::span<const vision::RgbImage> images,
                 std::span<const float> clip, const mm::MediaPrompt& prompt,
                 int32_t budget, DescribeTimings* t);
  Result<std::string> GenerateFree(std::span<const int32_t> after,
                                   const DescribeOptions& o,
                                   DescribeTimings* t);
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const std::string& Engine::model_name() const { return impl_->name; }
bool Engine::has_audio() const { return impl_->audio != nullptr; }

Result<std::unique_ptr<Engine>> Engine::Load(const EngineOptions& options) {
  if (options.text_model.empty() || options.mmproj.empty()) {
    return InvalidArgument("engine: both the text model and the mmproj "
                           "path are required");
  }
  if (options.threads < 0 || options.threads > 256) {
    return InvalidArgument("engine: threads must be in [0, 256], got " +
                           std::to_string(options.threads));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  VIGIL_ASSIGN_OR_RETURN(impl->model, text::Model::Load(options.text_model));
  VIGIL_ASSIGN_OR_RETURN(impl->vision, mm::VisionModel::Load(options.mmproj));
  VIGIL_RETURN_IF_ERROR(
      impl->vision->CheckTextModel(impl->model->config().n_embd)
          .WithContext(options.mmproj));
  VIGIL_ASSIGN_OR_RETURN(
      impl->audio, LoadAudioTower(options.mmproj, options.audio,
                                  impl->model->config().n_embd));
  VIGIL_ASSIGN_OR_RETURN(tokenizer::Tokenizer tok,
                         tokenizer::Tokenizer::FromGguf(impl->model->file()));
  impl->tok = std::make_unique<tokenizer::Tokenizer>(std::move(tok));
  const size_t n_vocab = impl->model->config().n_vocab;
  impl->tokens = std::make_unique<grammar::TokenIndex>(
      grammar::VocabPieces(*impl->tok, n_vocab));
  impl->stop_ids = impl->tok->EndOfGenerationIds();
  const int threads =
      options.threads > 0
          ? options.threads
          : int(std::max(1u, std::thread::hardware_concurrency()));
  impl->pool = std::make_unique<kernels::ThreadPool>(threads);
  const size_t n_ctx =
      std::min<size_t>(impl->model->config().n_ctx_train,
                       std::max<size_t>(options.n_ctx, 1024));
  VIGIL_ASSIGN_OR_RETURN(
      impl->session,
      text::Session::Create(*impl->model, *impl->pool,
                            {.n_ctx = n_ctx, .max_ubatch = 1120,
                             .precision = kernels::MatMulPrecision::
                                 kQuantizedActivations,
                             .on_tensor = {}}));
  auto name = impl->model->file().GetStringOr(gguf::key::kName, "");
  const std::string file =
      std::filesystem::path(options.text_model).filename().string();
  impl->name = name.ok() && !name->empty()
                   ? std::string(*name) + " (" + file + ")"
                   : file;
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Result<mm::SoftTokens> Engine::Impl::Encode(const vision::RgbImage& img,
                                            int32_t budget,
                                            DescribeTimings* t) {
  auto start = Clock::now();
  VIGIL_ASSIGN_OR_RETURN(
      vision::ImageSize box,
      vision::GemmaTargetSize({img.width, img.height},
                              vision::LimitsForBudget(budget)));
  const vision::RgbImage resized = vision::LetterboxResize(img, box);
  VIGIL_ASSIGN_OR_RETURN(vision::GemmaPatches p, vision::Patchify(resized));
  t->preprocess_s += Since(start);
  start = Clock::now();
  VIGIL_ASSIGN_OR_RETURN(
      mm::SoftTokens tokens,
      mm::EncodeImage(*vision,
                      {.grid_w = uint32_t(p.grid_w),
                       .grid_h = uint32_t(p.grid_h),
                       .data = p.data},
                      *pool));
  t->encode_s += Since(start);
  t->n_image_tokens += tokens.n_tokens;
  return tokens;
}

Result<audio::AudioTokens> Engine::Impl::EncodeAudio(
    std::span<const float> samples, DescribeTimings* t) {
  const auto start = Clock::now();
  VIGIL_ASSIGN_OR_RETURN(audio::AudioTokens tokens,
                         audio::EncodeClip(*audio, samples, *pool));
  t->audio_encode_s += Since(start);
  t->n_audio_tokens += tokens.n_tokens;
  return tokens;
}

// Encodes every medium, then feeds the prompt up to the text after them.
Status Engine::Impl::Prefill(std::span<const vision::RgbImage> images,
                             std::span<const float> clip,
                             const mm::MediaPrompt& prompt, int32_t budget,
                             DescribeTimings* t) {
  std::vector<mm::SoftTokens> soft;
  for (const vision::RgbImage& img : images) {
    VIGIL_ASSIGN_OR_RETURN(mm::SoftTokens tokens, Encode(img, budget, t));
    soft.push_back(std::move(tokens));
  }
  audio::AudioTokens sound;
  if (!clip.empty()) {
    VIGIL_ASSIGN_OR_RETURN(sound, EncodeAudio(clip, t));
  }
  const auto start = Clock::now();
  VIGIL_RETURN_IF_ERROR(mm::PrefillMedia(
      *session, prompt,
      {.images = soft, .audio = clip.empty() ? nullptr : &sound,
       .audio_ubatch = 512}));
  t->prefill_s += Since(start);
  t->n_prompt_tokens += prompt.TextTokens() - prompt.text.back().size() +
                        t->n_image_tokens + t->n_audio_tokens;
  return OkStatus();
}

Result<std::string> Engine::Impl::GenerateFree(std::span<const int32_t> after,
                                               const DescribeOptions& o,
                                               DescribeTimings* t) {
  std::string out;
  VIGIL_ASSIGN_OR_RETURN(
      text::GenerateStats st,
      text::Generate(*session, after,
                     {.max_tokens = o.max_tokens, .sampling = o.sampling,
                      .stop_ids = stop_ids, .prompt_logits = nullptr},
                     [&](int32_t id) {
                       tok->AppendPiece(id, {}, &out);
                       return true;
                     }));
  t->prefill_s += st.prompt_seconds;
  t->generate_s += st.generate_seconds;
  t->n_sampled = st.n_generated;
  return out;
}

Result<Description> Engine::Describe(std::span<const vision::RgbImage> images,
                                     const DescribePrompt& prompt,
                                     const grammar::Grammar* g,
                                     const DescribeOptions& options) {
  if (images.empty()) return InvalidArgument("describe: no image given");
  if (!vision::IsGemmaBudget(options.image_budget)) {
    return InvalidArgument("describe: image budget must be one of 70, 140, "
                           "280, 560, 1120; got " +
                           std::to_string(options.image_budget));
  }
  if (!prompt.audio.empty() && !has_audio()) {
    return Unsupported("describe: an audio clip was given but the mmproj '" +
                       impl_->options.mmproj +
                       "' has no audio tower (clip.has_audio_encoder); use "
                       "the Gemma 4 E2B/E4B mmproj or describe without "
                       "audio");
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  Impl& m = *impl_;
  VIGIL_ASSIGN_OR_RETURN(
      mm::MediaPrompt media,
      mm::RenderMediaPrompt(*m.tok, {.system = prompt.system,
                                     .n_images = images.size(),
                                     .audio = !prompt.audio.empty(),
                                     .user = prompt.user}));
  m.session->Reset();
  Description d;
  DescribeTimings& t = d.timings;
  VIGIL_RETURN_IF_ERROR(m.Prefill(images, prompt.audio, media,
                                  options.image_budget, &t));
  const std::vector<int32_t>& after = media.text.back();
  t.n_prompt_tokens += after.size();
  if (g == nullptr) {
    VIGIL_ASSIGN_OR_RETURN(d.text, m.GenerateFree(after, options, &t));
    return d;
  }
  const grammar::Matcher matcher(*g);
  VIGIL_ASSIGN_OR_RETURN(
      grammar::ConstrainedResult r,
      grammar::GenerateConstrained(
          *m.session, after,
          {.matcher = matcher, .tokens = *m.tokens, .tokenizer = *m.tok},
          {.max_tokens = options.max_tokens, .sampling = options.sampling}));
  t.prefill_s += r.prompt_seconds;
  t.generate_s += r.generate_seconds;
  t.mask_s += r.mask_seconds;
  t.n_sampled = r.n_sampled;
  t.n_forced = r.n_forced;
  t.n_closed_bytes = r.n_closed_bytes;
  d.text = std::move(r.text);
  return d;
}

}  // namespace vigil::inference
