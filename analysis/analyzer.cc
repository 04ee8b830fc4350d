// SPDX-License-Identifier: Apache-2.0
#include "analysis/analyzer.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <vector>

#include "common/log.h"
#include "inference/grammar/schema_compile.h"

namespace vigil::analysis {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string LocalTime(int64_t at_ms) {
  const std::time_t t = std::time_t(at_ms / 1000);
  std::tm tm{};
  if (localtime_r(&t, &tm) == nullptr) return "";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

int64_t Ms(double s) { return int64_t(std::llround(s * 1000.0)); }

}  // namespace

std::string TimingsJson(const AnalysisOutcome& o, Trigger trigger) {
  const inference::DescribeTimings& t = o.timings;
  auto field = [](const char* k, int64_t v) {
    std::string f = "\"";  // appends: GCC 12 -Wrestrict misfires on "x" + s
    f += k;
    f += "\":";
    f += std::to_string(v);
    return f;
  };
  return "{" + field("decode_ms", Ms(o.decode_s)) + "," +
         field("preprocess_ms", Ms(t.preprocess_s)) + "," +
         field("encode_ms", Ms(t.encode_s)) + "," +
         field("audio_encode_ms", Ms(t.audio_encode_s)) + "," +
         field("prefill_ms", Ms(t.prefill_s)) + "," +
         field("generate_ms", Ms(t.generate_s)) + "," +
         field("mask_ms", Ms(t.mask_s)) + "," +
         field("image_tokens", int64_t(t.n_image_tokens)) + "," +
         field("audio_tokens", int64_t(t.n_audio_tokens)) + "," +
         field("audio_clip_ms", Ms(o.audio_s)) + "," +
         field("prompt_tokens", int64_t(t.n_prompt_tokens)) + "," +
         field("sampled_tokens", int64_t(t.n_sampled)) + "," +
         field("forced_tokens", int64_t(t.n_forced)) + "," +
         field("closed_bytes", int64_t(t.n_closed_bytes)) + "," +
         "\"cropped\":" + (o.cropped ? "true" : "false") + "," +
         "\"trigger\":\"" + std::string(TriggerName(trigger)) + "\"}";
}

Analyzer::Analyzer(inference::Engine& engine, store::SnapshotStore& store,
                   store::ReportIndex& reports, AnalyzerOptions options,
                   grammar::Grammar grammar)
    : engine_(engine), store_(store), reports_(reports),
      options_(std::move(options)), grammar_(std::move(grammar)) {}

Result<std::unique_ptr<Analyzer>> Analyzer::Create(
    inference::Engine& engine, store::SnapshotStore& store,
    store::ReportIndex& reports, AnalyzerOptions options) {
  VIGIL_RETURN_IF_ERROR(Validate(options.limits));
  VIGIL_ASSIGN_OR_RETURN(
      grammar::Grammar g,
      grammar::CompileJsonSchema(ReportJsonSchema(options.limits)));
  return std::unique_ptr<Analyzer>(new Analyzer(
      engine, store, reports, std::move(options), std::move(g)));
}

std::vector<float> Analyzer::LoadAudio(const Job& job,
                                       const CameraAnalysisOptions& camera,
                                       AnalysisOutcome* out) {
  if (!camera.audio_context || !engine_.has_audio()) return {};
  auto clip = LoadClipForModel(store_, job.snapshot_id, options_.audio_max_s);
  if (!clip.ok()) {
    // A bad clip costs the report its audio, never the report.
    out->audio_note = clip.status().ToString();
    log::Warn("analysis", "snapshot " + std::to_string(job.snapshot_id) +
                              ": reporting without its audio clip: " +
                              out->audio_note);
    return {};
  }
  if (!clip->has_value()) return {};
  out->audio_s = double((*clip)->size()) / kModelSampleRate;
  return std::move(**clip);
}

PromptContext Analyzer::Context(const Job& job, bool cropped,
                                bool has_audio) {
  PromptContext ctx{.camera = job.camera,
                    .local_time = LocalTime(job.captured_at_ms),
                    .has_crop = cropped, .previous = std::nullopt,
                    .has_audio = has_audio};
  if (options_.previous_report_context) {
    auto prev = reports_.LatestForCamera(job.camera);
    if (prev.ok() && prev->has_value()) {
      auto parsed = ParseReport((*prev)->json, options_.limits);
      if (parsed.ok()) ctx.previous = std::move(*parsed);
    }
  }
  return ctx;
}

Result<inference::Description> Analyzer::Describe(
    const Job& job, std::span<const vision::RgbImage> images,
    const CameraAnalysisOptions& camera, AnalysisOutcome* out) {
  const std::vector<float> clip = LoadAudio(job, camera, out);
  const inference::DescribeOptions d{.image_budget = camera.image_budget,
                                     .max_tokens = options_.max_tokens,
                                     .sampling = options_.sampling};
  inference::DescribePrompt prompt = BuildReportPrompt(
      options_.limits, Context(job, out->cropped, !clip.empty()));
  prompt.audio = clip;
  auto desc = engine_.Describe(images, prompt, &grammar_, d);
  if (desc.ok() || clip.empty()) return desc;
  // E.g. a context too small for the clip: the images alone still make a
  // report.
  out->audio_note = desc.status().ToString();
  out->audio_s = 0;
  log::Warn("analysis", "snapshot " + std::to_string(job.snapshot_id) +
                            ": describing with audio failed, retrying "
                            "without it: " + out->audio_note);
  return engine_.Describe(
      images,
      BuildReportPrompt(options_.limits, Context(job, out->cropped, false)),
      &grammar_, d);
}

Result<AnalysisOutcome> Analyzer::Run(const Job& job,
                                      const CameraAnalysisOptions& camera) {
  const auto start = Clock::now();
  AnalysisOutcome out;
  VIGIL_ASSIGN_OR_RETURN(std::vector<uint8_t> jpeg,
                         store_.ReadImage(job.snapshot_id));
  auto t0 = Clock::now();
  VIGIL_ASSIGN_OR_RETURN(vision::RgbImage frame, vision::DecodeImage(jpeg));
  std::vector<vision::RgbImage> images;
  if (job.motion_bounds && frame.width == job.frame_width &&
      frame.height == job.frame_height) {
    if (auto rect = SubjectCrop(*job.motion_bounds, frame.width,
                                frame.height, camera.crop)) {
      VIGIL_ASSIGN_OR_RETURN(vision::RgbImage crop, CropImage(frame, *rect));
      images.push_back(std::move(frame));
      images.push_back(std::move(crop));
      out.cropped = true;
    }
  }
  if (images.empty()) images.push_back(std::move(frame));
  out.decode_s = Since(t0);
  VIGIL_ASSIGN_OR_RETURN(inference::Description desc,
                         Describe(job, images, camera, &out));
  out.timings = desc.timings;
  auto report = ParseReport(desc.text, options_.limits);
  if (!report.ok()) {
    return report.status().WithContext("model output failed validation");
  }
  out.report = std::move(*report);
  out.stored.snapshot_id = job.snapshot_id;
  out.stored.model = engine_.model_name();
  out.stored.prompt_version =
      out.audio_s > 0 ? kPromptVersionAudio : kPromptVersion;
  out.stored.json = ReportToJson(out.report);
  out.stored.duration_ms = Ms(Since(start));
  out.stored.timings_json = TimingsJson(out, job.trigger);
  VIGIL_ASSIGN_OR_RETURN(out.stored, reports_.Add(std::move(out.stored)));
  return out;
}

}  // namespace vigil::analysis
