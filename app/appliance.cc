// SPDX-License-Identifier: Apache-2.0
// Start/stop order of the appliance's parts.
#include "app/appliance.h"

#include <chrono>
#include <ostream>

#include "app/first_run.h"
#include "capture/audio/wav.h"
#include "common/log.h"

namespace vigil::app {

capture::SnapshotSink StoreSink(store::SnapshotStore& store) {
  return [&store](const std::string& camera,
                  capture::CapturedImage&& image) -> Result<int64_t> {
    VIGIL_ASSIGN_OR_RETURN(
        store::SnapshotRecord rec,
        store.Save(camera, image.captured_at, image.jpeg));
    return rec.id;
  };
}

// Clips recorded after a snapshot go beside its JPEG as 16-bit WAV (issue 5).
capture::AudioSink StoreAudioSink(store::SnapshotStore& store) {
  return [&store](const std::string&, int64_t snapshot_id,
                  const capture::audio::PcmAudio& clip) -> Status {
    const std::vector<uint8_t> wav = capture::audio::EncodeWav16(
        clip.samples, clip.sample_rate, clip.channels);
    return store.SaveAudio(snapshot_id, wav).status();
  };
}

Result<std::unique_ptr<store::SnapshotStore>> OpenStore(
    const AppConfig& config) {
  auto store = store::SnapshotStore::Open(ToStoreOptions(config));
  if (!store.ok() && store.status().code() == StatusCode::kUnavailable) {
    return store.status().WithContext(
        "data dir " + config.storage.data_dir.string() +
        " is in use (is `vigil serve` running? stop it, or use the web UI)");
  }
  return store;
}

Appliance::Appliance(AppConfig config, std::ostream& console)
    : config_(std::move(config)), console_(console) {}

Appliance::~Appliance() { Stop(); }

Status Appliance::Start() {
  log::Info("app", "config: " + config_.source + "; data dir " +
                       config_.storage.data_dir.string());
  VIGIL_ASSIGN_OR_RETURN(store_, OpenStore(config_));

  web::WebOptions web_options = config_.web.options;
  if (config_.web.first_run_password) {
    Result<std::string> hash =
        EnsureFirstRunPassword(config_.storage.data_dir, console_);
    if (!hash.ok()) {
      Stop();
      return hash.status().WithContext("first-run password");
    }
    web_options.password_hash = *hash;
  }

  auto live = LiveAlerts::Start(config_, store_->data_dir() / "index.sqlite");
  if (!live.ok()) {
    Stop();
    return live.status().WithContext("alerts");
  }
  live_ = std::move(live).value();
  // Analysis (issue 6): never fatal for a missing/broken model.
  auto analysis = LiveAnalysis::Start(config_, *store_, &live_->hub(),
                                      &live_->events());
  if (!analysis.ok()) {
    Stop();
    return analysis.status().WithContext("analysis");
  }
  analysis_ = std::move(analysis).value();
  analysis::AnalysisWorker* worker = &analysis_->worker();
  // Every stored snapshot is also a live event for the gallery.
  capture::SnapshotSink save = StoreSink(*store_);
  alerts::EventBus* bus = &live_->events();
  scheduler_ = std::make_unique<capture::Scheduler>(
      config_.cameras,
      [save, bus, worker](const std::string& camera,
                          capture::CapturedImage&& image) -> Result<int64_t> {
        const int64_t at_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(
                image.captured_at.time_since_epoch())
                .count();
        VIGIL_ASSIGN_OR_RETURN(int64_t id, save(camera, std::move(image)));
        alerts::PublishSnapshot(*bus, id, camera);
        worker->OnSnapshot(camera, id, at_ms);
        return id;
      });
  scheduler_->SetAudio(StoreAudioSink(*store_));
  Status s = scheduler_->Start();
  if (!s.ok()) {
    Stop();
    return s.WithContext("camera scheduler");
  }
  retention_ = std::make_unique<RetentionTimer>(
      *store_, ToRetentionPolicy(config_),
      std::chrono::milliseconds(static_cast<int64_t>(
          config_.retention_interval_minutes * 60'000)));
  retention_->Start();

  web::LiveSources sources{.events = &live_->events(),
                           .alerts = &live_->outbox()};
  analysis_->AddTo(&sources);
  web_ = std::make_unique<web::WebServer>(web_options, *store_, *scheduler_,
                                          std::move(sources));
  s = web_->Start();
  if (!s.ok()) {
    Stop();
    return s.WithContext("web server on " + web_options.bind_address + ":" +
                         std::to_string(web_options.port));
  }
  log::Info("app", "started: " + std::to_string(config_.cameras.size()) +
                       " camera(s), gallery on http://" +
                       web_options.bind_address + ":" +
                       std::to_string(web_->port()));
  return OkStatus();
}

void Appliance::Stop() {
  bool was_running = store_ != nullptr;
  if (web_) web_->Stop();
  if (retention_) retention_->Stop();
  if (scheduler_) scheduler_->Stop();
  if (analysis_) analysis_->Stop();
  if (live_) live_->Stop();
  web_.reset();
  retention_.reset();
  scheduler_.reset();
  analysis_.reset();
  live_.reset();
  store_.reset();
  if (was_running) log::Info("app", "stopped");
}

int Appliance::port() const { return web_ ? web_->port() : 0; }

}  // namespace vigil::app
