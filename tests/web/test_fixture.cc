// SPDX-License-Identifier: Apache-2.0
#include "tests/web/test_fixture.h"

#include <unistd.h>

#include "capture/source_factory.h"
#include "common/check.h"
#include "web/auth.h"

namespace vigil::web::testing {
namespace {

std::filesystem::path MakeTempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "vigil-web-XXXXXX").string();
  VIGIL_CHECK(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

std::vector<capture::CameraConfig> DemoCameras(const ApplianceOptions& o) {
  std::vector<capture::CameraConfig> cams;
  for (const std::string& name : o.cameras) {
    capture::CameraConfig c;
    c.name = name;
    c.kind = capture::SourceKind::kDemo;
    c.width = o.demo_width;
    c.height = o.demo_height;
    c.interval_s = o.interval_s;
    cams.push_back(c);
  }
  return cams;
}

}  // namespace

Appliance::Appliance(ApplianceOptions o) {
  owns_dir_ = o.data_dir.empty();
  data_dir_ = owns_dir_ ? MakeTempDir() : o.data_dir;
  auto store = store::SnapshotStore::Open({.data_dir = data_dir_,
                                           .utc_folders = true,
                                           .thumbnail_width = 160});
  VIGIL_CHECK(store.ok());
  store_ = std::move(store).value();
  auto outbox = store::Outbox::Open(data_dir_ / "index.sqlite");
  VIGIL_CHECK(outbox.ok());
  outbox_ = std::move(outbox).value();
  store::SnapshotStore* raw = store_.get();
  alerts::EventBus* bus = &events_;
  scheduler_ = std::make_unique<capture::Scheduler>(
      DemoCameras(o),
      [raw, bus](const std::string& camera,
                 capture::CapturedImage&& img) -> Result<int64_t> {
        VIGIL_ASSIGN_OR_RETURN(store::SnapshotRecord r,
                               raw->Save(camera, img.captured_at, img.jpeg));
        alerts::PublishSnapshot(*bus, r.id, camera);
        return r.id;
      });
  capture::CameraConfig probe = DemoCameras(o).front();
  auto source = capture::MakeSource(probe);
  VIGIL_CHECK(source.ok());
  auto frame = (*source)->Capture();
  VIGIL_CHECK(frame.ok());
  frame_ = std::move(frame->jpeg);

  WebOptions web;
  web.port = o.port;
  web.password_hash = HashPassword(kPassword, 1000);
  web.api_tokens = {kToken};
  web.login_max_failures = 5;
  server_ = std::make_unique<WebServer>(
      web, *store_, *scheduler_,
      LiveSources{.events = &events_, .alerts = outbox_.get()});
  VIGIL_CHECK(server_->Start().ok());
}

Appliance::~Appliance() {
  server_->Stop();
  scheduler_->Stop();
  server_.reset();
  scheduler_.reset();
  outbox_.reset();
  store_.reset();
  if (owns_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

std::vector<int64_t> Appliance::Seed(
    const std::string& camera, int count,
    std::chrono::system_clock::time_point start,
    std::chrono::milliseconds step) {
  std::vector<int64_t> ids;
  for (int i = 0; i < count; ++i) {
    auto r = store_->Save(camera, start + i * step, frame_);
    VIGIL_CHECK(r.ok());
    ids.push_back(r->id);
  }
  return ids;
}

}  // namespace vigil::web::testing
