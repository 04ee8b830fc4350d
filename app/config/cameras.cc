// SPDX-License-Identifier: Apache-2.0
// The `cameras:` section: camera name -> settings (Frigate style), checked
// with capture::Validate and located by line.
#include <string>

#include "app/config/sections.h"

namespace vigil::app::config_internal {
namespace {

Status ReadEnum(YamlMap& m, const char* key, auto parse, auto* out) {
  std::string name;
  if (!m.Child(key)) return OkStatus();
  VIGIL_RETURN_IF_ERROR(m.Read(key, &name));
  auto parsed = parse(name);
  if (!parsed.ok()) return m.Error(key, parsed.status().message());
  *out = *parsed;
  return OkStatus();
}

Status ReadConnection(YamlMap& m, capture::CameraConfig* c) {
  VIGIL_RETURN_IF_ERROR(m.Read("url", &c->url));
  VIGIL_RETURN_IF_ERROR(m.Read("username", &c->username));
  VIGIL_RETURN_IF_ERROR(m.Read("password", &c->password));
  VIGIL_RETURN_IF_ERROR(ReadEnum(m, "auth", capture::ParseHttpAuth, &c->auth));
  VIGIL_RETURN_IF_ERROR(m.Read("tls_verify", &c->tls_verify));
  VIGIL_RETURN_IF_ERROR(m.Read("connect_timeout_s", &c->connect_timeout_s));
  VIGIL_RETURN_IF_ERROR(m.Read("timeout_s", &c->timeout_s));
  VIGIL_RETURN_IF_ERROR(m.ReadMegabytes("max_mb", &c->max_bytes));
  return OkStatus();
}

Status ReadDeviceAndFolder(YamlMap& m, capture::CameraConfig* c) {
  VIGIL_RETURN_IF_ERROR(m.Read("device", &c->device));
  VIGIL_RETURN_IF_ERROR(m.Read("width", &c->width));
  VIGIL_RETURN_IF_ERROR(m.Read("height", &c->height));
  VIGIL_RETURN_IF_ERROR(m.Read("jpeg_quality", &c->jpeg_quality));
  VIGIL_RETURN_IF_ERROR(m.Read("warmup_frames", &c->warmup_frames));
  VIGIL_RETURN_IF_ERROR(m.Read("folder", &c->folder));
  VIGIL_RETURN_IF_ERROR(ReadEnum(m, "after_ingest", capture::ParseAfterIngest,
                                 &c->after_ingest));
  VIGIL_RETURN_IF_ERROR(m.Read("settle_s", &c->settle_s));
  return OkStatus();
}

Status ReadSchedule(YamlMap& m, capture::CameraConfig* c) {
  VIGIL_RETURN_IF_ERROR(m.Read("enabled", &c->enabled));
  VIGIL_RETURN_IF_ERROR(m.Read("interval_s", &c->interval_s));
  VIGIL_RETURN_IF_ERROR(m.Read("jitter_s", &c->jitter_s));
  VIGIL_RETURN_IF_ERROR(m.Read("max_backoff_s", &c->max_backoff_s));
  VIGIL_RETURN_IF_ERROR(m.Read("keep_open_below_s", &c->keep_open_below_s));
  return OkStatus();
}

// `audio: {source: rtsp|alsa|none, device: ..., clip_s: 5}` (issue 5).
Status ReadAudio(YamlMap& m, LoadContext& ctx, capture::CameraConfig* c) {
  const YAML::Node* node = m.Child("audio");
  if (!node) return OkStatus();
  YamlMap am(*node, m.PathOf("audio"), ctx);
  VIGIL_RETURN_IF_ERROR(am.Init());
  VIGIL_RETURN_IF_ERROR(ReadEnum(am, "source", capture::ParseAudioSourceKind,
                                 &c->audio.source));
  VIGIL_RETURN_IF_ERROR(am.Read("device", &c->audio.device));
  VIGIL_RETURN_IF_ERROR(am.Read("clip_s", &c->audio.clip_s));
  return am.RejectUnknownKeys();
}

Status ParseCamera(const std::string& name, const YAML::Node& node,
                   LoadContext& ctx, AppConfig* out) {
  YamlMap m(node, "cameras." + name, ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  capture::CameraConfig c;
  c.name = name;
  if (!m.Child("kind")) {
    return ctx.Error(m.path() + ".kind",
                     "required; one of http, rtsp, mjpeg, v4l2, "
                     "watch_folder, libcamera, demo",
                     ctx.lines[m.path()]);
  }
  VIGIL_RETURN_IF_ERROR(ReadEnum(m, "kind", capture::ParseSourceKind, &c.kind));
  VIGIL_RETURN_IF_ERROR(ReadConnection(m, &c));
  VIGIL_RETURN_IF_ERROR(ReadDeviceAndFolder(m, &c));
  VIGIL_RETURN_IF_ERROR(ReadSchedule(m, &c));
  VIGIL_RETURN_IF_ERROR(ReadAudio(m, ctx, &c));
  if (const YAML::Node* r = m.Child("retention")) {
    YamlMap rm(*r, m.PathOf("retention"), ctx);
    VIGIL_RETURN_IF_ERROR(rm.Init());
    RetentionConfig limits;
    VIGIL_RETURN_IF_ERROR(ParseRetentionLimits(rm, &limits));
    VIGIL_RETURN_IF_ERROR(rm.RejectUnknownKeys());
    out->camera_retention[name] = limits;
  }
  VIGIL_RETURN_IF_ERROR(m.RejectUnknownKeys());
  // capture names the byte limit `max_bytes`; the file says `max_mb`.
  ctx.lines[m.PathOf("max_bytes")] = m.LineOf("max_mb");
  ctx.lines[m.PathOf("name")] = ctx.lines[m.path()];
  VIGIL_RETURN_IF_ERROR(
      ctx.AddLine(capture::Validate(c), ctx.lines[m.path()]));
  out->cameras.push_back(std::move(c));
  return OkStatus();
}

}  // namespace

Status ParseCameras(const YAML::Node& node, LoadContext& ctx, AppConfig* out) {
  out->cameras.clear();
  if (node.IsSequence()) {
    return ctx.Error("cameras",
                     "expected a mapping of camera name to settings "
                     "(`porch: {kind: http, url: ...}`), got a list",
                     node.Mark().line + 1);
  }
  YamlMap m(node, "cameras", ctx);
  VIGIL_RETURN_IF_ERROR(m.Init());
  for (const std::string& name : m.Keys()) {
    const YAML::Node* cam = m.Child(name.c_str());
    VIGIL_RETURN_IF_ERROR(ParseCamera(name, *cam, ctx, out));
  }
  // Per-camera checks passed; this adds the cross-camera ones (unique names).
  return ctx.AddLine(capture::ValidateCameras(out->cameras), m.line());
}

}  // namespace vigil::app::config_internal
