// SPDX-License-Identifier: Apache-2.0
// The analysis prompt. Its version is stored with every report so reports
// made under different wording can be told apart.
#pragma once

#include <optional>
#include <string>

#include "analysis/report.h"
#include "inference/engine.h"

namespace vigil::analysis {

inline constexpr char kPromptVersion[] = "report-v1";
// The same prompt with the audio sentence (a clip was attached).
inline constexpr char kPromptVersionAudio[] = "report-v1-audio";

struct PromptContext {
  std::string camera;
  std::string local_time;              // "2026-11-23 21:05", may be empty
  bool has_crop = false;               // a second image: the motion region
  std::optional<Report> previous;      // last report of this camera
  bool has_audio = false;              // an audio clip of the moment
};

// kPromptVersionAudio when the context has audio, else kPromptVersion.
const char* PromptVersion(const PromptContext& context);

// The system turn (facts only, no hedging, the flag meanings) and the user
// turn (camera, time, the attached clip and which flags it may raise,
// previous report, the output format).
inference::DescribePrompt BuildReportPrompt(const ReportLimits& limits,
                                            const PromptContext& context);

}  // namespace vigil::analysis
