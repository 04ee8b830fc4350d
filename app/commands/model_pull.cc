// SPDX-License-Identifier: Apache-2.0
// `vigil model pull`: command-line front of app/model_pull/.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "app/cli.h"
#include "app/commands/deploy_commands.h"
#include "app/model_pull/model_pull.h"

namespace vigil::app {
namespace {

// Where the packaged service looks for models; ./models elsewhere.
std::filesystem::path DefaultModelDir() {
  if (const char* env = std::getenv("VIGIL_MODEL_DIR"); env && *env) {
    return env;
  }
  if (::access("/var/lib/vigil/models", W_OK) == 0) {
    return "/var/lib/vigil/models";
  }
  return "models";
}

// Parses the flags into `opts`; returns a usage message or "".
std::string ParseArgs(const std::vector<std::string>& args,
                      model_pull::PullOptions* opts, bool* help) {
  opts->dir = DefaultModelDir();
  opts->progress_bar = ::isatty(STDERR_FILENO) == 1;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "-h" || a == "--help") {
      *help = true;
    } else if (a == "--no-progress") {
      opts->progress_bar = false;
    } else if (a == "--quant" || a == "--dir" || a == "--base-url" ||
               a == "--repo" || a == "--revision" || a == "--manifest") {
      if (!value(&v)) return a + " needs a value";
      if (a == "--quant") opts->catalog.quant = v;
      if (a == "--dir") opts->dir = v;
      if (a == "--base-url") opts->catalog.base_url = v;
      if (a == "--repo") opts->catalog.repo = v;
      if (a == "--revision") opts->catalog.revision = v;
      if (a == "--manifest") opts->manifest = v;
    } else if (!a.empty() && a[0] == '-') {
      return "unknown flag '" + a + "'";
    } else if (opts->catalog.model.empty()) {
      opts->catalog.model = a;
    } else {
      return "unexpected argument '" + a + "'";
    }
  }
  if (!*help && opts->catalog.model.empty()) return "which model? e2b or e4b";
  return "";
}

}  // namespace

std::string ModelPullHelp() {
  std::string quants;
  for (const std::string& q : model_pull::KnownQuants()) quants += " " + q;
  return "usage: vigil model pull e2b|e4b [--quant Q4_K_M] [--dir DIR]\n"
         "         [--base-url URL] [--repo OWNER/NAME] [--revision REV]\n"
         "         [--manifest SHA256SUMS] [--no-progress]\n"
         "Downloads the Gemma 4 GGUF and its mmproj (vision/audio) from the\n"
         "model hub (default https://huggingface.co, unsloth repos), resuming\n"
         "partial downloads, checking sha256 and installing atomically.\n"
         "Quantizations:" + quants + ". Default dir: $VIGIL_MODEL_DIR, else\n"
         "/var/lib/vigil/models when writable, else ./models.\n";
}

int RunModelPullCommand(const std::vector<std::string>& args) {
  model_pull::PullOptions opts;
  bool help = false;
  std::string usage = ParseArgs(args, &opts, &help);
  if (help) {
    std::cout << ModelPullHelp();
    return kExitOk;
  }
  if (!usage.empty()) return Fail(kExitUsage, "model pull: " + usage);
  opts.log = &std::cerr;
  Result<std::vector<model_pull::PulledFile>> pulled =
      model_pull::PullModel(opts);
  if (!pulled.ok()) {
    int code = pulled.status().code() == StatusCode::kInvalidArgument
                   ? kExitUsage
                   : kExitFailure;
    return Fail(code, "model pull: " + pulled.status().ToString());
  }
  std::cout << "model: " << pulled->front().path.string() << "\n"
            << "mmproj: " << pulled->back().path.string() << "\n";
  return kExitOk;
}

}  // namespace vigil::app
