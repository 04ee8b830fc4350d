// SPDX-License-Identifier: Apache-2.0
// The only libcurl user of app/. Each call uses its own easy handle.
#include "app/model_pull/download.h"

#include <curl/curl.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <memory>
#include <system_error>

namespace vigil::model_pull {
namespace {

using CurlPtr = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

CurlPtr NewHandle(const std::string& url, const TransferOptions& options) {
  static const bool global_init = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)global_init;
  CurlPtr h(curl_easy_init(), &curl_easy_cleanup);
  if (!h) return h;
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_USERAGENT, "vigil-model-pull/1");
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
  curl_easy_setopt(h.get(), CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(h.get(), CURLOPT_LOW_SPEED_TIME, options.stall_timeout_s);
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  return h;
}

// Maps a transfer failure to the codes documented in download.h.
Status CurlError(CURLcode rc, const std::string& url, const char* detail) {
  std::string what = std::string(curl_easy_strerror(rc)) +
                     (detail[0] ? std::string(" (") + detail + ")" : "");
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      return Unavailable("cannot download " + url + ": " + what +
                         "; check the network (or --base-url for a mirror) "
                         "and run again: it resumes where it stopped");
    default:
      return IoError("download of " + url + " failed: " + what);
  }
}

Status HttpError(long code, const std::string& url) {
  if (code == 404) return NotFound("HTTP 404 for " + url +
                                   ": no such file (check --quant / --repo)");
  if (code == 401 || code == 403) {
    return Unauthenticated("HTTP " + std::to_string(code) + " for " + url +
                           ": the repo needs a login or licence acceptance");
  }
  return IoError("HTTP " + std::to_string(code) + " for " + url);
}

// Lowercase header name -> value, for the probe.
size_t CollectHeader(char* data, size_t size, size_t n, void* user) {
  auto* info = static_cast<RemoteInfo*>(user);
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  for (char& c : name) c = static_cast<char>(std::tolower(c));
  std::string value = line.substr(colon + 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.erase(0, 1);
  if (name == "x-linked-etag") info->sha256 = value;  // parsed by the caller
  if (name == "x-linked-size") info->size = std::strtoll(value.c_str(), nullptr, 10);
  if (name == "etag" && info->sha256.empty()) info->sha256 = value;
  return size * n;
}

// State of one download: the file is opened lazily, once the status code
// says whether the body continues `part` (206) or replaces it (200).
struct Sink {
  CURL* handle = nullptr;
  std::filesystem::path path;
  int64_t offset = 0;
  FILE* file = nullptr;
  int64_t written = 0;
  std::string error;
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->file == nullptr) {
    long code = 0;
    curl_easy_getinfo(sink->handle, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200 && code != 206) return 0;  // error pages are not data
    if (code == 200) sink->offset = 0;         // server ignored Range
    sink->file = std::fopen(sink->path.c_str(), code == 206 ? "ab" : "wb");
    if (sink->file == nullptr) {
      sink->error = "cannot write '" + sink->path.string() + "': " +
                    std::strerror(errno);
      return 0;
    }
  }
  size_t bytes = size * n;
  if (std::fwrite(data, 1, bytes, sink->file) != bytes) {
    sink->error = "write to '" + sink->path.string() + "' failed: " +
                  std::strerror(errno);
    return 0;
  }
  sink->written += static_cast<int64_t>(bytes);
  return bytes;
}

struct ProgressContext {
  const TransferOptions* options;
  const Sink* sink;
};

int OnProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t,
               curl_off_t) {
  auto* ctx = static_cast<ProgressContext*>(user);
  if (ctx->options->progress) {
    int64_t done = ctx->sink->offset + static_cast<int64_t>(now);
    int64_t all = total > 0 ? ctx->sink->offset + static_cast<int64_t>(total) : -1;
    ctx->options->progress(done, all);
  }
  return 0;
}

}  // namespace

Result<RemoteInfo> ProbeRemote(const std::string& url,
                               const TransferOptions& options) {
  CurlPtr h = NewHandle(url, options);
  if (!h) return InternalError("libcurl: cannot create a handle");
  RemoteInfo info;
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h.get(), CURLOPT_NOBODY, 1L);
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, &CollectHeader);
  curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &info);
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(h.get());
  if (rc != CURLE_OK) return CurlError(rc, url, errbuf);
  long code = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &code);
  if (code >= 400) return HttpError(code, url);
  if (code == 200 && info.size < 0) {
    curl_off_t length = -1;
    curl_easy_getinfo(h.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    info.size = length;
  }
  return info;
}

Status DownloadResumable(const std::string& url,
                        const std::filesystem::path& part,
                        const TransferOptions& options) {
  CurlPtr h = NewHandle(url, options);
  if (!h) return InternalError("libcurl: cannot create a handle");
  std::error_code ec;
  Sink sink;
  sink.handle = h.get();
  sink.path = part;
  sink.offset = std::filesystem::exists(part, ec)
                    ? static_cast<int64_t>(std::filesystem::file_size(part, ec))
                    : 0;
  if (ec) sink.offset = 0;
  ProgressContext progress{&options, &sink};
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h.get(), CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h.get(), CURLOPT_XFERINFOFUNCTION, &OnProgress);
  curl_easy_setopt(h.get(), CURLOPT_XFERINFODATA, &progress);
  // CURLOPT_RANGE, not RESUME_FROM: a server that ignores the range (200)
  // is handled in WriteBody instead of failing the transfer.
  const std::string range = std::to_string(sink.offset) + "-";
  if (sink.offset > 0) curl_easy_setopt(h.get(), CURLOPT_RANGE, range.c_str());
  CURLcode rc = curl_easy_perform(h.get());
  bool flushed = true;
  if (sink.file != nullptr) flushed = std::fclose(sink.file) == 0;
  long code = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &code);
  if (!sink.error.empty()) return IoError(sink.error);
  if (!flushed) return IoError("cannot write '" + part.string() + "'");
  // 416: nothing past our offset; the checksum decides if `part` is whole.
  if (code == 416 && sink.offset > 0) return OkStatus();
  if (code >= 400) return HttpError(code, url);
  if (rc != CURLE_OK) return CurlError(rc, url, errbuf);
  return OkStatus();
}

}  // namespace vigil::model_pull
