// SPDX-License-Identifier: Apache-2.0
// Paging advice on weight mappings, read back from the kernel's own view of
// the mapping (/proc/self/smaps VmFlags: hg = MADV_HUGEPAGE,
// nh = MADV_NOHUGEPAGE, rr = MADV_RANDOM).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "inference/gguf/mapped_file.h"

namespace vigil::gguf {
namespace {

namespace fs = std::filesystem;

// The VmFlags of the mapping that contains `p` ("" if none).
std::vector<std::string> VmFlagsAt(const void* p) {
  const auto addr = reinterpret_cast<uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = addr >= lo && addr < hi;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) {
      std::istringstream flags(line.substr(8));
      std::vector<std::string> out;
      for (std::string f; flags >> f;) out.push_back(f);
      return out;
    }
  }
  return {};
}

bool Has(const std::vector<std::string>& flags, const std::string& f) {
  for (const auto& x : flags) {
    if (x == f) return true;
  }
  return false;
}

class PagingAdviceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("vigil-paging-" + std::to_string(::getpid()) + ".bin");
    std::ofstream(path_, std::ios::binary)
        .write(std::string(kSize, '\x5a').data(), kSize);
  }
  void TearDown() override { fs::remove(path_); }

  static constexpr size_t kSize = size_t{8} << 20;
  fs::path path_;
};

TEST_F(PagingAdviceTest, WeightsAskForHugePagesAndTablesForSparseReads) {
  auto mapped = MappedFile::Map(path_.string());
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  const uint8_t* data = mapped->bytes().data();
  ASSERT_EQ(mapped->bytes().size(), kSize);
  // Kernels built without transparent huge pages refuse the advice.
  const bool thp = fs::exists("/sys/kernel/mm/transparent_hugepage/enabled");
  if (thp) EXPECT_TRUE(Has(VmFlagsAt(data), "hg"));

  // A table from 1 MiB + 123 bytes, 4 MiB long: the whole pages inside it
  // are advised, the rest of the mapping keeps its advice.
  AdviseSparseReads(data + (1 << 20) + 123, size_t{4} << 20);
  const auto table = VmFlagsAt(data + (3 << 20));
  EXPECT_TRUE(Has(table, "rr"));
  if (thp) {
    EXPECT_TRUE(Has(table, "nh"));
    EXPECT_FALSE(Has(table, "hg"));
  }
  const auto before = VmFlagsAt(data);
  const auto after = VmFlagsAt(data + (6 << 20));
  for (const auto& rest : {before, after}) {
    EXPECT_FALSE(Has(rest, "rr"));
    if (thp) EXPECT_TRUE(Has(rest, "hg"));
  }
  // The partial first page of the table stays as it was.
  EXPECT_FALSE(Has(VmFlagsAt(data + (1 << 20)), "rr"));
  // Every byte still reads back.
  EXPECT_EQ(data[0], 0x5a);
  EXPECT_EQ(data[(3 << 20) + 7], 0x5a);
  EXPECT_EQ(data[kSize - 1], 0x5a);
}

TEST_F(PagingAdviceTest, RangesWithoutAWholePageAreLeftAlone) {
  auto mapped = MappedFile::Map(path_.string());
  ASSERT_TRUE(mapped.ok());
  const uint8_t* data = mapped->bytes().data();
  const auto flags = VmFlagsAt(data);
  AdviseSparseReads(data + 100, 200);
  AdviseSparseReads(data, 0);
  AdviseSparseReads(nullptr, 0);
  EXPECT_EQ(VmFlagsAt(data), flags);
}

}  // namespace
}  // namespace vigil::gguf
