// SPDX-License-Identifier: Apache-2.0
// The `vigil` binary: dispatches to a subcommand (app/commands/).
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/commands/commands.h"
#include "app/commands/deploy_commands.h"

#if __has_include("app/commands/inference_commands.h")
#include "app/commands/inference_commands.h"
#define VIGIL_HAVE_INFERENCE_COMMANDS 1
#endif

namespace vigil::app {
namespace {

using Command = std::function<int(const Args&)>;

int RunModel(const Args& args);

const std::map<std::string, Command>& Commands() {
  static const std::map<std::string, Command> commands = {
      {"serve", RunServe},   {"snap", RunSnap},     {"cameras", RunCameras},
      {"reindex", RunReindex}, {"passwd", RunPasswd}, {"check", RunCheck},
#ifdef VIGIL_HAVE_INFERENCE_COMMANDS
      {"generate", [](const Args& a) { return RunGenerateCommand(a); }},
      {"describe", [](const Args& a) { return RunDescribeCommand(a); }},
#endif
      {"model", RunModel},
  };
  return commands;
}

// `vigil model info ...` / `vigil model pull ...`
int RunModel(const Args& args) {
  if (!args.empty() && args[0] == "pull") {
    return RunModelPullCommand(Args(args.begin() + 1, args.end()));
  }
  if (args.empty() || args[0] != "info") {
    return Fail(kExitUsage, "usage: vigil model info FILE.gguf | vigil model pull e2b|e4b");
  }
#ifdef VIGIL_HAVE_INFERENCE_COMMANDS
  return RunModelInfoCommand(Args(args.begin() + 1, args.end()));
#else
  return Fail(kExitFailure, "this build has no model support yet");
#endif
}

int Help(const Args& args) {
  if (args.empty()) {
    std::cout << UsageText();
    return kExitOk;
  }
  std::string text = CommandHelp(args[0]);
  if (text.empty()) return Fail(kExitUsage, "no command '" + args[0] + "'");
  std::cout << text;
  return kExitOk;
}

int Main(int argc, char** argv) {
  Args words(argv + 1, argv + argc);
  if (words.empty()) {
    std::cerr << UsageText();
    return kExitUsage;
  }
  const std::string cmd = words[0];
  Args rest(words.begin() + 1, words.end());
  if (cmd == "-h" || cmd == "--help" || cmd == "help") return Help(rest);
  if (cmd == "-V" || cmd == "--version" || cmd == "version") {
    std::cout << VersionText() << "\n";
    return kExitOk;
  }
  auto it = Commands().find(cmd);
  if (it == Commands().end()) {
    return Fail(kExitUsage,
                "unknown command '" + cmd + "'; see `vigil --help`");
  }
  return it->second(rest);
}

}  // namespace
}  // namespace vigil::app

int main(int argc, char** argv) { return vigil::app::Main(argc, argv); }
