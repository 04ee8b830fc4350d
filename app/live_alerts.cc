// SPDX-License-Identifier: Apache-2.0
#include "app/live_alerts.h"

#include "common/log.h"

namespace vigil::app {

Result<std::unique_ptr<LiveAlerts>> LiveAlerts::Start(
    const AppConfig& config, const std::filesystem::path& index_db) {
  std::unique_ptr<LiveAlerts> live(new LiveAlerts());
  VIGIL_ASSIGN_OR_RETURN(live->outbox_, store::Outbox::Open(index_db));
  const alerts::AlertsConfig& ac = config.alerts;
  std::vector<std::string> cameras;
  for (const capture::CameraConfig& c : config.cameras) {
    cameras.push_back(c.name);
  }
  std::vector<std::unique_ptr<alerts::Notifier>> notifiers;
  for (const alerts::NotifierConfig& n : ac.notifiers) {
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<alerts::Notifier> made,
                           alerts::MakeNotifier(n, ac, cameras));
    notifiers.push_back(std::move(made));
  }
  live->sender_ = std::make_unique<alerts::OutboxSender>(
      *live->outbox_, std::move(notifiers),
      alerts::SenderOptions{.retry_initial_s = ac.retry_initial_s,
                            .retry_max_s = ac.retry_max_s});
  VIGIL_RETURN_IF_ERROR(live->sender_->Start());
  alerts::OutboxSender* sender = live->sender_.get();
  live->hub_ = std::make_unique<alerts::AlertHub>(
      ac, *live->outbox_,
      alerts::HubOptions{.on_enqueued = [sender] { sender->Wake(); },
                         .bus = &live->events_});
  log::Info("alerts", std::to_string(ac.rules.size()) + " rule(s), " +
                          std::to_string(ac.notifiers.size()) + " notifier(s)");
  return live;
}

LiveAlerts::~LiveAlerts() { Stop(); }

void LiveAlerts::Stop() {
  events_.Close();
  if (sender_) sender_->Stop();
}

}  // namespace vigil::app
