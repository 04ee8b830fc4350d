// SPDX-License-Identifier: Apache-2.0
#include "alerts/ntfy.h"

#include "alerts/http_post.h"

namespace vigil::alerts {
namespace {

// HTTP header values must be one line; ntfy reads UTF-8 in X-Title.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s.substr(0, 250);
}

}  // namespace

NtfyNotifier::NtfyNotifier(NotifierConfig config)
    : config_(std::move(config)) {}

Status NtfyNotifier::Deliver(const Notification& n) {
  HttpPost post;
  post.url = config_.url;
  post.content_type = "text/plain; charset=utf-8";
  post.body = n.message.empty() ? n.title : n.message;
  post.headers["X-Title"] = OneLine(n.title);
  post.headers["X-Sequence-ID"] = n.event_id;
  std::string tags = n.stage == "motion" ? "motion" : "";
  for (const std::string& f : n.flags) tags += (tags.empty() ? "" : ",") + f;
  if (!tags.empty()) post.headers["X-Tags"] = tags;
  post.headers["X-Priority"] = std::to_string(n.priority);
  const bool absolute = n.image_url.rfind("http", 0) == 0;
  if (absolute) {
    post.headers["X-Click"] = n.image_url;
    post.headers["X-Attach"] = n.image_url;
  }
  if (!config_.token.empty()) {
    post.headers["Authorization"] = "Bearer " + config_.token;
  }
  post.timeout_s = config_.timeout_s;
  return SendPost(post).WithContext("ntfy " + config_.name);
}

}  // namespace vigil::alerts
