// SPDX-License-Identifier: Apache-2.0
// One HTTP(S) POST through cpp-httplib with a timeout, classifying the
// outcome for the outbox (shared by webhook.cc and ntfy.cc).
#pragma once

#include <map>
#include <string>

#include "common/status.h"

namespace vigil::alerts {

struct HttpPost {
  std::string url;  // http:// or https://
  std::map<std::string, std::string> headers;
  std::string body;
  std::string content_type = "application/json";
  int timeout_s = 10;
};

// Sends `post`. Returns OK for 2xx; kInvalidArgument for a malformed URL
// or a 4xx other than 408/429 (retrying will not help); kUnavailable for
// connection errors, timeouts, 408/429 and 5xx. Messages never contain
// header values (tokens).
Status SendPost(const HttpPost& post);

}  // namespace vigil::alerts
