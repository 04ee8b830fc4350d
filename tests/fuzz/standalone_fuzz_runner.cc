// SPDX-License-Identifier: Apache-2.0
// Replays a fuzz corpus through LLVMFuzzerTestOneInput without libFuzzer, so
// ctest checks known crashers with the ordinary g++ build. Usage:
//   <runner> FILE_OR_DIR...   (directories are read non-recursively)
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int n_files = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      for (const auto& e : std::filesystem::directory_iterator(arg, ec)) {
        if (!e.is_regular_file()) continue;
        ok = RunFile(e.path()) && ok;
        ++n_files;
      }
    } else {
      ok = RunFile(arg) && ok;
      ++n_files;
    }
    if (ec) {
      std::fprintf(stderr, "cannot list %s: %s\n", argv[i],
                   ec.message().c_str());
      ok = false;
    }
  }
  std::printf("replayed %d inputs\n", n_files);
  return ok && n_files > 0 ? 0 : 1;
}
