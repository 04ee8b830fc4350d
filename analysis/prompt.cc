// SPDX-License-Identifier: Apache-2.0
#include "analysis/prompt.h"

namespace vigil::analysis {

inference::DescribePrompt BuildReportPrompt(const ReportLimits& limits,
                                            const PromptContext& c) {
  std::string flags;
  for (const std::string& f : limits.flags) {
    flags += (flags.empty() ? "" : ", ") + f;
  }
  inference::DescribePrompt p;
  p.system =
      "You are the camera analyst of a home security appliance. State only "
      "what is visible: no guesses, no hedging words such as 'maybe', "
      "'possibly' or 'appears to'. Answer with one JSON object: scene (one "
      "or two sentences), subjects (each with kind person, vehicle, animal, "
      "package or other, a short description and a count), activity (what "
      "is happening), flags (only from: " + flags + "; none if none apply).";
  std::string u = "Camera: " + c.camera + ".";
  if (!c.local_time.empty()) u += " Local time: " + c.local_time + ".";
  if (c.has_crop) {
    u += " The first image is the whole view; the second is an enlarged "
         "crop of the region where motion was detected.";
  }
  if (c.previous) {
    u += " The previous report of this camera was: " +
         ReportToJson(*c.previous) + " Say what changed.";
  }
  u += " Describe this snapshot.";
  p.user = std::move(u);
  return p;
}

}  // namespace vigil::analysis
