// SPDX-License-Identifier: Apache-2.0
// Test IP camera. Digest verification follows RFC 7616 §3.4.1 with MD5 and
// qop=auth: response = MD5(HA1:nonce:nc:cnonce:qop:HA2), HA1 =
// MD5(user:realm:password), HA2 = MD5(method:uri).
#include "local_camera_server.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <chrono>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace vigil::capture::testing {
namespace {

constexpr const char* kRealm = "vigil-test-camera";

std::string Md5Hex(const std::string& s) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), out, &n, EVP_md5(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < n; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}

std::string Base64(const std::string& s) {
  std::vector<unsigned char> out(4 * ((s.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(out.data(),
                          reinterpret_cast<const unsigned char*>(s.data()),
                          static_cast<int>(s.size()));
  return std::string(reinterpret_cast<char*>(out.data()), n);
}

// Parses `Digest k1="v1", k2=v2, ...` into a map.
std::map<std::string, std::string> ParseDigest(const std::string& header) {
  std::map<std::string, std::string> kv;
  if (header.rfind("Digest ", 0) != 0) return kv;
  size_t p = 7;
  while (p < header.size()) {
    while (p < header.size() && (header[p] == ' ' || header[p] == ',')) ++p;
    size_t eq = header.find('=', p);
    if (eq == std::string::npos) break;
    std::string key = header.substr(p, eq - p);
    p = eq + 1;
    std::string value;
    if (p < header.size() && header[p] == '"') {
      for (++p; p < header.size() && header[p] != '"'; ++p) {
        if (header[p] == '\\' && p + 1 < header.size()) ++p;
        value += header[p];
      }
      ++p;
    } else {
      size_t comma = header.find(',', p);
      if (comma == std::string::npos) comma = header.size();
      value = header.substr(p, comma - p);
      p = comma;
    }
    kv[key] = value;
  }
  return kv;
}

std::string AsString(const std::vector<uint8_t>& v) {
  return std::string(v.begin(), v.end());
}

// Writes MJPEG parts until the client leaves or `max_frames` are sent.
bool StreamFrames(httplib::DataSink& sink, bool with_length, size_t offset) {
  if (offset > 0) return false;  // one pass per connection
  for (int i = 0; i < 50 && sink.is_writable(); ++i) {
    std::string jpeg = AsString(MakeJpeg(160, 120, i));
    std::string part = "--frame\r\nContent-Type: image/jpeg\r\n";
    if (with_length) {
      part += "Content-Length: " + std::to_string(jpeg.size()) + "\r\n";
    }
    part += "\r\n" + jpeg + "\r\n";
    // Split the part in two writes so the client sees partial frames.
    size_t half = part.size() / 2;
    if (!sink.write(part.data(), half)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!sink.write(part.data() + half, part.size() - half)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sink.done();
  return true;
}

}  // namespace

std::vector<uint8_t> MakeJpeg(int w, int h, int seed) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(
          static_cast<uint8_t>(x * 255 / std::max(1, w - 1)),
          static_cast<uint8_t>(y * 255 / std::max(1, h - 1)),
          static_cast<uint8_t>((seed * 37) & 255));
    }
  }
  std::vector<uint8_t> out;
  cv::imencode(".jpg", img, out);
  return out;
}

LocalCameraServer::LocalCameraServer(std::string user, std::string password)
    : user_(std::move(user)),
      password_(std::move(password)),
      server_(std::make_unique<httplib::Server>()) {
  Register();
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

LocalCameraServer::~LocalCameraServer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
  }
  released_cv_.notify_all();
  server_->stop();
  thread_.join();
}

std::string LocalCameraServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string LocalCameraServer::NewNonce() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string nonce = Md5Hex("nonce" + std::to_string(++nonce_counter_) +
                             std::to_string(port_));
  nonces_.insert(nonce);
  return nonce;
}

bool LocalCameraServer::CheckDigest(const std::string& authorization,
                                    const std::string& method) {
  auto kv = ParseDigest(authorization);
  if (kv.empty()) return false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!nonces_.count(kv["nonce"])) return false;
  }
  std::string ha1 = Md5Hex(user_ + ":" + kRealm + ":" + password_);
  std::string ha2 = Md5Hex(method + ":" + kv["uri"]);
  std::string expected = Md5Hex(ha1 + ":" + kv["nonce"] + ":" + kv["nc"] +
                                ":" + kv["cnonce"] + ":" + kv["qop"] + ":" +
                                ha2);
  bool ok = kv["username"] == user_ && kv["realm"] == kRealm &&
            kv["qop"] == "auth" && kv["response"] == expected;
  (ok ? digest_ok : digest_failed)++;
  return ok;
}

bool LocalCameraServer::CheckBasic(const std::string& authorization) const {
  return authorization == "Basic " + Base64(user_ + ":" + password_);
}

void LocalCameraServer::Register() {
  auto& s = *server_;
  auto challenge = [this](httplib::Response& res) {
    res.status = 401;
    res.set_header("WWW-Authenticate",
                   std::string("Digest realm=\"") + kRealm +
                       "\", qop=\"auth\", algorithm=MD5, nonce=\"" +
                       NewNonce() + "\"");
    res.set_content("<html>401 Unauthorized</html>", "text/html");
  };
  auto digest = [this, challenge](const httplib::Request& req,
                                  httplib::Response& res) {
    requests++;
    if (!CheckDigest(req.get_header_value("Authorization"), req.method)) {
      challenge(res);
      return false;
    }
    return true;
  };
  s.Get("/digest.jpg", [=](const httplib::Request& req, httplib::Response& res) {
    if (digest(req, res)) res.set_content(AsString(MakeJpeg(320, 240, 1)), "image/jpeg");
  });
  s.Get("/basic.jpg", [this](const httplib::Request& req, httplib::Response& res) {
    requests++;
    if (!CheckBasic(req.get_header_value("Authorization"))) {
      res.status = 401;
      res.set_header("WWW-Authenticate", "Basic realm=\"cam\"");
      return;
    }
    res.set_content(AsString(MakeJpeg(640, 360, 2)), "image/jpeg");
  });
  s.Get("/open.jpg", [this](const httplib::Request&, httplib::Response& res) {
    requests++;
    res.set_content(AsString(MakeJpeg(200, 100, 3)), "image/jpeg");
  });
  s.Get("/octet.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(AsString(MakeJpeg(100, 50, 4)), "application/octet-stream");
  });
  s.Get("/corrupt.jpg", [](const httplib::Request&, httplib::Response& res) {
    std::string jpeg = AsString(MakeJpeg(320, 240, 5));
    res.set_content(jpeg.substr(0, jpeg.size() / 2), "image/jpeg");
  });
  s.Get("/garbage.jpg", [](const httplib::Request&, httplib::Response& res) {
    std::string body = "\xFF\xD8\xFF\xE0";
    for (int i = 0; i < 2000; ++i) body += static_cast<char>((i * 7919) & 0xFF);
    body += "\xFF\xD9";
    res.set_content(body, "image/jpeg");
  });
  s.Get("/html", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><body>Please log in</body></html>", "text/html");
  });
  s.Get("/unauth", [](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
  });
  s.Get("/error", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("internal camera error", "text/plain");
  });
  s.Get("/flaky.jpg", [this](const httplib::Request&, httplib::Response& res) {
    requests++;
    if (fail_flaky) {
      res.status = 500;
      return;
    }
    res.set_content(AsString(MakeJpeg(64, 48, 6)), "image/jpeg");
  });
  s.Get("/big.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(AsString(MakeJpeg(2000, 2000, 7)) + std::string(2 << 20, '\0'),
                    "image/jpeg");
  });
  s.Get("/hang", [this](const httplib::Request&, httplib::Response& res) {
    hangs_started++;
    std::unique_lock<std::mutex> lock(mu_);
    released_cv_.wait_for(lock, std::chrono::seconds(30),
                          [this] { return released_; });
    res.status = 503;
  });
  s.Get("/stream.mjpg", [=](const httplib::Request& req, httplib::Response& res) {
    if (!digest(req, res)) return;
    res.set_chunked_content_provider(
        "multipart/x-mixed-replace; boundary=frame",
        [](size_t offset, httplib::DataSink& sink) {
          return StreamFrames(sink, true, offset);
        });
  });
  s.Get("/stream-nolen.mjpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider(
        "multipart/x-mixed-replace;boundary=\"--frame\"",
        [](size_t offset, httplib::DataSink& sink) {
          return StreamFrames(sink, false, offset);
        });
  });
}

}  // namespace vigil::capture::testing
