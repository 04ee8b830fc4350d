// SPDX-License-Identifier: Apache-2.0
// `analysis:` settings as plain data (parsed by analysis_section.cc; see
// there for the YAML shape).
#pragma once

#include <map>
#include <string>

#include "analysis/analyzer.h"

namespace vigil::app {

struct AnalysisConfig {
  std::string model;   // text GGUF; empty = no analysis
  std::string mmproj;  // vision projector GGUF
  int threads = 0;
  int context = 4096;
  bool flags_set = false;  // `flags:` given (else alerts.flags or defaults)
  analysis::AnalyzerOptions analyzer;
  analysis::CameraAnalysisOptions defaults;
  std::map<std::string, analysis::CameraAnalysisOptions> cameras;
};

}  // namespace vigil::app
