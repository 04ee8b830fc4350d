// SPDX-License-Identifier: Apache-2.0
#include "alerts/http_post.h"

#include <httplib.h>

namespace vigil::alerts {
namespace {

struct SplitUrl {
  std::string origin;  // scheme://host[:port]
  std::string path;    // "/..." with query
};

Result<SplitUrl> Split(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 &&
       url.compare(0, scheme_end, "https") != 0)) {
    return InvalidArgument("url '" + url + "' must start with http(s)://");
  }
  const size_t path_start = url.find('/', scheme_end + 3);
  SplitUrl out;
  out.origin = url.substr(0, path_start);
  out.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (out.origin.size() <= scheme_end + 3) {
    return InvalidArgument("url '" + url + "' has no host");
  }
  return out;
}

}  // namespace

Status SendPost(const HttpPost& post) {
  VIGIL_ASSIGN_OR_RETURN(SplitUrl url, Split(post.url));
  httplib::Client client(url.origin);
  if (!client.is_valid()) {
    return InvalidArgument("url '" + url.origin + "' is not usable");
  }
  client.set_connection_timeout(post.timeout_s, 0);
  client.set_read_timeout(post.timeout_s, 0);
  client.set_write_timeout(post.timeout_s, 0);
  httplib::Headers headers;
  for (const auto& [k, v] : post.headers) headers.emplace(k, v);
  httplib::Result res =
      client.Post(url.path, headers, post.body, post.content_type);
  const std::string where = "POST " + url.origin + url.path;
  if (!res) {
    return Unavailable(where + ": " + httplib::to_string(res.error()));
  }
  const int status = res->status;
  if (status >= 200 && status < 300) return OkStatus();
  const std::string msg = where + ": HTTP " + std::to_string(status) + " " +
                          res->body.substr(0, 200);
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    return InvalidArgument(msg);
  }
  return Unavailable(msg);
}

}  // namespace vigil::alerts
