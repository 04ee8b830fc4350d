// SPDX-License-Identifier: Apache-2.0
#include "alerts/mqtt_topics.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "alerts/mqtt.h"

namespace vigil::alerts {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json Device(const std::string& cam) {
  return {{"identifiers", {"vigil_" + MqttId(cam)}},
          {"name", "vigil " + cam},
          {"manufacturer", "vigil"},
          {"model", "camera"}};
}

// HA device classes for the flags that have an obvious one.
const char* DeviceClass(const std::string& flag) {
  if (flag == "fire_or_smoke") return "smoke";
  if (flag == "door_or_gate_open") return "door";
  if (flag == "person_at_door") return "occupancy";
  if (flag == "audio_alarm") return "sound";
  return nullptr;
}

std::string CameraTopic(const NotifierConfig& c, const std::string& cam) {
  return c.topic_prefix + "/" + MqttId(cam);
}

}  // namespace

std::string MqttId(const std::string& name) {
  std::string out;
  for (char ch : name) {
    const unsigned char u = static_cast<unsigned char>(ch);
    out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
  }
  return out.empty() ? "_" : out;
}

std::string AvailabilityTopic(const NotifierConfig& c) {
  return c.topic_prefix + "/status";
}

std::vector<MqttMessage> DiscoveryMessages(
    const NotifierConfig& c, const std::vector<std::string>& cameras,
    const std::vector<std::string>& flags) {
  std::vector<MqttMessage> out;
  for (const std::string& cam : cameras) {
    const std::string id = MqttId(cam);
    const std::string base = CameraTopic(c, cam);
    json sensor = {{"name", "Report"},
                   {"unique_id", "vigil_" + id + "_report"},
                   {"object_id", "vigil_" + id + "_report"},
                   {"state_topic", base + "/report"},
                   {"value_template", "{{ value_json.summary }}"},
                   {"json_attributes_topic", base + "/report"},
                   {"availability_topic", AvailabilityTopic(c)},
                   {"icon", "mdi:cctv"},
                   {"device", Device(cam)}};
    out.push_back(
        {c.discovery_prefix + "/sensor/vigil_" + id + "_report/config",
         Dump(sensor)});
    for (const std::string& flag : flags) {
      const std::string fid = MqttId(flag);
      json bs = {{"name", flag},
                 {"unique_id", "vigil_" + id + "_" + fid},
                 {"object_id", "vigil_" + id + "_" + fid},
                 {"state_topic", base + "/flags/" + fid},
                 {"payload_on", "ON"},
                 {"payload_off", "OFF"},
                 {"availability_topic", AvailabilityTopic(c)},
                 {"device", Device(cam)}};
      if (const char* dc = DeviceClass(flag)) bs["device_class"] = dc;
      out.push_back({c.discovery_prefix + "/binary_sensor/vigil_" + id + "_" +
                         fid + "/config",
                     Dump(bs)});
    }
  }
  return out;
}

std::vector<MqttMessage> StateMessages(const NotifierConfig& c,
                                       const Notification& n,
                                       const std::vector<std::string>& flags) {
  json report = json::parse(n.report_json.value_or("null"), nullptr, false);
  json state = json::parse(ToJson(n), nullptr, false);
  // HA states are limited to 255 characters: a short summary for the
  // sensor, everything else as attributes.
  std::string summary = n.message.empty() ? n.title : n.message;
  if (summary.size() > 250) summary.resize(250);
  state["summary"] = summary;
  if (report.is_object()) {
    for (const char* key : {"scene", "activity", "subjects"}) {
      if (report.contains(key)) state[key] = report[key];
    }
  }
  const std::string base = CameraTopic(c, n.camera);
  std::vector<MqttMessage> out{{base + "/report", Dump(state)}};
  if (n.stage != "report") return out;  // flags unknown at motion time
  for (const std::string& flag : flags) {
    const bool on =
        std::find(n.flags.begin(), n.flags.end(), flag) != n.flags.end();
    out.push_back({base + "/flags/" + MqttId(flag), on ? "ON" : "OFF"});
  }
  return out;
}

}  // namespace vigil::alerts
