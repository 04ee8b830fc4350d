// SPDX-License-Identifier: Apache-2.0
// One snapshot to one stored report: read and decode the JPEG, add the
// motion-region crop, load the audio clip, build the prompt (with the
// camera's previous report), describe under the report grammar, validate,
// store with timings.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "analysis/audio_clip.h"
#include "analysis/crop.h"
#include "analysis/job_queue.h"
#include "analysis/prompt.h"
#include "analysis/report.h"
#include "common/status.h"
#include "inference/engine.h"
#include "inference/grammar/grammar.h"
#include "store/report_search.h"
#include "store/snapshot_store.h"
#include "vision/motion.h"

namespace vigil::analysis {

// Per-camera settings (config `analysis.cameras.<name>`).
struct CameraAnalysisOptions {
  bool enabled = true;             // false: this camera opts out
  vision::MotionOptions motion;
  CropOptions crop;
  int32_t periodic_s = 3600;       // re-analyse a still scene this often; 0 = never
  int32_t image_budget = 280;      // soft tokens per image
  // Give the model the snapshot's audio clip when there is one and the
  // model has an audio tower (otherwise images only).
  bool audio_context = true;
};

struct AnalyzerOptions {
  ReportLimits limits;
  int max_tokens = 384;
  text::SamplerOptions sampling{.greedy = false, .temperature = 0.7f,
                                .top_k = 64, .top_p = 0.95f, .min_p = 0.0f,
                                .seed = 0};
  bool previous_report_context = true;
  // The model hears at most the first this many seconds of a clip.
  double audio_max_s = kDefaultAudioMaxSeconds;
};

struct AnalysisOutcome {
  store::StoredReport stored;
  Report report;
  inference::DescribeTimings timings;
  double decode_s = 0;
  bool cropped = false;
  double audio_s = 0;      // clip length the model heard (0: none)
  std::string audio_note;  // why a clip was left out (unreadable), or ""
};

// Thread-compatible (the worker's model thread owns it).
class Analyzer {
 public:
  // Compiles the report grammar; InvalidArgument for bad limits.
  static Result<std::unique_ptr<Analyzer>> Create(
      inference::Engine& engine, store::SnapshotStore& store,
      store::ReportIndex& reports, AnalyzerOptions options);

  Result<AnalysisOutcome> Run(const Job& job,
                              const CameraAnalysisOptions& camera);
  const inference::Engine& engine() const { return engine_; }

 private:
  Analyzer(inference::Engine& engine, store::SnapshotStore& store,
           store::ReportIndex& reports, AnalyzerOptions options,
           grammar::Grammar grammar);
  // The clip for `job` (empty when none, off, or unusable: then
  // `out->audio_note` says why and a warning is logged).
  std::vector<float> LoadAudio(const Job& job,
                               const CameraAnalysisOptions& camera,
                               AnalysisOutcome* out);
  PromptContext Context(const Job& job, bool cropped, bool has_audio);
  // Describes `images` (with the clip when there is a usable one).
  Result<inference::Description> Describe(
      const Job& job, std::span<const vision::RgbImage> images,
      const CameraAnalysisOptions& camera, AnalysisOutcome* out);

  inference::Engine& engine_;
  store::SnapshotStore& store_;
  store::ReportIndex& reports_;
  AnalyzerOptions options_;
  grammar::Grammar grammar_;
};

// {"decode_ms":..,"preprocess_ms":..,...,"forced_tokens":..} as stored.
std::string TimingsJson(const AnalysisOutcome& outcome, Trigger trigger);

}  // namespace vigil::analysis
