// SPDX-License-Identifier: Apache-2.0
#include "analysis/prompt.h"

namespace vigil::analysis {
namespace {

// The flags of the vocabulary that are about sound ("audio_alarm", or a
// configured "audio_*" flag), for the audio sentence.
std::string AudioFlags(const ReportLimits& limits) {
  std::string out;
  for (const std::string& f : limits.flags) {
    if (f.find("audio") == std::string::npos) continue;
    out += (out.empty() ? "" : " or ") + f;
  }
  return out;
}

}  // namespace

const char* PromptVersion(const PromptContext& c) {
  return c.has_audio ? kPromptVersionAudio : kPromptVersion;
}

inference::DescribePrompt BuildReportPrompt(const ReportLimits& limits,
                                            const PromptContext& c) {
  std::string flags;
  for (const std::string& f : limits.flags) {
    flags += (flags.empty() ? "" : ", ") + f;
  }
  inference::DescribePrompt p;
  p.system =
      "You are the camera analyst of a home security appliance. State only "
      "what is " + std::string(c.has_audio ? "visible or audible" : "visible") +
      ": no guesses, no hedging words such as 'maybe', "
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
  if (c.has_audio) {
    u += " An audio clip recorded at the moment of the snapshot is attached; "
         "say in the activity what is heard, if anything.";
    const std::string audio_flags = AudioFlags(limits);
    if (!audio_flags.empty()) {
      u += " Use the " + audio_flags + " flag only for an alarm, siren or "
           "smoke detector heard in it.";
    }
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
