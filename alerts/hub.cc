// SPDX-License-Identifier: Apache-2.0
#include "alerts/hub.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>

#include "alerts/rules.h"
#include "common/log.h"

namespace vigil::alerts {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "scene activity" from the report, or "" when it has neither.
std::string ReportText(const std::optional<std::string>& report_json) {
  if (!report_json) return "";
  nlohmann::json r = nlohmann::json::parse(*report_json, nullptr, false);
  if (!r.is_object()) return "";
  std::string out;
  for (const char* key : {"scene", "activity"}) {
    if (r.contains(key) && r[key].is_string()) {
      const std::string text = r[key].get<std::string>();
      if (!text.empty()) out += (out.empty() ? "" : " ") + text;
    }
  }
  return out;
}

}  // namespace

std::string NewEventId() {
  static std::mutex mu;
  static std::mt19937_64 rng(std::random_device{}() ^
                             static_cast<uint64_t>(NowMs()));
  std::lock_guard lock(mu);
  const uint64_t v = rng();
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i) out[i] = kHex[(v >> (4 * (15 - i))) & 15];
  return out;
}

AlertHub::AlertHub(AlertsConfig config, store::Outbox& outbox,
                   HubOptions options)
    : config_(std::move(config)),
      outbox_(outbox),
      options_(std::move(options)) {
  if (!options_.local_minute) options_.local_minute = LocalMinuteOfDay;
}

std::vector<std::string> AlertHub::Receivers(const AlertRule& rule) const {
  if (!rule.notifiers.empty()) return rule.notifiers;
  std::vector<std::string> all;
  for (const NotifierConfig& n : config_.notifiers) all.push_back(n.name);
  return all;
}

Notification AlertHub::Build(const AlertRule& rule, const AlertEvent& e,
                             const OpenAlert& open) const {
  Notification n;
  n.event_id = open.event_id;
  n.revision = open.revision;
  n.stage = EventKindName(e.kind);
  n.rule = rule.name;
  n.camera = e.camera;
  n.snapshot_id = e.snapshot_id;
  n.at_ms = e.at_ms;
  n.flags = e.flags;
  n.subject_kinds = e.subject_kinds;
  n.report_json = e.report_json;
  n.priority = rule.priority;
  n.image_url = config_.base_url + "/api/snapshots/" +
                std::to_string(e.snapshot_id) + "/image";
  const std::string what = e.kind == EventKind::kMotion
                               ? "motion"
                               : (e.flags.empty() ? Join(e.subject_kinds, ", ")
                                                  : Join(e.flags, ", "));
  n.title = e.camera + ": " + (what.empty() ? "activity" : what);
  const std::string text = ReportText(e.report_json);
  n.message = !text.empty() ? text
              : e.kind == EventKind::kMotion
                  ? "Motion on " + e.camera + "; report to follow."
                  : "Report for " + e.camera + ".";
  return n;
}

Status AlertHub::Queue(const AlertRule& rule, const Notification& n,
                       int64_t created_at_ms) {
  store::AlertRecord rec;
  rec.id = n.event_id;
  rec.rule = rule.name;
  rec.camera = n.camera;
  rec.snapshot_id = n.snapshot_id;
  rec.revision = n.revision;
  rec.stage = n.stage;
  rec.json = ToJson(n);
  rec.created_at_ms = created_at_ms;
  VIGIL_RETURN_IF_ERROR(outbox_.Enqueue(rec, Receivers(rule), NowMs()));
  if (options_.bus) options_.bus->Publish("alert", rec.json);
  return OkStatus();
}

Result<std::vector<Notification>> AlertHub::OnMotion(AlertEvent e) {
  e.kind = EventKind::kMotion;
  const int minute = options_.local_minute(e.at_ms);
  std::vector<Notification> out;
  std::lock_guard lock(mu_);
  for (const AlertRule& rule : config_.rules) {
    if (!RuleMatches(rule, e, minute)) continue;
    const Key key{rule.name, e.camera};
    auto it = open_.find(key);
    if (it != open_.end() &&
        (it->second.snapshot_id == e.snapshot_id ||
         e.at_ms - it->second.fired_at_ms < rule.cooldown_s * 1000LL)) {
      continue;  // duplicate or inside the cooldown
    }
    OpenAlert open{NewEventId(), e.snapshot_id, e.at_ms, 1, "", NowMs()};
    Notification n = Build(rule, e, open);
    VIGIL_RETURN_IF_ERROR(Queue(rule, n, open.created_at_ms));
    open_[key] = open;
    out.push_back(std::move(n));
  }
  if (!out.empty() && options_.on_enqueued) options_.on_enqueued();
  return out;
}

Result<std::vector<Notification>> AlertHub::OnReport(AlertEvent e) {
  e.kind = EventKind::kReport;
  const int minute = options_.local_minute(e.at_ms);
  const std::string report_key = e.report_json.value_or("") + "|" +
                                 Join(e.flags, ",") + "|" +
                                 Join(e.subject_kinds, ",");
  std::vector<Notification> out;
  std::lock_guard lock(mu_);
  for (const AlertRule& rule : config_.rules) {
    const Key key{rule.name, e.camera};
    auto it = open_.find(key);
    const bool same_snapshot =
        it != open_.end() && it->second.snapshot_id == e.snapshot_id;
    OpenAlert open;
    if (same_snapshot) {
      // The rich update of an alert already out (even when the report
      // shows the rule's flags are absent: the household sees what it was).
      if (it->second.last_report == report_key) continue;  // duplicate
      open = it->second;
      open.revision += 1;
    } else {
      if (!RuleMatches(rule, e, minute)) continue;
      if (it != open_.end() &&
          e.at_ms - it->second.fired_at_ms < rule.cooldown_s * 1000LL) {
        continue;  // cooldown
      }
      open = OpenAlert{NewEventId(), e.snapshot_id, e.at_ms, 1, "", NowMs()};
    }
    open.last_report = report_key;
    Notification n = Build(rule, e, open);
    VIGIL_RETURN_IF_ERROR(Queue(rule, n, open.created_at_ms));
    open_[key] = open;
    out.push_back(std::move(n));
  }
  if (!out.empty() && options_.on_enqueued) options_.on_enqueued();
  return out;
}

}  // namespace vigil::alerts
