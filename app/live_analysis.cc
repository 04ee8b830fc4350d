// SPDX-License-Identifier: Apache-2.0
#include "app/live_analysis.h"

#include "common/log.h"

namespace vigil::app {
namespace {

std::vector<std::string> Kinds(const analysis::Report& r) {
  std::vector<std::string> out;
  for (const analysis::Subject& s : r.subjects) {
    out.emplace_back(analysis::SubjectKindName(s.kind));
  }
  return out;
}

analysis::WorkerHooks Hooks(alerts::AlertHub* hub, alerts::EventBus* events) {
  analysis::WorkerHooks h;
  h.on_motion = [hub](const std::string& camera, int64_t id, int64_t at_ms) {
    if (hub == nullptr) return;
    alerts::AlertEvent e{.camera = camera, .snapshot_id = id, .at_ms = at_ms,
                         .kind = alerts::EventKind::kMotion, .flags = {},
                         .subject_kinds = {}, .report_json = std::nullopt};
    auto r = hub->OnMotion(std::move(e));
    if (!r.ok()) log::Warn("analysis", "motion alert: " + r.status().ToString());
  };
  h.on_report = [hub, events](const store::StoredReport& stored,
                              const analysis::Report& report) {
    if (events != nullptr) {
      alerts::PublishReport(*events, stored.snapshot_id, stored.camera);
    }
    if (hub == nullptr) return;
    alerts::AlertEvent e{.camera = stored.camera,
                         .snapshot_id = stored.snapshot_id,
                         .at_ms = stored.captured_at_ms,
                         .kind = alerts::EventKind::kReport,
                         .flags = report.flags,
                         .subject_kinds = Kinds(report),
                         .report_json = stored.json};
    auto r = hub->OnReport(std::move(e));
    if (!r.ok()) log::Warn("analysis", "report alert: " + r.status().ToString());
  };
  return h;
}

}  // namespace

Result<std::unique_ptr<LiveAnalysis>> LiveAnalysis::Start(
    const AppConfig& config, store::SnapshotStore& store,
    alerts::AlertHub* hub, alerts::EventBus* events) {
  const AnalysisConfig& a = config.analysis;
  std::unique_ptr<LiveAnalysis> live(new LiveAnalysis());
  VIGIL_ASSIGN_OR_RETURN(live->reports_, store::ReportIndex::Open(
                                            store.data_dir() / "index.sqlite"));
  std::string reason = "set analysis.model and analysis.mmproj";
  if (!a.model.empty()) {
    log::Info("analysis", "loading " + a.model + " + " + a.mmproj);
    auto engine = inference::Engine::Load({.text_model = a.model,
                                           .mmproj = a.mmproj,
                                           .threads = a.threads,
                                           .n_ctx = size_t(a.context)});
    if (engine.ok()) {
      live->engine_ = std::move(*engine);
      log::Info("analysis", "model ready: " + live->engine_->model_name());
    } else {
      reason = "the model failed to load: " + engine.status().ToString();
      log::Error("analysis", reason);
    }
  }
  analysis::WorkerOptions wo;
  wo.analyzer = a.analyzer;
  if (!a.flags_set && !config.alerts.flag_vocabulary.empty()) {
    wo.analyzer.limits.flags = config.alerts.flag_vocabulary;
  }
  wo.defaults = a.defaults;
  wo.cameras = a.cameras;
  live->worker_ = std::make_unique<analysis::AnalysisWorker>(
      std::move(wo), store, *live->reports_, live->engine_.get(),
      Hooks(hub, events), reason);
  VIGIL_RETURN_IF_ERROR(live->worker_->Start());
  return live;
}

LiveAnalysis::~LiveAnalysis() { Stop(); }

void LiveAnalysis::Stop() {
  if (worker_) worker_->Stop();
}

void LiveAnalysis::AddTo(web::LiveSources* live) {
  live->reports = reports_.get();
  analysis::AnalysisWorker* w = worker_.get();
  live->analysis_status = [w] { return analysis::StatusJson(w->status()); };
  live->analyze_snapshot = [w](int64_t id) { return w->Request(id); };
}

}  // namespace vigil::app
