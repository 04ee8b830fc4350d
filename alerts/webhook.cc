// SPDX-License-Identifier: Apache-2.0
#include "alerts/webhook.h"

#include "alerts/http_post.h"

namespace vigil::alerts {

WebhookNotifier::WebhookNotifier(NotifierConfig config)
    : config_(std::move(config)) {}

Status WebhookNotifier::Deliver(const Notification& n) {
  HttpPost post;
  post.url = config_.url;
  post.headers = config_.headers;
  post.headers["X-Vigil-Event-Id"] = n.event_id;
  post.headers["X-Vigil-Revision"] = std::to_string(n.revision);
  post.headers["Idempotency-Key"] =
      n.event_id + "-" + std::to_string(n.revision);
  post.body = ToJson(n);
  post.timeout_s = config_.timeout_s;
  return SendPost(post).WithContext("webhook " + config_.name);
}

}  // namespace vigil::alerts
