// SPDX-License-Identifier: Apache-2.0
// The `vigil` subcommands as a user runs them: exit codes, messages, files.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "tests/app/api_client.h"
#include "tests/app/vigil_process.h"
#include "web/auth.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("cli"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path WriteConfig(const std::string& text) {
    fs::path p = dir_ / "config.yaml";
    std::ofstream(p) << text;
    return p;
  }
  fs::path dir_;
};

TEST_F(CliTest, VersionAndHelp) {
  RunResult v = RunVigil({"--version"}, dir_);
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("vigil 0."), std::string::npos) << v.out;
  RunResult h = RunVigil({"--help"}, dir_);
  EXPECT_EQ(h.exit_code, 0);
  for (const char* cmd : {"serve", "snap", "cameras", "reindex", "passwd"}) {
    EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
    RunResult c = RunVigil({"help", cmd}, dir_);
    EXPECT_EQ(c.exit_code, 0) << cmd;
    EXPECT_NE(c.out.find(std::string("usage: vigil ") + cmd),
              std::string::npos) << c.out;
  }
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunVigil({}, dir_).exit_code, 2);
  RunResult r = RunVigil({"frobnicate"}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(RunVigil({"serve", "--bogus"}, dir_).exit_code, 2);
  EXPECT_EQ(RunVigil({"snap"}, dir_).exit_code, 2);
  EXPECT_EQ(RunVigil({"serve", "--config"}, dir_).exit_code, 2);
}

TEST_F(CliTest, ServeRejectsUnknownKeyWithLine) {
  fs::path cfg = WriteConfig(
      "storage:\n  data_dir: data\ncameras:\n  porch:\n    kind: demo\n"
      "    intreval_s: 5\n");
  RunResult r = RunVigil({"serve", "--config", cfg.string()}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cameras.porch.intreval_s: unknown key"),
            std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(config.yaml line 6)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "data"));  // nothing half-started
}

TEST_F(CliTest, ServeRejectsWrongTypeWithLine) {
  fs::path cfg = WriteConfig("web:\n  port: http\n");
  RunResult r = RunVigil({"serve", "--config", cfg.string()}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("web.port: expected a whole number, got 'http' "
                       "(config.yaml line 2)"),
            std::string::npos) << r.err;
}

TEST_F(CliTest, ServeRejectsMissingConfigAndUnsetEnv) {
  RunResult r = RunVigil({"serve", "--config", "nope.yaml"}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nope.yaml"), std::string::npos);
  fs::path cfg = WriteConfig("web:\n  password: ${VIGIL_UNSET_FOR_TEST}\n");
  r = RunVigil({"check", "--config", cfg.string()}, dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("environment variable VIGIL_UNSET_FOR_TEST is not set"),
            std::string::npos) << r.err;
}

TEST_F(CliTest, CheckSummarizesValidConfig) {
  fs::path cfg = WriteConfig("cameras:\n  yard:\n    kind: demo\n");
  RunResult r = RunVigil({"check", "--config", cfg.string()}, dir_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("config.yaml: OK"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("yard (demo"), std::string::npos) << r.out;
}

TEST_F(CliTest, SnapCamerasReindex) {
  // Embedded defaults: ./data and the demo camera.
  RunResult snap = RunVigil({"snap", "demo"}, dir_);
  ASSERT_EQ(snap.exit_code, 0) << snap.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(snap.out, m,
                                std::regex(R"(stored snapshot \d+: (\S+\.jpg))")))
      << snap.out;
  EXPECT_TRUE(fs::exists(m[1].str()));
  EXPECT_EQ(m[1].str().find((dir_ / "data" / "snapshots" / "demo").string()), 0u);

  RunResult unknown = RunVigil({"snap", "garage"}, dir_);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no camera named 'garage'"), std::string::npos);

  RunResult cams = RunVigil({"cameras"}, dir_);
  ASSERT_EQ(cams.exit_code, 0) << cams.err;
  EXPECT_TRUE(std::regex_search(cams.out, std::regex(R"(demo\s+demo\s+yes\s+10s\s+1\s)")))
      << cams.out;

  // A file copied into the folders by hand is indexed (the store
  // reconciles recent folders on open; reindex walks them all).
  fs::path copy = fs::path(m[1].str()).parent_path() / "235959.jpg";
  fs::copy_file(m[1].str(), copy);
  RunResult re = RunVigil({"reindex"}, dir_);
  ASSERT_EQ(re.exit_code, 0) << re.err;
  EXPECT_NE(re.out.find(": 2 files,"), std::string::npos) << re.out;
  cams = RunVigil({"cameras"}, dir_);
  EXPECT_TRUE(std::regex_search(cams.out, std::regex(R"(demo\s+demo\s+yes\s+10s\s+2\s)")))
      << cams.out;
}

TEST_F(CliTest, PasswdPrintsAVerifiableHash) {
  RunResult r = RunVigil({"passwd", "--stdin"}, dir_, {}, "my long password\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string hash = r.out.substr(0, r.out.find('\n'));
  EXPECT_TRUE(web::VerifyPassword("my long password", hash)) << hash;
  RunResult short_pw = RunVigil({"passwd", "--stdin"}, dir_, {}, "short\n");
  EXPECT_EQ(short_pw.exit_code, 2);
}

TEST_F(CliTest, FirstRunPasswordIsShownOnceAndWorks) {
  fs::path cfg = WriteConfig(
      "web:\n  port: 0\nstorage:\n  data_dir: data\ncameras: {}\n");
  std::string password;
  {
    VigilProcess p({"serve", "--config", cfg.string()}, dir_, {}, "first");
    auto port = p.WaitForLog(std::regex(R"(gallery on http://[0-9.]+:(\d+))"),
                             std::chrono::seconds(60));
    ASSERT_TRUE(port) << p.Stderr();
    std::smatch m;
    std::string out = p.Stdout();
    ASSERT_TRUE(std::regex_search(
        out, m, std::regex(R"(gallery password is\s+([0-9a-f]{24}))")))
        << out;
    password = m[1];
    EXPECT_EQ(p.Stderr().find(password), std::string::npos);  // not logged
    ApiClient api(std::stoi(*port));
    EXPECT_EQ(api.Login(password), 200);
    EXPECT_EQ(p.Signal(SIGINT, std::chrono::seconds(30)), 0);
  }
  std::string stored = ReadFile(dir_ / "data" / "web-password.hash");
  EXPECT_EQ(stored.find(password), std::string::npos);
  EXPECT_EQ(fs::status(dir_ / "data" / "web-password.hash").permissions() &
                fs::perms::others_read,
            fs::perms::none);
  VigilProcess p({"serve", "--config", cfg.string()}, dir_, {}, "second");
  auto port = p.WaitForLog(std::regex(R"(gallery on http://[0-9.]+:(\d+))"),
                           std::chrono::seconds(60));
  ASSERT_TRUE(port) << p.Stderr();
  EXPECT_EQ(p.Stdout().find("gallery password is"), std::string::npos);
  ApiClient api(std::stoi(*port));
  EXPECT_EQ(api.Login(password), 200);
  EXPECT_EQ(p.Signal(SIGTERM, std::chrono::seconds(30)), 0);
}

}  // namespace
}  // namespace vigil::testing
