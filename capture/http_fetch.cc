// SPDX-License-Identifier: Apache-2.0
// One libcurl easy handle per GET. Credentials never appear in messages: the
// URL is stored without userinfo and passwords are registered as secrets.
#include "capture/http_fetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "common/log.h"

namespace vigil::capture {
namespace {

// Bytes of a non-2xx body kept for the error message.
constexpr size_t kErrorBodyKeep = 4096;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

// State shared with the libcurl callbacks during one transfer.
struct Transfer {
  CURL* curl = nullptr;
  HttpResponse response;
  const BodyDone* done = nullptr;
  uint64_t max_bytes = 0;
  const std::atomic<bool>* cancel = nullptr;
  bool too_big = false;
};

bool Is2xx(long code) { return code >= 200 && code < 300; }

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  // A new status line starts a new response (auth retry, redirect): forget
  // the body of the previous one.
  if (line.rfind("HTTP/", 0) == 0) {
    t->response.body.clear();
    t->response.content_type.clear();
  } else if (Lower(line.substr(0, 13)) == "content-type:") {
    std::string v = line.substr(13);
    v.erase(0, v.find_first_not_of(" \t"));
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' ||
                          v.back() == ' ')) {
      v.pop_back();
    }
    t->response.content_type = Lower(v);
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  long code = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
  auto& body = t->response.body;
  if (!Is2xx(code)) {
    size_t keep = std::min(len, kErrorBodyKeep - std::min(kErrorBodyKeep,
                                                          body.size()));
    body.insert(body.end(), data, data + keep);
    return len;
  }
  if (body.size() + len > t->max_bytes) {
    t->too_big = true;
    return 0;  // makes libcurl fail with CURLE_WRITE_ERROR
  }
  body.insert(body.end(), data, data + len);
  if (t->done && *t->done && (*t->done)(t->response)) {
    t->response.stopped_early = true;
    return 0;
  }
  return len;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel->load() ? 1 : 0;  // nonzero aborts the transfer
}

long CurlAuth(HttpAuth auth) {
  switch (auth) {
    case HttpAuth::kBasic:
      return CURLAUTH_BASIC;
    case HttpAuth::kDigest:
      return CURLAUTH_DIGEST;
    default:
      return CURLAUTH_BASIC | CURLAUTH_DIGEST;
  }
}

Status MapCurlError(CURLcode rc, const char* errbuf, const std::string& url,
                    double timeout_s) {
  std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  std::string where = "GET " + url + ": ";
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return Unavailable(where + "timed out (timeout_s " +
                         std::to_string(static_cast<int>(timeout_s)) +
                         "): " + detail);
    case CURLE_ABORTED_BY_CALLBACK:
      return Unavailable(where + "cancelled (scheduler stopping)");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
      return Unavailable(where + "TLS failed: " + detail +
                         " (for a self-signed camera set tls_verify: false)");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return InvalidArgument(where + detail);
    default:
      return Unavailable(where + detail);
  }
}

Status MapHttpStatus(const HttpResponse& r, const std::string& url) {
  std::string where = "GET " + url + ": HTTP " + std::to_string(r.status);
  if (r.status == 401 || r.status == 403) {
    return Unauthenticated(where +
                           " (check username, password and auth scheme)");
  }
  std::string preview(r.body.begin(),
                      r.body.begin() + std::min<size_t>(r.body.size(), 80));
  for (char& c : preview) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return Unavailable(where + (preview.empty() ? "" : ": " + preview));
}

}  // namespace

Result<std::unique_ptr<HttpFetcher>> HttpFetcher::Create(
    const CameraConfig& config) {
  GlobalInit();
  std::unique_ptr<HttpFetcher> f(new HttpFetcher());
  f->config_ = config;
  f->username_ = config.username;
  f->password_ = config.password;
  log::RegisterSecret(config.password);

  CURLU* u = curl_url();
  if (!u) return InternalError("curl_url() failed");
  std::unique_ptr<CURLU, void (*)(CURLU*)> guard(u, curl_url_cleanup);
  if (curl_url_set(u, CURLUPART_URL, config.url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument("cameras." + config.name +
                           ".url: not a valid URL (" +
                           log::Redact(config.url) + ")");
  }
  // Only the password is a secret; redacting a user name such as "admin"
  // would blank that word in every log line.
  auto take = [&](CURLUPart part, std::string& out) {
    char* v = nullptr;
    if (curl_url_get(u, part, &v, CURLU_URLDECODE) == CURLUE_OK && v) {
      if (out.empty()) out = v;
      if (part == CURLUPART_PASSWORD) log::RegisterSecret(v);
      curl_free(v);
    }
    curl_url_set(u, part, nullptr, 0);  // strip it from the URL
  };
  std::string url_user;
  take(CURLUPART_USER, url_user);
  take(CURLUPART_PASSWORD, f->password_);
  if (f->username_.empty()) f->username_ = url_user;
  char* clean = nullptr;
  if (curl_url_get(u, CURLUPART_URL, &clean, 0) != CURLUE_OK || !clean) {
    return InvalidArgument("cameras." + config.name + ".url: cannot rebuild");
  }
  f->url_ = clean;
  curl_free(clean);
  f->safe_url_ = log::Redact(f->url_);
  return f;
}

Result<HttpResponse> HttpFetcher::Get(const BodyDone& done) {
  CURL* curl = curl_easy_init();
  if (!curl) return InternalError("curl_easy_init failed");
  std::unique_ptr<CURL, void (*)(CURL*)> guard(curl, curl_easy_cleanup);
  Transfer t;
  t.curl = curl;
  t.done = &done;
  t.max_bytes = config_.max_bytes;
  t.cancel = &cancel_;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // we run on many threads
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.connect_timeout_s * 1000));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(config_.timeout_s * 1000));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "vigil/0.1");
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(config_.max_bytes));
  if (!config_.tls_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!username_.empty() || !password_.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CurlAuth(config_.auth));
    curl_easy_setopt(curl, CURLOPT_USERNAME, username_.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password_.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);

  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.response.status);
  if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
    return OutOfRange("GET " + safe_url_ + ": body exceeds max_bytes " +
                      std::to_string(config_.max_bytes));
  }
  bool ok = rc == CURLE_OK || (rc == CURLE_WRITE_ERROR &&
                               t.response.stopped_early);
  if (!ok) {
    Status s = MapCurlError(rc, errbuf, safe_url_, config_.timeout_s);
    return Status(s.code(), log::Redact(s.message()));
  }
  if (!Is2xx(t.response.status)) return MapHttpStatus(t.response, safe_url_);
  return std::move(t.response);
}

}  // namespace vigil::capture
