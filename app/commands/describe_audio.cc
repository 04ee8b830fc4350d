// SPDX-License-Identifier: Apache-2.0
// `vigil describe --audio`: load the clip (WAV reader, or libav for other
// containers), resample to 16 kHz mono, encode it (30 s chunks), place the
// soft tokens in the prompt (optionally after an image; the assembly is
// inference/audio/media_prompt.h, shared with the engine) and stream the
// answer; --embeddings-out/--logits-out/--ids-out dumps for golden checks.
#include "app/commands/describe_audio.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "capture/audio/libav_audio.h"
#include "capture/audio/resample.h"
#include "capture/audio/wav.h"
#include "inference/audio/media_prompt.h"
#include "inference/audio/model.h"
#include "inference/text/generate.h"
#include "inference/tokenizer/tokenizer.h"
#include "inference/vision/encoder.h"
#include "vision/gemma_preprocess.h"

namespace vigil::app {
namespace {

struct Flags {
  std::string model, mmproj, audio, image, prompt = "Describe this audio.";
  std::string prompt_ids, embeddings_out, logits_out, ids_out;
  int max_tokens = 256, threads = 0;
  bool greedy = false, float32 = false;
  float temp = 1.0f;
  uint64_t seed = 0;
};

constexpr char kUsage[] =
    "usage: vigil describe --model TEXT.gguf --mmproj MMPROJ.gguf --audio FILE\n"
    "  [--image FILE] [--prompt TEXT | --prompt-ids 2,105,...] [--threads N]\n"
    "  [--max-tokens N] [--greedy] [--temp T] [--seed S]\n"
    "  [--precision quantized|float32] [--embeddings-out FILE]\n"
    "  [--logits-out FILE] [--ids-out FILE]\n"
    "Audio: WAV (any PCM/float, any rate/channels) or any container libav\n"
    "reads; resampled to 16 kHz mono. Clips over 30 s are encoded in 30 s\n"
    "chunks (the model was trained on clips of at most 30 s).\n";

template <typename T>
Result<T> Number(const std::string& flag, const std::string& s) {
  std::istringstream in(s);
  T v{};
  if (!(in >> v) || !in.eof()) return InvalidArgument(flag + ": not a number: '" + s + "'");
  return v;
}

Result<Flags> Parse(const std::vector<std::string>& args) {
  Flags f;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--greedy") { f.greedy = true; continue; }
    if (i + 1 >= args.size()) return InvalidArgument(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--model") f.model = v;
    else if (a == "--mmproj") f.mmproj = v;
    else if (a == "--audio") f.audio = v;
    else if (a == "--image") f.image = v;
    else if (a == "--prompt") f.prompt = v;
    else if (a == "--prompt-ids") f.prompt_ids = v;
    else if (a == "--embeddings-out") f.embeddings_out = v;
    else if (a == "--logits-out") f.logits_out = v;
    else if (a == "--ids-out") f.ids_out = v;
    else if (a == "--precision") {
      if (v != "quantized" && v != "float32") return InvalidArgument("--precision must be 'quantized' or 'float32'");
      f.float32 = v == "float32";
    } else if (a == "--max-tokens") { VIGIL_ASSIGN_OR_RETURN(f.max_tokens, Number<int>(a, v)); }
    else if (a == "--threads") { VIGIL_ASSIGN_OR_RETURN(f.threads, Number<int>(a, v)); }
    else if (a == "--temp") { VIGIL_ASSIGN_OR_RETURN(f.temp, Number<float>(a, v)); }
    else if (a == "--seed") { VIGIL_ASSIGN_OR_RETURN(f.seed, Number<uint64_t>(a, v)); }
    else return InvalidArgument("unknown flag '" + a + "'");
  }
  if (f.model.empty() || f.mmproj.empty() || f.audio.empty()) {
    return InvalidArgument("--model, --mmproj and --audio are required");
  }
  if (f.max_tokens < 0) return InvalidArgument("--max-tokens must be >= 0");
  if (f.threads < 0 || f.threads > 256) return InvalidArgument("--threads must be in [1, 256]");
  return f;
}

Status WriteAtomically(const std::string& path, const void* data, size_t n) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), std::streamsize(n));
    out.flush();
    if (!out) { std::remove(tmp.c_str()); return IoError("cannot write '" + tmp + "'"); }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IoError("cannot rename '" + tmp + "' to '" + path + "'");
  }
  return OkStatus();
}

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
Result<mm::MediaPrompt> BuildPrompt(const Flags& f, const tokenizer::Tokenizer& tok) {
  mm::MediaPrompt p;
  if (f.prompt_ids.empty()) {
    VIGIL_ASSIGN_OR_RETURN(p, mm::RenderMediaPrompt(tok, {.system = "", .n_images = f.image.empty() ? 0u : 1u,
                                                          .audio = true, .user = f.prompt}));
  } else {
    std::vector<int32_t> ids;
    std::stringstream in(f.prompt_ids);
    std::string item;
    while (std::getline(in, item, ',')) {
      VIGIL_ASSIGN_OR_RETURN(int32_t id, Number<int32_t>("--prompt-ids", item));
      ids.push_back(id);
    }
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

Result<mm::SoftTokens> EncodeImageFile(const std::string& path, const mm::VisionModel& vision,
                                       kernels::ThreadPool& pool, kernels::MatMulPrecision prec) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read '" + path + "'");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  vision::GemmaPreprocessOptions opt;
  auto p = vision::PreprocessForGemma(bytes, opt);
  if (!p.ok()) return p.status().WithContext(path);
  std::fprintf(stderr, "image: %dx%d -> %d tokens\n", p.value().size.width,
               p.value().size.height, p.value().n_tokens);
  return mm::EncodeImage(vision, {.grid_w = uint32_t(p.value().grid_w),
                                  .grid_h = uint32_t(p.value().grid_h), .data = p.value().data},
                         pool, {.precision = prec, .gelu_fp16_table = false, .on_tensor = {}});
}

Status Run(const Flags& f) {
  const auto prec = f.float32 ? kernels::MatMulPrecision::kFloat32
                              : kernels::MatMulPrecision::kQuantizedActivations;
  VIGIL_ASSIGN_OR_RETURN(auto model, text::Model::Load(f.model));
  VIGIL_ASSIGN_OR_RETURN(auto audio_model, audio::AudioModel::Load(f.mmproj));
  VIGIL_RETURN_IF_ERROR(audio_model->CheckTextModel(model->config().n_embd));
  VIGIL_ASSIGN_OR_RETURN(tokenizer::Tokenizer tok, tokenizer::Tokenizer::FromGguf(model->file()));
  VIGIL_ASSIGN_OR_RETURN(mm::MediaPrompt prompt, BuildPrompt(f, tok));
  const int threads = f.threads > 0 ? f.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  kernels::ThreadPool pool(threads);
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
    VIGIL_RETURN_IF_ERROR(WriteAtomically(f.embeddings_out, sound.data.data(), sound.data.size() * sizeof(float)));
  }
  mm::SoftTokens image;
  std::unique_ptr<mm::VisionModel> vision;
  if (!f.image.empty()) {
    VIGIL_ASSIGN_OR_RETURN(vision, mm::VisionModel::Load(f.mmproj));
    VIGIL_ASSIGN_OR_RETURN(image, EncodeImageFile(f.image, *vision, pool, prec));
  }
  const size_t n_prompt = sound.n_tokens + image.n_tokens + prompt.TextTokens();
  const size_t n_ctx = std::min<size_t>(model->config().n_ctx_train, n_prompt + size_t(f.max_tokens) + 1);
  VIGIL_ASSIGN_OR_RETURN(auto session, text::Session::Create(*model, pool,
      {.n_ctx = n_ctx, .max_ubatch = std::max<size_t>(512, image.n_tokens), .precision = prec, .on_tensor = {}}));
  VIGIL_RETURN_IF_ERROR(mm::PrefillMedia(*session, prompt,
                                         {.images = {&image, f.image.empty() ? 0u : 1u},
                                          .audio = &sound, .audio_ubatch = 512}));
  std::vector<int32_t> stop_ids, generated;
  for (int32_t id = 0; id < tok.size(); ++id) if (tok.IsEndOfGeneration(id)) stop_ids.push_back(id);
  std::vector<float> logits;
  text::SamplerOptions sampling;
  sampling.greedy = f.greedy;
  sampling.temperature = f.temp;
  sampling.seed = f.seed;
  std::string piece;
  VIGIL_ASSIGN_OR_RETURN(text::GenerateStats st,
      text::Generate(*session, prompt.text.back(),
                     {.max_tokens = f.max_tokens, .sampling = sampling, .stop_ids = stop_ids, .prompt_logits = &logits},
                     [&](int32_t id) {
                       generated.push_back(id);
                       piece.clear();
                       tok.AppendPiece(id, {}, &piece);
                       std::fwrite(piece.data(), 1, piece.size(), stdout);
                       std::fflush(stdout);
                       return true;
                     }));
  std::fprintf(stderr, "\nprefill: %.3f s, generate: %zu tokens in %.3f s\n", st.prompt_seconds,
               st.n_generated, st.generate_seconds);
  if (!f.logits_out.empty()) {
    VIGIL_RETURN_IF_ERROR(WriteAtomically(f.logits_out, logits.data(), logits.size() * sizeof(float)));
  }
  if (!f.ids_out.empty()) {
    std::string s;
    for (int32_t id : generated) s += std::to_string(id) + "\n";
    VIGIL_RETURN_IF_ERROR(WriteAtomically(f.ids_out, s.data(), s.size()));
  }
  return OkStatus();
}

}  // namespace

int RunDescribeAudioCommand(const std::vector<std::string>& args) {
  if (std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto flags = Parse(args);
  if (!flags.ok()) {
    std::fprintf(stderr, "vigil describe: %s\n%s", flags.status().message().c_str(), kUsage);
    return 2;
  }
  Status st = Run(flags.value());
  if (!st.ok()) {
    std::fprintf(stderr, "vigil describe: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace vigil::app
