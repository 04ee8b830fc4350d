// SPDX-License-Identifier: Apache-2.0
// GET /api/events: Server-Sent Events for the live gallery. Event types:
//   snapshot  a new snapshot (the same JSON as GET /api/snapshots/{id})
//   report    a snapshot got its report (same JSON, report included)
//   alert     an alert fired or was updated (the notification JSON)
//   camera    a camera's status changed (online, error, last snapshot)
// Each bus event carries `id:`; a reconnecting EventSource sends
// `Last-Event-ID` and gets what the in-memory ring still holds.
#include <charconv>
#include <chrono>
#include <map>
#include <string>

#include "alerts/event_bus.h"
#include "web/api_json.h"
#include "web/http_util.h"
#include "web/routes/routes.h"

namespace vigil::web {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// Per-stream state, owned by the content provider.
struct Stream {
  uint64_t last_id = 0;
  std::map<std::string, std::string> cameras;  // name -> last status JSON
  Clock::time_point last_write = Clock::now();
  Clock::time_point last_camera_poll{};
  bool started = false;
};

std::string Frame(const char* type, const std::string& data,
                  std::optional<uint64_t> id) {
  std::string out;
  if (id) out += "id: " + std::to_string(*id) + "\n";
  return out + "event: " + type + "\ndata: " + data + "\n\n";
}

// Turns a bus event into the frame clients get ("" to drop it: e.g. the
// snapshot was already deleted by retention).
std::string Render(RouteContext& ctx, const alerts::LiveEvent& e) {
  if (e.type == "snapshot" || e.type == "report") {
    json ref = json::parse(e.data, nullptr, false);
    const char* key = e.type == "snapshot" ? "id" : "snapshot_id";
    if (!ref.is_object() || !ref.contains(key) ||
        !ref[key].is_number_integer()) {
      return "";
    }
    Result<store::SnapshotRecord> rec = ctx.store.Get(ref[key].get<int64_t>());
    if (!rec.ok()) return "";
    return Frame(e.type.c_str(), DumpJson(SnapshotJson(*rec)), e.id);
  }
  return Frame(e.type.c_str(), e.data, e.id);
}

// Returns "camera" frames for statuses that changed since the last poll.
std::string CameraChanges(RouteContext& ctx, Stream& s) {
  std::string out;
  for (const capture::CameraStatus& c : ctx.scheduler.Statuses()) {
    json j = {{"name", c.name},
              {"online", c.online},
              {"enabled", c.enabled},
              {"last_error", c.last_error},
              {"consecutive_failures", c.consecutive_failures},
              {"last_snapshot_id",
               c.last_snapshot_id ? json(*c.last_snapshot_id) : json(nullptr)}};
    std::string text = DumpJson(j);
    std::string& seen = s.cameras[c.name];
    if (seen != text) {
      if (s.started) out += Frame("camera", text, std::nullopt);
      seen = std::move(text);
    }
  }
  return out;
}

uint64_t StartAfter(const httplib::Request& req, const alerts::EventBus& bus) {
  const std::string last = req.get_header_value("Last-Event-ID");
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), id);
  if (!last.empty() && ec == std::errc() && end == last.data() + last.size() &&
      id <= bus.last_id()) {
    return id;
  }
  return bus.last_id();  // only what happens from now on
}

void HandleEvents(RouteContext& ctx, const httplib::Request& req,
                  httplib::Response& res) {
  alerts::EventBus* bus = ctx.live.events;
  if (!bus) {
    return SendError(res, 503, "Unavailable", "live events are not enabled");
  }
  if (ctx.event_streams.fetch_add(1) >= ctx.live.max_event_streams) {
    ctx.event_streams.fetch_sub(1);
    return SendError(res, 503, "TooManyStreams",
                     "too many open event streams; close another tab");
  }
  auto stream = std::make_shared<Stream>();
  stream->last_id = StartAfter(req, *bus);
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [&ctx, bus, stream](size_t, httplib::DataSink& sink) {
        std::string out;
        if (!stream->started) {
          CameraChanges(ctx, *stream);  // baseline, not sent
          stream->started = true;
          out = "retry: 3000\n: stream open\n\n";
        }
        // Short waits so server shutdown never waits on a quiet stream.
        for (const alerts::LiveEvent& e :
             bus->WaitAfter(stream->last_id, std::chrono::seconds(1))) {
          stream->last_id = e.id;
          out += Render(ctx, e);
        }
        const auto now = Clock::now();
        if (now - stream->last_camera_poll > std::chrono::seconds(2)) {
          stream->last_camera_poll = now;
          out += CameraChanges(ctx, *stream);
        }
        if (out.empty() &&
            now - stream->last_write > std::chrono::seconds(15)) {
          out = ": keep-alive\n\n";  // proxies drop silent connections
        }
        if (ctx.stopping || bus->closed()) return false;
        if (out.empty()) return true;
        stream->last_write = now;
        return sink.write(out.data(), out.size());
      },
      [&ctx](bool) { ctx.event_streams.fetch_sub(1); });
}

}  // namespace

void AddEventRoutes(httplib::Server& server, RouteContext& ctx) {
  server.Get("/api/events",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               HandleEvents(ctx, req, res);
             });
}

}  // namespace vigil::web
