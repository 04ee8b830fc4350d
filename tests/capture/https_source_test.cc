// SPDX-License-Identifier: Apache-2.0
// HTTPS camera with a self-signed certificate (generated here with OpenSSL):
// refused with a hint while tls_verify is on, accepted with it off.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "capture/source_factory.h"
#include "local_camera_server.h"

namespace vigil::capture {
namespace {

namespace fs = std::filesystem;

// Writes a self-signed certificate and its key for CN=127.0.0.1.
bool WriteSelfSigned(const fs::path& cert, const fs::path& key) {
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  X509* x509 = X509_new();
  if (!pkey || !x509) return false;
  ASN1_INTEGER_set(X509_get_serialNumber(x509), 1);
  X509_gmtime_adj(X509_getm_notBefore(x509), 0);
  X509_gmtime_adj(X509_getm_notAfter(x509), 3600);
  X509_set_pubkey(x509, pkey);
  X509_NAME* name = X509_get_subject_name(x509);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"),
                             -1, -1, 0);
  X509_set_issuer_name(x509, name);
  bool ok = X509_sign(x509, pkey, EVP_sha256()) > 0;
  FILE* f = std::fopen(cert.c_str(), "wb");
  ok = ok && f && PEM_write_X509(f, x509);
  if (f) std::fclose(f);
  f = std::fopen(key.c_str(), "wb");
  ok = ok && f &&
       PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  if (f) std::fclose(f);
  X509_free(x509);
  EVP_PKEY_free(pkey);
  return ok;
}

TEST(HttpsSourceTest, SelfSignedNeedsTlsVerifyOff) {
  fs::path dir = fs::temp_directory_path() /
                 ("vigil_tls_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ASSERT_TRUE(WriteSelfSigned(dir / "cert.pem", dir / "key.pem"));
  httplib::SSLServer server((dir / "cert.pem").c_str(),
                            (dir / "key.pem").c_str());
  ASSERT_TRUE(server.is_valid());
  auto jpeg = testing::MakeJpeg(80, 60, 9);
  server.Get("/snap.jpg", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(jpeg.begin(), jpeg.end()), "image/jpeg");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  CameraConfig c;
  c.name = "tls_cam";
  c.kind = SourceKind::kHttp;
  c.url = "https://127.0.0.1:" + std::to_string(port) + "/snap.jpg";
  c.timeout_s = 10;
  auto strict = MakeSource(c);
  ASSERT_TRUE(strict.ok());
  auto refused = (*strict)->Capture();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("tls_verify: false"),
            std::string::npos)
      << refused.status().message();

  c.tls_verify = false;
  auto lenient = MakeSource(c);
  ASSERT_TRUE(lenient.ok());
  auto img = (*lenient)->Capture();
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 80);

  server.stop();
  thread.join();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::capture
