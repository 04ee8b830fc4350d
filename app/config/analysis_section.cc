// SPDX-License-Identifier: Apache-2.0
// The `analysis:` section of the config file (see analysis_section.h).
#include "app/config/analysis_section.h"

#include <sstream>

#include "app/config/yaml_map.h"
#include "vision/gemma_preprocess.h"

namespace vigil::app::config_internal {
namespace {

Status ParseMotion(YamlMap& parent, LoadContext& ctx,
                   vision::MotionOptions* out) {
  const YAML::Node* node = parent.Child("motion");
  if (!node) return OkStatus();
  YamlMap m(*node, parent.PathOf("motion"), ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  double sensitivity = out->sensitivity, min_area = out->min_area,
         rate = out->learning_rate;
  std::vector<std::string> masks;
  VIGIL_RETURN_IF_ERROR(m.Read("sensitivity", &sensitivity));
  VIGIL_RETURN_IF_ERROR(m.Read("min_area", &min_area));
  VIGIL_RETURN_IF_ERROR(m.Read("learning_rate", &rate));
  VIGIL_RETURN_IF_ERROR(m.Read("masks", &masks));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  out->sensitivity = float(sensitivity);
  out->min_area = float(min_area);
  out->learning_rate = float(rate);
  if (m.Child("masks")) out->masks.clear();
  for (const std::string& text : masks) {
    auto poly = ParsePolygon(text);
    if (!poly.ok()) return m.Error("masks", poly.status().message());
    out->masks.push_back(std::move(*poly));
  }
  Status s = vision::Validate(*out);
  if (!s.ok()) return ctx.Error(m.path(), s.message(), m.line());
  return OkStatus();
}

Status ParseCrop(YamlMap& parent, LoadContext& ctx,
                 analysis::CropOptions* out) {
  const YAML::Node* node = parent.Child("crop");
  if (!node) return OkStatus();
  YamlMap m(*node, parent.PathOf("crop"), ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  double max_region = out->max_region_fraction, padding = out->padding;
  int min_side = out->min_side;
  VIGIL_RETURN_IF_ERROR(m.Read("enabled", &out->enabled));
  VIGIL_RETURN_IF_ERROR(m.Read("max_region", &max_region));
  VIGIL_RETURN_IF_ERROR(m.Read("padding", &padding));
  VIGIL_RETURN_IF_ERROR(m.Read("min_side", &min_side));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  out->max_region_fraction = float(max_region);
  out->padding = float(padding);
  out->min_side = min_side;
  Status s = analysis::Validate(*out);
  if (!s.ok()) return ctx.Error(m.path(), s.message(), m.line());
  return OkStatus();
}

// Keys shared by the section and each camera entry.
Status ParseCameraKeys(YamlMap& m, LoadContext& ctx,
                       analysis::CameraAnalysisOptions* out) {
  VIGIL_RETURN_IF_ERROR(m.Read("periodic_s", &out->periodic_s));
  VIGIL_RETURN_IF_ERROR(m.Read("image_budget", &out->image_budget));
  VIGIL_RETURN_IF_ERROR(m.Read("audio_context", &out->audio_context));
  if (out->periodic_s < 0) {
    return m.Error("periodic_s", "must be >= 0 (0 = never), got " +
                                     std::to_string(out->periodic_s));
  }
  if (!vision::IsGemmaBudget(out->image_budget)) {
    return m.Error("image_budget", "must be one of 70, 140, 280, 560, 1120, "
                                   "got " + std::to_string(out->image_budget));
  }
  VIGIL_RETURN_IF_ERROR(ParseMotion(m, ctx, &out->motion));
  return ParseCrop(m, ctx, &out->crop);
}

Status ParseCameras(YamlMap& parent, LoadContext& ctx, AnalysisConfig* out) {
  const YAML::Node* node = parent.Child("cameras");
  if (!node) return OkStatus();
  YamlMap cams(*node, parent.PathOf("cameras"), ctx);
  VIGIL_RETURN_IF_ERROR(cams.Init());
  for (const std::string& name : cams.Keys()) {
    YamlMap m(*cams.Child(name.c_str()), cams.PathOf(name), ctx);
    VIGIL_RETURN_IF_ERROR(m.Init());
    analysis::CameraAnalysisOptions cam = out->defaults;
    VIGIL_RETURN_IF_ERROR(m.Read("enabled", &cam.enabled));
    VIGIL_RETURN_IF_ERROR(ParseCameraKeys(m, ctx, &cam));
    VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
    out->cameras[name] = std::move(cam);
  }
  return OkStatus();
}

Status ParseGeneration(YamlMap& m, AnalysisConfig* out) {
  double temperature = out->analyzer.sampling.temperature;
  int seed = 0;
  VIGIL_RETURN_IF_ERROR(m.Read("threads", &out->threads));
  VIGIL_RETURN_IF_ERROR(m.Read("context", &out->context));
  VIGIL_RETURN_IF_ERROR(m.Read("max_tokens", &out->analyzer.max_tokens));
  VIGIL_RETURN_IF_ERROR(m.Read("temperature", &temperature));
  VIGIL_RETURN_IF_ERROR(m.Read("seed", &seed));
  VIGIL_RETURN_IF_ERROR(m.Read("previous_report",
                               &out->analyzer.previous_report_context));
  VIGIL_RETURN_IF_ERROR(m.Read("audio_max_s", &out->analyzer.audio_max_s));
  if (!(out->analyzer.audio_max_s >= 1 && out->analyzer.audio_max_s <= 120)) {
    return m.Error("audio_max_s", "must be in [1, 120] seconds (30 = one "
                                  "model chunk), got " +
                                      std::to_string(out->analyzer.audio_max_s));
  }
  if (out->threads < 0 || out->threads > 256) {
    return m.Error("threads", "must be in [0, 256] (0 = all cores)");
  }
  if (out->context < 1024 || out->context > 131072) {
    return m.Error("context", "must be in [1024, 131072]");
  }
  if (out->analyzer.max_tokens < 16 || out->analyzer.max_tokens > 4096) {
    return m.Error("max_tokens", "must be in [16, 4096], got " +
                                     std::to_string(out->analyzer.max_tokens));
  }
  if (!(temperature >= 0 && temperature <= 2)) {
    return m.Error("temperature", "must be in [0, 2] (0 = greedy)");
  }
  out->analyzer.sampling.temperature = float(temperature);
  out->analyzer.sampling.greedy = temperature == 0;
  out->analyzer.sampling.seed = uint64_t(std::max(seed, 0));
  return OkStatus();
}

}  // namespace

Result<std::vector<vision::PointF>> ParsePolygon(const std::string& text) {
  std::vector<vision::PointF> poly;
  std::istringstream in(text);
  std::string pair;
  while (in >> pair) {
    vision::PointF p;
    char comma = 0;
    std::istringstream pin(pair);
    if (!(pin >> p.x >> comma >> p.y) || comma != ',' || !pin.eof()) {
      return InvalidArgument("expected points \"x,y x,y x,y\" (frame "
                             "fractions), got '" + pair + "'");
    }
    poly.push_back(p);
  }
  if (poly.size() < 3) {
    return InvalidArgument("a mask polygon needs at least 3 points, got '" +
                           text + "'");
  }
  return poly;
}

Status ParseAnalysis(const YAML::Node& node, LoadContext& ctx,
                     AnalysisConfig* out) {
  YamlMap m(node, "analysis", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  VIGIL_RETURN_IF_ERROR(m.Read("model", &out->model));
  VIGIL_RETURN_IF_ERROR(m.Read("mmproj", &out->mmproj));
  VIGIL_RETURN_IF_ERROR(ParseGeneration(m, out));
  if (m.Child("flags")) {
    out->flags_set = true;
    VIGIL_RETURN_IF_ERROR(m.Read("flags", &out->analyzer.limits.flags));
  }
  VIGIL_RETURN_IF_ERROR(ParseCameraKeys(m, ctx, &out->defaults));
  VIGIL_RETURN_IF_ERROR(ParseCameras(m, ctx, out));
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  if (out->model.empty() != out->mmproj.empty()) {
    return m.Error(out->model.empty() ? "model" : "mmproj",
                   "model and mmproj go together: set both or neither");
  }
  Status s = analysis::Validate(out->analyzer.limits);
  if (!s.ok()) return m.Error("flags", s.message());
  return OkStatus();
}

}  // namespace vigil::app::config_internal
