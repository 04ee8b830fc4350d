// SPDX-License-Identifier: Apache-2.0
// `vigil model pull` against a local hub (hub_server.h): install, resume
// after an interrupted download, checksum rejection, offline errors.
#include "app/model_pull/model_pull.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "app/model_pull/catalog.h"
#include "app/model_pull/sha256.h"
#include "tests/deploy/hub_server.h"

namespace vigil::model_pull {
namespace {

namespace fs = std::filesystem;

constexpr char kRepo[] = "unsloth/gemma-4-E2B-it-GGUF";
constexpr char kModelFile[] = "gemma-4-E2B-it-Q4_K_M.gguf";
constexpr char kMmproj[] = "mmproj-F16.gguf";

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ModelPullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil-pull-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    model_ = RandomBytes(3 << 20, 1);  // 3 MiB: several curl writes
    mmproj_ = RandomBytes(700 << 10, 2);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Publish(HubServer& hub) {
    hub.AddFile(kRepo, kModelFile, model_);
    hub.AddFile(kRepo, kMmproj, mmproj_);
  }
  PullOptions Options(const std::string& base_url) {
    PullOptions o;
    o.catalog.model = "e2b";
    o.catalog.base_url = base_url;
    o.dir = dir_;
    o.transfer.connect_timeout_s = 5;
    o.transfer.stall_timeout_s = 10;
    return o;
  }

  fs::path dir_;
  std::string model_, mmproj_;
};

TEST_F(ModelPullTest, InstallsBothFilesThenSkipsVerifiedOnes) {
  HubServer hub;
  Publish(hub);
  Result<std::vector<PulledFile>> got = PullModel(Options(hub.base_url()));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ(ReadAll(dir_ / kModelFile), model_);
  EXPECT_EQ(ReadAll(dir_ / kMmproj), mmproj_);
  EXPECT_EQ((*got)[0].sha256, Sha256Hex(model_));
  EXPECT_FALSE(fs::exists(dir_ / (std::string(kModelFile) + ".part")));
  EXPECT_EQ(hub.body_gets(), 2);

  Result<std::vector<PulledFile>> again = PullModel(Options(hub.base_url()));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE((*again)[0].already_present);
  EXPECT_TRUE((*again)[1].already_present);
  EXPECT_EQ(hub.body_gets(), 2);  // nothing downloaded twice
}

TEST_F(ModelPullTest, InterruptedDownloadResumesWithRange) {
  HubServer hub;
  Publish(hub);
  hub.CutNextDownloadAfter(1 << 20);
  Result<std::vector<PulledFile>> first = PullModel(Options(hub.base_url()));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kUnavailable)
      << first.status().ToString();
  EXPECT_NE(first.status().message().find("partial download kept"),
            std::string::npos);
  const fs::path part = dir_ / (std::string(kModelFile) + ".part");
  ASSERT_TRUE(fs::exists(part));
  const auto kept = fs::file_size(part);
  EXPECT_GT(kept, 0u);
  EXPECT_LE(kept, 1u << 20);
  EXPECT_EQ(ReadAll(part), model_.substr(0, kept));  // a true prefix
  EXPECT_FALSE(fs::exists(dir_ / kModelFile));  // nothing half-installed

  Result<std::vector<PulledFile>> second = PullModel(Options(hub.base_url()));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(ReadAll(dir_ / kModelFile), model_);
  std::vector<std::string> ranges = hub.range_headers();
  ASSERT_GE(ranges.size(), 2u);
  EXPECT_EQ(ranges[0], "");
  EXPECT_EQ(ranges[1], "bytes=" + std::to_string(kept) + "-");
}

TEST_F(ModelPullTest, CorruptedDownloadIsRejectedAndDeleted) {
  HubServer hub;
  // The hub advertises the digest of other bytes: what arrives is corrupt.
  hub.AddFile(kRepo, kModelFile, model_, Sha256Hex(model_ + "x"));
  hub.AddFile(kRepo, kMmproj, mmproj_);
  Result<std::vector<PulledFile>> got = PullModel(Options(hub.base_url()));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(got.status().message().find("wrong sha256: expected " +
                                        Sha256Hex(model_ + "x")),
            std::string::npos)
      << got.status().message();
  EXPECT_FALSE(fs::exists(dir_ / kModelFile));
  EXPECT_FALSE(fs::exists(dir_ / (std::string(kModelFile) + ".part")));
}

TEST_F(ModelPullTest, CorruptPartialFileIsRejectedThenRefetched) {
  HubServer hub;
  Publish(hub);
  fs::create_directories(dir_);
  const fs::path part = dir_ / (std::string(kModelFile) + ".part");
  std::ofstream(part, std::ios::binary) << RandomBytes(5000, 99);  // garbage
  Result<std::vector<PulledFile>> first = PullModel(Options(hub.base_url()));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kCorrupt);
  EXPECT_FALSE(fs::exists(part));
  Result<std::vector<PulledFile>> second = PullModel(Options(hub.base_url()));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(ReadAll(dir_ / kModelFile), model_);
}

TEST_F(ModelPullTest, OfflineIsAClearUnavailableError) {
  int closed_port = 0;
  {
    HubServer gone;
    closed_port = gone.port();
  }  // stopped: connections are refused
  Result<std::vector<PulledFile>> got =
      PullModel(Options("http://127.0.0.1:" + std::to_string(closed_port)));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(got.status().message().find("check the network"),
            std::string::npos)
      << got.status().message();
  EXPECT_FALSE(fs::exists(dir_ / kModelFile));
}

TEST_F(ModelPullTest, MissingQuantIsNotFound) {
  HubServer hub;
  Publish(hub);
  PullOptions o = Options(hub.base_url());
  o.catalog.quant = "Q2_K";
  Result<std::vector<PulledFile>> got = PullModel(o);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
  EXPECT_NE(got.status().message().find("HTTP 404"), std::string::npos);
}

TEST_F(ModelPullTest, ManifestSuppliesDigestsWhenTheHubHasNone) {
  HubServer hub;
  hub.AddFile(kRepo, kModelFile, model_, "");
  hub.AddFile(kRepo, kMmproj, mmproj_, "");
  Result<std::vector<PulledFile>> without = PullModel(Options(hub.base_url()));
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.status().code(), StatusCode::kNotFound);
  EXPECT_NE(without.status().message().find("--manifest"), std::string::npos);

  fs::create_directories(dir_);
  const fs::path manifest = dir_ / "SHA256SUMS";
  std::ofstream(manifest) << "# sha256sum output\n"
                          << Sha256Hex(model_) << "  " << kModelFile << "\n"
                          << Sha256Hex(mmproj_) << " *" << kMmproj << "\n";
  PullOptions o = Options(hub.base_url());
  o.manifest = manifest;
  Result<std::vector<PulledFile>> with = PullModel(o);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_EQ(ReadAll(dir_ / kMmproj), mmproj_);
}

TEST(ModelPullCatalog, ResolvesHubUrlsAndRejectsBadNames) {
  CatalogRequest r;
  r.model = "e4b";
  r.quant = "Q8_0";
  r.base_url = "https://mirror.example/";
  Result<std::vector<RemoteFile>> files = ResolveFiles(r);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ((*files)[0].url,
            "https://mirror.example/unsloth/gemma-4-E4B-it-GGUF/resolve/main/"
            "gemma-4-E4B-it-Q8_0.gguf");
  EXPECT_EQ((*files)[1].file_name, "mmproj-F16.gguf");

  for (auto bad : {std::pair<std::string, std::string>{"model", "e9b"},
                   {"quant", "../../etc"},
                   {"quant", "Q4 K"},
                   {"repo", "noslash"},
                   {"repo", "a/b/c"},
                   {"base", "ftp://x"}}) {
    CatalogRequest b;
    b.model = "e2b";
    if (bad.first == "model") b.model = bad.second;
    if (bad.first == "quant") b.quant = bad.second;
    if (bad.first == "repo") b.repo = bad.second;
    if (bad.first == "base") b.base_url = bad.second;
    EXPECT_EQ(ResolveFiles(b).status().code(), StatusCode::kInvalidArgument)
        << bad.first << "=" << bad.second;
  }
}

TEST(ModelPullSha256, ParsesHubDigestsAndManifests) {
  const std::string d(64, 'a');
  EXPECT_EQ(ParseSha256Digest("\"" + d + "\""), d);
  EXPECT_EQ(ParseSha256Digest("W/\"" + std::string(64, 'B') + "\""),
            std::string(64, 'b'));
  EXPECT_EQ(ParseSha256Digest("\"5f1c2e\""), "");  // a git blob id
  EXPECT_EQ(ParseSha256Digest(""), "");
  const fs::path bad = fs::temp_directory_path() /
                       ("vigil-bad-manifest-" + std::to_string(::getpid()));
  std::ofstream(bad) << d << "  ok.gguf\nnot-a-digest  x.gguf\n";
  Result<std::map<std::string, std::string>> m = ReadManifest(bad);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(m.status().message().find("line 2"), std::string::npos);
  fs::remove(bad);
}

}  // namespace
}  // namespace vigil::model_pull
