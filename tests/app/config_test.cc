// SPDX-License-Identifier: Apache-2.0
// app/config: a passing config per camera kind, and one failing case per
// validation rule, each checked for key path, expectation and line number.
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "app/config/load.h"
#include "common/log.h"
#include "web/auth.h"

namespace vigil::app {
namespace {

LoadOptions TestOptions() {
  LoadOptions o;
  o.env = [](const std::string& name) -> std::optional<std::string> {
    static const std::map<std::string, std::string> env = {
        {"FRONT_DOOR_PASS", "s3cret-front-door"},
        {"WEB_PASS", "correct horse battery"},
        {"TOKEN", "0123456789abcdef0123"},
        {"PORT", "9090"}};
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  o.hash_iterations = 1000;  // the real work factor is for real logins
  return o;
}

Result<AppConfig> Load(const std::string& yaml) {
  return LoadConfigString(yaml, "config.yaml", "/etc/vigil", TestOptions());
}

// Asserts that `yaml` fails with a message containing each of `parts`.
void ExpectError(const std::string& yaml,
                 std::initializer_list<std::string> parts) {
  Result<AppConfig> r = Load(yaml);
  ASSERT_FALSE(r.ok()) << "accepted:\n" << yaml;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  for (const std::string& p : parts) {
    EXPECT_NE(r.status().message().find(p), std::string::npos)
        << "message: " << r.status().message() << "\nmissing: " << p;
  }
}

constexpr char kFull[] = R"(# every camera kind
storage:
  data_dir: /var/lib/vigil
  utc_folders: true
  thumbnail_width: 240
retention:
  max_age_days: 30
  max_gb: 20
  interval_minutes: 5
web:
  bind: 0.0.0.0
  port: ${PORT}
  password: ${WEB_PASS}
  api_tokens: ["${TOKEN}"]
  session_hours: 12
logging:
  level: debug
cameras:
  front_door:
    kind: http
    url: http://192.168.1.20/cgi-bin/snapshot.cgi
    username: admin
    password: ${FRONT_DOOR_PASS}
    auth: digest
    tls_verify: false
    interval_s: 30
    retention: {max_age_days: 7, max_gb: 2}
  garage:
    kind: rtsp
    url: rtsp://192.168.1.21:554/stream1
  hall:
    kind: mjpeg
    url: http://192.168.1.22/video.mjpg
  desk:
    kind: v4l2
    device: /dev/video0
    width: 1280
    height: 720
  ftp_drop:
    kind: watch_folder
    folder: incoming/ftp
    after_ingest: delete
  pi:
    kind: libcamera
    enabled: false
  demo:
    kind: demo
    interval_s: 2
)";

TEST(ConfigTest, LoadsEveryKindAndSection) {
  Result<AppConfig> r = Load(kFull);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const AppConfig& c = *r;
  EXPECT_EQ(c.storage.data_dir, "/var/lib/vigil");
  EXPECT_TRUE(c.storage.utc_folders);
  EXPECT_EQ(c.storage.thumbnail_width, 240);
  EXPECT_EQ(c.web.options.bind_address, "0.0.0.0");
  EXPECT_EQ(c.web.options.port, 9090);
  EXPECT_EQ(c.web.options.session_lifetime_s, 12 * 3600);
  ASSERT_EQ(c.web.options.api_tokens.size(), 1u);
  EXPECT_FALSE(c.web.first_run_password);
  EXPECT_TRUE(web::VerifyPassword("correct horse battery",
                                  c.web.options.password_hash));
  EXPECT_EQ(c.logging.level, log::Level::kDebug);
  EXPECT_DOUBLE_EQ(c.retention_interval_minutes, 5);
  ASSERT_EQ(c.cameras.size(), 7u);
  EXPECT_EQ(c.cameras[0].name, "front_door");
  EXPECT_EQ(c.cameras[0].kind, capture::SourceKind::kHttp);
  EXPECT_EQ(c.cameras[0].password, "s3cret-front-door");
  EXPECT_EQ(c.cameras[0].auth, capture::HttpAuth::kDigest);
  EXPECT_FALSE(c.cameras[0].tls_verify);
  EXPECT_EQ(c.cameras[1].kind, capture::SourceKind::kRtsp);
  EXPECT_EQ(c.cameras[2].kind, capture::SourceKind::kMjpeg);
  EXPECT_EQ(c.cameras[3].kind, capture::SourceKind::kV4l2);
  EXPECT_EQ(c.cameras[3].width, 1280);
  EXPECT_EQ(c.cameras[4].kind, capture::SourceKind::kWatchFolder);
  EXPECT_EQ(c.cameras[4].folder, "/etc/vigil/incoming/ftp");  // config-relative
  EXPECT_EQ(c.cameras[4].after_ingest, capture::AfterIngest::kDelete);
  EXPECT_FALSE(c.cameras[5].enabled);
  EXPECT_EQ(c.cameras[6].kind, capture::SourceKind::kDemo);

  store::RetentionPolicy policy = ToRetentionPolicy(c);
  ASSERT_TRUE(policy.global.max_age.has_value());
  EXPECT_EQ(policy.global.max_age->count(), 30 * 86400);
  EXPECT_EQ(*policy.global.max_bytes, 20'000'000'000);
  ASSERT_EQ(policy.per_camera.count("front_door"), 1u);
  EXPECT_EQ(*policy.per_camera["front_door"].max_bytes, 2'000'000'000);
}

TEST(ConfigTest, SecretsAreRegisteredForRedaction) {
  ASSERT_TRUE(Load(kFull).ok());
  std::string line = log::Redact(
      "auth failed for s3cret-front-door / correct horse battery / "
      "0123456789abcdef0123");
  EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
  EXPECT_EQ(line.find("horse"), std::string::npos) << line;
  EXPECT_EQ(line.find("0123456789abcdef"), std::string::npos) << line;
}

TEST(ConfigTest, UrlPasswordIsRegistered) {
  ASSERT_TRUE(Load("cameras:\n  c:\n    kind: rtsp\n"
                   "    url: rtsp://u:url-pass-xyz@cam/s\n")
                  .ok());
  EXPECT_EQ(log::Redact("rtsp://u:url-pass-xyz@cam").find("url-pass-xyz"),
            std::string::npos);
}

TEST(ConfigTest, EmptyFileGivesDefaults) {
  Result<AppConfig> r = Load("");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->cameras.size(), 1u);
  EXPECT_EQ(r->cameras[0].kind, capture::SourceKind::kDemo);
  EXPECT_TRUE(r->web.first_run_password);
  EXPECT_EQ(r->web.options.bind_address, "127.0.0.1");
  EXPECT_EQ(r->web.options.port, 8080);
  EXPECT_EQ(r->storage.data_dir, "/etc/vigil/data");
}

TEST(ConfigTest, ExplicitEmptyCamerasMeansNone) {
  Result<AppConfig> r = Load("cameras: {}\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->cameras.empty());
}

TEST(ConfigTest, PasswordHashIsAcceptedAsIs) {
  std::string hash = web::HashPassword("another password", 1000);
  Result<AppConfig> r = Load("web:\n  password_hash: \"" + hash + "\"\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->web.options.password_hash, hash);
}

// --- Structure -----------------------------------------------------------

TEST(ConfigErrorTest, UnknownTopLevelKey) {
  ExpectError("storage: {}\nwbe:\n  port: 1\n",
              {"wbe: unknown key", "did you mean 'web'?", "config.yaml line 2"});
}

TEST(ConfigErrorTest, UnknownCameraKey) {
  ExpectError("cameras:\n  porch:\n    kind: demo\n    intervl_s: 3\n",
              {"cameras.porch.intervl_s: unknown key",
               "did you mean 'interval_s'?", "line 4"});
}

TEST(ConfigErrorTest, UnknownKeyInEachSection) {
  ExpectError("storage:\n  dir: x\n", {"storage.dir: unknown key", "line 2"});
  ExpectError("retention:\n  max_days: 3\n",
              {"retention.max_days: unknown key", "line 2"});
  ExpectError("web:\n  pasword: abcdefghij\n",
              {"web.pasword: unknown key", "did you mean 'password'?"});
  ExpectError("logging:\n  lvl: info\n", {"logging.lvl: unknown key"});
  ExpectError("cameras:\n  c:\n    kind: demo\n    retention:\n      gb: 1\n",
              {"cameras.c.retention.gb: unknown key", "line 5"});
}

TEST(ConfigErrorTest, DuplicateKey) {
  ExpectError("web:\n  port: 1\n  port: 2\n",
              {"web.port: duplicate key (first on line 2)", "line 3"});
}

TEST(ConfigErrorTest, SectionMustBeMapping) {
  ExpectError("web: 8080\n", {"web: expected a mapping", "line 1"});
  ExpectError("- a\n- b\n", {"(top level): expected a mapping"});
  ExpectError("cameras:\n  - kind: demo\n",
              {"cameras: expected a mapping of camera name", "got a list"});
}

TEST(ConfigErrorTest, YamlSyntaxError) {
  ExpectError("web:\n  port: [1,\n", {"YAML syntax error", "config.yaml line"});
  ExpectError("a: b: c\n", {"YAML syntax error", "line 1"});
}

TEST(ConfigErrorTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(20000, '[');
  Result<AppConfig> r = Load("web: " + deep);
  EXPECT_FALSE(r.ok());
}

// --- Types ---------------------------------------------------------------

TEST(ConfigErrorTest, WrongTypes) {
  ExpectError("web:\n  port: eighty\n",
              {"web.port: expected a whole number, got 'eighty'", "line 2"});
  ExpectError("web:\n  port: 80.5\n", {"web.port: expected a whole number"});
  ExpectError("cameras:\n  c:\n    kind: demo\n    interval_s: soon\n",
              {"cameras.c.interval_s: expected a number, got 'soon'",
               "line 4"});
  ExpectError("cameras:\n  c:\n    kind: demo\n    enabled: maybe\n",
              {"cameras.c.enabled: expected true or false", "line 4"});
  ExpectError("cameras:\n  c:\n    kind: demo\n    url: [a, b]\n",
              {"cameras.c.url: expected a string, got a list", "line 4"});
  ExpectError("web:\n  api_tokens: abc\n",
              {"web.api_tokens: expected a list of strings"});
  ExpectError("retention:\n  max_gb: {a: 1}\n",
              {"retention.max_gb: expected a number, got a mapping"});
  ExpectError("cameras:\n  c:\n    kind: demo\n    interval_s: .nan\n",
              {"cameras.c.interval_s: expected a number"});
}

// --- Environment ---------------------------------------------------------

TEST(ConfigErrorTest, UnsetEnvironmentVariable) {
  ExpectError(
      "cameras:\n  porch:\n    kind: http\n    url: http://cam/snap.jpg\n"
      "    password: ${NOT_SET_ANYWHERE}\n",
      {"cameras.porch.password: environment variable NOT_SET_ANYWHERE is not "
       "set",
       "line 5"});
}

TEST(ConfigErrorTest, MalformedEnvironmentReference) {
  ExpectError("web:\n  password: ${BAD-NAME}\n",
              {"web.password: malformed environment reference"});
  ExpectError("web:\n  password: ${UNCLOSED\n",
              {"web.password: malformed environment reference"});
}

TEST(ConfigTest, DollarWithoutBraceIsLiteral) {
  Result<AppConfig> r = Load("web:\n  password: pa$$word-long\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(web::VerifyPassword("pa$$word-long", r->web.options.password_hash));
}

// --- Cameras -------------------------------------------------------------

TEST(ConfigErrorTest, CameraRules) {
  const std::string head = "cameras:\n  porch:\n";
  ExpectError(head + "    interval_s: 3\n",
              {"cameras.porch.kind: required", "line 2"});
  ExpectError(head + "    kind: ptz\n",
              {"cameras.porch.kind: unknown", "'ptz'", "demo", "line 3"});
  ExpectError(head + "    kind: demo\n    interval_s: 0\n",
              {"cameras.porch.interval_s: must be > 0, got 0",
               "(config.yaml line 4)"});
  ExpectError(head + "    kind: demo\n    jitter_s: -1\n",
              {"cameras.porch.jitter_s: must be >= 0", "line 4"});
  ExpectError(head + "    kind: demo\n    timeout_s: 0\n",
              {"cameras.porch.timeout_s", "line 4"});
  ExpectError(head + "    kind: demo\n    connect_timeout_s: -2\n",
              {"cameras.porch.connect_timeout_s", "line 4"});
  ExpectError(head + "    kind: demo\n    max_backoff_s: -2\n",
              {"cameras.porch.max_backoff_s", "line 4"});
  ExpectError(head + "    kind: demo\n    interval_s: 9999999\n",
              {"cameras.porch.interval_s: must be at most one week"});
  ExpectError(head + "    kind: demo\n    jpeg_quality: 101\n",
              {"cameras.porch.jpeg_quality: must be in [1, 100]", "line 4"});
  ExpectError(head + "    kind: demo\n    width: -5\n",
              {"cameras.porch.width", "line 4"});
  ExpectError(head + "    kind: demo\n    warmup_frames: 1000\n",
              {"cameras.porch.warmup_frames", "line 4"});
  ExpectError(head + "    kind: demo\n    max_mb: 0\n",
              {"cameras.porch.max_mb: must be in (0, 1024]", "line 4"});
  ExpectError(head + "    kind: http\n    url: ftp://cam/x.jpg\n",
              {"cameras.porch.url: must start with http://", "line 4"});
  ExpectError(head + "    kind: http\n",
              {"cameras.porch.url: must start with http://", "line 2"});
  ExpectError(head + "    kind: rtsp\n", {"cameras.porch.url: required"});
  ExpectError(head + "    kind: mjpeg\n", {"cameras.porch.url: required"});
  ExpectError(head + "    kind: v4l2\n", {"cameras.porch.device: required"});
  ExpectError(head + "    kind: watch_folder\n",
              {"cameras.porch.folder: required"});
  ExpectError(head + "    kind: http\n    url: http://c/\n    auth: ntlm\n",
              {"cameras.porch.auth: unknown", "digest", "line 5"});
  ExpectError(head + "    kind: watch_folder\n    folder: x\n"
                     "    after_ingest: keep\n",
              {"cameras.porch.after_ingest: unknown", "line 5"});
}

TEST(ConfigErrorTest, CameraNameRules) {
  ExpectError("cameras:\n  front door:\n    kind: demo\n",
              {"cameras.front door.name: only letters", "line 2"});
  ExpectError("cameras:\n  " + std::string(65, 'a') + ":\n    kind: demo\n",
              {"must be 1..64 characters"});
}

TEST(ConfigErrorTest, CameraRetentionRules) {
  ExpectError("cameras:\n  c:\n    kind: demo\n    retention:\n"
              "      max_age_days: 0\n",
              {"cameras.c.retention.max_age_days: must be > 0", "line 5"});
}

// --- Other sections ------------------------------------------------------

TEST(ConfigErrorTest, StorageRules) {
  ExpectError("storage:\n  data_dir: \"\"\n",
              {"storage.data_dir: must not be empty", "line 2"});
  ExpectError("storage:\n  thumbnail_width: 8\n",
              {"storage.thumbnail_width: must be in [32, 1920], got 8"});
  ExpectError("storage:\n  thumbnail_quality: 0\n",
              {"storage.thumbnail_quality: must be in [1, 100]"});
  ExpectError("storage:\n  max_image_mb: 0\n", {"storage.max_image_mb"});
}

TEST(ConfigErrorTest, RetentionRules) {
  ExpectError("retention:\n  max_age_days: -1\n",
              {"retention.max_age_days: must be > 0, got -1", "line 2"});
  ExpectError("retention:\n  max_gb: 0\n", {"retention.max_gb: must be > 0"});
  ExpectError("retention:\n  interval_minutes: 0\n",
              {"retention.interval_minutes: must be in"});
}

TEST(ConfigErrorTest, WebRules) {
  ExpectError("web:\n  port: 70000\n",
              {"web.port: must be in [0, 65535], got 70000", "line 2"});
  ExpectError("web:\n  bind: \"\"\n", {"web.bind: must not be empty"});
  ExpectError("web:\n  session_hours: 0\n", {"web.session_hours: must be in"});
  ExpectError("web:\n  threads: 0\n", {"web.threads: must be in [1, 256]"});
  ExpectError("web:\n  api_tokens: [short]\n",
              {"web.api_tokens: each token needs at least 16 characters"});
  ExpectError("web:\n  password: short\n",
              {"web.password: must be at least 8 characters"});
  ExpectError("web:\n  password: long-enough-pw\n  password_hash: x\n",
              {"web.password: set either password or password_hash"});
  ExpectError("web:\n  password_hash: not-a-hash\n",
              {"web.password_hash:", "vigil passwd", "line 2"});
}

TEST(ConfigErrorTest, LoggingRules) {
  ExpectError("logging:\n  level: loud\n",
              {"logging.level: expected one of debug, info, warn, error",
               "line 2"});
}

// config_fuzz regression (corpus/config/regression_nul_in_camera_name.yaml):
// a camera name with a NUL byte was looked up truncated and dereferenced.
TEST(ConfigErrorTest, ControlCharactersInKeysAreRejected) {
  ExpectError(std::string("cameras:\n  po\0rch:\n    kind: demo\n", 34),
              {"cameras: keys must not contain control characters",
               "line 2"});
  ExpectError("cameras:\n  \x01" "cam:\n    kind: demo\n",
              {"keys must not contain control characters"});
}

TEST(ConfigErrorTest, ErrorsNeverEchoPasswords) {
  Result<AppConfig> r =
      Load("web:\n  password: ${WEB_PASS}\n  password_hash: x\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("horse"), std::string::npos);
}

// --- Files ---------------------------------------------------------------

TEST(ConfigFileTest, MissingFileIsNotFound) {
  Result<AppConfig> r = LoadConfigFile("/nonexistent/vigil.yaml", TestOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/vigil.yaml"),
            std::string::npos);
}

TEST(ConfigFileTest, FileNameAppearsInErrorsAndPathsAreRelativeToIt) {
  auto dir = std::filesystem::temp_directory_path() / "vigil_config_test";
  std::filesystem::create_directories(dir);
  auto path = dir / "home.yaml";
  std::ofstream(path) << "storage:\n  data_dir: snaps\n";
  Result<AppConfig> ok = LoadConfigFile(path, TestOptions());
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->storage.data_dir, dir / "snaps");
  std::ofstream(path) << "storage:\n  data_dir: snaps\n  colour: red\n";
  Result<AppConfig> bad = LoadConfigFile(path, TestOptions());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("(home.yaml line 3)"),
            std::string::npos)
      << bad.status().message();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::app
