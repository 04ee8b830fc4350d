// SPDX-License-Identifier: Apache-2.0
// The test camera: digest auth (RFC 7616, MD5, qop=auth) checked by hand
// because cpp-httplib's server has no digest support.
#include "tests/app/fake_camera.h"

#include <openssl/evp.h>

#include <chrono>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <regex>

#include <httplib.h>

namespace vigil::testing {
namespace {

constexpr char kRealm[] = "vigil-test-cam";
constexpr char kNonce[] = "dcd98b7102dd2f0e8b11d0f600bfb0c093";

std::string Md5Hex(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), md, &n, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

// Parses `Digest k="v", k2=v2, ...` into a map.
std::map<std::string, std::string> ParseDigest(const std::string& header) {
  std::map<std::string, std::string> out;
  if (header.rfind("Digest ", 0) != 0) return out;
  static const std::regex kv(R"re((\w+)=(?:"([^"]*)"|([^,\s]*)))re");
  for (auto it = std::sregex_iterator(header.begin() + 7, header.end(), kv);
       it != std::sregex_iterator(); ++it) {
    out[(*it)[1]] = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
  }
  return out;
}

}  // namespace

std::vector<unsigned char> MakeJpeg(int width, int height, int seed) {
  cv::Mat img(height, width, CV_8UC3, cv::Scalar(40, 90 + seed % 100, 160));
  cv::circle(img, {(seed * 37) % width, height / 2}, height / 4,
             cv::Scalar(255, 255, 255), cv::FILLED);
  cv::putText(img, std::to_string(seed), {10, height - 10},
              cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0, 0, 0), 2);
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", img, jpeg);
  return jpeg;
}

FakeCamera::FakeCamera(std::string user, std::string password)
    : user_(std::move(user)), password_(std::move(password)),
      server_(std::make_unique<httplib::Server>()) {
  server_->Get("/snap.jpg", [this](const httplib::Request& req,
                                   httplib::Response& res) {
    if (!CheckDigest("GET", req.get_header_value("Authorization"))) {
      ++challenges_;
      res.status = 401;
      res.set_header("WWW-Authenticate",
                     std::string("Digest realm=\"") + kRealm +
                         "\", qop=\"auth\", algorithm=MD5, nonce=\"" + kNonce +
                         "\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
      res.set_content("<html>401</html>", "text/html");
      return;
    }
    std::vector<unsigned char> jpeg = MakeJpeg(320, 240, ++snaps_served_);
    res.set_content(std::string(jpeg.begin(), jpeg.end()), "image/jpeg");
  });
  server_->Get("/corrupt.jpg", [](const httplib::Request&,
                                  httplib::Response& res) {
    std::vector<unsigned char> jpeg = MakeJpeg(320, 240, 7);
    jpeg.resize(jpeg.size() / 3);  // truncated mid-scan
    res.set_content(std::string(jpeg.begin(), jpeg.end()), "image/jpeg");
  });
  server_->Get("/html.jpg", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<!DOCTYPE html><html><body>Please log in</body></html>",
                    "text/html");
  });
  server_->Get("/denied.jpg", [](const httplib::Request&,
                                 httplib::Response& res) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Basic realm=\"cam\"");
  });
  server_->Get("/hang.jpg", [this](const httplib::Request&,
                                   httplib::Response& res) {
    for (int i = 0; i < 600 && !stopping_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    res.status = 504;
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FakeCamera::~FakeCamera() {
  stopping_ = true;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeCamera::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

bool FakeCamera::CheckDigest(const std::string& method,
                             const std::string& header) {
  std::map<std::string, std::string> d = ParseDigest(header);
  if (d["username"] != user_ || d["realm"] != kRealm || d["nonce"] != kNonce ||
      d["qop"] != "auth") {
    return false;
  }
  std::string ha1 = Md5Hex(user_ + ":" + kRealm + ":" + password_);
  std::string ha2 = Md5Hex(method + ":" + d["uri"]);
  std::string expected = Md5Hex(ha1 + ":" + d["nonce"] + ":" + d["nc"] + ":" +
                                d["cnonce"] + ":" + d["qop"] + ":" + ha2);
  return expected == d["response"];
}

}  // namespace vigil::testing
