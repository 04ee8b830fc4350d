// SPDX-License-Identifier: Apache-2.0
// Outbox + sender + HTTP notifiers against real loopback receivers: the
// webhook fails its first attempts and the alert still arrives exactly
// once, also when the sender is restarted on the same SQLite file; ntfy
// gets its headers and the same sequence id for the update.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "alerts/hub.h"
#include "alerts/ntfy.h"
#include "alerts/sender.h"
#include "alerts/webhook.h"
#include "tests/alerts/alerts_fixture.h"

namespace vigil::alerts {
namespace {

using nlohmann::json;
using testing::Motion;
using testing::Receiver;
using testing::Report;
using testing::WaitFor;

constexpr SenderOptions kFastRetry{
    .retry_initial_s = 0.05, .retry_max_s = 0.2, .poll_ms = 20};

// Rows are queued at the real time; passes run at t0 + offsets.
int64_t RealNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() +
         1000;
}

std::unique_ptr<store::Outbox> OpenOutbox(const std::filesystem::path& db) {
  auto outbox = store::Outbox::Open(db);
  EXPECT_TRUE(outbox.ok()) << outbox.status().ToString();
  return outbox.ok() ? std::move(*outbox) : nullptr;
}

AlertsConfig OneRule(NotifierConfig notifier, bool on_motion = false) {
  AlertsConfig c;
  c.notifiers = {std::move(notifier)};
  c.rules = {{.name = "door",
              .flags = {"person_at_door"},
              .on_motion = on_motion,
              .priority = 4}};
  c.base_url = "http://vigil.local:8080";
  return c;
}

std::vector<std::unique_ptr<Notifier>> Notifiers(const AlertsConfig& c) {
  std::vector<std::unique_ptr<Notifier>> out;
  for (const NotifierConfig& n : c.notifiers) {
    auto made = MakeNotifier(n, c, {"porch"});
    out.push_back(std::move(made.value()));
  }
  return out;
}

TEST(OutboxTest, EnqueueIsIdempotentAndKeepsOrder) {
  testing::TempDir dir;
  auto outbox = OpenOutbox(dir.path() / "index.sqlite");
  store::AlertRecord a{.id = "e1",
                       .rule = "r",
                       .camera = "c",
                       .snapshot_id = 1,
                       .revision = 1,
                       .stage = "motion",
                       .json = "{}"};
  ASSERT_TRUE(outbox->Enqueue(a, {"x", "y"}, 10).ok());
  ASSERT_TRUE(outbox->Enqueue(a, {"x", "y"}, 11).ok());  // retried call
  a.revision = 2;
  a.stage = "report";
  ASSERT_TRUE(outbox->Enqueue(a, {"x"}, 12).ok());
  auto pending = outbox->Pending(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[2].revision, 2);
  ASSERT_TRUE(outbox->MarkDelivered((*pending)[0].id, 20).ok());
  ASSERT_TRUE(
      outbox->MarkAttemptFailed((*pending)[1].id, "404", 30, true).ok());
  EXPECT_EQ(outbox->MarkDelivered(999, 1).code(), StatusCode::kNotFound);
  auto counts = outbox->Counts();
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->delivered, 1);
  EXPECT_EQ(counts->failed, 1);
  // An older revision never overwrites the alert's newer state.
  a.revision = 1;
  a.stage = "motion";
  ASSERT_TRUE(outbox->Enqueue(a, {}, 40).ok());
  EXPECT_EQ(outbox->GetAlert("e1")->stage, "report");
  EXPECT_EQ(outbox->ListAlerts({})->size(), 1u);
  // Pruning keeps the alert while one of its rows is still pending.
  EXPECT_EQ(*outbox->PruneBefore(1'000'000'000'000'000), 0);
  EXPECT_EQ(outbox->Counts()->delivered, 0);
  EXPECT_EQ(outbox->Counts()->pending, 1);
  ASSERT_TRUE(outbox->MarkDelivered((*pending)[2].id, 50).ok());
  EXPECT_EQ(*outbox->PruneBefore(1'000'000'000'000'000), 1);
  EXPECT_TRUE(outbox->ListAlerts({})->empty());
}

TEST(OutboxTest, RejectsNonDatabaseFile) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "index.sqlite") << "this is not sqlite at all";
  auto outbox = store::Outbox::Open(dir.path() / "index.sqlite");
  ASSERT_FALSE(outbox.ok());
  EXPECT_EQ(outbox.status().code(), StatusCode::kCorrupt);
}

TEST(WebhookTest, RetriesWithBackoffAndArrivesOnceAcrossARestart) {
  testing::TempDir dir;
  const auto db = dir.path() / "index.sqlite";
  // The receiver refuses the first 4 attempts (503), then accepts.
  Receiver receiver([](int n) { return n < 4 ? 503 : 200; });
  const AlertsConfig config =
      OneRule({.name = "hook",
               .url = receiver.url("/hook"),
               .headers = {{"Authorization", "Bearer s3cret-token"}}});
  std::string event_id;
  {
    auto outbox = OpenOutbox(db);
    AlertHub hub(config, *outbox, {});
    auto fired = hub.OnReport(Report("porch", 42, 1000, {"person_at_door"}));
    ASSERT_EQ(fired->size(), 1u);
    event_id = (*fired)[0].event_id;
    OutboxSender sender(*outbox, Notifiers(config), kFastRetry);
    ASSERT_TRUE(sender.Start().ok());
    // "vigil" goes down after two failed attempts.
    ASSERT_TRUE(WaitFor([&] { return receiver.attempts() >= 2; }));
    sender.Stop();
  }
  EXPECT_TRUE(receiver.requests().empty());
  {
    // Restart: a new outbox connection and sender on the same file.
    auto outbox = OpenOutbox(db);
    EXPECT_EQ(outbox->Counts()->pending, 1);
    OutboxSender sender(*outbox, Notifiers(config), kFastRetry);
    ASSERT_TRUE(sender.Start().ok());
    ASSERT_TRUE(WaitFor([&] { return outbox->Counts()->delivered == 1; }));
    sender.Stop();
    EXPECT_EQ(outbox->Counts()->pending, 0);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);  // exactly once
  EXPECT_GE(receiver.attempts(), 5);
  EXPECT_EQ(got[0].path, "/hook");
  EXPECT_EQ(got[0].headers.find("X-Vigil-Event-Id")->second, event_id);
  EXPECT_EQ(got[0].headers.find("Idempotency-Key")->second, event_id + "-1");
  EXPECT_EQ(got[0].headers.find("Authorization")->second,
            "Bearer s3cret-token");
  const json body = json::parse(got[0].body);
  EXPECT_EQ(body["event_id"], event_id);
  EXPECT_EQ(body["camera"], "porch");
  EXPECT_EQ(body["snapshot_id"], 42);
  EXPECT_EQ(body["image_url"],
            "http://vigil.local:8080/api/snapshots/42/image");
  EXPECT_EQ(body["report"]["scene"], "A porch.");
  EXPECT_EQ(body["flags"], json::array({"person_at_door"}));
}

TEST(WebhookTest, PermanentClientErrorIsNotRetried) {
  testing::TempDir dir;
  auto outbox = OpenOutbox(dir.path() / "index.sqlite");
  Receiver receiver([](int) { return 404; });
  const AlertsConfig config =
      OneRule({.name = "hook", .url = receiver.url("/gone")});
  AlertHub hub(config, *outbox, {});
  ASSERT_EQ(hub.OnReport(Report("porch", 1, 0, {"person_at_door"}))->size(),
            1u);
  OutboxSender sender(*outbox, Notifiers(config), kFastRetry);
  const int64_t t0 = RealNowMs();
  EXPECT_EQ(sender.RunOnce(t0), 0);
  EXPECT_EQ(sender.RunOnce(t0 + 10'000), 0);
  EXPECT_EQ(receiver.attempts(), 1);
  EXPECT_EQ(outbox->Counts()->failed, 1);
}

TEST(WebhookTest, UnreachableReceiverStaysPendingWithBackoff) {
  testing::TempDir dir;
  auto outbox = OpenOutbox(dir.path() / "index.sqlite");
  const AlertsConfig config = OneRule(
      {.name = "hook",
       .url = "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/",
       .timeout_s = 1});
  AlertHub hub(config, *outbox, {});
  ASSERT_TRUE(hub.OnReport(Report("porch", 1, 0, {"person_at_door"})).ok());
  SenderOptions opts{.retry_initial_s = 10, .retry_max_s = 40};
  OutboxSender sender(*outbox, Notifiers(config), opts);
  const int64_t t0 = RealNowMs();
  EXPECT_EQ(sender.RunOnce(t0), 0);
  auto item = (*outbox->Pending(1))[0];
  EXPECT_EQ(item.attempts, 1);
  EXPECT_EQ(item.next_attempt_ms, t0 + 10'000);
  EXPECT_NE(item.last_error.find("webhook hook"), std::string::npos);
  EXPECT_EQ(sender.RunOnce(t0 + 5'000), 0);  // not due: no attempt
  EXPECT_EQ((*outbox->Pending(1))[0].attempts, 1);
  EXPECT_EQ(sender.RunOnce(t0 + 10'000), 0);
  EXPECT_EQ((*outbox->Pending(1))[0].next_attempt_ms, t0 + 30'000);
  EXPECT_EQ(RetryDelayMs(opts, 5), 40'000);  // capped
}

TEST(NtfyTest, HeadersBodyAndUpdateWithTheSameSequenceId) {
  testing::TempDir dir;
  auto outbox = OpenOutbox(dir.path() / "index.sqlite");
  Receiver ntfy;
  const AlertsConfig config = OneRule({.name = "phone",
                                       .kind = NotifierKind::kNtfy,
                                       .url = ntfy.url("/vigil-alerts"),
                                       .token = "tk_abcdefgh"},
                                      /*on_motion=*/true);
  AlertHub hub(config, *outbox, {});
  ASSERT_EQ(hub.OnMotion(Motion("porch", 5, 0))->size(), 1u);
  ASSERT_EQ(hub.OnReport(Report("porch", 5, 0, {"person_at_door"}))->size(),
            1u);
  OutboxSender sender(*outbox, Notifiers(config), kFastRetry);
  EXPECT_EQ(sender.RunOnce(RealNowMs()), 2);
  const auto got = ntfy.requests();
  ASSERT_EQ(got.size(), 2u);
  auto header = [](const testing::ReceivedRequest& r, const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string("<absent>") : it->second;
  };
  for (const auto& r : got) {
    EXPECT_EQ(r.path, "/vigil-alerts");
    EXPECT_EQ(header(r, "Authorization"), "Bearer tk_abcdefgh");
    EXPECT_EQ(header(r, "X-Priority"), "4");
    EXPECT_EQ(header(r, "X-Click"),
              "http://vigil.local:8080/api/snapshots/5/image");
    EXPECT_EQ(header(r, "X-Attach"),
              "http://vigil.local:8080/api/snapshots/5/image");
  }
  // Same sequence id: ntfy replaces the motion notification.
  EXPECT_EQ(header(got[0], "X-Sequence-ID"), header(got[1], "X-Sequence-ID"));
  EXPECT_EQ(header(got[0], "X-Title"), "porch: motion");
  EXPECT_EQ(header(got[0], "X-Tags"), "motion");
  EXPECT_EQ(got[0].body, "Motion on porch; report to follow.");
  EXPECT_EQ(header(got[1], "X-Title"), "porch: person_at_door");
  EXPECT_EQ(header(got[1], "X-Tags"), "person_at_door");
  EXPECT_EQ(got[1].body, "A porch. Someone waits.");
}

}  // namespace
}  // namespace vigil::alerts
